// Issue 4 §5: access ports in VLAN 10 and 20 cannot talk; a trunk port carries both, tagged.
// This kernel has no 8021q driver, so the trunk's namespace speaks 802.1Q itself through
// vlan-probe.py (AF_PACKET): it sends tagged ARP requests and reports the tag on each reply.
// A (VLAN 10) and C (VLAN 20) even share a subnet: only the VLAN keeps them apart.
import { expect } from 'chai';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ping, requireRoot, run } from '../../helpers/netns.js';
import { DpFixture, delta, type NsPort } from './fixture.js';

const here = dirname(fileURLToPath(import.meta.url));

interface Probe {
  vid: number;
  target: string;
  replied: boolean;
  tag: number | null;
}

describe('dataplane e2e: VLAN isolation and trunks', function () {
  this.timeout(60_000);
  let fx: DpFixture;
  let a10: NsPort;
  let b10: NsPort;
  let c20: NsPort;
  let t: NsPort;

  before(async function () {
    requireRoot(this);
    fx = new DpFixture();
    await fx.addSwitch('sw');
    a10 = await fx.nsPort('a10', 'sw', ['192.0.2.1/24'], { mode: 'access', accessVlan: 10 });
    b10 = await fx.nsPort('b10', 'sw', ['192.0.2.2/24'], { mode: 'access', accessVlan: 10 });
    c20 = await fx.nsPort('c20', 'sw', ['192.0.2.3/24'], { mode: 'access', accessVlan: 20 });
    t = await fx.nsPort('trunk', 'sw', [], { mode: 'trunk', trunkVlans: [10, 20] });
  });
  after(async () => fx?.close());

  it('connects access ports of the same VLAN', async () => {
    await fx.reachable(a10.ns, '192.0.2.2');
    expect((await ping(b10.ns, '192.0.2.1', { count: 3, intervalS: 0.01 })).received).to.equal(3);
  });

  it('keeps VLAN 10 and VLAN 20 apart: nothing from A reaches C, either way', async () => {
    const before = fx.counters('c20');
    const r = await ping(a10.ns, '192.0.2.3', { count: 3, intervalS: 0.05, waitS: 1 });
    expect(r.received).to.equal(0);
    expect(delta(before, fx.counters('c20')).txPackets).to.equal(0);
    const back = await ping(c20.ns, '192.0.2.1', { count: 3, intervalS: 0.05, waitS: 1 });
    expect(back.received).to.equal(0);
  });

  it('carries VLANs 10 and 20 tagged on the trunk, and drops a VLAN it does not allow', async () => {
    // [vid the trunk side sends, target, expected reply tag or null for no reply]
    const cases: [number, string, number | null][] = [
      [10, '192.0.2.1', 10],
      [10, '192.0.2.2', 10],
      [20, '192.0.2.3', 20],
      [20, '192.0.2.1', null], // A is in VLAN 10
      [30, '192.0.2.1', null], // VLAN 30 is not allowed on the trunk
    ];
    const before = fx.counters('trunk');
    const args = [join(here, 'vlan-probe.py'), 'eth0', '02:00:00:00:01:01', '192.0.2.200'];
    const r = await run('python3', [...args, ...cases.map(([vid, ip]) => `${vid}:${ip}`)], { ns: t.ns });
    const probes = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Probe);
    expect(probes.map((p) => [p.vid, p.target, p.replied ? p.tag : null])).to.deep.equal(cases);
    const d = delta(before, fx.counters('trunk'));
    expect(d.vlanFiltered, 'VLAN 30 frames counted as filtered').to.be.at.least(1);
    expect(d.txPackets, 'replies left the trunk').to.be.at.least(3);
  });
});
