/**
 * The pure diff: current normalised state vs desired normalised state -> an ordered list of
 * actions. No I/O and no ids, so it is table-tested without the native addon. Ordering is what
 * makes one batch safe to apply: everything that goes away is torn down (statics, connections,
 * ports, switches) before anything new is built (switches, ports, connections, statics).
 * A port whose identity changes (kind, device, namespace, paths, MAC, MTU) is recreated; its
 * connection and VLANs are mutable in place.
 */
import type { NormalPort, NormalState, NormalSwitch } from './spec.js';
import type { VlanConfig } from './types.js';

export type Action =
  | { op: 'removeStatic'; switch: string; mac: string; vlan: number }
  | { op: 'disconnect'; port: string }
  | { op: 'deletePort'; port: string }
  | { op: 'deleteSwitch'; switch: string }
  | { op: 'createSwitch'; spec: NormalSwitch }
  | { op: 'updateSwitch'; spec: NormalSwitch }
  | { op: 'createPort'; spec: NormalPort }
  | { op: 'setVlan'; port: string; vlan: VlanConfig }
  | { op: 'connect'; port: string; switch: string }
  | { op: 'addStatic'; switch: string; mac: string; vlan: number; port: string };

const IDENTITY: (keyof NormalPort)[] = ['kind', 'mac', 'mtu', 'gsoMaxSize', 'ifname', 'netns', 'nsIfname', 'localPath', 'remotePath'];

export function sameVlan(a: VlanConfig, b: VlanConfig): boolean {
  if (a.mode === 'access' || b.mode === 'access')
    return a.mode === b.mode && (a as { accessVlan: number }).accessVlan === (b as { accessVlan: number }).accessVlan;
  return a.nativeVlan === b.nativeVlan && a.trunkVlans.length === b.trunkVlans.length && a.trunkVlans.every((v, i) => v === b.trunkVlans[i]);
}

function portIdentityChanged(a: NormalPort, b: NormalPort): boolean {
  return IDENTITY.some((k) => a[k] !== b[k]);
}

const staticKey = (m: { mac: string; vlan: number }): string => `${m.mac}/${m.vlan}`;

/** Computes the actions that turn `current` into `desired`. Both must come from normalizeState. */
export function diffState(current: NormalState, desired: NormalState): Action[] {
  const curSw = new Map(current.switches.map((s) => [s.name, s]));
  const desSw = new Map(desired.switches.map((s) => [s.name, s]));
  const curPort = new Map(current.ports.map((p) => [p.name, p]));
  const desPort = new Map(desired.ports.map((p) => [p.name, p]));

  const recreated = new Set<string>();
  for (const p of desired.ports) {
    const c = curPort.get(p.name);
    if (c && portIdentityChanged(c, p)) recreated.add(p.name);
  }
  const goneSwitches = new Set(current.switches.filter((s) => !desSw.has(s.name)).map((s) => s.name));
  const goneOrNewPort = (name: string): boolean => !desPort.has(name) || recreated.has(name);

  const teardown: Action[] = [];
  const build: Action[] = [];

  // Static entries of surviving switches that change, or whose port goes away or is rebuilt.
  for (const s of current.switches) {
    const d = desSw.get(s.name);
    if (!d) continue;
    const want = new Map(d.staticMacs.map((m) => [staticKey(m), m]));
    for (const m of s.staticMacs) {
      const w = want.get(staticKey(m));
      if (!w || w.port !== m.port || goneOrNewPort(m.port))
        teardown.push({ op: 'removeStatic', switch: s.name, mac: m.mac, vlan: m.vlan });
    }
  }
  // Connections that end: port leaves, is rebuilt, moves, or its switch goes.
  for (const c of current.ports) {
    if (c.switch === undefined) continue;
    const d = desPort.get(c.name);
    if (!d || recreated.has(c.name) || d.switch !== c.switch) teardown.push({ op: 'disconnect', port: c.name });
  }
  for (const c of current.ports) if (goneOrNewPort(c.name)) teardown.push({ op: 'deletePort', port: c.name });
  for (const name of goneSwitches) teardown.push({ op: 'deleteSwitch', switch: name });

  for (const d of desired.switches) {
    const c = curSw.get(d.name);
    if (!c) build.push({ op: 'createSwitch', spec: d });
    else if (c.macLimit !== d.macLimit || c.agingSeconds !== d.agingSeconds) build.push({ op: 'updateSwitch', spec: d });
  }
  for (const d of desired.ports) {
    const c = curPort.get(d.name);
    if (!c || recreated.has(d.name)) build.push({ op: 'createPort', spec: d });
    else if (!sameVlan(c.vlan, d.vlan)) build.push({ op: 'setVlan', port: d.name, vlan: d.vlan });
  }
  for (const d of desired.ports) {
    if (d.switch === undefined) continue;
    const c = curPort.get(d.name);
    if (!c || recreated.has(d.name) || c.switch !== d.switch) build.push({ op: 'connect', port: d.name, switch: d.switch });
  }
  for (const d of desired.switches) {
    const c = curSw.get(d.name);
    const had = new Map((c?.staticMacs ?? []).map((m) => [staticKey(m), m]));
    for (const m of d.staticMacs) {
      const h = had.get(staticKey(m));
      if (!h || h.port !== m.port || goneOrNewPort(m.port))
        build.push({ op: 'addStatic', switch: d.name, mac: m.mac, vlan: m.vlan, port: m.port });
    }
  }
  return [...teardown, ...build];
}
