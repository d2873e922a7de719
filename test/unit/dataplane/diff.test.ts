/**
 * The pure side of the dataplane: desired-state validation/normalisation and the diff that
 * turns current into desired. Tables of (description, current, desired, expected actions).
 */
import { expect } from 'chai';
import { diffState } from '../../../src/dataplane/diff.js';
import { normalizeState } from '../../../src/dataplane/spec.js';
import { replayTeardown } from '../../../src/dataplane/control.js';
import { DataplaneError, type DesiredState, type PortSpec } from '../../../src/dataplane/types.js';

const sw = (name: string, extra: object = {}) => ({ name, ...extra });
const dg = (name: string, extra: Partial<PortSpec> = {}): PortSpec => ({ name, kind: 'dgram', localPath: `/tmp/${name}`, ...extra });
const st = (switches: DesiredState['switches'], ports: PortSpec[] = []): DesiredState => ({ switches, ports });
const E = st([]);

/** Actions reduced to "op:subject" strings so tables stay readable. */
function ops(cur: DesiredState, des: DesiredState): string[] {
  return diffState(normalizeState(cur), normalizeState(des)).map((a) => {
    switch (a.op) {
      case 'createSwitch':
      case 'updateSwitch':
        return `${a.op}:${a.spec.name}`;
      case 'createPort':
        return `${a.op}:${a.spec.name}`;
      case 'deleteSwitch':
        return `${a.op}:${a.switch}`;
      case 'connect':
        return `${a.op}:${a.port}>${a.switch}`;
      case 'removeStatic':
        return `${a.op}:${a.switch}/${a.mac}/${a.vlan}`;
      case 'addStatic':
        return `${a.op}:${a.switch}/${a.mac}/${a.vlan}>${a.port}`;
      default:
        return `${a.op}:${a.port}`;
    }
  });
}

const MAC = '02:00:00:00:00:aa';
const S1 = st([sw('s1')], [dg('a', { switch: 's1' }), dg('b', { switch: 's1' })]);

const cases: [string, DesiredState, DesiredState, string[]][] = [
  ['nothing to nothing', E, E, []],
  ['same state twice', S1, S1, []],
  ['new switch', E, st([sw('s1')]), ['createSwitch:s1']],
  ['new connected port', st([sw('s1')]), st([sw('s1')], [dg('a', { switch: 's1' })]), ['createPort:a', 'connect:a>s1']],
  ['new disconnected port', E, st([], [dg('a')]), ['createPort:a']],
  ['everything away', S1, E, ['disconnect:a', 'disconnect:b', 'deletePort:a', 'deletePort:b', 'deleteSwitch:s1']],
  ['port moves switch', st([sw('s1'), sw('s2')], [dg('a', { switch: 's1' })]), st([sw('s1'), sw('s2')], [dg('a', { switch: 's2' })]), ['disconnect:a', 'connect:a>s2']],
  ['port disconnects', S1, st([sw('s1')], [dg('a'), dg('b', { switch: 's1' })]), ['disconnect:a']],
  ['vlan change is in place', S1, st([sw('s1')], [dg('a', { switch: 's1', vlan: { mode: 'access', accessVlan: 10 } }), dg('b', { switch: 's1' })]), ['setVlan:a']],
  ['default vlan equals explicit access 1', S1, st([sw('s1')], [dg('a', { switch: 's1', vlan: { mode: 'access', accessVlan: 1 } }), dg('b', { switch: 's1' })]), []],
  ['trunk list order does not matter', st([], [dg('a', { vlan: { mode: 'trunk', trunkVlans: [20, 10] } })]), st([], [dg('a', { vlan: { mode: 'trunk', trunkVlans: [10, 20, 10] } })]), []],
  ['native vlan change', st([], [dg('a', { vlan: { mode: 'trunk', trunkVlans: [10] } })]), st([], [dg('a', { vlan: { mode: 'trunk', trunkVlans: [10], nativeVlan: 5 } })]), ['setVlan:a']],
  ['identity change recreates', S1, st([sw('s1')], [dg('a', { switch: 's1', remotePath: '/tmp/peer' }), dg('b', { switch: 's1' })]), ['disconnect:a', 'deletePort:a', 'createPort:a', 'connect:a>s1']],
  ['jumbo MTU on a dgram port recreates it', st([], [dg('a')]), st([], [dg('a', { mtu: 9000 })]), ['deletePort:a', 'createPort:a']],
  ['kind change recreates', st([], [dg('a')]), st([], [{ name: 'a', kind: 'internal' }]), ['deletePort:a', 'createPort:a']],
  ['switch options update', st([sw('s1')]), st([sw('s1', { macLimit: 16 })]), ['updateSwitch:s1']],
  ['default options equal explicit ones', st([sw('s1')]), st([sw('s1', { macLimit: 8192, agingSeconds: 300 })]), []],
  ['switch goes, its port stays', S1, st([], [dg('a'), dg('b')]), ['disconnect:a', 'disconnect:b', 'deleteSwitch:s1']],
  ['static added', S1, st([sw('s1', { staticMacs: [{ mac: MAC, vlan: 1, port: 'a' }] })], S1.ports), [`addStatic:s1/${MAC}/1>a`]],
  ['static MAC spelled differently is the same', st([sw('s1', { staticMacs: [{ mac: MAC, vlan: 1, port: 'a' }] })], S1.ports), st([sw('s1', { staticMacs: [{ mac: '02-00-00-00-00-AA', vlan: 1, port: 'a' }] })], S1.ports), []],
  ['static moves port', st([sw('s1', { staticMacs: [{ mac: MAC, vlan: 1, port: 'a' }] })], S1.ports), st([sw('s1', { staticMacs: [{ mac: MAC, vlan: 1, port: 'b' }] })], S1.ports), [`removeStatic:s1/${MAC}/1`, `addStatic:s1/${MAC}/1>b`]],
  ['static removed', st([sw('s1', { staticMacs: [{ mac: MAC, vlan: 1, port: 'a' }] })], S1.ports), S1, [`removeStatic:s1/${MAC}/1`]],
  ['static survives its port being rebuilt', st([sw('s1', { staticMacs: [{ mac: MAC, vlan: 1, port: 'a' }] })], S1.ports), st([sw('s1', { staticMacs: [{ mac: MAC, vlan: 1, port: 'a' }] })], [dg('a', { switch: 's1', remotePath: '/x' }), dg('b', { switch: 's1' })]), [`removeStatic:s1/${MAC}/1`, 'disconnect:a', 'deletePort:a', 'createPort:a', 'connect:a>s1', `addStatic:s1/${MAC}/1>a`]],
];

