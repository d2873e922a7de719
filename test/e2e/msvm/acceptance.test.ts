/**
 * Issue 5 §5 acceptance: the real server as a child process, driven only through CIM-XML with
 * sblim wbemcli (ExecQuery as one raw POST, see test/helpers/wbemcli.ts), real frames between
 * VM namespaces. Scenarios run in order on one server and state dir (each builds on the last):
 * 1 two VMs on switch `lab` ping and run iperf3; 2 associations and WQL; 3 power off/on;
 * 4 kill -9 and restart; 5 external (veth into a "physical" namespace) and internal ports;
 * 6 access VLANs; 8 documented return codes; 7 delete everything, nothing left behind.
 * Plus the profile in root/interop. Root only (namespaces, veth pairs, TAPs); wbemcli (sblim-wbemcli) is
 * required. VM NICs are veth pairs (`eth0` in the VM's namespace, host end `<IF_PREFIX>vm<n>`).
 * Addresses: 192.0.2.0/24 between VMs (a per-pid /30 of it host<->VM), 198.51.100.0/24 the
 * physical network.
 */
import Database from 'better-sqlite3';
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NetScope, ip, requireRoot, run, waitFor } from '../../helpers/netns.js';
import { Wbemcli, parsePath } from '../../helpers/wbemcli.js';
import { iperfClient } from '../dataplane/fixture.js';
import { Msvm, RC, linksWithPrefix, namespaces, portPath, reachable, switchPath, unreachable, type TestVm } from './fixture.js';
import { ServerProcess, freePort } from './server.js';
import { requireDataplane, requireTool } from '../../helpers/require.js';

const IF_PREFIX = `m${process.pid.toString(36)}`;
/** A /30 of 192.0.2.128/25 for the host <-> VM internal-port check, per pid (concurrent runs). */
const HOST_NET = 128 + 4 * (process.pid % 31);

/** Main classes compared across the restart: names, plus the properties that must survive. */
const SNAPSHOT: [string, string[]][] = [
  ['Msvm_VirtualSwitch', ['ElementName', 'NumLearnableAddresses']],
  ['Msvm_SwitchPort', ['ElementName']],
  ['Msvm_VLANEndpoint', ['ElementName', 'DesiredEndpointMode']],
  ['Msvm_VLANEndpointSettingData', ['ElementName', 'AccessVLAN']],
  ['Msvm_ComputerSystem', ['ElementName', 'EnabledState']],
  ['Msvm_VirtualSystemSettingData', ['ElementName']],
  ['Msvm_SyntheticEthernetPortSettingData', ['ElementName', 'Address', 'StaticMacAddress']],
  ['Msvm_SyntheticEthernetPort', ['ElementName', 'PermanentAddress']],
  ['Msvm_VmLANEndpoint', ['MACAddress', 'Connected']],
  ['Msvm_ActiveConnection', []],
];

