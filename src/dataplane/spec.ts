/**
 * Checks a desired state and brings it to one canonical form (defaults filled in, MACs as
 * lower-case colon hex, trunk lists sorted), so the diff compares like with like. Pure: every
 * problem is a DataplaneError('INVALID_SPEC') naming the switch or port at fault.
 */
import { DataplaneError, type DesiredState, type PortSpec, type StaticMacSpec, type SwitchSpec, type VlanConfig } from './types.js';

export const DEFAULT_MAC_LIMIT = 8192;
export const DEFAULT_AGING_SECONDS = 300;
export const MAX_MAC_LIMIT = 1 << 22;
export const MIN_MTU = 68;
export const MAX_MTU = 9000;

export type NormalSwitch = Required<Omit<SwitchSpec, 'staticMacs'>> & { staticMacs: StaticMacSpec[] };
export type NormalPort = PortSpec & { vlan: VlanConfig };
export interface NormalState {
  switches: NormalSwitch[];
  ports: NormalPort[];
}

const IFNAME = /^[A-Za-z0-9_.:-]{1,15}$/;
const NETNS = /^[A-Za-z0-9_.-]{1,64}$/;

function invalid(message: string, details: { port?: string; switch?: string } = {}): never {
  throw new DataplaneError('INVALID_SPEC', message, details);
}

/** Parses `aa:bb:cc:dd:ee:ff` / `aa-bb-..` / `aabbccddeeff` into canonical lower-case colon form. */
export function normalizeMac(mac: string): string {
  const hex = typeof mac === 'string' ? mac.replace(/[:-]/g, '').toLowerCase() : '';
  if (!/^[0-9a-f]{12}$/.test(hex)) invalid(`bad MAC address ${JSON.stringify(mac)}`);
  return hex.match(/../g)!.join(':');
}

function checkVlanId(v: unknown, what: string, port: string): number {
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 4094)
    invalid(`port ${port}: ${what} must be a VLAN id 1..4094, got ${String(v)}`, { port });
  return v as number;
}

export function normalizeVlan(vlan: VlanConfig | undefined, port: string): VlanConfig {
  if (vlan === undefined) return { mode: 'access', accessVlan: 1 };
  if (vlan.mode === 'access') return { mode: 'access', accessVlan: checkVlanId(vlan.accessVlan, 'accessVlan', port) };
  if (vlan.mode !== 'trunk') invalid(`port ${port}: VLAN mode must be access or trunk`, { port });
  if (!Array.isArray(vlan.trunkVlans)) invalid(`port ${port}: trunkVlans must be a list`, { port });
  const list = [...new Set(vlan.trunkVlans.map((v) => checkVlanId(v, 'trunkVlans entry', port)))].sort((a, b) => a - b);
  if (vlan.nativeVlan === undefined) return { mode: 'trunk', trunkVlans: list };
  return { mode: 'trunk', trunkVlans: list, nativeVlan: checkVlanId(vlan.nativeVlan, 'nativeVlan', port) };
}

function normalizeSwitch(s: SwitchSpec): NormalSwitch {
  if (typeof s?.name !== 'string' || s.name === '') invalid('a switch needs a non-empty name');
  const macLimit = s.macLimit ?? DEFAULT_MAC_LIMIT;
  if (!Number.isInteger(macLimit) || macLimit < 1 || macLimit > MAX_MAC_LIMIT)
    invalid(`switch ${s.name}: macLimit must be 1..${MAX_MAC_LIMIT}`, { switch: s.name });
  const agingSeconds = s.agingSeconds ?? DEFAULT_AGING_SECONDS;
  if (!Number.isInteger(agingSeconds) || agingSeconds < 1 || agingSeconds > 1_000_000)
    invalid(`switch ${s.name}: agingSeconds must be 1..1000000`, { switch: s.name });
  const staticMacs = (s.staticMacs ?? []).map((m) => {
    const mac = normalizeMac(m.mac);
    if (parseInt(mac.slice(0, 2), 16) & 1) invalid(`switch ${s.name}: static MAC ${mac} is multicast`, { switch: s.name });
    return { mac, vlan: checkVlanId(m.vlan, 'static MAC vlan', String(m.port)), port: m.port };
  });
  staticMacs.sort((a, b) => a.mac.localeCompare(b.mac) || a.vlan - b.vlan);
  for (let i = 1; i < staticMacs.length; i++)
    if (staticMacs[i].mac === staticMacs[i - 1].mac && staticMacs[i].vlan === staticMacs[i - 1].vlan)
      invalid(`switch ${s.name}: static MAC ${staticMacs[i].mac} vlan ${staticMacs[i].vlan} given twice`, { switch: s.name });
  return { name: s.name, macLimit, agingSeconds, staticMacs };
}

