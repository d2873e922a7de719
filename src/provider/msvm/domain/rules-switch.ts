/**
 * The switch side's rules as pure mutations of a State copy: switches, ports, VLAN settings,
 * internal ports, external NIC bindings and host-side connections. Each function checks its
 * input first and throws a DomainError (code = Hyper-V return value) before touching anything;
 * the network realizes and stores the copy afterwards. Choices: docs/msvm-choices.md.
 */
import { allocateMac, parseUnicastMac } from './mac.js';
import { externalEndpointName, findEndpoint, findNic, internalEndpointName, key, activeLinks, endpointPorts, usedMacs, type State } from './state.js';
import { DomainError, RC, type ExternalNic, type InternalPort, type Switch, type SwitchPort, type VlanSettings } from './types.js';

export interface SwitchEnv {
  formatPortPath(host: string, switchName: string, portName: string): string;
  ifPrefix: string;
}

export const MAX_LEARNABLE = 1 << 22;
const bad = (msg: string): never => {
  throw new DomainError(RC.INVALID_PARAMETER, msg);
};
const badState = (msg: string): never => {
  throw new DomainError(RC.INVALID_STATE, msg);
};

/** A required name: non-empty string of at most 256 characters. */
export function checkName(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.trim() === '') return bad(`${what} must be a non-empty string`);
  if (v.length > 256) return bad(`${what} is longer than 256 characters`);
  return v;
}

/** An optional text: undefined/null -> fallback. */
export function optText(v: unknown, what: string, fallback: string): string {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') return bad(`${what} must be a string`);
  if (v.length > 1024) return bad(`${what} is longer than 1024 characters`);
  return v;
}

function optUint(v: unknown, what: string, fallback: number, max: number): number {
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) return bad(`${what} must be an integer 0..${max}, got ${String(v)}`);
  return n;
}

export function getSwitch(s: State, name: string): Switch {
  return s.switches.get(key(String(name))) ?? bad(`no virtual switch named ${JSON.stringify(name)}`);
}

export function getPort(s: State, name: string): SwitchPort {
  return s.ports.get(key(String(name))) ?? bad(`no switch port named ${JSON.stringify(name)}`);
}

export function getInternal(s: State, name: string): InternalPort {
  return s.internals.get(key(String(name))) ?? bad(`no internal ethernet port named ${JSON.stringify(name)}`);
}

export function createSwitch(s: State, a: { name: unknown; friendlyName?: unknown; numLearnableAddresses?: unknown; scopeOfResidence?: unknown }): Switch {
  const name = checkName(a.name, 'switch Name');
  if (s.switches.has(key(name))) bad(`a virtual switch named ${JSON.stringify(name)} already exists`);
  const sw: Switch = {
    name,
    friendlyName: optText(a.friendlyName, 'FriendlyName', name),
    numLearnableAddresses: optUint(a.numLearnableAddresses, 'NumLearnableAddresses', 1024, MAX_LEARNABLE),
    scopeOfResidence: optText(a.scopeOfResidence, 'ScopeOfResidence', ''),
  };
  s.switches.set(key(name), sw);
  return sw;
}

export function modifySwitch(s: State, name: string, c: { friendlyName?: unknown; numLearnableAddresses?: unknown; scopeOfResidence?: unknown }): Switch {
  const sw = getSwitch(s, name);
  sw.friendlyName = optText(c.friendlyName, 'ElementName', sw.friendlyName);
  sw.numLearnableAddresses = optUint(c.numLearnableAddresses, 'NumLearnableAddresses', sw.numLearnableAddresses, MAX_LEARNABLE);
  sw.scopeOfResidence = optText(c.scopeOfResidence, 'ScopeOfResidence', sw.scopeOfResidence);
  return sw;
}

/** Removes the switch with its ports and their connections (reference §2.1 DeleteSwitch). */
export function deleteSwitch(s: State, name: string): void {
  const sw = getSwitch(s, name);
  for (const p of [...s.ports.values()]) if (key(p.switchName) === key(sw.name)) deletePort(s, p.name);
  s.switches.delete(key(sw.name));
}

