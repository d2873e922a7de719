// Every rule of the domain that fails, with the Hyper-V return code it must carry (reference
// §1.3 and docs/msvm-choices.md), run against the standard topology without a dataplane.
import { expect } from 'chai';
import { DomainError, type VirtualNetwork, type Vm } from '../../../src/provider/msvm/domain/index.js';
import { closeNet, openNet, runJob, standard, type Ctx } from './fixture.js';

interface World {
  net: VirtualNetwork;
  off1: Vm;
  run1: Vm;
  ext: string;
}

type Case = [description: string, act: (w: World) => unknown, code: number];

const nicOf = (vm: Vm): string => vm.nics[0]!.instanceId;

const cases: Case[] = [
  ['duplicate switch name (other case)', (w) => w.net.createSwitch({ name: 'LAB' }), 32773],
  ['switch without a name', (w) => w.net.createSwitch({ name: '' }), 32773],
  ['NumLearnableAddresses not a number', (w) => w.net.createSwitch({ name: 's2', numLearnableAddresses: 'x' as unknown as number }), 32773],
  ['delete an unknown switch', (w) => w.net.deleteSwitch('nope'), 32773],
  ['port on an unknown switch', (w) => w.net.createPort({ switchName: 'nope', name: 'q' }), 32773],
  ['duplicate port name', (w) => w.net.createPort({ switchName: 'lab', name: 'P1' }), 32773],
  ['delete an unknown port', (w) => w.net.deletePort('nope'), 32773],
  ['VLAN id out of range', (w) => w.net.setVlan('p1', { accessVlan: 5000 }), 32773],
  ['trunk list entry 0', (w) => w.net.setVlan('p1', { trunkedVlanList: [0] }), 32773],
  ['endpoint mode 7', (w) => w.net.setVlan('p1', { desiredEndpointMode: 7 }), 32773],
  ['connect to an unknown endpoint', (w) => w.net.connect('p3', '/DEVICE/nothing'), 32773],
  ['connect an unknown port', (w) => w.net.connect('nope', '/DEVICE/Microsoft:int1'), 32773],
  ['connect a port twice', async (w) => {
    await w.net.connect('p3', '/DEVICE/Microsoft:int1');
    await w.net.createInternalPort({ name: 'int2', mac: '00155D0000AA' });
    return w.net.connect('p3', '/DEVICE/Microsoft:int2');
  }, 32775],
  ['connect an endpoint twice', async (w) => {
    await w.net.connect('p3', '/DEVICE/Microsoft:int1');
    return w.net.connect('p1', '/DEVICE/Microsoft:int1');
  }, 32775],
  ['connect a port held by a running VM', (w) => w.net.connect('p2', '/DEVICE/Microsoft:int1'), 32775],
  ['connect to the endpoint of an off VM', (w) => w.net.connect('p3', nicOf(w.off1)), 32773],
  ['disconnect a free port', (w) => w.net.disconnect('p3'), 32775],
  ['disconnect an unknown port', (w) => w.net.disconnect('nope'), 32773],
  ['internal port with bad MAC text', (w) => w.net.createInternalPort({ name: 'i9', mac: '00155D00ZZ00' }), 32773],
  ['internal port with a multicast MAC', (w) => w.net.createInternalPort({ name: 'i9', mac: '01005E000001' }), 32773],
  ['duplicate internal port', (w) => w.net.createInternalPort({ name: 'INT1' }), 32773],
  ['delete an unknown internal port', (w) => w.net.deleteInternalPort('nope'), 32773],
  ['bind an unknown NIC', (w) => w.net.bindExternal('{00000000-0000-0000-0000-000000000000}'), 32773],
  ['bind twice', async (w) => {
    await w.net.bindExternal(w.ext);
    return w.net.bindExternal(w.ext);
  }, 32775],
  ['unbind an unbound NIC', (w) => w.net.unbindExternal(w.ext), 32775],
  ['MAC pool min above max', (w) => w.net.setMacPool({ min: '00155D0000FF', max: '00155D000000' }), 32773],
  ['MAC pool bad text', (w) => w.net.setMacPool({ min: 'zz', max: '00155D000000' }), 32773],
  ['dynamic pool exhausted', async (w) => {
    await w.net.setMacPool({ min: '00155D000010', max: '00155D000010' });
    await w.net.createInternalPort({ name: 'i8' });
    return w.net.createInternalPort({ name: 'i9' });
  }, 32768],
  ['start a running VM', (w) => w.net.requestStateChange(w.run1.guid, 2), 32775],
  ['turn off an off VM', (w) => w.net.requestStateChange(w.off1.guid, 3), 32775],
  ['pause an off VM', (w) => w.net.requestStateChange(w.off1.guid, 32768), 32775],
  ['save an off VM', (w) => w.net.requestStateChange(w.off1.guid, 32769), 32775],
  ['reset an off VM', (w) => w.net.requestStateChange(w.off1.guid, 10), 32775],
  ['RequestedState 11', (w) => w.net.requestStateChange(w.run1.guid, 11 as 10), 32770],
  ['RequestedState 4', (w) => w.net.requestStateChange(w.run1.guid, 4 as 10), 32773],
  ['state change of an unknown VM', (w) => w.net.requestStateChange('6A45C0A8-0000-4000-8000-000000000000', 2), 32773],
  ['destroy a running VM', (w) => w.net.destroyVm(w.run1.guid), 32775],
  ['destroy an unknown VM', (w) => w.net.destroyVm('not-a-guid'), 32773],
  ['hot-add a NIC to a running VM', (w) => w.net.addNics(w.run1.guid, [{ kind: 'synthetic' }]), 32775],
  ['remove a NIC from a running VM', (w) => w.net.removeNics(w.run1.guid, [nicOf(w.run1)]), 32775],
  ['change the MAC of a running VM', (w) => w.net.modifyNics(w.run1.guid, [{ instanceId: nicOf(w.run1), address: '00155D000077', staticMac: true }]), 32775],
  ['reconnect a running NIC to a taken port', async (w) => {
    await w.net.connect('p3', '/DEVICE/Microsoft:int1');
    return w.net.modifyNics(w.run1.guid, [{ instanceId: nicOf(w.run1), connection: w.net.portPath('p3') }]);
  }, 32775],
  ['static NIC without an address', (w) => w.net.addNics(w.off1.guid, [{ kind: 'synthetic', staticMac: true }]), 32773],
  ['NIC with bad MAC text', (w) => w.net.addNics(w.off1.guid, [{ kind: 'emulated', address: '00-15-5D-00-00', staticMac: true }]), 32773],
  ['NIC of an unknown kind', (w) => w.net.addNics(w.off1.guid, [{ kind: 'virtio' as 'synthetic' }]), 32773],
  ['a 13th NIC', (w) => w.net.addNics(w.off1.guid, Array.from({ length: 12 }, () => ({ kind: 'synthetic' as const }))), 32773],
  ['modify an unknown NIC', (w) => w.net.modifyNics(w.off1.guid, [{ instanceId: 'Microsoft:x\\y', elementName: 'n' }]), 32773],
  ['VM name over 100 characters', (w) => w.net.defineVm({ elementName: 'x'.repeat(101) }), 32773],
  ['setup with ports on two switches', async (w) => {
    await w.net.createSwitch({ name: 'other' });
    await w.net.createPort({ switchName: 'other', name: 'o1' });
    return w.net.setupSwitch({ externalPort: 'p3', internalPort: 'o1', externalNic: w.ext, internalName: 'hostnic' });
  }, 32773],
  ['createSwitch without arguments', (w) => w.net.createSwitch(undefined as never), 32773],
  ['a NULL NIC in AddVirtualSystemResources', (w) => w.net.addNics(w.off1.guid, [null as never]), 32773],
  ['setupSwitch without arguments', (w) => w.net.setupSwitch(undefined as never), 32773],
  ['modifyNics with a non-list', (w) => w.net.modifyNics(w.off1.guid, 'x' as never), 32773],
  ['teardown of an unbound NIC', (w) => w.net.teardownSwitch({ externalNic: w.ext }), 32775],
];

