// The namespace toolkit itself: address guard, veth plumbing, background processes, waiting and
// teardown. The dataplane tests build on it, so a broken helper should fail here first.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import {
  NetScope,
  assertTestAddress,
  ip,
  linkExists,
  linkMac,
  linkStats,
  ping,
  requireRoot,
  run,
  waitFor,
} from '../../helpers/netns.js';

describe('test/helpers/netns', function () {
  const addrCases: [string, boolean][] = [
    ['192.0.2.1/24', true],
    ['192.0.2.255', true],
    ['198.51.100.7/32', true],
    ['203.0.113.1/24', false],
    ['10.0.0.1/24', false],
    ['192.0.3.1/24', false],
    ['192.0.2.1/16', false],
    ['192.0.2.300/24', false],
    ['not-an-address', false],
  ];
  for (const [addr, ok] of addrCases) {
    it(`assertTestAddress(${addr}) ${ok ? 'accepts' : 'rejects'}`, () => {
      if (ok) expect(() => assertTestAddress(addr)).not.to.throw();
      else expect(() => assertTestAddress(addr)).to.throw(/outside 192\.0\.2\.0\/24/);
    });
  }

  it('waitFor returns the first truthy value and times out with the reason', async () => {
    let n = 0;
    expect(await waitFor('n to reach 3', () => (++n >= 3 ? n : 0), { intervalMs: 1 })).to.equal(3);
    const err = await waitFor('never', () => false, { timeoutMs: 30, intervalMs: 5 }).catch((e: Error) => e);
    expect(String(err)).to.match(/timed out after 30 ms waiting for never/);
  });

  describe('with namespaces', function () {
    before(function () {
      requireRoot(this);
    });

    it('connects two namespaces by veth, runs processes in them and tears everything down', async () => {
      const scope = new NetScope();
      let nsA = '';
      let nsB = '';
      try {
        nsA = await scope.netns();
        nsB = await scope.netns();
        expect(nsA).to.match(new RegExp(`^csw-t-${process.pid}-\\d+$`));
        const [a, b] = [scope.ifname('a'), scope.ifname('b')];
        await scope.veth(a, b, nsA, nsB);
        await scope.addr(a, '192.0.2.1/24', nsA);
        await scope.addr(b, '192.0.2.2/24', nsB);
        expect(await linkMac(a, nsA)).to.match(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
        const res = await ping(nsA, '192.0.2.2', { count: 3, intervalS: 0.01 });
        expect(res.received).to.equal(3);
        expect(res.rttsUs).to.have.length(3);
        expect((await linkStats(b, nsB)).rxPackets).to.be.at.least(3);
        const srv = scope.spawn('iperf3', ['-s', '-B', '192.0.2.2'], { ns: nsB });
        await waitFor('iperf3 to listen', async () => (await run('ss', ['-ltn'], { ns: nsB })).stdout.includes(':5201'));
        expect(srv.pid).to.be.above(0);
        expect(await ip(['-br', 'addr'], nsA)).to.contain('192.0.2.1/24');
      } finally {
        await scope.cleanup();
      }
      const list = await ip(['netns', 'list']);
      expect(list).not.to.contain(nsA);
      expect(list).not.to.contain(nsB);
    });

    it('deletes host-side links it created', async () => {
      const scope = new NetScope();
      const [a, b] = [scope.ifname('h'), scope.ifname('p')];
      try {
        await scope.veth(a, b);
        expect(await linkExists(a)).to.equal(true);
      } finally {
        await scope.cleanup();
      }
      expect(await linkExists(a)).to.equal(false);
      expect(existsSync(`/sys/class/net/${b}`)).to.equal(false);
    });
  });
});
