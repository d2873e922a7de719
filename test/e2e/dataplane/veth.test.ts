// `veth` ports: the switch creates a veth pair per port, the other end being a namespace's eth0.
// Namespaces on veth ports exchange ARP, ICMP and TCP (IPv4 BIG TCP segments over 64 KB cross whole); once both
// ends are learned their unicast never reaches a third port; known unicast between veth ports
// runs in the kernel fast path (TCX links on the host ends, the forwarding threads idle while
// gigabits cross); a veth port and a tap port talk; VLANs 10 and 20 stay apart; a changed MAC
// recreates the pair; removal under load, a failed apply and close() leave no pair behind.
// Fast-path frames reach the port counters up to ~100 ms late: counters are polled, never slept on.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Dataplane } from '../../../src/dataplane/control.js';
import { ip, linkExists, linkMac, linkStats, ping, requireRoot, run, waitFor } from '../../helpers/netns.js';
import { DpFixture, delta, iperfClient, type NsPort } from './fixture.js';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU time (ms) the forwarding threads (cimsw-dp*) of this process have used so far. */
function forwardingCpuMs(): number {
  let ticks = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      if (!readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').startsWith('cimsw-dp')) continue;
      const s = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime
    } catch {
      // the thread ended between readdir and read
    }
  }
  return (ticks * 1000) / CLK_TCK;
}

/** ifindexes on which this process holds a TCX ingress BPF link (/proc/self/fdinfo). */
function tcxIngressLinks(): Set<number> {
  const out = new Set<number>();
  for (const fd of readdirSync('/proc/self/fdinfo')) {
    try {
      const info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
      if (!/^link_type:\s*tcx$/m.test(info) || !/^attach_type:\s*46\b/m.test(info)) continue;
      const m = /^ifindex:\s*(\d+)$/m.exec(info);
      if (m) out.add(Number(m[1]));
    } catch {
      // fd closed in between
    }
  }
  return out;
}

/** The ifindex of a host-namespace interface, or undefined when there is none of that name. */
function ifindexOf(dev: string): number | undefined {
  try {
    return Number(readFileSync(`/sys/class/net/${dev}/ifindex`, 'utf8'));
  } catch {
    return undefined;
  }
}

