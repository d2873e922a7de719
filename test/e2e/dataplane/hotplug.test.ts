// Issue 4 §3/§5: removing a port under load leaves the other ports forwarding. Two iperf3 flows
// (A->B and C->D) run through one switch; once both are moving, port C is removed. A->B must
// keep moving bytes in every one-second interval, and D must still reach A afterwards.
import { expect } from 'chai';
import { linkExists, ping, requireRoot, waitFor } from '../../helpers/netns.js';
import { DpFixture, iperfClient, type NsPort } from './fixture.js';

describe('dataplane e2e: removing a port under load', function () {
  this.timeout(60_000);
  let fx: DpFixture;
  const ns: Record<string, NsPort> = {};

  before(async function () {
    requireRoot(this);
    fx = new DpFixture();
    await fx.addSwitch('sw');
    for (const [i, p] of ['a', 'b', 'c', 'd'].entries()) ns[p] = await fx.nsPort(`p${p}`, 'sw', [`192.0.2.${i + 1}/24`]);
    await fx.reachable(ns.a!.ns, '192.0.2.2');
    await fx.reachable(ns.c!.ns, '192.0.2.4');
  });
  after(async () => fx?.close());

  it('keeps A->B and D flowing while the loaded port C is removed', async () => {
    await fx.iperfServer(ns.b!.ns, '192.0.2.2');
    await fx.iperfServer(ns.d!.ns, '192.0.2.4');
    const b0 = fx.counters('pb').txBytes;
    const d0 = fx.counters('pd').txBytes;
    const ab = iperfClient(ns.a!.ns, '192.0.2.2', 3);
    // C's flow dies with its port; it runs in the background and is stopped once A->B is done.
    const cd = fx.scope.spawn('iperf3', ['-c', '192.0.2.4', '-t', '3'], { ns: ns.c!.ns });
    await waitFor('both flows to move 10 MB', () => fx.counters('pb').txBytes > b0 + 10e6 && fx.counters('pd').txBytes > d0 + 10e6);
    await fx.removePort('pc');
    expect(fx.dp.portCounters('pc')).to.equal(undefined);
    expect(await linkExists('eth0', ns.c!.ns)).to.equal(false);
    const res = await ab;
    expect(res.intervals.length).to.be.at.least(3);
    res.intervals.forEach((bytes, i) => expect(bytes, `A->B bytes in second ${i + 1}`).to.be.above(0));
    await cd.stop();
    const d1 = fx.counters('pd').txPackets;
    expect((await ping(ns.d!.ns, '192.0.2.1', { count: 5, intervalS: 0.01 })).received).to.equal(5);
    expect(fx.counters('pd').txPackets - d1).to.be.at.least(5);
  });
});
