// Tables for the domain's pure functions: MAC text, the pool, port path text both ways, and
// the realization of a domain state as a dataplane desired state, and what a restart cleans up.
import { expect } from 'chai';
import { DomainError, defaultMacPool, desiredDataplane, parseMac, parsePortRef, parseUnicastMac, wmiPortPath, type RealizeEnv } from '../../../src/provider/msvm/domain/index.js';
import { allocateMac } from '../../../src/provider/msvm/domain/mac.js';
import { leftoverNicDevices, nicIfname, staleNetns } from '../../../src/provider/msvm/domain/realize.js';
import * as sw from '../../../src/provider/msvm/domain/rules-switch.js';
import * as vmr from '../../../src/provider/msvm/domain/rules-vm.js';
import { emptyState, type State } from '../../../src/provider/msvm/domain/state.js';

const codeOf = (f: () => unknown): number | string => {
  try {
    return f() as string;
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
};

describe('msvm domain: MAC text and pool', () => {
  const table: Array<[string, unknown, string | number, string | number]> = [
    // input, parseMac, parseUnicastMac
    ['plain upper', '00155D02B302', '00155D02B302', '00155D02B302'],
    ['lower case', '00155d02b302', '00155D02B302', '00155D02B302'],
    ['colons', '00:15:5d:02:b3:02', '00155D02B302', '00155D02B302'],
    ['dashes', '00-15-5D-02-B3-02', '00155D02B302', '00155D02B302'],
    ['all zero', '000000000000', '000000000000', 32773],
    ['multicast', '01005E000001', '01005E000001', 32773],
    ['11 digits', '00155D02B30', 32773, 32773],
    ['non-hex', '00155D02B30G', 32773, 32773],
    ['mixed separators', '00:15-5d:02:b3:02', 32773, 32773],
    ['not a string', 12, 32773, 32773],
    ['null', null, 32773, 32773],
  ];
  for (const [d, input, mac, unicast] of table)
    it(`${d}: ${JSON.stringify(input)}`, () => {
      expect(codeOf(() => parseMac(input))).to.equal(mac);
      expect(codeOf(() => parseUnicastMac(input))).to.equal(unicast);
    });

  it('default pool: 00155D + two octets from the seed + 00..FF, deterministic', () => {
    const a = defaultMacPool('machine-a');
    expect(a).to.deep.equal(defaultMacPool('machine-a'));
    expect(a.min).to.match(/^00155D[0-9A-F]{4}00$/);
    expect(a.max.slice(0, 10) + '00').to.equal(a.min);
    expect(defaultMacPool('machine-b')).to.not.deep.equal(a);
  });

  const alloc: Array<[string, string[], string | number]> = [
    ['empty pool use', [], '00155D000000'],
    ['skips used', ['00155D000000', '00155D000001'], '00155D000002'],
    ['fills a hole', ['00155D000000', '00155D000002'], '00155D000001'],
    ['exhausted', ['00155D000000', '00155D000001', '00155D000002'], 32768],
  ];
  for (const [d, used, want] of alloc)
    it(`allocate: ${d}`, () => expect(codeOf(() => allocateMac({ min: '00155D000000', max: '00155D000002' }, new Set(used)))).to.equal(want));
});

describe('msvm domain: port path text', () => {
  const table: Array<[string, string, { name: string; systemName?: string } | undefined]> = [
    ['WMI form', wmiPortPath('HV1', 'SW-1', 'port 1'), { name: 'port 1', systemName: 'SW-1' }],
    ['dot host', '\\\\.\\root\\virtualization:Msvm_SwitchPort.CreationClassName="Msvm_SwitchPort",Name="p",SystemCreationClassName="Msvm_VirtualSwitch",SystemName="s"', { name: 'p', systemName: 's' }],
    ['WBEM URI', '//host/root/virtualization:Msvm_SwitchPort.CreationClassName="Msvm_SwitchPort",Name="p",SystemCreationClassName="Msvm_VirtualSwitch",SystemName="s"', { name: 'p', systemName: 's' }],
    ['relative, single quotes, other case', "msvm_switchport.NAME='p',systemname='s'", { name: 'p', systemName: 's' }],
    ['escaped quote and backslash', wmiPortPath('H', 's', 'a"b\\c'), { name: 'a"b\\c', systemName: 's' }],
    ['value with a colon', '\\\\H\\root\\virtualization:Msvm_SwitchPort.Name="a:b",SystemName="s"', { name: 'a:b', systemName: 's' }],
    ['Name only', 'Msvm_SwitchPort.Name="p"', { name: 'p' }],
    ['another class', 'Msvm_VirtualSwitch.CreationClassName="Msvm_VirtualSwitch",Name="s"', undefined],
    ['empty', '', undefined],
    ['unterminated', 'Msvm_SwitchPort.Name="p', undefined],
    ['no keys', 'Msvm_SwitchPort', undefined],
  ];
  for (const [d, text, want] of table) it(d, () => expect(parsePortRef(text)).to.deep.equal(want));

  it('WMI form: keys in alphabetical order, backslashes doubled', () => {
    expect(wmiPortPath('HV1', 'S', 'a\\b')).to.equal(
      '\\\\HV1\\root\\virtualization:Msvm_SwitchPort.CreationClassName="Msvm_SwitchPort",Name="a\\\\b",SystemCreationClassName="Msvm_VirtualSwitch",SystemName="S"',
    );
  });
});

describe('msvm domain: desiredDataplane', () => {
  const env = (vmMode: 'netns' | 'dgram', present: string[] = ['eth9']): RealizeEnv => ({ vmMode, netnsPrefix: 'ns-', socketDir: '/state/dgram', presentIfnames: new Set(present) });
  const senv: sw.SwitchEnv = { formatPortPath: wmiPortPath, ifPrefix: 'cs' };

  /** lab: p1 (VLAN 10) <- vm NIC, p2 (trunk 10,20 native 5) <- internal i1, p3 <- external eth9 */
  function world(): { s: State; nic: string; guid: string } {
    const s = emptyState({ name: 'H', macPool: { min: '00155D000000', max: '00155D0000FF' } });
    sw.createSwitch(s, { name: 'lab', numLearnableAddresses: 64 });
    for (const p of ['p1', 'p2', 'p3']) sw.createPort(s, { switchName: 'lab', name: p });
    sw.setVlan(s, 'p1', { accessVlan: 10 });
    sw.setVlan(s, 'p2', { desiredEndpointMode: 5, trunkedVlanList: [20, 10], nativeVlan: 5 });
    const i1 = sw.createInternalPort(s, { name: 'i1', mac: '00155D0000AA' }, senv);
    sw.connect(s, 'p2', `/DEVICE/${i1.deviceId}`, senv);
    s.bindings.set('{X}', { deviceId: '{X}', ifname: 'eth9', mac: '525400000001' });
    sw.connect(s, 'p3', '/DEVICE/{X}', senv);
    const vm = vmr.defineVm(s, { elementName: 'v' }, [{ kind: 'synthetic', connection: wmiPortPath('H', 'lab', 'p1') }, { kind: 'emulated', address: '00155D0000BB' }], 0);
    vmr.setVmState(s, vm.guid, 2, 0);
    return { s, nic: vm.nics[0]!.instanceId, guid: vm.guid };
  }

  it('netns mode: internal TAP, host port, VM NICs as veth ports into the namespace in NIC order', () => {
    const { s, nic, guid } = world();
    const d = desiredDataplane(s, env('netns'));
    expect(d.switches).to.deep.equal([{ name: 'lab', macLimit: 64 }]);
    expect(d.ports).to.deep.equal([
      { name: 'int:i1', kind: 'internal', ifname: 'csint0', mac: '00:15:5d:00:00:aa', switch: 'lab', vlan: { mode: 'trunk', trunkVlans: [10, 20], nativeVlan: 5 } },
      { name: 'ext:{x}', kind: 'host', ifname: 'eth9', switch: 'lab', vlan: { mode: 'access', accessVlan: 1 } },
      { name: `nic:${nic.toLowerCase()}`, kind: 'veth', netns: `ns-${guid}`, nsIfname: 'eth0', mac: '00:15:5d:00:00:00', switch: 'lab', vlan: { mode: 'access', accessVlan: 10 } },
      { name: `nic:microsoft:${guid.toLowerCase()}\\${s.vms.get(guid)!.nics[1]!.deviceGuid.toLowerCase()}`, kind: 'veth', netns: `ns-${guid}`, nsIfname: 'eth1', mac: '00:15:5d:00:00:bb' },
    ]);
  });

  it('dgram mode: VM NICs are sockets under the state dir, no MAC', () => {
    const { s, guid } = world();
    const vmPorts = desiredDataplane(s, env('dgram')).ports.filter((p) => p.name.startsWith('nic:'));
    expect(vmPorts.map((p) => [p.kind, p.localPath, p.remotePath, p.mac])).to.deep.equal([
      ['dgram', `/state/dgram/${guid}-0.sock`, `/state/dgram/${guid}-0.peer.sock`, undefined],
      ['dgram', `/state/dgram/${guid}-1.sock`, `/state/dgram/${guid}-1.peer.sock`, undefined],
    ]);
  });

  const cases: Array<[string, (s: State, guid: string) => void, (names: string[]) => void]> = [
    ['an off VM has no devices', (s, g) => vmr.setVmState(s, g, 3, 0), (n) => expect(n.filter((x) => x.startsWith('nic:'))).to.deep.equal([])],
    ['a paused VM keeps them', (s, g) => vmr.setVmState(s, g, 32768, 0), (n) => expect(n.filter((x) => x.startsWith('nic:'))).to.have.length(2)],
    ['an unconnected bound NIC has no port', (s) => sw.disconnect(s, 'p3'), (n) => expect(n).to.not.include('ext:{x}')],
    ['an unconnected internal port keeps its TAP', (s) => sw.disconnect(s, 'p2'), (n) => expect(n).to.include('int:i1')],
  ];
  for (const [d, change, check] of cases)
    it(d, () => {
      const { s, guid } = world();
      change(s, guid);
      check(desiredDataplane(s, env('netns')).ports.map((p) => p.name));
    });

  it('a bound NIC missing from the host is not realized', () => {
    const { s } = world();
    expect(desiredDataplane(s, env('netns', [])).ports.map((p) => p.name)).to.not.include('ext:{x}');
  });

  it('an unconnected internal port has no switch', () => {
    const { s } = world();
    sw.disconnect(s, 'p2');
    const p = desiredDataplane(s, env('netns')).ports.find((x) => x.name === 'int:i1')!;
    expect([p.switch, p.vlan]).to.deep.equal([undefined, undefined]);
  });
});

describe('msvm domain: what a restart cleans up (netns mode)', () => {
  const g1 = '11111111-1111-1111-1111-111111111111';
  const g2 = '22222222-2222-2222-2222-222222222222';

  it('only namespaces with our prefix and a GUID of our state, and only those that exist', () => {
    const existing = new Set([`ns-${g1}`, `other-${g2}`, `ns-${g2}x`, 'ns-33333333-3333-3333-3333-333333333333', 'ns-']);
    expect(staleNetns([g1, g2, g1], { netnsPrefix: 'ns-' }, existing)).to.deep.equal([`ns-${g1}`]);
    expect(staleNetns([], { netnsPrefix: 'ns-' }, existing)).to.deep.equal([]);
    expect(staleNetns([g2], { netnsPrefix: 'other-' }, existing)).to.deep.equal([`other-${g2}`]);
  });

  it('in such a namespace, the veth ends named like VM NICs, nothing else', () => {
    const links = [
      { ifname: 'lo' },
      { ifname: 'eth0', kind: 'veth' },
      { ifname: 'eth11', kind: 'veth' },
      { ifname: 'eth1', kind: 'tun' },
      { ifname: 'eth2' },
      { ifname: 'veth9', kind: 'veth' },
      { ifname: 'eth0x', kind: 'veth' },
      { ifname: 'br0', kind: 'bridge' },
    ];
    expect(leftoverNicDevices(links)).to.deep.equal(['eth0', 'eth11']);
    expect(leftoverNicDevices([])).to.deep.equal([]);
  });

  it('the NIC names the realization gives are those the cleanup picks', () => {
    const names = [0, 1, 11].map(nicIfname);
    expect(names).to.deep.equal(['eth0', 'eth1', 'eth11']);
    expect(leftoverNicDevices(names.map((ifname) => ({ ifname, kind: 'veth' })))).to.deep.equal(names);
  });
});