describe('dataplane e2e: veth ports', function () {
  this.timeout(60_000);
  let fx: DpFixture;
  let a: NsPort;
  let b: NsPort;
  let c: NsPort;

  before(async function () {
    requireRoot(this);
    fx = new DpFixture();
    await fx.addSwitch('sw');
    a = await fx.vethPort('pa', 'sw', ['192.0.2.1/24']);
    b = await fx.vethPort('pb', 'sw', ['192.0.2.2/24']);
    c = await fx.vethPort('pc', 'sw', ['192.0.2.3/24']);
  });
  after(async () => fx?.close());

  it('creates the pairs: host ends without IPv6 and ARP, the other ends up in their namespaces', async () => {
    for (const p of [a, b, c]) {
      const host = fx.dp.deviceName(p.port)!;
      expect(host, `${p.port} host end`).to.match(/^cst\d+$/);
      expect(readFileSync(`/proc/sys/net/ipv6/conf/${host}/disable_ipv6`, 'utf8').trim()).to.equal('1');
      const show = await ip(['link', 'show', 'dev', host]);
      expect(show).to.contain('NOARP').and.to.contain('state UP');
      expect(await ip(['link', 'show', 'dev', 'eth0'], p.ns)).to.contain('state UP');
    }
  });

  it('resolves ARP across the switch, and the request was flooded to the third port', async () => {
    const cBefore = fx.counters('pc');
    await fx.reachable(a.ns, '192.0.2.2');
    const neigh = await ip(['neigh', 'show', '192.0.2.2', 'dev', 'eth0'], a.ns);
    expect(neigh).to.contain(await linkMac('eth0', b.ns));
    expect(fx.counters('pc').txPackets - cBefore.txPackets).to.be.at.least(1);
  });

  it('carries ICMP echo both ways', async () => {
    for (const [from, to] of [[a.ns, '192.0.2.2'], [b.ns, '192.0.2.1'], [c.ns, '192.0.2.1']] as const) {
      const r = await ping(from, to, { count: 5, intervalS: 0.01 });
      expect(r.received, `${from} -> ${to}`).to.equal(5);
    }
  });

  it('carries TCP (iperf3) in 64 KB segments, and the veth ports count the bytes', async () => {
    await fx.iperfServer(b.ns, '192.0.2.2');
    const aBefore = fx.counters('pa');
    const bBefore = fx.counters('pb');
    const kBefore = await linkStats('eth0', b.ns);
    const res = await iperfClient(a.ns, '192.0.2.2', 2);
    expect(res.bitsPerSecond).to.be.above(0);
    expect(res.bytes).to.be.above(1_000_000);
    // Every payload byte entered at pa and left at pb (headers make the counters larger).
    await waitFor('the veth ports to count the transfer', () => {
      const da = delta(aBefore, fx.counters('pa'));
      const db = delta(bBefore, fx.counters('pb'));
      return da.rxBytes >= res.bytes && db.txBytes >= res.bytes;
    });
    const db = delta(bBefore, fx.counters('pb'));
    // The pairs carry IPv4 BIG TCP (gsoMaxSize 196608 by default): segments above 64 KB cross whole.
    expect(db.txBytes / db.txPackets, 'mean bytes per frame at pb').to.be.above(65536);
    const kAfter = await linkStats('eth0', b.ns);
    expect(kAfter.rxBytes - kBefore.rxBytes).to.be.at.least(res.bytes);
  });

  it('learns both ends, after which their unicast never reaches the third port', async () => {
    const macs = fx.dp.macTable('sw');
    const macA = await linkMac('eth0', a.ns);
    const macB = await linkMac('eth0', b.ns);
    expect(macs.find((e) => e.mac === macA)?.port).to.equal('pa');
    expect(macs.find((e) => e.mac === macB)?.port).to.equal('pb');
    const cBefore = fx.counters('pc');
    const bBefore = fx.counters('pb');
    const r = await ping(a.ns, '192.0.2.2', { count: 50, intervalS: 0.002 });
    expect(r.received).to.equal(50);
    const res = await iperfClient(a.ns, '192.0.2.2', 1);
    expect(res.bytes).to.be.above(0);
    await waitFor('pb to count the unicast', () => delta(bBefore, fx.counters('pb')).txPackets >= 50 + 100);
    expect(delta(cBefore, fx.counters('pc')).txPackets).to.equal(0);
  });

  it('forwards known unicast in the kernel: fast path on, TCX links on the host ends, forwarding threads idle under load', async () => {
    expect(fx.dp.fastPath).to.deep.equal({ active: true });
    const links = tcxIngressLinks();
    for (const p of ['pa', 'pb', 'pc']) {
      const idx = ifindexOf(fx.dp.deviceName(p)!);
      expect(links.has(idx!), `TCX ingress link on ${p}'s host end (ifindex ${idx})`).to.equal(true);
    }
    await fx.reachable(a.ns, '192.0.2.2');
    const bBefore = fx.counters('pb');
    const cpu0 = forwardingCpuMs();
    const t0 = Date.now();
    const res = await iperfClient(a.ns, '192.0.2.2', 2);
    const cpuMs = forwardingCpuMs() - cpu0;
    const wallMs = Date.now() - t0;
    expect(res.bytes).to.be.above(100_000_000);
    // Through user space the threads spend about half the run on these bytes (~1.1 s of CPU per
    // 2 s here); in the kernel path they only fold counters.
    expect(cpuMs, `forwarding threads' CPU over ${wallMs} ms carrying ${res.bytes} bytes`).to.be.below(wallMs * 0.05);
    await waitFor('pb to count the kernel-forwarded bytes', () => delta(bBefore, fx.counters('pb')).txBytes >= res.bytes);
  });

  it('connects a veth port and a tap port (kernel and user-space paths mixed)', async () => {
    const t = await fx.nsPort('pt', 'sw', ['192.0.2.4/24']);
    await fx.reachable(t.ns, '192.0.2.1');
    expect((await ping(a.ns, '192.0.2.4', { count: 5, intervalS: 0.01 })).received).to.equal(5);
    await fx.iperfServer(t.ns, '192.0.2.4', 5202);
    const aBefore = fx.counters('pa');
    const tBefore = fx.counters('pt');
    const res = await iperfClient(a.ns, '192.0.2.4', 1, 5202);
    expect(res.bytes).to.be.above(1_000_000);
    await waitFor('pa and pt to count the transfer', () => delta(aBefore, fx.counters('pa')).rxBytes >= res.bytes && delta(tBefore, fx.counters('pt')).txBytes >= res.bytes);
    // BIG TCP segments from the veth side (over 64 KB) took the user-space path and were cut for
    // the TAP into GSO frames that fit it (not into MSS-sized frames), with no GSO drops.
    const da = delta(aBefore, fx.counters('pa'));
    expect(da.rxBytes / da.rxPackets, 'mean bytes per frame into pa').to.be.above(65536);
    const dt = delta(tBefore, fx.counters('pt'));
    expect(dt.txBytes / dt.txPackets, 'mean bytes per frame out of pt').to.be.above(16384);
    expect(fx.counters('pt').gso, 'GSO drops at pt').to.equal(0);
    expect(fx.counters('pa').gso, 'GSO drops at pa').to.equal(0);
    await fx.removePort('pt');
  });

  it('keeps VLAN 10 and VLAN 20 apart on veth ports', async () => {
    await fx.addSwitch('swv');
    const v10a = await fx.vethPort('v10a', 'swv', ['192.0.2.1/24'], { vlan: { mode: 'access', accessVlan: 10 } });
    await fx.vethPort('v10b', 'swv', ['192.0.2.2/24'], { vlan: { mode: 'access', accessVlan: 10 } });
    const v20 = await fx.vethPort('v20', 'swv', ['192.0.2.3/24'], { vlan: { mode: 'access', accessVlan: 20 } });
    await fx.reachable(v10a.ns, '192.0.2.2');
    const before = fx.counters('v20');
    expect((await ping(v10a.ns, '192.0.2.3', { count: 3, intervalS: 0.05, waitS: 1 })).received).to.equal(0);
    expect((await ping(v20.ns, '192.0.2.1', { count: 3, intervalS: 0.05, waitS: 1 })).received).to.equal(0);
    expect(delta(before, fx.counters('v20')).txPackets, 'frames from VLAN 10 left v20').to.equal(0);
    expect(fx.counters('v20').rxPackets - before.rxPackets, 'v20 sent its ARP requests').to.be.at.least(1);
    // VLAN 10 unicast stays fine next to it.
    expect((await ping(v10a.ns, '192.0.2.2', { count: 3, intervalS: 0.01 })).received).to.equal(3);
  });

  it("recreates the pair when the MAC changes: the old pair is deleted, the new MAC is eth0's", async () => {
    const oldIndex = ifindexOf(fx.dp.deviceName('pb')!);
    const spec = fx.state.ports.find((p) => p.name === 'pb')!;
    spec.mac = '02:00:00:00:0b:0b';
    await fx.apply();
    expect(await linkMac('eth0', b.ns)).to.equal('02:00:00:00:0b:0b');
    const newIndex = ifindexOf(fx.dp.deviceName('pb')!);
    expect(newIndex).to.be.a('number').and.not.equal(oldIndex);
    const indexes = readdirSync('/sys/class/net').map(ifindexOf);
    expect(indexes, 'old host end gone').not.to.include(oldIndex);
    // A new eth0 in B: its address went with the old one (as for a recreated TAP).
    await fx.scope.addr('eth0', '192.0.2.2/24', b.ns);
    await ip(['neigh', 'flush', 'dev', 'eth0'], a.ns); // A would keep B's old MAC for up to a minute
    await fx.reachable(a.ns, '192.0.2.2');
  });

  it('keeps forwarding while a loaded veth port is removed, and deletes its pair', async () => {
    const d = await fx.vethPort('pd', 'sw', ['192.0.2.5/24']);
    await fx.reachable(c.ns, '192.0.2.5');
    await fx.reachable(a.ns, '192.0.2.2');
    await fx.iperfServer(d.ns, '192.0.2.5');
    const hostC = fx.dp.deviceName('pc')!;
    const indexC = ifindexOf(hostC);
    const b0 = fx.counters('pb').txBytes;
    const d0 = fx.counters('pd').txBytes;
    const ab = iperfClient(a.ns, '192.0.2.2', 3);
    const cd = fx.scope.spawn('iperf3', ['-c', '192.0.2.5', '-t', '3'], { ns: c.ns });
    await waitFor('both flows to move 10 MB', () => fx.counters('pb').txBytes > b0 + 10e6 && fx.counters('pd').txBytes > d0 + 10e6);
    await fx.removePort('pc');
    expect(fx.dp.portCounters('pc')).to.equal(undefined);
    expect(await linkExists('eth0', c.ns), "pc's eth0").to.equal(false);
    expect(ifindexOf(hostC), "pc's host end").to.not.equal(indexC);
    const res = await ab;
    expect(res.intervals.length).to.be.at.least(3);
    res.intervals.forEach((bytes, i) => expect(bytes, `A->B bytes in second ${i + 1}`).to.be.above(0));
    await cd.stop();
    const d1 = fx.counters('pd').rxPackets;
    expect((await ping(d.ns, '192.0.2.1', { count: 5, intervalS: 0.01 })).received).to.equal(5);
    await waitFor('pd to count the pings', () => fx.counters('pd').rxPackets - d1 >= 5);
  });

  it('deletes the pairs a failed apply created (no leftover veth), and keeps the state', async () => {
    const before = fx.dp.current;
    const ns = await fx.scope.netns();
    const pxHost = fx.scope.ifname('px');
    const err = await fx.dp
      .apply({
        switches: before.switches,
        ports: [
          ...before.ports,
          { name: 'px', kind: 'veth', switch: 'sw', ifname: pxHost, netns: ns, nsIfname: 'eth0' },
          { name: 'py', kind: 'veth', switch: 'sw', netns: `csw-missing-${process.pid}`, nsIfname: 'eth0' },
        ],
      })
      .catch((e: unknown) => e);
    expect((err as { code?: string }).code).to.equal('NAMESPACE');
    expect(fx.dp.current).to.deep.equal(before);
    expect(existsSync(`/sys/class/net/${pxHost}`), 'px host end left behind').to.equal(false);
    expect(await linkExists('eth0', ns), 'px eth0 left behind').to.equal(false);
    await fx.reachable(a.ns, '192.0.2.2');
  });

  it('without netns: the other end stays in the host namespace, and the host reaches a namespace through it', async () => {
    // A /30 chosen by pid (apart from ports.test.ts's), so concurrent runs do not share a route.
    const base = 4 * ((process.pid + 32) % 64);
    const [hostIp, nsIp] = [`198.51.100.${base + 1}`, `198.51.100.${base + 2}`];
    await fx.addSwitch('swh');
    const inner = fx.scope.ifname('vh');
    await fx.addPort({ name: 'hv', kind: 'veth', switch: 'swh', nsIfname: inner });
    await run('sysctl', ['-q', '-w', `net.ipv6.conf.${inner}.disable_ipv6=1`]);
    const vm = await fx.vethPort('hvm', 'swh', [`${nsIp}/30`]);
    await fx.scope.addr(inner, `${hostIp}/30`);
    try {
      await waitFor(`host to reach ${nsIp}`, async () => (await ping(undefined, nsIp, { count: 1 })).received === 1);
      expect((await ping(undefined, nsIp, { count: 5, intervalS: 0.01 })).received).to.equal(5);
      expect((await ping(vm.ns, hostIp, { count: 3, intervalS: 0.01 })).received).to.equal(3);
      const host = fx.dp.deviceName('hv')!;
      await fx.removePort('hv');
      expect(existsSync(`/sys/class/net/${inner}`), 'other end gone with the port').to.equal(false);
      expect(existsSync(`/sys/class/net/${host}`), 'host end gone with the port').to.equal(false);
    } finally {
      await run('ip', ['addr', 'del', `${hostIp}/30`, 'dev', inner], { check: false });
    }
  });

  it('close() deletes every pair it created', async () => {
    const dp = Dataplane.open({ ifnamePrefix: 'csx' });
    const ns = await fx.scope.netns();
    let host: string | undefined;
    try {
      await dp.apply({ switches: [{ name: 's' }], ports: [{ name: 'x', kind: 'veth', switch: 's', netns: ns, nsIfname: 'eth0' }] });
      host = dp.deviceName('x');
      expect(existsSync(`/sys/class/net/${host}`)).to.equal(true);
    } finally {
      await dp.close();
    }
    expect(existsSync(`/sys/class/net/${host}`), 'host end after close').to.equal(false);
    expect(await linkExists('eth0', ns), 'namespace end after close').to.equal(false);
  });
});
