// The domain end to end on a real kernel (root): VMs as network namespaces on a switch (their
// NICs veth pairs on the dataplane's kernel fast path), power state, restart, an internal port
// reaching a VM from the host, a bound veth reaching a namespace that plays the physical
// network, VLAN isolation, and nothing (namespace, TAP, veth) left after deletes and purge.
// Addresses: 192.0.2.0/24 between VMs and the "physical" network, 198.51.100.0/24 host<->VM.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VirtualNetwork, type NetworkOptions, type Vm } from '../../../src/provider/msvm/domain/index.js';
import { NetScope, ip, linkExists, ping, requireRoot, run, waitFor } from '../../helpers/netns.js';
import { iperfClient } from '../dataplane/fixture.js';
import { requireDataplane } from '../../helpers/require.js';

const NS_PREFIX = `csdt${process.pid}-`;
const IF_PREFIX = `q${process.pid.toString(36)}`;

async function reachable(ns: string | undefined, dst: string, iface?: string): Promise<void> {
  await waitFor(`${ns ?? 'host'} to reach ${dst}`, async () => (await ping(ns, dst, { count: 1, waitS: 1, ...(iface ? { iface } : {}) })).received === 1, { timeoutMs: 8000 });
}

async function unreachable(ns: string, dst: string): Promise<boolean> {
  return (await ping(ns, dst, { count: 3, intervalS: 0.2, waitS: 1 })).received === 0;
}

async function ourNamespaces(): Promise<string[]> {
  // `ip netns list` prints "NAME (id: N)" for a namespace that has an id: keep the name only
  return (await run('ip', ['netns', 'list'])).stdout.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(NS_PREFIX));
}

/** Host-namespace links with our prefix: internal port TAPs and VM NICs' veth host ends. */
async function ourLinks(): Promise<string[]> {
  const links = JSON.parse((await run('ip', ['-j', 'link', 'show'])).stdout) as Array<{ ifname: string }>;
  return links.map((l) => l.ifname).filter((n) => n.startsWith(IF_PREFIX));
}

interface Link {
  ifname: string;
  ifindex: number;
  link_index?: number;
  linkinfo?: { info_kind?: string };
}

/** A VM's eth0 and, for a veth, its host end (the link whose ifindex is eth0's peer). */
async function vmNicPair(ns: string): Promise<{ nic: Link; host?: Link }> {
  const [nic] = JSON.parse(await ip(['-d', '-j', 'link', 'show', 'dev', 'eth0'], ns)) as Link[];
  const host = (JSON.parse(await ip(['-d', '-j', 'link', 'show'])) as Link[]).find((l) => l.ifindex === nic!.link_index);
  return { nic: nic!, ...(host ? { host } : {}) };
}

/** ifindexes on which this process holds a TCX ingress BPF link (the dataplane's fast path). */
function tcxIngressLinks(): Set<number> {
  const out = new Set<number>();
  for (const fd of fs.readdirSync('/proc/self/fdinfo')) {
    try {
      const info = fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
      if (!/^link_type:\s*tcx$/m.test(info) || !/^attach_type:\s*46\b/m.test(info)) continue;
      const m = /^ifindex:\s*(\d+)$/m.exec(info);
      if (m) out.add(Number(m[1]));
    } catch {
      // fd closed in between
    }
  }
  return out;
}