describe('msvm domain: rule violations and their return codes', () => {
  let c: Ctx;
  let w: World;
  beforeEach(async () => {
    c = await openNet();
    const { off1, run1 } = await standard(c.net);
    w = { net: c.net, off1, run1, ext: c.net.externalNics().find((n) => n.ifname === 'eth9')!.deviceId };
  });
  afterEach(() => closeNet(c));

  for (const [description, act, code] of cases) {
    it(`${description} -> ${code}`, async () => {
      let err: unknown;
      try {
        await act(w);
      } catch (e) {
        err = e;
      }
      expect(err, 'expected a DomainError').to.be.instanceOf(DomainError);
      expect((err as DomainError).code).to.equal(code);
      expect((err as DomainError).message).to.be.a('string').and.not.equal('');
    });
  }

  it('a failed change leaves the state and the store untouched', async () => {
    const before = JSON.stringify([c.net.switches(), c.net.ports(), c.net.vms(), c.net.connections()]);
    await c.net.connect('p2', '/DEVICE/Microsoft:int1').catch(() => undefined);
    await c.net.addNics(w.run1.guid, [{ kind: 'synthetic' }]).catch(() => undefined);
    expect(JSON.stringify([c.net.switches(), c.net.ports(), c.net.vms(), c.net.connections()])).to.equal(before);
  });

  it('a job whose work fails ends in state 10 with the code (pool exhausted at first start)', async () => {
    await c.net.setMacPool({ min: '00155D000010', max: '00155D000010' });
    await c.net.createInternalPort({ name: 'takes-the-last-mac' });
    const job = c.net.requestStateChange(w.off1.guid, 2);
    expect(job.state).to.equal(4);
    const done = await c.net.waitJob(job.id);
    expect([done.state, done.errorCode]).to.deep.equal([10, 32768]);
    expect(done.errorDescription).to.match(/exhausted/);
    expect(c.net.vm(w.off1.guid)!.enabledState).to.equal(3);
  });
});
