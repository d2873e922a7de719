// Issue 4 §5, the other port kinds, each against a namespace on a `tap` port:
//  - `host`: AF_PACKET on one end of a veth pair whose other end sits in a namespace that plays
//    the physical network;
//  - `internal`: a TAP left in the host namespace, given an address in 198.51.100.0/24 for the
//    test only (removed after), reaches a namespace on the switch;
//  - `dgram`: a unix datagram peer written for the test (dgram-peer.py) answers ARP and ICMP.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ip, ping, requireRoot, run, waitFor } from '../../helpers/netns.js';
import { DpFixture, delta, iperfClient } from './fixture.js';

const here = dirname(fileURLToPath(import.meta.url));

async function disableIpv6(dev: string): Promise<void> {
  await run('sysctl', ['-q', '-w', `net.ipv6.conf.${dev}.disable_ipv6=1`], { check: false });
}

describe('dataplane e2e: host, internal and dgram ports', function () {
  this.timeout(60_000);
  let fx: DpFixture;

  before(function () {
    requireRoot(this);
    fx = new DpFixture();
  });
  after(async () => fx?.close());

  it('host port: a veth into a "physical network" namespace carries ICMP and TCP', async () => {
    await fx.addSwitch('swh');
    const phys = await fx.scope.netns();
    const [hostEnd, physEnd] = [fx.scope.ifname('h'), fx.scope.ifname('p')];
    await fx.scope.veth(hostEnd, physEnd, undefined, phys);
    await disableIpv6(hostEnd);
    await ip(['link', 'set', 'dev', hostEnd, 'up']);
    await fx.scope.addr(physEnd, '192.0.2.10/24', phys);
    await fx.addPort({ name: 'uplink', kind: 'host', switch: 'swh', ifname: hostEnd });
    const vm = await fx.nsPort('vm1', 'swh', ['192.0.2.1/24']);
    await fx.reachable(vm.ns, '192.0.2.10');
    expect((await ping(phys, '192.0.2.1', { count: 5, intervalS: 0.01 })).received).to.equal(5);
    await fx.iperfServer(phys, '192.0.2.10');
    const before = fx.counters('uplink');
    const res = await iperfClient(vm.ns, '192.0.2.10', 1);
    expect(res.bitsPerSecond).to.be.above(0);
    expect(delta(before, fx.counters('uplink')).txBytes).to.be.at.least(res.bytes);
  });

  it('internal port: the host namespace reaches a namespace on the switch', async () => {
    // A /30 chosen by pid, so concurrent runs on one machine do not share a host route.
    const base = 4 * (process.pid % 64);
    const [hostIp, vmIp] = [`198.51.100.${base + 1}`, `198.51.100.${base + 2}`];
    await fx.addSwitch('swi');
    await fx.addPort({ name: 'host-nic', kind: 'internal', switch: 'swi' });
    const dev = fx.dp.deviceName('host-nic');
    expect(dev, 'internal port device name').to.be.a('string');
    await disableIpv6(dev!);
    const vm = await fx.nsPort('vm2', 'swi', [`${vmIp}/30`]);
    await fx.scope.addr(dev!, `${hostIp}/30`);
    try {
      const before = fx.counters('host-nic');
      await waitFor(`host to reach ${vmIp}`, async () => (await ping(undefined, vmIp, { count: 1 })).received === 1);
      const r = await ping(undefined, vmIp, { count: 5, intervalS: 0.01 });
      expect(r.received).to.equal(5);
      expect(delta(before, fx.counters('host-nic')).rxPackets).to.be.at.least(5);
      expect((await ping(vm.ns, hostIp, { count: 3, intervalS: 0.01 })).received).to.equal(3);
    } finally {
      await run('ip', ['addr', 'del', `${hostIp}/30`, 'dev', dev!], { check: false });
    }
  });

  it('dgram port: a unix-datagram peer answers ARP and ICMP from a tap namespace', async () => {
    await fx.addSwitch('swd');
    const dir = mkdtempSync(join(tmpdir(), 'csw-dgram-'));
    fx.scope.defer(() => rmSync(dir, { recursive: true, force: true }), () => rmSync(dir, { recursive: true, force: true }));
    const [switchPath, peerPath] = [join(dir, 'switch.sock'), join(dir, 'peer.sock')];
    const peer = fx.scope.spawn('python3', [join(here, 'dgram-peer.py'), peerPath, switchPath, '02:00:00:00:00:99', '192.0.2.99']);
    await waitFor('dgram peer to bind', () => peer.output().includes('ready'));
    await fx.addPort({ name: 'qemu', kind: 'dgram', switch: 'swd', localPath: switchPath, remotePath: peerPath });
    const vm = await fx.nsPort('vm3', 'swd', ['192.0.2.1/24']);
    const before = fx.counters('qemu');
    const r = await ping(vm.ns, '192.0.2.99', { count: 3, intervalS: 0.05, waitS: 2 });
    expect(r.received, `peer said: ${peer.output()}`).to.equal(3);
    expect(peer.output()).to.contain('arp-reply').and.to.contain('icmp-reply');
    const d = delta(before, fx.counters('qemu'));
    expect(d.txPackets).to.be.at.least(4); // ARP request + 3 echo requests
    expect(d.rxPackets).to.be.at.least(4); // ARP reply + 3 echo replies
  });
});
