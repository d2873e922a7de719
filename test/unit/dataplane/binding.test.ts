/**
 * The addon end to end without privileges: `dgram` ports on a switch, peers played by
 * DgramPeer. Proves forwarding, flooding, learning (a third port stops seeing unicast once both
 * ends are learned, by its counters), VLAN access/trunk handling, drops by cause, events, the
 * MAC table dump, typed errors, and hot removal.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dataplane, DataplaneError, type DataplaneEvent, type PortSpec, type VlanConfig } from '../../../src/dataplane/control.js';
import { DgramPeer } from '../../../src/dataplane/dgram-peer.js';
import { requireTool } from '../../helpers/require.js';

const MAC = { a: '02:00:00:00:00:0a', b: '02:00:00:00:00:0b', c: '02:00:00:00:00:0c', bc: 'ff:ff:ff:ff:ff:ff' };

function frame(dst: string, src: string, opts: { vlan?: number; len?: number } = {}): Buffer {
  const len = opts.len ?? 60;
  const f = Buffer.alloc(len);
  Buffer.from(dst.replace(/:/g, ''), 'hex').copy(f, 0);
  Buffer.from(src.replace(/:/g, ''), 'hex').copy(f, 6);
  let o = 12;
  if (opts.vlan !== undefined) (f.writeUInt16BE(0x8100, 12), f.writeUInt16BE(opts.vlan, 14), (o = 16));
  if (len >= o + 2) f.writeUInt16BE(0x0800, o);
  return f;
}

describe('dataplane addon with dgram ports', function () {
  this.timeout(20_000);
  let dir: string;
  let dp: Dataplane;
  const peers = new Map<string, DgramPeer>();
  const events: DataplaneEvent[] = [];

  const port = (name: string, vlan?: VlanConfig, sw = 's1'): PortSpec => ({
    name, kind: 'dgram', switch: sw, localPath: join(dir, `${name}.sw`), remotePath: join(dir, `${name}.peer`), vlan,
  });
  /** Sends from the peer of `from` into its port, waiting while the socket queue is full. */
  async function send(from: string, f: Buffer): Promise<void> {
    for (let tries = 0; ; tries++) {
      try {
        return peers.get(from)!.send(join(dir, `${from}.sw`), f);
      } catch (e) {
        if ((e as { code?: string }).code !== 'EAGAIN' || tries > 200) throw e;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }
  const flushAll = () => {
    for (const p of peers.values()) while (p.recv());
  };
  /** What the peer of `name` receives: waits (up to 3 s) for `want` frames, then `ms` more for extras. */
  async function drain(name: string, ms = 60, want = 0): Promise<Buffer[]> {
    const out: Buffer[] = [];
    const deadline = Date.now() + 3000;
    let end = Date.now() + ms;
    while (Date.now() < end || (out.length < want && Date.now() < deadline)) {
      const f = peers.get(name)!.recv();
      if (f) {
        out.push(f);
        if (out.length === want) end = Date.now() + ms;
      } else await new Promise((r) => setTimeout(r, 5));
    }
    return out;
  }
  /** Polls until `cond` holds (the forwarding threads run on their own time), up to 3 s. */
  async function until(what: string, cond: () => boolean): Promise<void> {
    const deadline = Date.now() + 3000;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  before(function () {
    if (!Dataplane.available()) throw new Error('the dataplane addon is not built (npm install builds it with node-gyp)');
    dir = mkdtempSync(join(tmpdir(), 'dp-bind-'));
    for (const n of ['a', 'b', 'c', 't', 'v']) peers.set(n, DgramPeer.open(join(dir, `${n}.peer`)));
    dp = Dataplane.open();
    dp.onEvents((ev) => events.push(...ev));
  });
  after(async () => {
    await dp?.close();
    for (const p of peers.values()) p.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('floods, then learns: the third port stops seeing unicast', async () => {
    await dp.apply({ switches: [{ name: 's1' }], ports: [port('a'), port('b'), port('c')] });
    await send('a', frame(MAC.bc, MAC.a));
    expect((await drain('b', 60, 1)).length).to.equal(1);
    expect((await drain('c', 20, 1)).length).to.equal(1);
    await send('b', frame(MAC.a, MAC.b)); // B now known; A already known: unicast to a only
    expect((await drain('a', 60, 1)).length).to.equal(1);
    const cBefore = dp.portCounters('c')!.txPackets;
    let toB = 0;
    let toA = 0;
    for (let i = 0; i < 20; i++) {
      // one at a time: a unix datagram queue holds only net.unix.max_dgram_qlen (often 10) frames
      await send('a', frame(MAC.b, MAC.a));
      if (await peers.get('b')!.recvWait()) toB++;
      await send('b', frame(MAC.a, MAC.b));
      if (await peers.get('a')!.recvWait()) toA++;
    }
    expect([toB, toA]).to.deep.equal([20, 20]);
    await drain('c', 50);
    expect(dp.portCounters('c')!.txPackets).to.equal(cBefore);
    const a = dp.portCounters('a')!;
    expect(a).to.include({ rxPackets: 21, rxBytes: 21 * 60, txPackets: 21, linkUp: true });
    expect(dp.switchCounters('s1')).to.include({ macEntries: 2, floods: 1 });
    const table = dp.macTable('s1').map((e) => `${e.mac}@${e.port}/${e.vlan}`).sort();
    expect(table).to.deep.equal([`${MAC.a}@a/1`, `${MAC.b}@b/1`]);
    const learned = events.filter((e) => e.type === 'mac-learned').map((e) => e.type === 'mac-learned' && `${e.mac}@${e.port}`);
    expect(learned).to.include.members([`${MAC.a}@a`, `${MAC.b}@b`]);
    expect(events.filter((e) => e.type === 'link' && e.up).length).to.be.greaterThanOrEqual(3);
  });

  it('counts runts, oversized frames and unicast back to the ingress port as drops', async () => {
    const before = dp.portCounters('a')!;
    await send('a', Buffer.alloc(10, 1));
    await send('a', frame(MAC.bc, MAC.a, { len: 1600 }));
    await send('a', frame(MAC.a, MAC.a));
    await until('three frames counted', () => dp.portCounters('a')!.rxPackets - before.rxPackets >= 3);
    const after = dp.portCounters('a')!;
    expect(after.malformed - before.malformed).to.equal(2);
    expect(after.noRoute - before.noRoute).to.equal(1);
    expect(after.rxPackets - before.rxPackets).to.equal(3);
  });

  const vlanCases: [string, string, Buffer, Record<string, string | null>][] = [
    // sender, frame, expected per receiver: hex of the VLAN tag it sees ('' = untagged), null = nothing
    ['access 10 -> access 10 and trunk (tagged 10)', 'a', frame(MAC.bc, MAC.a), { b: '', t: '8100000a', v: null }],
    ['access 20 -> only the trunk, untagged there as its native VLAN', 'v', frame(MAC.bc, MAC.c), { a: null, b: null, t: '' }],
    ['trunk tagged 10 -> access 10 untagged', 't', frame(MAC.bc, '02:00:00:00:00:77', { vlan: 10, len: 64 }), { a: '', b: '', v: null }],
    ['trunk untagged -> native VLAN 20', 't', frame(MAC.bc, '02:00:00:00:00:78'), { v: '', a: null }],
  ];

  it('keeps VLANs apart and tags frames as each port requires', async () => {
    await dp.apply({
      switches: [{ name: 's1' }],
      ports: [port('a', { mode: 'access', accessVlan: 10 }), port('b', { mode: 'access', accessVlan: 10 }),
        port('t', { mode: 'trunk', trunkVlans: [10, 20], nativeVlan: 20 }), port('v', { mode: 'access', accessVlan: 20 })],
    });
    flushAll();
    for (const [what, from, f, want] of vlanCases) {
      await send(from, f);
      // receivers that should get the frame first: once they have it, the flood is done
      for (const [to, tag] of Object.entries(want).sort(([, x], [, y]) => Number(x === null) - Number(y === null))) {
        const got = await drain(to, 80, tag === null ? 0 : 1);
        if (tag === null) expect(got.length, `${what}: ${to}`).to.equal(0);
        else {
          expect(got.length, `${what}: ${to}`).to.equal(1);
          expect(got[0].readUInt16BE(12) === 0x8100 ? got[0].subarray(12, 16).toString('hex') : '', `${what}: ${to}`).to.equal(tag);
        }
      }
    }
    const before = dp.portCounters('t')!.vlanFiltered;
    await send('t', frame(MAC.bc, MAC.c, { vlan: 30, len: 64 }));
    await send('a', frame(MAC.bc, MAC.a, { vlan: 20, len: 64 })); // tagged for another VLAN on an access port
    await until('VLAN drops counted', () => dp.portCounters('t')!.vlanFiltered - before >= 1 && dp.portCounters('a')!.vlanFiltered >= 1);
    expect(dp.portCounters('t')!.vlanFiltered - before).to.equal(1);
    expect(dp.portCounters('a')!.vlanFiltered).to.equal(1);
  });

  it('carries 9000-byte frames between ports with MTU 9000', async () => {
    await dp.apply({ switches: [{ name: 's1' }], ports: [{ ...port('a'), mtu: 9000 }, { ...port('b'), mtu: 9000 }] });
    flushAll();
    await send('a', frame(MAC.bc, MAC.a, { len: 9014 }));
    const got = await drain('b', 20, 1);
    expect(got.map((f) => f.length)).to.deep.equal([9014]);
    await send('a', frame(MAC.bc, MAC.a, { len: 9100 }));
    await until('oversized jumbo counted', () => dp.portCounters('a')!.malformed === 1);
  });

  it('removes a port under traffic without disturbing the others', async () => {
    await dp.apply({ switches: [{ name: 's1' }], ports: [port('a'), port('b')] });
    expect(dp.portCounters('c')).to.equal(undefined);
    expect(existsSync(join(dir, 'c.sw')), 'socket file of the removed port').to.equal(false);
    await send('a', frame(MAC.bc, MAC.a));
    expect((await drain('b', 60, 1)).length).to.equal(1);
  });

  const errors: [string, PortSpec, string][] = [
    ['host port on a missing interface', { name: 'h', kind: 'host', ifname: 'cs-nonexist0' }, 'DEVICE_NOT_FOUND'],
    ['dgram port on an unreachable path', { name: 'd', kind: 'dgram', localPath: '/nonexistent-dir/x.sock' }, 'DEVICE_NOT_FOUND'],
    ['bad VLAN', { name: 'd', kind: 'dgram', localPath: '/tmp/x', vlan: { mode: 'access', accessVlan: 5000 } }, 'INVALID_SPEC'],
  ];
  for (const [what, spec, code] of errors) {
    it(`fails typed and leaves state as it was: ${what}`, async () => {
      const before = dp.current;
      const err = await dp.apply({ switches: before.switches, ports: [...before.ports, spec] }).catch((e) => e);
      expect(err).to.be.instanceOf(DataplaneError);
      expect(err.code).to.equal(code);
      expect(dp.current).to.deep.equal(before);
      await send('a', frame(MAC.bc, MAC.a));
      expect((await drain('b', 60, 1)).length).to.equal(1);
    });
  }

  it('refuses more switches than the engine holds (LIMIT) and keeps the state', async () => {
    const before = dp.current;
    const many = Array.from({ length: 257 }, (_, i) => ({ name: `x${i}` }));
    const err = await dp.apply({ switches: [...before.switches, ...many], ports: before.ports }).catch((e) => e);
    expect(err).to.be.instanceOf(DataplaneError);
    expect(err.code).to.equal('LIMIT');
    expect(dp.current).to.deep.equal(before);
    await dp.apply({ switches: [...before.switches, ...many.slice(0, 200)], ports: before.ports });
    expect(dp.switchCounters('x199')).to.include({ rxPackets: 0 });
    await dp.apply(before);
    expect(dp.switchCounters('x0')).to.equal(undefined);
  });

  it('names the missing capability when a TAP cannot be created', function () {
    // Without CAP_NET_ADMIN (dropped from the bounding set, so even root lacks it after exec).
    const asRoot = process.getuid?.() === 0;
    if (asRoot) requireTool('setpriv', ['--version'], 'util-linux', true);
    const control = join(dirname(fileURLToPath(import.meta.url)), '../../../src/dataplane/control.ts');
    const script = `import { Dataplane } from ${JSON.stringify(control)};
      const dp = Dataplane.open();
      try { await dp.apply({ switches: [], ports: [{ name: 'v', kind: 'tap' }] }); console.log('{}'); }
      catch (e) { console.log(JSON.stringify({ code: e.code, capability: e.capability })); }
      finally { await dp.close(); }`;
    const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', script];
    const argv = asRoot ? ['setpriv', '--bounding-set', '-net_admin', '--inh-caps', '-net_admin', ...node] : node;
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 15_000 });
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout.trim())).to.deep.equal({ code: 'PERMISSION', capability: 'CAP_NET_ADMIN' });
  });

  it('lets the process exit without close(): the event function finalizer stops the threads', function () {
    const control = join(dirname(fileURLToPath(import.meta.url)), '../../../src/dataplane/control.ts');
    const sock = join(dir, 'exit.sw');
    const script = `import { Dataplane } from ${JSON.stringify(control)};
      const dp = Dataplane.open();
      dp.onEvents(() => {});
      await dp.apply({ switches: [{ name: 's' }], ports: [{ name: 'p', kind: 'dgram', switch: 's', localPath: ${JSON.stringify(sock)} }] });
      console.log('applied');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
    expect(r.signal, r.stderr).to.equal(null);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('applied');
  });

  it('ages learned entries out (1 s ageing) and reports them', async () => {
    await dp.apply({ switches: [{ name: 's1', agingSeconds: 1 }], ports: [port('a'), port('b')] });
    await send('a', frame(MAC.bc, MAC.a));
    await drain('b', 20, 1);
    expect(dp.switchCounters('s1')!.macEntries).to.equal(1);
    const end = Date.now() + 8000;
    while (dp.switchCounters('s1')!.macEntries > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(dp.switchCounters('s1')!.macEntries).to.equal(0);
    await until('mac-aged event', () => events.some((e) => e.type === 'mac-aged' && e.mac === MAC.a));
  });
});