export function defaultVlan(): VlanSettings {
  return {
    desiredEndpointMode: 2,
    accessVlan: 0,
    nativeVlan: 0,
    trunkedVlanList: [],
    pruneEligibleVlanList: [],
    defaultVlan: 1,
    primaryVlan: 0,
    secondaryVlan: 0,
    pVlanMode: 0,
    desiredVlanTrunkEncapsulation: 3,
    otherEndpointMode: '',
    otherTrunkEncapsulation: '',
  };
}

export function createPort(s: State, a: { switchName: unknown; name: unknown; friendlyName?: unknown; scopeOfResidence?: unknown }): SwitchPort {
  const sw = getSwitch(s, String(a.switchName ?? ''));
  const name = checkName(a.name, 'switch port Name');
  if (s.ports.has(key(name))) bad(`a switch port named ${JSON.stringify(name)} already exists`);
  const port: SwitchPort = {
    name,
    switchName: sw.name,
    friendlyName: optText(a.friendlyName, 'FriendlyName', name),
    scopeOfResidence: optText(a.scopeOfResidence, 'ScopeOfResidence', ''),
    vlan: defaultVlan(),
    extra: {},
  };
  s.ports.set(key(name), port);
  return port;
}

export function modifyPort(s: State, name: string, c: { friendlyName?: unknown; scopeOfResidence?: unknown; extra?: Record<string, unknown> }): SwitchPort {
  const p = getPort(s, name);
  p.friendlyName = optText(c.friendlyName, 'ElementName', p.friendlyName);
  p.scopeOfResidence = optText(c.scopeOfResidence, 'ScopeOfResidence', p.scopeOfResidence);
  if (c.extra !== undefined) p.extra = { ...p.extra, ...structuredClone(c.extra) };
  return p;
}

/** Deletes a port; a connected port is disconnected first (docs/msvm-choices.md). */
export function deletePort(s: State, name: string): void {
  const p = getPort(s, name);
  s.links.delete(key(p.name));
  s.vmLinks.delete(key(p.name));
  s.ports.delete(key(p.name));
}

function vlanId(v: unknown, what: string, min: number): number {
  const n = optUint(v, what, 0, 4094);
  return n >= min ? n : bad(`${what} must be ${min}..4094`);
}

function vlanList(v: unknown, what: string, fallback: number[]): number[] {
  if (v === undefined) return fallback;
  if (v === null) return [];
  if (!Array.isArray(v)) return bad(`${what} must be a list of VLAN ids`);
  return [...new Set(v.map((x) => vlanId(x, `${what} entry`, 1)))].sort((a, b) => a - b);
}

/** Applies the given VLAN fields (uint16 fields accept numeric strings, reference §3.4). */
export function setVlan(s: State, portName: string, c: Partial<Record<keyof VlanSettings, unknown>>): SwitchPort {
  const p = getPort(s, portName);
  const v = p.vlan;
  const num = (f: keyof VlanSettings, max: number, min = 0): number => {
    const cur = v[f] as number;
    if (c[f] === undefined || c[f] === null) return cur;
    const n = optUint(c[f], f, cur, max);
    return n < min ? bad(`${f} must be ${min}..${max}`) : n;
  };
  const next: VlanSettings = {
    desiredEndpointMode: num('desiredEndpointMode', 6),
    accessVlan: num('accessVlan', 4094),
    nativeVlan: num('nativeVlan', 4094),
    trunkedVlanList: vlanList(c.trunkedVlanList, 'TrunkedVLANList', v.trunkedVlanList),
    pruneEligibleVlanList: vlanList(c.pruneEligibleVlanList, 'PruneEligibleVLANList', v.pruneEligibleVlanList),
    defaultVlan: num('defaultVlan', 4094),
    primaryVlan: num('primaryVlan', 4094),
    secondaryVlan: num('secondaryVlan', 4094),
    pVlanMode: num('pVlanMode', 255),
    desiredVlanTrunkEncapsulation: num('desiredVlanTrunkEncapsulation', 5),
    otherEndpointMode: optText(c.otherEndpointMode, 'OtherEndpointMode', v.otherEndpointMode),
    otherTrunkEncapsulation: optText(c.otherTrunkEncapsulation, 'OtherTrunkEncapsulation', v.otherTrunkEncapsulation),
  };
  p.vlan = next;
  return p;
}