describe('msvm acceptance (issue 5 §5) through wbemcli', function () {
  this.timeout(120_000);
  let dir: string;
  let srv: ServerProcess;
  let w: Wbemcli;
  let m: Msvm;
  let scope: NetScope;
  let vm1: TestVm;
  let vm2: TestVm;
  const vms: TestVm[] = [];
  /** Objects scenario 5 makes and scenarios 8 and 7 use. */
  const ext = { nic: '', endpoint: '', ifname: '' };
  const int = { port: '', endpoint: '', ifname: '' };

  const addr = (vm: TestVm, cidr: string): Promise<void> => scope.addr('eth0', cidr, vm.ns);
  async function snapshot(): Promise<Record<string, string[]>> {
    const snap: Record<string, string[]> = {};
    for (const [cls, props] of SNAPSHOT) {
      const all = props.length ? await w.instances(cls, props) : (await w.names(cls)).map((p) => ({ path: p, props: {} }));
      snap[cls] = all.map((i) => `${i.path} ${JSON.stringify(i.props)}`).sort();
    }
    return snap;
  }

  before(async function () {
    requireRoot(this);
    requireTool('wbemcli', ['-h'], 'sblim-wbemcli');
    requireDataplane();
    scope = new NetScope('csma');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cimswitch-msvm-e2e-'));
    srv = new ServerProcess(dir, await freePort(), IF_PREFIX);
    await srv.start();
    w = new Wbemcli(srv.base);
    m = new Msvm(w);
  });

  afterEach(function () {
    // what the server said (it logs why a method failed) helps more than a refused connection
    if (this.currentTest?.state === 'failed' && srv) console.warn(`      server output (tail):\n${srv.output().slice(-4000)}`);
  });

  after(async function () {
    this.timeout(60_000);
    // a clean stop removes every TAP, veth and namespace; whatever a failed run left goes here too
    await srv?.stop('SIGTERM').catch(() => srv.stop('SIGKILL'));
    const left = new Set(await namespaces().catch(() => []));
    for (const vm of vms) if (left.has(vm.ns)) await run('ip', ['netns', 'del', vm.ns], { check: false });
    for (const l of await linksWithPrefix(IF_PREFIX).catch(() => [])) await run('ip', ['link', 'del', l], { check: false });
    await scope?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('1. switch lab, two ports, two VMs with a synthetic NIC each: ping and iperf3 through the switch', async () => {
    expect(await m.createSwitch('lab')).to.equal(switchPath('lab'));
    await m.createPort('lab', 'p1');
    await m.createPort('lab', 'p2');
    vm1 = await m.defineVm('vm1', 'lab', 'p1', '00155D0A0001'); // static MAC
    vm2 = await m.defineVm('vm2', 'lab', 'p2'); // from the pool
    vms.push(vm1, vm2);
    for (const vm of [vm1, vm2]) await m.power(vm, 2);
    const nic1 = await w.get(vm1.nic, ['Address', 'StaticMacAddress']);
    expect(nic1.props).to.deep.equal({ Address: '00155D0A0001', StaticMacAddress: true });
    const nic2 = await w.get(vm2.nic, ['Address', 'StaticMacAddress']);
    expect(nic2.props.StaticMacAddress).to.equal(false);
    expect(nic2.props.Address).to.match(/^[0-9A-F]{12}$/).and.not.equal('000000000000'); // allocated at first start
    expect(await namespaces()).to.include.members([vm1.ns, vm2.ns]);
    expect((await ip(['-j', 'link', 'show', 'dev', 'eth0'], vm1.ns)).toLowerCase()).to.include('00:15:5d:0a:00:01');
    await addr(vm1, '192.0.2.1/24');
    await addr(vm2, '192.0.2.2/24');
    await reachable(vm1.ns, '192.0.2.2');
    const iperfServer = scope.spawn('iperf3', ['-s', '-B', '192.0.2.2', '-p', '5311'], { ns: vm2.ns });
    await waitFor('iperf3 to listen', async () => (await run('ss', ['-ltnH'], { ns: vm2.ns })).stdout.includes('192.0.2.2:5311'));
    const r = await iperfClient(vm1.ns, '192.0.2.2', 2, 5311);
    await iperfServer.stop();
    expect(r.bytes, 'iperf3 bytes through the switch').to.be.greaterThan(1_000_000);
  });

  it('2. from a port, Associators reach the LAN endpoint, NIC device and VM; WQL finds the switch', async () => {
    const p1 = portPath('lab', 'p1');
    const eps = await w.associatorNames(p1, { assocClass: 'Msvm_ActiveConnection', resultRole: 'Dependent' });
    expect(eps).to.have.length(1);
    expect(parsePath(eps[0]!)).to.deep.include({ className: 'Msvm_VmLANEndpoint' });
    expect(parsePath(eps[0]!).keys.SystemName).to.equal(vm1.guid);
    const ep = (await w.associators(p1, { assocClass: 'Msvm_ActiveConnection', resultClass: 'CIM_LANEndpoint' }, ['MACAddress', 'Connected']))[0]!;
    expect(ep.props).to.deep.equal({ MACAddress: '00155D0A0001', Connected: true });
    const devs = await w.associatorNames(eps[0]!, { assocClass: 'Msvm_DeviceSAPImplementation', resultRole: 'Antecedent' });
    expect(devs.map((d) => parsePath(d).className)).to.deep.equal(['Msvm_SyntheticEthernetPort']);
    const owners = await w.associators(devs[0]!, { assocClass: 'Msvm_SystemDevice', resultClass: 'Msvm_ComputerSystem' }, ['ElementName']);
    expect(owners.map((o) => [o.path, o.props.ElementName])).to.deep.equal([[vm1.path, 'vm1']]);
    const q = await w.query("SELECT * FROM Msvm_VirtualSwitch WHERE ElementName = 'lab'");
    expect(q.map((i) => [i.path, i.props.ElementName])).to.deep.equal([[switchPath('lab'), 'lab']]);
  });

  it('3. vm2 off: device, endpoint and connection gone, RASD and port stay; on again: traffic returns', async () => {
    await m.power(vm2, 3);
    const ofVm2 = (paths: string[]): string[] => paths.filter((p) => p.includes(vm2.guid));
    expect(ofVm2(await w.names('Msvm_SyntheticEthernetPort')), 'NIC device').to.deep.equal([]);
    expect(ofVm2(await w.names('Msvm_VmLANEndpoint')), 'VmLANEndpoint').to.deep.equal([]);
    expect(await w.associatorNames(portPath('lab', 'p2'), { assocClass: 'Msvm_ActiveConnection' }), 'ActiveConnection').to.deep.equal([]);
    const rasd = await w.query("SELECT * FROM Msvm_SyntheticEthernetPortSettingData WHERE ElementName = 'vm2 nic'");
    expect(rasd).to.have.length(1);
    expect(parsePath((rasd[0]!.props.Connection as string[])[0]!.replace(/^.*:Msvm_SwitchPort/, 'Msvm_SwitchPort')).keys).to.include({ Name: 'p2', SystemName: 'lab' });
    expect((await w.get(portPath('lab', 'p2'), ['ElementName'])).props.ElementName).to.equal('p2');
    expect(await namespaces()).to.not.include(vm2.ns);
    await m.power(vm2, 2);
    await addr(vm2, '192.0.2.2/24'); // a fresh namespace, as after a reboot
    await reachable(vm1.ns, '192.0.2.2');
  });

  it('4. kill -9 and restart on the same state dir: every object as before, traffic flows', async function () {
    const before = await snapshot();
    const vmEnds = await linksWithPrefix(`${IF_PREFIX}vm`);
    expect(vmEnds, 'veth host ends of the two VM NICs').to.have.length(2);
    await srv.stop('SIGKILL');
    // veth pairs outlive the process (a TAP would not): both ends are still there
    expect(await linksWithPrefix(`${IF_PREFIX}vm`), 'host ends after kill -9').to.deep.equal(vmEnds);
    for (const vm of [vm1, vm2]) expect(await ip(['-d', '-j', 'link', 'show', 'dev', 'eth0'], vm.ns), `${vm.name} eth0`).to.include('"info_kind":"veth"');
    await srv.start();
    expect(await snapshot()).to.deep.equal(before);
    // the old pairs were deleted with the stale namespaces, the new ones took their names: none accumulate
    expect((await linksWithPrefix(`${IF_PREFIX}vm`)).sort(), 'host ends after the restart').to.deep.equal([...vmEnds].sort());
    expect((await ip(['-j', 'link', 'show', 'dev', 'eth0'], vm1.ns)).toLowerCase()).to.include('00:15:5d:0a:00:01');
    // the namespaces are made afresh, addresses go in again
    await addr(vm1, '192.0.2.1/24');
    await addr(vm2, '192.0.2.2/24');
    await reachable(vm1.ns, '192.0.2.2');
    await reachable(vm2.ns, '192.0.2.1');
  });

  it('5. external: a bound veth into a "physical" namespace; internal: the host reaches a VM', async () => {
    // the physical network: a namespace of ours at the far end of a veth
    const phys = await scope.netns();
    ext.ifname = scope.ifname('x');
    await scope.veth(ext.ifname, 'phys0', undefined, phys);
    await ip(['link', 'set', 'dev', ext.ifname, 'up']);
    await scope.addr('phys0', '198.51.100.254/24', phys);
    const found = await waitFor('the veth as Msvm_ExternalEthernetPort', async () =>
      (await w.query(`SELECT * FROM Msvm_ExternalEthernetPort WHERE ElementName = '${ext.ifname}'`))[0]);
    ext.nic = found.path;
    expect(found.props.IsBound).to.equal(false);
    await m.vsms('BindExternalEthernetPort', { ExternalEthernetPort: { ref: ext.nic } });
    expect((await w.get(ext.nic, ['IsBound'])).props.IsBound).to.equal(true);
    const sle = await w.associatorNames(ext.nic, { assocClass: 'Msvm_GlobalEthernetPortSAPImplementation', resultClass: 'CIM_LANEndpoint' });
    expect(sle.map((p) => parsePath(p).className)).to.deep.equal(['Msvm_SwitchLANEndpoint']);
    ext.endpoint = sle[0]!;
    const p3 = await m.createPort('lab', 'p3');
    const c = await m.vsms('ConnectSwitchPort', { SwitchPort: { ref: p3 }, LANEndpoint: { ref: ext.endpoint } });
    expect(parsePath(c.out.ActiveConnection as string).className).to.equal('Msvm_ActiveConnection');
    await addr(vm1, '198.51.100.10/24');
    await reachable(vm1.ns, '198.51.100.254');

    // internal port: a host device on the switch
    const ci = await m.vsms('CreateInternalEthernetPort', { Name: 'host0', FriendlyName: 'host0', MACAddress: '02CA00000001' });
    int.port = ci.out.CreatedInternalEthernetPort as string;
    const ise = await w.associatorNames(int.port, { assocClass: 'Msvm_GlobalEthernetPortSAPImplementation' });
    expect(ise.map((p) => parsePath(p).className)).to.deep.equal(['Msvm_SwitchLANEndpoint']);
    int.endpoint = ise[0]!;
    const p4 = await m.createPort('lab', 'p4');
    await m.vsms('ConnectSwitchPort', { SwitchPort: { ref: p4 }, LANEndpoint: { ref: int.endpoint } });
    const devs = (await linksWithPrefix(`${IF_PREFIX}int`));
    expect(devs, 'internal port TAP in the host namespace').to.have.length(1);
    int.ifname = devs[0]!;
    expect((await ip(['-j', 'link', 'show', 'dev', int.ifname])).toLowerCase()).to.include('02:ca:00:00:00:01');
    const hostAddr = `192.0.2.${HOST_NET + 1}/30`;
    scope.defer(() => run('ip', ['addr', 'del', hostAddr, 'dev', int.ifname], { check: false }));
    await scope.addr(int.ifname, hostAddr);
    await addr(vm1, `192.0.2.${HOST_NET + 2}/30`);
    await reachable(undefined, `192.0.2.${HOST_NET + 2}`, int.ifname);
    await run('ip', ['addr', 'del', hostAddr, 'dev', int.ifname]);
  });

  it('6. VLAN: access VLANs 10 and 20 cannot talk; both on 10 can', async () => {
    const settings = async (port: string): Promise<{ ep: string; sd: string }> => {
      const [ep] = await w.associatorNames(portPath('lab', port), { assocClass: 'Msvm_BindsTo', resultClass: 'Msvm_VLANEndpoint' });
      const [sd] = await w.associatorNames(ep!, { assocClass: 'Msvm_NetworkElementSettingData', resultClass: 'Msvm_VLANEndpointSettingData' });
      return { ep: ep!, sd: sd! };
    };
    const s1 = await settings('p1');
    const s2 = await settings('p2');
    for (const [s, vlan] of [[s1, 10], [s2, 20]] as const) {
      await w.modify(s.ep, 'DesiredEndpointMode=2');
      await w.modify(s.sd, `AccessVLAN=${vlan}`);
      expect((await w.get(s.sd, ['AccessVLAN'])).props.AccessVLAN).to.equal(vlan);
      expect((await w.get(s.ep, ['DesiredEndpointMode'])).props.DesiredEndpointMode).to.equal(2);
    }
    expect(await unreachable(vm1.ns, '192.0.2.2'), 'VLAN 10 reaches VLAN 20').to.equal(true);
    await w.modify(s2.sd, 'AccessVLAN=10');
    await reachable(vm1.ns, '192.0.2.2');
  });

  it('8. documented return codes: duplicate switch, unknown port, double connect, bad MAC, starting a running VM', async () => {
    await m.vsms('CreateSwitch', { Name: 'LAB', FriendlyName: 'again', NumLearnableAddresses: 1024, ScopeOfResidence: '' }, RC.INVALID_PARAMETER);
    await m.vsms('DeleteSwitchPort', { SwitchPort: { ref: portPath('lab', 'no-such-port') } }, RC.INVALID_PARAMETER);
    await m.vsms('ConnectSwitchPort', { SwitchPort: { ref: portPath('lab', 'p3') }, LANEndpoint: { ref: ext.endpoint } }, RC.INVALID_STATE);
    await m.vsms('CreateInternalEthernetPort', { Name: 'bad', FriendlyName: 'bad', MACAddress: 'not-a-mac' }, RC.INVALID_PARAMETER);
    const vm3 = await m.defineVm('vm3', 'lab', 'p1').catch((e: Error) => e);
    expect(vm3).to.not.be.instanceOf(Error);
    vms.push(vm3 as TestVm);
    const bad = await m.vmms('AddVirtualSystemResources', {
      ResourceSettingData: '<INSTANCE CLASSNAME="Msvm_SyntheticEthernetPortSettingData"><PROPERTY NAME="StaticMacAddress" TYPE="boolean"><VALUE>TRUE</VALUE></PROPERTY><PROPERTY NAME="Address" TYPE="string"><VALUE>00-15-5D-XX-00-01</VALUE></PROPERTY></INSTANCE>',
      TargetSystem: { ref: (vm3 as TestVm).path },
    }, { xml: true });
    expect(bad.rv, bad.raw).to.equal(RC.INVALID_PARAMETER);
    const again = await w.invoke(vm1.path, 'RequestStateChange', { RequestedState: 2 });
    expect(again.rv, again.raw).to.equal(RC.INVALID_STATE);
  });

  it('7. delete everything: no TAP, veth, namespace, socket or row left', async () => {
    for (const vm of vms) {
      const cs = await w.get(vm.path, ['EnabledState']);
      if (cs.props.EnabledState !== 3) await m.power(vm, 3);
      const r = await m.vmms('RemoveVirtualSystemResources', { TargetSystem: { ref: vm.path }, ResourceSettingData: { refs: [vm.nic] } });
      expect([RC.OK, RC.JOB], r.raw).to.include(r.rv);
      if (r.rv === RC.JOB) await m.finish(r.out.Job as string);
      const d = await m.vmms('DestroyVirtualSystem', { ComputerSystem: { ref: vm.path } });
      expect([RC.OK, RC.JOB], d.raw).to.include(d.rv);
      if (d.rv === RC.JOB) await m.finish(d.out.Job as string);
    }
    const ports = await w.names('Msvm_SwitchPort');
    expect(ports.map((p) => parsePath(p).keys.Name).sort()).to.deep.equal(['p1', 'p2', 'p3', 'p4']);
    for (const p of ports) await m.vsms('DeleteSwitchPort', { SwitchPort: { ref: p } });
    if (int.port) await m.vsms('DeleteInternalEthernetPort', { InternalEthernetPort: { ref: int.port } });
    if (ext.nic) await m.vsms('UnbindExternalEthernetPort', { ExternalEthernetPort: { ref: ext.nic } });
    await m.vsms('DeleteSwitch', { VirtualSwitch: { ref: switchPath('lab') } });

    expect(await linksWithPrefix(IF_PREFIX), 'TAP devices and veth host ends').to.deep.equal([]);
    const nss = await namespaces();
    expect(vms.map((vm) => vm.ns).filter((n) => nss.includes(n)), 'VM namespaces').to.deep.equal([]);
    const dgram = path.join(dir, 'var', 'dgram');
    expect(fs.existsSync(dgram) ? fs.readdirSync(dgram) : [], 'sockets').to.deep.equal([]);
    const db = new Database(path.join(dir, 'var', 'cimswitch.db'), { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'msvm_%' AND name <> 'msvm_settings'").all() as { name: string }[];
      expect(tables.length).to.be.greaterThan(0);
      const rows = Object.fromEntries(tables.map((t) => [t.name, (db.prepare(`SELECT count(*) AS n FROM ${t.name}`).get() as { n: number }).n]));
      expect(Object.values(rows).every((n) => n === 0), JSON.stringify(rows)).to.equal(true);
    } finally {
      db.close();
    }
    for (const cls of ['Msvm_VirtualSwitch', 'Msvm_SwitchPort', 'Msvm_InternalEthernetPort', 'Msvm_ActiveConnection', 'Msvm_VmLANEndpoint', 'Msvm_SyntheticEthernetPort']) {
      expect(await w.names(cls), cls).to.deep.equal([]);
    }
    expect(await w.names('Msvm_ComputerSystem'), 'only the host').to.have.length(1);
    const nics = await w.names('Msvm_SyntheticEthernetPortSettingData');
    expect(nics.filter((n) => !n.includes('Microsoft:Definition')), 'NIC RASDs').to.deep.equal([]);
    expect(int.port && ext.nic, 'scenario 5 made the internal port and the binding').to.not.equal('');
    expect((await w.get(ext.nic, ['IsBound'])).props.IsBound).to.equal(false);
  });

  it('root/interop has the Virtual Networking profile and its conformance to the switch service', async () => {
    const interop = new Wbemcli(srv.base, 'root/interop');
    const profiles = await interop.instances('CIM_RegisteredProfile', ['RegisteredName', 'RegisteredVersion', 'InstanceID']);
    const vn = profiles.filter((p) => p.props.RegisteredName === 'Virtual Networking');
    expect(vn, JSON.stringify(profiles.map((p) => p.props))).to.have.length(1);
    const out = await interop.run(['ain', '-ac', 'CIM_ElementConformsToProfile', interop.url(vn[0]!.path)]);
    expect(out).to.include('Msvm_VirtualSwitchManagementService').and.include('Name="nvspwmi"');
  });
});