describe('msvm domain e2e: VMs, internal and external ports, VLANs, restart', function () {
  this.timeout(120_000);
  let scope: NetScope;
  let net: VirtualNetwork;
  let opts: NetworkOptions;
  let dir: string;
  let vm1: Vm;
  let vm2: Vm;
  const nsOf = (vm: Vm): string => `${NS_PREFIX}${vm.guid}`;

  async function addr(vm: Vm, cidr: string): Promise<void> {
    await scope.addr('eth0', cidr, nsOf(vm));
  }
  async function power(vm: Vm, state: 2 | 3 | 10 | 32769): Promise<void> {
    const job = await net.waitJob(net.requestStateChange(vm.guid, state).id);
    expect([job.state, job.errorDescription]).to.deep.equal([7, '']);
  }

  before(async function () {
    requireRoot(this);
    requireDataplane();
    scope = new NetScope('csdx');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-e2e-'));
    opts = { stateDir: dir, hostName: 'e2ehost', ifPrefix: IF_PREFIX, netnsPrefix: NS_PREFIX, vmMode: 'netns' };
    net = await VirtualNetwork.open(opts);
    scope.defer(async () => {
      await net.purge().catch(() => net.close());
      fs.rmSync(dir, { recursive: true, force: true });
    });
    await net.createSwitch({ name: 'lab' });
    for (const p of ['p1', 'p2', 'p3', 'p4']) await net.createPort({ switchName: 'lab', name: p });
    vm1 = await net.defineVm({ elementName: 'vm1' }, [{ kind: 'synthetic', connection: net.portPath('p1') }]);
    vm2 = await net.defineVm({ elementName: 'vm2' }, [{ kind: 'synthetic', connection: net.portPath('p2') }]);
  });

  after(async () => {
    await scope?.cleanup();
  });

  it('two running VMs on one switch ping each other across their namespaces', async () => {
    await power(vm1, 2);
    await power(vm2, 2);
    await addr(vm1, '192.0.2.1/24');
    await addr(vm2, '192.0.2.2/24');
    await reachable(nsOf(vm1), '192.0.2.2');
    const mac = (await ip(['-j', 'link', 'show', 'dev', 'eth0'], nsOf(vm1))).toUpperCase();
    const assigned = net.vm(vm1.guid)!.nics[0]!.address;
    expect(mac.replace(/:/g, '')).to.contain(assigned);
    for (const vm of [vm1, vm2]) {
      const { nic, host } = await vmNicPair(nsOf(vm));
      expect(nic.linkinfo?.info_kind, `eth0 of ${vm.elementName}`).to.equal('veth');
      expect(host?.ifname, `host end of ${vm.elementName}'s eth0`).to.match(new RegExp(`^${IF_PREFIX}vm\\d+$`));
    }
    expect(net.macTable('lab').map((e) => e.portName).sort()).to.include.members(['p1', 'p2']);
    expect(net.portCounters('p1')!.rxPackets).to.be.greaterThan(0);
    expect(net.switchCounters('lab')!.rxPackets).to.be.at.least(net.portCounters('p1')!.rxPackets);
  });

  it('TCP (iperf3) flows between the two VMs through the switch, on the kernel fast path', async () => {
    // The dataplane holds a TCX ingress link on each VM NIC's host end (where it is on at all:
    // root on a kernel with TCX, as in CI).
    const tcx = tcxIngressLinks();
    for (const vm of [vm1, vm2]) {
      const { host } = await vmNicPair(nsOf(vm));
      expect(tcx.has(host!.ifindex), `TCX ingress link on ${host!.ifname}`).to.equal(true);
    }
    const srv = scope.spawn('iperf3', ['-s', '-B', '192.0.2.2', '-p', '5301'], { ns: nsOf(vm2) });
    await waitFor('iperf3 to listen', async () => (await run('ss', ['-ltnH'], { ns: nsOf(vm2) })).stdout.includes('192.0.2.2:5301'));
    const before = net.portCounters('p2')!.txBytes;
    const r = await iperfClient(nsOf(vm1), '192.0.2.2', 1, 5301);
    expect(r.bytes).to.be.greaterThan(0);
    // Frames forwarded in the kernel are folded into the port counters every ~50 ms.
    await waitFor('p2 to count the transfer', () => net.portCounters('p2')!.txBytes - before >= r.bytes);
    await srv.stop();
  });

  it('turning a VM off removes its devices and connectivity; turning it on restores them', async () => {
    await power(vm2, 3);
    expect(await ourNamespaces()).to.not.include(nsOf(vm2));
    expect(net.connectionOfPort('p2')).to.equal(undefined);
    expect(await unreachable(nsOf(vm1), '192.0.2.2')).to.equal(true);
    await power(vm2, 2);
    await addr(vm2, '192.0.2.2/24');
    await reachable(nsOf(vm1), '192.0.2.2');
  });

  it('reset recreates a VM NIC pair in the same namespace; saved keeps the namespace without it', async () => {
    const vmEnds = async (): Promise<string[]> => (await ourLinks()).filter((n) => n.startsWith(`${IF_PREFIX}vm`)).sort();
    const ends = await vmEnds();
    const old = await vmNicPair(nsOf(vm2));
    await power(vm2, 10);
    const fresh = await vmNicPair(nsOf(vm2));
    expect(fresh.nic.linkinfo?.info_kind).to.equal('veth');
    expect(fresh.host!.ifindex, 'a new pair').to.not.equal(old.host!.ifindex);
    expect(await vmEnds(), 'host ends after reset').to.deep.equal(ends);
    expect((await ip(['-j', 'link', 'show', 'dev', 'eth0'], nsOf(vm2))).toUpperCase().replace(/:/g, '')).to.contain(net.vm(vm2.guid)!.nics[0]!.address);
    await power(vm2, 32769);
    expect(await ourNamespaces()).to.include(nsOf(vm2));
    expect(await linkExists('eth0', nsOf(vm2)), 'eth0 of a saved VM').to.equal(false);
    expect(await vmEnds(), 'host ends while vm2 is saved').to.deep.equal(ends.filter((n) => n !== fresh.host!.ifname));
    await power(vm2, 2);
    expect(await vmEnds(), 'host ends after vm2 runs again').to.deep.equal(ends);
    await addr(vm2, '192.0.2.2/24'); // eth0 is a new device: its address went with the old one
    await reachable(nsOf(vm1), '192.0.2.2');
  });

  it('VLAN 10 and 20 are isolated; both on 10 talk', async () => {
    await net.setVlan('p1', { accessVlan: 10 });
    await net.setVlan('p2', { accessVlan: 20 });
    await run('ip', ['neigh', 'flush', 'all'], { ns: nsOf(vm1) });
    expect(await unreachable(nsOf(vm1), '192.0.2.2')).to.equal(true);
    await net.setVlan('p2', { accessVlan: 10 });
    await reachable(nsOf(vm1), '192.0.2.2');
    await net.setVlan('p1', { accessVlan: 0 });
    await net.setVlan('p2', { accessVlan: 0 });
  });

  it('an internal port reaches a VM from the host namespace', async () => {
    const int = await net.createInternalPort({ name: 'host-vnic' });
    expect(int.ifname).to.equal(`${IF_PREFIX}int0`);
    scope.defer(() => run('ip', ['addr', 'flush', 'dev', int.ifname], { check: false }));
    await net.connect('p3', `/DEVICE/${int.deviceId}`);
    await scope.addr(int.ifname, '198.51.100.1/24');
    await addr(vm1, '198.51.100.2/24');
    await reachable(undefined, '198.51.100.2', int.ifname);
    await net.deleteInternalPort('host-vnic');
    expect(await linkExists(int.ifname)).to.equal(false);
  });

  it('a change the kernel refuses fails with 32768, is not stored, and traffic keeps flowing', async () => {
    const busy = `${IF_PREFIX}int0`;
    await scope.veth(busy, scope.ifname('b'));
    const before = JSON.stringify([net.internalPorts(), net.connections()]);
    let code: number | undefined;
    await net.createInternalPort({ name: 'clash' }).catch((e: { code?: number }) => (code = e.code));
    expect(code).to.equal(32768);
    expect(JSON.stringify([net.internalPorts(), net.connections()])).to.equal(before);
    await reachable(nsOf(vm1), '192.0.2.2');
    await ip(['link', 'del', busy]);
    expect((await net.createInternalPort({ name: 'clash' })).ifname).to.equal(busy);
    await net.deleteInternalPort('clash');
  });

  it('a bound veth reaches a namespace that plays the physical network', async () => {
    const phys = await scope.netns();
    const hostEnd = scope.ifname('h');
    const physEnd = scope.ifname('p');
    await scope.veth(hostEnd, physEnd, undefined, phys);
    await ip(['link', 'set', 'dev', hostEnd, 'up']);
    await scope.addr(physEnd, '192.0.2.100/24', phys);
    const nic = net.externalNics().find((n) => n.ifname === hostEnd);
    expect(nic, `external NIC ${hostEnd}`).to.not.equal(undefined);
    expect(net.externalNics().some((n) => n.ifname.startsWith(IF_PREFIX))).to.equal(false);
    await net.bindExternal(nic!.deviceId);
    await net.connect('p4', `/DEVICE/${nic!.deviceId}`);
    await reachable(nsOf(vm1), '192.0.2.100');
    await net.unbindExternal(nic!.deviceId);
    expect(await unreachable(nsOf(vm1), '192.0.2.100')).to.equal(true);
  });

  it('close and open restore running VMs with their MACs and traffic', async () => {
    const macs = [vm1, vm2].map((v) => net.vm(v.guid)!.nics[0]!.address);
    await net.close();
    expect(await ourNamespaces()).to.deep.equal([]);
    expect(await ourLinks(), 'TAPs and veth host ends after close').to.deep.equal([]);
    net = await VirtualNetwork.open(opts);
    expect([vm1, vm2].map((v) => net.vm(v.guid)!.enabledState)).to.deep.equal([2, 2]);
    expect([vm1, vm2].map((v) => net.vm(v.guid)!.nics[0]!.address)).to.deep.equal(macs);
    await addr(vm1, '192.0.2.1/24');
    await addr(vm2, '192.0.2.2/24');
    await reachable(nsOf(vm1), '192.0.2.2');
  });

  it('deleting every object one by one leaves no namespace, TAP or veth behind', async () => {
    await net.createInternalPort({ name: 'left' });
    for (const vm of [vm1, vm2]) {
      await power(vm, 3);
      expect((await net.waitJob(net.destroyVm(vm.guid).id)).state).to.equal(7);
    }
    await net.deleteInternalPort('left');
    await net.deleteSwitch('lab');
    expect(await ourNamespaces()).to.deep.equal([]);
    expect(await ourLinks()).to.deep.equal([]);
    expect([net.switches(), net.ports(), net.vms(), net.internalPorts(), net.connections()]).to.deep.equal([[], [], [], [], []]);
  });

  it('purge leaves no namespace, TAP, veth, socket or row behind', async () => {
    // something to purge: a running VM on a switch, and an internal port
    await net.createSwitch({ name: 'lab' });
    await net.createPort({ switchName: 'lab', name: 'p1' });
    await net.createInternalPort({ name: 'left' });
    const vm = await net.defineVm({ elementName: 'vm3' }, [{ kind: 'synthetic', connection: net.portPath('p1') }]);
    await power(vm, 2);
    expect(await ourNamespaces()).to.deep.equal([nsOf(vm)]);
    expect((await ourLinks()).sort()).to.deep.equal([`${IF_PREFIX}int0`, `${IF_PREFIX}vm0`]);
    await net.purge();
    expect(await ourNamespaces()).to.deep.equal([]);
    expect(await ourLinks()).to.deep.equal([]);
    net = await VirtualNetwork.open({ ...opts, dataplane: 'none' });
    expect([net.switches(), net.ports(), net.vms(), net.internalPorts()]).to.deep.equal([[], [], [], []]);
  });
});
