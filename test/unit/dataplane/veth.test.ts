/**
 * The `veth` port kind without root: validation and canonical form, the diff (identity changes
 * recreate the pair, VLAN and connection change in place), the typed error when the pair cannot
 * be created for want of CAP_NET_ADMIN, and the shape of Dataplane.fastPath.
 * The pair itself (namespaces, traffic, the kernel fast path) is test/e2e/dataplane/veth.test.ts.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dataplane } from '../../../src/dataplane/control.js';
import { ipErrorCode } from '../../../src/dataplane/devices.js';
import { diffState } from '../../../src/dataplane/diff.js';
import { normalizeState } from '../../../src/dataplane/spec.js';
import { DataplaneError, type DesiredState, type PortSpec } from '../../../src/dataplane/types.js';
import { requireDataplane, requireTool } from '../../helpers/require.js';

const veth = (name: string, extra: Partial<PortSpec> = {}): PortSpec => ({ name, kind: 'veth', netns: 'ns1', ...extra });
const st = (ports: PortSpec[], switches: DesiredState['switches'] = [{ name: 's1' }]): DesiredState => ({ switches, ports });

function ops(cur: DesiredState, des: DesiredState): string[] {
  return diffState(normalizeState(cur), normalizeState(des)).map((a) => {
    if (a.op === 'createPort') return `${a.op}:${a.spec.name}`;
    if (a.op === 'connect') return `${a.op}:${a.port}>${a.switch}`;
    if ('port' in a) return `${a.op}:${a.port}`;
    return a.op;
  });
}

function rejects(des: DesiredState): DataplaneError {
  let err: unknown;
  try {
    normalizeState(des);
  } catch (e) {
    err = e;
  }
  expect(err).to.be.instanceOf(DataplaneError);
  expect((err as DataplaneError).code).to.equal('INVALID_SPEC');
  return err as DataplaneError;
}

describe('dataplane veth ports: validation', () => {
  it('accepts a veth into a namespace and keeps only what was given (MAC canonical)', () => {
    const n = normalizeState(st([veth('a', { switch: 's1', nsIfname: 'eth0', mac: '02-00-00-00-00-AA', mtu: 9000, ifname: 'cs-a' })]));
    expect(n.ports[0]).to.deep.equal({
      name: 'a',
      kind: 'veth',
      switch: 's1',
      mac: '02:00:00:00:00:aa',
      mtu: 9000,
      ifname: 'cs-a',
      netns: 'ns1',
      nsIfname: 'eth0',
      vlan: { mode: 'access', accessVlan: 1 },
    });
  });

  it('accepts a veth whose other end stays in the host namespace, named by nsIfname', () => {
    const n = normalizeState(st([{ name: 'h', kind: 'veth', nsIfname: 'cs-peer' }]));
    expect(n.ports[0]).to.include({ kind: 'veth', nsIfname: 'cs-peer' });
    expect(n.ports[0]!.netns).to.equal(undefined);
  });

  const bad: [string, DesiredState, string][] = [
    ['no netns and no nsIfname', st([{ name: 'h', kind: 'veth' }]), 'needs nsIfname'],
    ['both ends one name in the host namespace', st([{ name: 'h', kind: 'veth', ifname: 'x0', nsIfname: 'x0' }]), 'both ends of the veth are named x0'],
    ['bad nsIfname', st([veth('a', { nsIfname: 'a-name-far-too-long' })]), 'bad interface name'],
    ['bad namespace name', st([veth('a', { netns: 'no/slash' })]), 'bad namespace name'],
    ['localPath on a veth', st([veth('a', { localPath: '/tmp/x' })]), 'apply to dgram ports only'],
    ['host end named like a TAP', st([veth('a', { ifname: 't0' }), { name: 'b', kind: 'tap', ifname: 't0' }]), 'device name t0 given twice'],
    ['other end in the host namespace named like a TAP', st([{ name: 'a', kind: 'veth', nsIfname: 't0' }, { name: 'b', kind: 'internal', ifname: 't0' }]), 'device name t0 given twice'],
    ['two veths, one name in one namespace', st([veth('a', { nsIfname: 'eth0' }), veth('b', { nsIfname: 'eth0' })]), 'device eth0 in namespace ns1 given twice'],
    ['a veth and a tap, one name in one namespace', st([veth('a', { nsIfname: 'eth0' }), { name: 'b', kind: 'tap', netns: 'ns1', nsIfname: 'eth0' }]), 'device eth0 in namespace ns1 given twice'],
  ];
  for (const [what, des, msg] of bad) {
    it(`rejects: ${what}`, () => {
      expect(rejects(des).message).to.contain(msg);
    });
  }

  it('allows one inner name in different namespaces', () => {
    expect(() => normalizeState(st([veth('a', { nsIfname: 'eth0' }), veth('b', { netns: 'ns2', nsIfname: 'eth0' })]))).not.to.throw();
  });
});

describe('dataplane veth ports: diff', () => {
  const base = veth('a', { switch: 's1', nsIfname: 'eth0' });
  const recreate = ['disconnect:a', 'deletePort:a', 'createPort:a', 'connect:a>s1'];
  const cases: [string, Partial<PortSpec>, string[]][] = [
    ['new MAC recreates the pair', { mac: '02:00:00:00:00:01' }, recreate],
    ['new MTU recreates', { mtu: 9000 }, recreate],
    ['new host-end name recreates', { ifname: 'cs-x' }, recreate],
    ['new namespace recreates', { netns: 'ns2' }, recreate],
    ['new inner name recreates', { nsIfname: 'eth1' }, recreate],
    ['to the host namespace recreates', { netns: undefined, nsIfname: 'cs-peer' }, recreate],
    ['VLAN changes in place', { vlan: { mode: 'access', accessVlan: 10 } }, ['setVlan:a']],
    ['trunk changes in place', { vlan: { mode: 'trunk', trunkVlans: [10, 20] } }, ['setVlan:a']],
  ];
  for (const [what, change, want] of cases) {
    it(what, () => {
      expect(ops(st([base]), st([{ ...base, ...change }]))).to.deep.equal(want);
    });
  }

  it('same MAC in another spelling changes nothing', () => {
    const a = { ...base, mac: '02:00:00:00:00:01' };
    expect(ops(st([a]), st([{ ...a, mac: '02-00-00-00-00-01' }]))).to.deep.equal([]);
  });

  it('moving to another switch keeps the pair', () => {
    const two = [{ name: 's1' }, { name: 's2' }];
    expect(ops(st([base], two), st([{ ...base, switch: 's2' }], two))).to.deep.equal(['disconnect:a', 'connect:a>s2']);
  });

  it('tap to veth (same namespace and name) recreates the port', () => {
    const tap: PortSpec = { name: 'a', kind: 'tap', switch: 's1', netns: 'ns1', nsIfname: 'eth0' };
    expect(ops(st([tap]), st([base]))).to.deep.equal(recreate);
  });
});

describe('dataplane veth ports: errors from ip', () => {
  const table: [string, string][] = [
    ['RTNETLINK answers: Operation not permitted', 'PERMISSION'],
    ['RTNETLINK answers: File exists', 'DEVICE_BUSY'],
    ['Error: argument "nope" is wrong: Invalid "netns" value', 'NAMESPACE'],
    ['Cannot open network namespace "nope": No such file or directory', 'NAMESPACE'],
    ['Cannot find device "cs0"', 'DEVICE_NOT_FOUND'],
    ['RTNETLINK answers: Numerical result out of range', 'SYSTEM'],
  ];
  for (const [stderr, code] of table) {
    it(`${stderr} -> ${code}`, () => {
      expect(ipErrorCode(stderr, 'SYSTEM')).to.equal(code);
    });
  }
});

describe('dataplane veth ports: addon', function () {
  before(() => requireDataplane());

  it('reports the kernel fast path as a typed state (active, or the errno that keeps it off)', async () => {
    const dp = Dataplane.open();
    try {
      const f = dp.fastPath;
      expect(f.active).to.be.a('boolean');
      if (f.active) expect(f.errno).to.equal(undefined);
      else expect(f.errno).to.match(/^E[A-Z0-9]+$/);
    } finally {
      await dp.close();
    }
    let err: unknown;
    try {
      void dp.fastPath;
    } catch (e) {
      err = e;
    }
    expect((err as DataplaneError).code).to.equal('CLOSED');
  });

  it('names the missing capability when the pair cannot be created, and leaves nothing behind', function () {
    // Without CAP_NET_ADMIN (dropped from the bounding set, so even root lacks it after exec).
    const asRoot = process.getuid?.() === 0;
    if (asRoot) requireTool('setpriv', ['--version'], 'util-linux', true);
    const control = join(dirname(fileURLToPath(import.meta.url)), '../../../src/dataplane/control.ts');
    const peer = `csu${process.pid.toString(36)}p`;
    const script = `import { Dataplane } from ${JSON.stringify(control)};
      const dp = Dataplane.open({ ifnamePrefix: 'csu' });
      try { await dp.apply({ switches: [], ports: [{ name: 'v', kind: 'veth', nsIfname: ${JSON.stringify(peer)} }] }); console.log('{}'); }
      catch (e) { console.log(JSON.stringify({ code: e.code, capability: e.capability })); }
      finally { await dp.close(); }`;
    const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', script];
    const argv = asRoot ? ['setpriv', '--bounding-set', '-net_admin', '--inh-caps', '-net_admin', ...node] : node;
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 15_000 });
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout.trim())).to.deep.equal({ code: 'PERMISSION', capability: 'CAP_NET_ADMIN' });
    expect(spawnSync('ip', ['link', 'show', 'dev', peer]).status, `${peer} left behind`).not.to.equal(0);
  });
});