function normalizePort(p: PortSpec): NormalPort {
  if (typeof p?.name !== 'string' || p.name === '') invalid('a port needs a non-empty name');
  const at = { port: p.name };
  const out: NormalPort = { name: p.name, kind: p.kind, vlan: normalizeVlan(p.vlan, p.name) };
  if (!['tap', 'internal', 'host', 'dgram', 'veth'].includes(p.kind)) invalid(`port ${p.name}: unknown kind ${String(p.kind)}`, at);
  if (p.switch !== undefined) out.switch = p.switch;
  if (p.mac !== undefined) {
    if (p.kind !== 'tap' && p.kind !== 'internal' && p.kind !== 'veth') invalid(`port ${p.name}: mac applies to tap/internal/veth ports`, at);
    out.mac = normalizeMac(p.mac);
  }
  if (p.mtu !== undefined) {
    if (!Number.isInteger(p.mtu) || p.mtu < MIN_MTU || p.mtu > MAX_MTU) invalid(`port ${p.name}: mtu must be ${MIN_MTU}..${MAX_MTU}`, at);
    out.mtu = p.mtu;
  }
  if (p.gsoMaxSize !== undefined) {
    if (p.kind !== 'veth') invalid(`port ${p.name}: gsoMaxSize applies to veth ports only`, at);
    if (!Number.isInteger(p.gsoMaxSize) || p.gsoMaxSize < 65536 || p.gsoMaxSize > 524280)
      invalid(`port ${p.name}: gsoMaxSize must be 65536..524280`, at);
    out.gsoMaxSize = p.gsoMaxSize;
  }
  if (p.ifname !== undefined) {
    if (p.kind === 'dgram') invalid(`port ${p.name}: ifname does not apply to dgram ports`, at);
    if (!IFNAME.test(p.ifname)) invalid(`port ${p.name}: bad interface name ${JSON.stringify(p.ifname)}`, at);
    out.ifname = p.ifname;
  } else if (p.kind === 'host') invalid(`port ${p.name}: a host port needs ifname`, at);
  if (p.netns !== undefined) {
    if (p.kind !== 'tap' && p.kind !== 'veth') invalid(`port ${p.name}: netns applies to tap/veth ports only`, at);
    if (!NETNS.test(p.netns)) invalid(`port ${p.name}: bad namespace name ${JSON.stringify(p.netns)}`, at);
    out.netns = p.netns;
  }
  if (p.nsIfname !== undefined) {
    // A veth without netns keeps its other end in the host namespace: nsIfname names it there.
    if (out.netns === undefined && p.kind !== 'veth') invalid(`port ${p.name}: nsIfname needs netns`, at);
    if (!IFNAME.test(p.nsIfname)) invalid(`port ${p.name}: bad interface name ${JSON.stringify(p.nsIfname)}`, at);
    if (out.netns === undefined && p.nsIfname === out.ifname) invalid(`port ${p.name}: both ends of the veth are named ${p.nsIfname}`, at);
    out.nsIfname = p.nsIfname;
  } else if (p.kind === 'veth' && out.netns === undefined) {
    invalid(`port ${p.name}: a veth port without netns needs nsIfname (its other end's name in the host namespace)`, at);
  }
  if (p.kind === 'dgram') {
    if (typeof p.localPath !== 'string' || p.localPath === '') invalid(`port ${p.name}: a dgram port needs localPath`, at);
    if (Buffer.byteLength(p.localPath) > 107) invalid(`port ${p.name}: localPath longer than 107 bytes`, at);
    out.localPath = p.localPath;
    if (p.remotePath !== undefined) {
      if (typeof p.remotePath !== 'string' || p.remotePath === '' || Buffer.byteLength(p.remotePath) > 107)
        invalid(`port ${p.name}: bad remotePath`, at);
      out.remotePath = p.remotePath;
    }
  } else if (p.localPath !== undefined || p.remotePath !== undefined) {
    invalid(`port ${p.name}: localPath/remotePath apply to dgram ports only`, at);
  }
  return out;
}

function uniqueNames(names: string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) invalid(`${what} ${n} given twice`);
    seen.add(n);
  }
}

/** Names the ports create in the host namespace (generated names are the kernel's to keep apart). */
function hostDeviceNames(ports: NormalPort[]): string[] {
  const out: string[] = [];
  for (const p of ports) {
    if (p.kind === 'dgram' || p.kind === 'host') continue;
    if (p.ifname) out.push(p.ifname);
    if (p.kind === 'veth' && p.netns === undefined) out.push(p.nsIfname!);
  }
  return out;
}

/** Validates and canonicalises a desired state; throws DataplaneError('INVALID_SPEC'). */
export function normalizeState(desired: DesiredState): NormalState {
  if (!desired || !Array.isArray(desired.switches) || !Array.isArray(desired.ports))
    invalid('desired state needs switches[] and ports[]');
  const switches = desired.switches.map(normalizeSwitch);
  const ports = desired.ports.map(normalizePort);
  uniqueNames(switches.map((s) => s.name), 'switch');
  uniqueNames(ports.map((p) => p.name), 'port');
  const switchNames = new Set(switches.map((s) => s.name));
  const portSwitch = new Map(ports.map((p) => [p.name, p.switch]));
  for (const p of ports)
    if (p.switch !== undefined && !switchNames.has(p.switch)) invalid(`port ${p.name}: unknown switch ${p.switch}`, { port: p.name });
  for (const s of switches)
    for (const m of s.staticMacs)
      if (portSwitch.get(m.port) !== s.name)
        invalid(`switch ${s.name}: static MAC ${m.mac} names port ${m.port}, which is not connected to it`, { switch: s.name });
  uniqueNames(ports.filter((p) => p.kind === 'dgram').map((p) => p.localPath!), 'dgram localPath');
  uniqueNames(hostDeviceNames(ports), 'device name');
  // Two ports cannot put devices of one name into one namespace.
  uniqueNames(ports.filter((p) => p.netns !== undefined && p.nsIfname !== undefined).map((p) => `${p.nsIfname} in namespace ${p.netns}`), 'device');
  return { switches, ports };
}
