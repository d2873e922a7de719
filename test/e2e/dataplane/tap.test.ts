// Issue 4 §5: two namespaces on `tap` ports of one switch exchange ARP, ICMP and TCP, and once
// both ends are learned their unicast no longer reaches a third port (its counters prove it).
import { expect } from 'chai';
import { ip, linkMac, linkStats, ping, requireRoot } from '../../helpers/netns.js';
import { DpFixture, delta, iperfClient, type NsPort } from './fixture.js';

describe('dataplane e2e: tap ports, ARP/ICMP/TCP and learning', function () {
  this.timeout(60_000);
  let fx: DpFixture;
  let a: NsPort;
  let b: NsPort;
  let c: NsPort;

  before(async function () {
    requireRoot(this);
    fx = new DpFixture();
    await fx.addSwitch('sw');
    a = await fx.nsPort('pa', 'sw', ['192.0.2.1/24']);
    b = await fx.nsPort('pb', 'sw', ['192.0.2.2/24']);
    c = await fx.nsPort('pc', 'sw', ['192.0.2.3/24']);
  });
  after(async () => fx?.close());

  it('resolves ARP across the switch, and the request was flooded to the third port', async () => {
    const cBefore = fx.counters('pc');
    await fx.reachable(a.ns, '192.0.2.2');
    const neigh = await ip(['neigh', 'show', '192.0.2.2', 'dev', 'eth0'], a.ns);
    expect(neigh).to.contain(await linkMac('eth0', b.ns));
    // The ARP request was a broadcast: it reached pc too (so pc's counter is alive).
    expect(fx.counters('pc').txPackets - cBefore.txPackets).to.be.at.least(1);
  });

  it('carries ICMP echo both ways', async () => {
    for (const [from, to] of [[a.ns, '192.0.2.2'], [b.ns, '192.0.2.1'], [c.ns, '192.0.2.1']] as const) {
      const r = await ping(from, to, { count: 5, intervalS: 0.01 });
      expect(r.received, `${from} -> ${to}`).to.equal(5);
    }
  });

  it('carries TCP (iperf3): throughput above 0 and the bytes crossed the switch counters', async () => {
    await fx.iperfServer(b.ns, '192.0.2.2');
    const aBefore = fx.counters('pa');
    const bBefore = fx.counters('pb');
    const kBefore = await linkStats('eth0', b.ns);
    const res = await iperfClient(a.ns, '192.0.2.2', 2);
    expect(res.bitsPerSecond).to.be.above(0);
    expect(res.bytes).to.be.above(1_000_000);
    const da = delta(aBefore, fx.counters('pa'));
    const db = delta(bBefore, fx.counters('pb'));
    // Every payload byte entered at pa and left at pb (headers make the counters larger).
    expect(da.rxBytes).to.be.at.least(res.bytes);
    expect(db.txBytes).to.be.at.least(res.bytes);
    // Offloads: TCP segments crossed as GSO frames far above the 1,514-byte wire size.
    expect(db.txBytes / db.txPackets, 'mean bytes per frame at pb').to.be.above(4000);
    // ...and what left pb is what B's kernel received.
    const kAfter = await linkStats('eth0', b.ns);
    expect(kAfter.rxBytes - kBefore.rxBytes).to.be.at.least(db.txBytes * 0.99);
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
    expect(delta(bBefore, fx.counters('pb')).txPackets).to.be.at.least(50 + 100);
    expect(delta(cBefore, fx.counters('pc')).txPackets).to.equal(0);
  });
});