/** ConnectSwitchPort: at most one connection per port and per endpoint (32775 otherwise). */
export function connect(s: State, portName: string, endpointName: string, env: SwitchEnv): { portName: string; endpointName: string; persistent: boolean } {
  const p = getPort(s, portName);
  const ep = findEndpoint(s, String(endpointName ?? '')) ?? bad(`no LAN endpoint named ${JSON.stringify(endpointName)}`);
  const linked = activeLinks(s).get(key(p.name));
  if (linked) badState(`switch port ${p.name} is already connected to ${linked.endpoint}`);
  if (endpointPorts(s).has(key(ep.name))) badState(`LAN endpoint ${ep.name} is already connected`);
  if (ep.kind === 'vm') {
    const found = findNic(s, ep.owner)!;
    found.nic.connection = env.formatPortPath(s.host.name, p.switchName, p.name);
    s.vmLinks.set(key(p.name), found.nic.instanceId);
    return { portName: p.name, endpointName: ep.name, persistent: false };
  }
  s.links.set(key(p.name), ep.name);
  return { portName: p.name, endpointName: ep.name, persistent: true };
}

/** DisconnectSwitchPort: 32775 when the port has no connection. A VM-side one clears the NIC's Connection. */
export function disconnect(s: State, portName: string): void {
  const p = getPort(s, portName);
  const k = key(p.name);
  if (s.links.delete(k)) return;
  const nicId = s.vmLinks.get(k);
  if (nicId === undefined) return badState(`switch port ${p.name} is not connected`);
  s.vmLinks.delete(k);
  const found = findNic(s, nicId);
  if (found) found.nic.connection = '';
}

function freeIfname(s: State, prefix: string): string {
  const used = new Set([...s.internals.values()].map((p) => p.ifname));
  for (let n = 0; ; n++) {
    const name = `${prefix}int${n}`;
    if (name.length > 15) return bad('no free internal interface name');
    if (!used.has(name)) return name;
  }
}

/** CreateInternalEthernetPort[DynamicMac]: mac undefined/null = from the pool. */
export function createInternalPort(s: State, a: { name: unknown; friendlyName?: unknown; mac?: unknown }, env: SwitchEnv): InternalPort {
  const name = checkName(a.name, 'internal ethernet port Name');
  if (s.internals.has(key(name))) bad(`an internal ethernet port named ${JSON.stringify(name)} already exists`);
  const mac = a.mac === undefined || a.mac === null ? allocateMac(s.host.macPool, usedMacs(s)) : parseUnicastMac(a.mac, 'MacAddress');
  const port: InternalPort = { name, friendlyName: optText(a.friendlyName, 'FriendlyName', name), mac, deviceId: `Microsoft:${name}`, ifname: freeIfname(s, env.ifPrefix) };
  s.internals.set(key(name), port);
  return port;
}

/** Removes the internal port, its endpoint and any connection to it. */
export function deleteInternalPort(s: State, name: string): void {
  const p = getInternal(s, name);
  const ep = key(internalEndpointName(p));
  for (const [k, e] of s.links) if (key(e) === ep) s.links.delete(k);
  s.internals.delete(key(p.name));
}

function findPresent(nics: ExternalNic[], deviceId: string): ExternalNic | undefined {
  const k = key(String(deviceId ?? ''));
  return nics.find((n) => key(n.deviceId) === k);
}

/** BindExternalEthernetPort: the NIC must be present and unbound. */
export function bindExternal(s: State, deviceId: string, present: ExternalNic[]): void {
  const nic = findPresent(present, deviceId) ?? bad(`no external ethernet port ${JSON.stringify(deviceId)}`);
  if (s.bindings.has(nic.deviceId)) badState(`external ethernet port ${nic.ifname} is already bound`);
  s.bindings.set(nic.deviceId, { deviceId: nic.deviceId, ifname: nic.ifname, mac: nic.mac });
}

/** UnbindExternalEthernetPort: also removes the connection of its endpoint. */
export function unbindExternal(s: State, deviceId: string, present: ExternalNic[]): void {
  const id = [...s.bindings.keys()].find((d) => key(d) === key(String(deviceId ?? '')));
  if (id === undefined) {
    if (findPresent(present, deviceId)) badState(`external ethernet port ${deviceId} is not bound`);
    bad(`no external ethernet port ${JSON.stringify(deviceId)}`);
  }
  const ep = key(externalEndpointName(id!));
  for (const [k, e] of s.links) if (key(e) === ep) s.links.delete(k);
  s.bindings.delete(id!);
}
