/**
 * The domain state as one plain value, and the views derived from it (LAN endpoints, active
 * connections, port lookups). Operations (rules-*.ts) mutate a copy and the network commits it
 * only after it is realized and stored, so a failed step never shows half a change.
 * Names of switches, ports and internal ports are unique case-insensitively: maps are keyed by
 * the lower-cased name and the objects keep the case they were given.
 */
import { ZERO_MAC } from './mac.js';
import { parsePortRef } from './paths.js';
import { VmState, type ActiveConnection, type Endpoint, type HostInfo, type InternalPort, type Nic, type Switch, type SwitchPort, type Vm } from './types.js';

/** A host NIC bound to the switch protocol (BindExternalEthernetPort). */
export interface Binding {
  deviceId: string;
  ifname: string;
  mac: string;
}

export interface State {
  host: HostInfo;
  switches: Map<string, Switch>;
  ports: Map<string, SwitchPort>;
  internals: Map<string, InternalPort>;
  /** Key: deviceId. */
  bindings: Map<string, Binding>;
  /** Stored host-side connections: port key -> switch LAN endpoint name. */
  links: Map<string, string>;
  /** Key: VM GUID. */
  vms: Map<string, Vm>;
  /** Live VM connections (not stored; rebuilt from NIC Connection at start): port key -> NIC instanceId. */
  vmLinks: Map<string, string>;
}

export const key = (name: string): string => name.toLowerCase();

export function emptyState(host: HostInfo): State {
  return { host, switches: new Map(), ports: new Map(), internals: new Map(), bindings: new Map(), links: new Map(), vms: new Map(), vmLinks: new Map() };
}

export function cloneState(s: State): State {
  return structuredClone(s);
}

/** A VM whose NIC devices and endpoints exist (running or paused). */
export function hasDevices(vm: Vm): boolean {
  return vm.enabledState === VmState.RUNNING || vm.enabledState === VmState.PAUSED;
}

export const internalEndpointName = (p: InternalPort): string => `/DEVICE/${p.deviceId}`;
export const externalEndpointName = (deviceId: string): string => `/DEVICE/${deviceId}`;

/** Port key -> endpoint name of every active connection (stored and live). */
export function activeLinks(s: State): Map<string, { endpoint: string; persistent: boolean }> {
  const out = new Map<string, { endpoint: string; persistent: boolean }>();
  for (const [p, e] of s.links) out.set(p, { endpoint: e, persistent: true });
  for (const [p, e] of s.vmLinks) out.set(p, { endpoint: e, persistent: false });
  return out;
}

/** Endpoint name (lower-case) -> port key, for every active connection. */
export function endpointPorts(s: State): Map<string, string> {
  const out = new Map<string, string>();
  for (const [p, l] of activeLinks(s)) out.set(key(l.endpoint), p);
  return out;
}

/** Every LAN endpoint that exists now, with the port it is connected to. */
export function listEndpoints(s: State): Endpoint[] {
  const byEp = endpointPorts(s);
  const portName = (ep: string): string | undefined => {
    const k = byEp.get(key(ep));
    return k === undefined ? undefined : s.ports.get(k)?.name;
  };
  const out: Endpoint[] = [];
  const add = (e: Omit<Endpoint, 'portName'>): void => {
    const p = portName(e.name);
    out.push(p === undefined ? e : { ...e, portName: p });
  };
  for (const p of s.internals.values()) add({ kind: 'internal', name: internalEndpointName(p), systemName: s.host.name, mac: p.mac, owner: p.name });
  for (const b of s.bindings.values()) add({ kind: 'external', name: externalEndpointName(b.deviceId), systemName: s.host.name, mac: b.mac, owner: b.deviceId });
  for (const vm of s.vms.values()) {
    if (!hasDevices(vm)) continue;
    for (const n of vm.nics) add({ kind: 'vm', name: n.instanceId, systemName: vm.guid, mac: n.address, owner: n.instanceId });
  }
  return out;
}

export function findEndpoint(s: State, name: string): Endpoint | undefined {
  const k = key(name);
  return listEndpoints(s).find((e) => key(e.name) === k);
}

export function listConnections(s: State): ActiveConnection[] {
  const out: ActiveConnection[] = [];
  for (const [p, l] of activeLinks(s)) {
    const port = s.ports.get(p);
    const ep = findEndpoint(s, l.endpoint);
    if (port && ep) out.push({ portName: port.name, endpointName: ep.name, persistent: l.persistent });
  }
  return out;
}

/** The port a Connection/REF text names; undefined when it dangles or is not a port path. */
export function resolvePort(s: State, text: string | null | undefined): SwitchPort | undefined {
  if (!text) return undefined;
  const ref = parsePortRef(text);
  if (!ref) return undefined;
  const port = s.ports.get(key(ref.name));
  if (!port) return undefined;
  if (ref.systemName !== undefined && key(ref.systemName) !== key(port.switchName)) return undefined;
  return port;
}

export function findNic(s: State, instanceId: string): { vm: Vm; nic: Nic; index: number } | undefined {
  const k = key(instanceId);
  for (const vm of s.vms.values()) {
    const index = vm.nics.findIndex((n) => key(n.instanceId) === k);
    if (index >= 0) return { vm, nic: vm.nics[index]!, index };
  }
  return undefined;
}

/** Every MAC held by a NIC or internal port (dynamic allocation never hands these out). */
export function usedMacs(s: State): Set<string> {
  const out = new Set<string>();
  for (const p of s.internals.values()) out.add(p.mac);
  for (const vm of s.vms.values()) for (const n of vm.nics) if (n.address !== ZERO_MAC) out.add(n.address);
  return out;
}

/** Removes every active connection whose port or endpoint no longer exists. */
export function pruneLinks(s: State): void {
  const live = new Set(listEndpoints(s).map((e) => key(e.name)));
  for (const m of [s.links, s.vmLinks])
    for (const [p, e] of m) if (!s.ports.has(p) || !live.has(key(e))) m.delete(p);
}