const bad: [string, DesiredState, string][] = [
  ['no lists', {} as DesiredState, 'switches[] and ports[]'],
  ['duplicate switch', st([sw('s'), sw('s')]), 'switch s given twice'],
  ['duplicate port', st([], [dg('a'), dg('a', { localPath: '/tmp/other' })]), 'port a given twice'],
  ['unknown switch', st([], [dg('a', { switch: 'x' })]), 'unknown switch x'],
  ['bad kind', st([], [{ name: 'a', kind: 'macvtap' as never }]), 'unknown kind'],
  ['vlan 0', st([], [dg('a', { vlan: { mode: 'access', accessVlan: 0 } })]), 'VLAN id 1..4094'],
  ['vlan 4095 in trunk', st([], [dg('a', { vlan: { mode: 'trunk', trunkVlans: [4095] } })]), 'VLAN id 1..4094'],
  ['mtu too big', st([], [{ name: 't', kind: 'tap', mtu: 9001 }]), 'mtu must be'],
  ['host without ifname', st([], [{ name: 'h', kind: 'host' }]), 'needs ifname'],
  ['dgram without path', st([], [{ name: 'd', kind: 'dgram' }]), 'needs localPath'],
  ['netns on internal', st([], [{ name: 'i', kind: 'internal', netns: 'n' }]), 'netns applies to tap'],
  ['nsIfname without netns', st([], [{ name: 't', kind: 'tap', nsIfname: 'eth0' }]), 'needs netns'],
  ['long ifname', st([], [{ name: 't', kind: 'tap', ifname: 'a-very-long-interface' }]), 'bad interface name'],
  ['bad mac', st([], [{ name: 't', kind: 'tap', mac: '02:00:00:00:00' }]), 'bad MAC'],
  ['mac on dgram', st([], [dg('a', { mac: MAC })]), 'mac applies to tap/internal'],
  ['macLimit 0', st([sw('s', { macLimit: 0 })]), 'macLimit must be'],
  ['aging 0', st([sw('s', { agingSeconds: 0 })]), 'agingSeconds must be'],
  ['multicast static', st([sw('s1', { staticMacs: [{ mac: '01:00:5e:00:00:01', vlan: 1, port: 'a' }] })], [dg('a', { switch: 's1' })]), 'is multicast'],
  ['static on a port elsewhere', st([sw('s1', { staticMacs: [{ mac: MAC, vlan: 1, port: 'a' }] })], [dg('a')]), 'not connected to it'],
  ['same socket path twice', st([], [dg('a'), dg('b', { localPath: '/tmp/a' })]), 'localPath /tmp/a given twice'],
  ['same device name twice', st([], [{ name: 'a', kind: 'tap', ifname: 't0' }, { name: 'b', kind: 'internal', ifname: 't0' }]), 'device name t0 given twice'],
];

describe('dataplane diff', () => {
  for (const [what, cur, des, want] of cases) {
    it(what, () => {
      expect(ops(cur, des)).to.deep.equal(want);
    });
  }

  it('teardown replay then build reaches desired: diff of the result to desired is empty', () => {
    for (const [, cur, des] of cases) {
      const c = normalizeState(cur);
      const d = normalizeState(des);
      const actions = diffState(c, d);
      const mid = replayTeardown(c, actions);
      // What survives teardown is a subset of desired: a second diff only builds.
      expect(diffState(mid, d).every((a) => !['removeStatic', 'disconnect', 'deletePort', 'deleteSwitch'].includes(a.op))).to.equal(true);
    }
  });
});

describe('dataplane desired-state validation', () => {
  for (const [what, des, msg] of bad) {
    it(`rejects: ${what}`, () => {
      let err: unknown;
      try {
        normalizeState(des);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(DataplaneError);
      expect((err as DataplaneError).code).to.equal('INVALID_SPEC');
      expect((err as DataplaneError).message).to.contain(msg);
    });
  }
});
