// The domain's effects (reference §7 lifecycle rules, §8 MACs, §9 VLANs) and persistence
// across close/open, without a dataplane.
import { expect } from 'chai';
import { VirtualNetwork, type Vm } from '../../../src/provider/msvm/domain/index.js';
import { closeNet, openNet, runJob, standard, type Ctx } from './fixture.js';

describe('msvm domain: lifecycle', () => {
  let c: Ctx;
  let off1: Vm;
  let run1: Vm;
  beforeEach(async () => {
    c = await openNet();
    ({ off1, run1 } = await standard(c.net));
  });
  afterEach(() => closeNet(c));
  const ep = (vm: Vm): string => vm.nics[0]!.instanceId;

  it('host: upper-case name, deterministic default pool, lowest free MAC for dynamic users', async () => {
    expect(c.net.host().name).to.equal('HV1');
    const pool = c.net.host().macPool;
    expect(pool.min).to.match(/^00155D[0-9A-F]{4}00$/);
    expect(pool.max).to.equal(`${pool.min.slice(0, 10)}FF`);
    expect(c.net.internalPort('int1')!.mac).to.equal(pool.min);
    expect(c.net.vm(run1.guid)!.nics[0]!.address).to.equal(`${pool.min.slice(0, 10)}01`);
    expect(c.net.vm(off1.guid)!.nics[0]!.address).to.equal('000000000000');
    await c.net.addNics(off1.guid, [{ kind: 'emulated', address: `${pool.min.slice(0, 10)}02`, staticMac: true }]);
    await runJob(c.net, c.net.requestStateChange(off1.guid, 2));
    expect(c.net.vm(off1.guid)!.nics.map((n) => n.address)).to.deep.equal([`${pool.min.slice(0, 10)}03`, `${pool.min.slice(0, 10)}02`]);
  });

  it('a removed NIC or internal port gives its MAC back to the pool', async () => {
    const mac = c.net.vm(run1.guid)!.nics[0]!.address;
    await runJob(c.net, c.net.requestStateChange(run1.guid, 3));
    await c.net.removeNics(run1.guid, [ep(run1)]);
    expect((await c.net.createInternalPort({ name: 'reuse' })).mac).to.equal(mac);
    const first = c.net.internalPort('int1')!.mac;
    await c.net.deleteInternalPort('int1');
    expect((await c.net.createInternalPort({ name: 'reuse2' })).mac).to.equal(first);
  });

  it('a new port has one VLAN setting: access, VLAN 0, empty trunk list', () => {
    const v = c.net.port('p1')!.vlan;
    expect([v.desiredEndpointMode, v.accessVlan, v.trunkedVlanList]).to.deep.equal([2, 0, []]);
  });

  it('setVlan accepts numeric strings and keeps the trunk list sorted and unique', async () => {
    const p = await c.net.setVlan('p1', { accessVlan: '100' as unknown as number, desiredEndpointMode: 5, trunkedVlanList: [30, 10, 30] });
    expect([p.vlan.accessVlan, p.vlan.desiredEndpointMode, p.vlan.trunkedVlanList]).to.deep.equal([100, 5, [10, 30]]);
    expect((await c.net.setVlan('p1', { trunkedVlanList: null as unknown as number[] })).vlan.trunkedVlanList).to.deep.equal([]);
  });

  it('a running VM has an endpoint per NIC and the connection its Connection names', () => {
    expect(c.net.endpoint(ep(run1))).to.include({ kind: 'vm', systemName: run1.guid, portName: 'p2' });
    expect(c.net.connectionOfPort('p2')).to.deep.equal({ portName: 'p2', endpointName: ep(run1), persistent: false });
    expect(c.net.endpoint(ep(off1))).to.equal(undefined);
    expect(c.net.nicRuntime(ep(run1))).to.include({ nsIfname: 'eth0', portName: 'p2' });
    expect(c.net.nicRuntime(ep(off1))).to.equal(undefined);
  });

  const transitions: Array<[string, number[], number, boolean, boolean]> = [
    // description, requests, final EnabledState, endpoint exists, connection exists
    ['off', [3], 3, false, false],
    ['saved', [32769], 32769, false, false],
    ['paused', [32768], 32768, true, true],
    ['paused then running', [32768, 2], 2, true, true],
    ['saved then running', [32769, 2], 2, true, true],
    ['reset', [10], 2, true, true],
    ['off then on', [3, 2], 2, true, true],
  ];
  for (const [description, reqs, state, hasEp, hasConn] of transitions) {
    it(`state ${description}: EnabledState ${state}, endpoint ${hasEp}, connection ${hasConn}; the NIC keeps its Connection`, async () => {
      for (const r of reqs) expect(await runJob(c.net, c.net.requestStateChange(run1.guid, r as 2))).to.equal(7);
      const vm = c.net.vm(run1.guid)!;
      expect(vm.enabledState).to.equal(state);
      expect(c.net.endpoint(ep(run1)) !== undefined).to.equal(hasEp);
      expect(c.net.connectionOfPort('p2') !== undefined).to.equal(hasConn);
      expect(c.net.resolvePortRef(vm.nics[0]!.connection)?.name).to.equal('p2');
      expect(c.net.port('p2')).to.not.equal(undefined);
    });
  }

  it('a dangling Connection is legal: the VM starts unconnected', async () => {
    await c.net.deletePort('p1');
    expect(await runJob(c.net, c.net.requestStateChange(off1.guid, 2))).to.equal(7);
    expect(c.net.endpoint(ep(off1))!.portName).to.equal(undefined);
    expect(c.net.vm(off1.guid)!.nics[0]!.connection).to.contain('Name="p1"');
  });

  it('modifying Connection of a running VM reconnects live', async () => {
    await c.net.modifyNics(run1.guid, [{ instanceId: ep(run1), connection: c.net.portPath('p3') }]);
    expect(c.net.connectionOfPort('p2')).to.equal(undefined);
    expect(c.net.connectionOfPort('p3')!.endpointName).to.equal(ep(run1));
    await c.net.modifyNics(run1.guid, [{ instanceId: ep(run1), connection: '' }]);
    expect(c.net.connections()).to.deep.equal([]);
  });

  it('a VM-side connect writes Connection and disconnect clears it', async () => {
    await c.net.modifyNics(run1.guid, [{ instanceId: ep(run1), connection: null }]);
    await c.net.connect('p3', ep(run1));
    expect(c.net.resolvePortRef(c.net.nic(ep(run1))!.connection)!.name).to.equal('p3');
    await c.net.disconnect('p3');
    expect(c.net.nic(ep(run1))!.connection).to.equal('');
  });

  it('deleting a connected port, internal port or switch removes the connections', async () => {
    await c.net.connect('p3', '/DEVICE/Microsoft:int1');
    expect(c.net.endpoint('/device/microsoft:INT1')!.portName).to.equal('p3');
    await c.net.deleteInternalPort('int1');
    expect(c.net.connectionOfPort('p3')).to.equal(undefined);
    await c.net.deletePort('p2');
    expect(c.net.connections()).to.deep.equal([]);
    await c.net.deleteSwitch('lab');
    expect([c.net.switches(), c.net.ports()]).to.deep.equal([[], []]);
  });

  it('external NICs: lo and our own TAPs are hidden; ids are stable; bind makes the endpoint', async () => {
    const nics = c.net.externalNics();
    expect(nics.map((n) => n.ifname)).to.deep.equal(['eth9', 'veth7']);
    expect(nics[0]).to.include({ mac: '525400123456', mtu: 1500, speed: 1e9, isBound: false });
    expect(nics[0]!.deviceId).to.match(/^\{[0-9A-F-]{36}\}$/);
    const id = nics[0]!.deviceId;
    expect(c.net.endpoint(`/DEVICE/${id}`)).to.equal(undefined);
    expect((await c.net.bindExternal(id)).isBound).to.equal(true);
    await c.net.connect('p3', `/DEVICE/${id}`);
    expect((await c.net.unbindExternal(id)).isBound).to.equal(false);
    expect(c.net.connectionOfPort('p3')).to.equal(undefined);
  });

  it('SetupSwitch and TeardownSwitch run as network jobs', async () => {
    const id = c.net.externalNics()[0]!.deviceId;
    const job = c.net.setupSwitch({ externalPort: 'p3', internalPort: 'p1', externalNic: id, internalName: 'hostnic', internalFriendlyName: 'Host NIC' });
    expect([job.state, job.jobClass, job.networkJobType, job.createdInternalPort]).to.deep.equal([4, 'network', 1, 'hostnic']);
    expect(await runJob(c.net, job)).to.equal(7);
    expect(c.net.connectionOfPort('p1')!.endpointName).to.equal('/DEVICE/Microsoft:hostnic');
    expect(c.net.connectionOfPort('p3')!.endpointName).to.equal(`/DEVICE/${id}`);
    const td = c.net.teardownSwitch({ externalNic: id, internalPort: 'hostnic' });
    expect(await runJob(c.net, td)).to.equal(7);
    expect([c.net.internalPort('hostnic'), c.net.connectionOfPort('p1'), c.net.externalNics()[0]!.isBound]).to.deep.equal([undefined, undefined, false]);
  });

  it('jobs stay for the retention time after finishing, then go; listeners hear each change', async () => {
    const seen: number[] = [];
    c.net.onJob((j) => seen.push(j.state));
    const job = c.net.destroyVm(off1.guid);
    expect(await runJob(c.net, job)).to.equal(7);
    expect(seen).to.deep.equal([4, 7]);
    expect(c.net.vm(off1.guid)).to.equal(undefined);
    c.clock.t += 5 * 60_000 - 1;
    expect(c.net.job(job.id)!.state).to.equal(7);
    c.clock.t += 1;
    expect(c.net.job(job.id)).to.equal(undefined);
  });

  it('close and open restore every object, running VMs with their MACs and connections', async () => {
    await c.net.connect('p3', '/DEVICE/Microsoft:int1');
    await c.net.setVlan('p1', { accessVlan: 10 });
    await c.net.setMacPool({ min: '00155D110000', max: '00155D1100FF' });
    const snap = (n: VirtualNetwork): string => JSON.stringify([n.host(), n.switches(), n.ports(), n.internalPorts(), n.vms(), n.connections(), n.endpoints()]);
    const before = snap(c.net);
    await c.net.close();
    c.net = await VirtualNetwork.open(c.opts);
    expect(snap(c.net)).to.equal(before);
    await c.net.close();
    c.net = await VirtualNetwork.open({ ...c.opts, restoreRunning: false });
    expect(c.net.vm(run1.guid)!.enabledState).to.equal(3);
    expect(c.net.connectionOfPort('p2')).to.equal(undefined);
  });

  it('change listeners hear each committed change, not refused ones', async () => {
    let n = 0;
    const off = c.net.onChange(() => n++);
    await c.net.setVlan('p3', { accessVlan: 7 });
    await c.net.createSwitch({ name: 'lab' }).catch(() => undefined);
    expect(n).to.equal(1);
    off();
    await c.net.deletePort('p3');
    expect(n).to.equal(1);
  });

  it('a closed network refuses changes with 32777', async () => {
    await c.net.close();
    const err = await c.net.createSwitch({ name: 'late' }).catch((e: { code: number }) => e);
    expect((err as { code: number }).code).to.equal(32777);
    c.net = await VirtualNetwork.open(c.opts);
    expect(c.net.restoreProblems()).to.deep.equal([]);
  });

  it('purge deletes every object', async () => {
    await c.net.purge();
    c.net = await VirtualNetwork.open(c.opts);
    expect([c.net.switches(), c.net.ports(), c.net.internalPorts(), c.net.vms(), c.net.connections()]).to.deep.equal([[], [], [], [], []]);
  });
});
