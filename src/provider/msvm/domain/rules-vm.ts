/**
 * The VM side's rules as pure mutations of a State copy: defining, modifying and destroying
 * VMs, their NICs (the Ethernet RASDs), and the power-state transitions with their networking
 * effect (reference §4.1, §7): entering running allocates dynamic MACs and connects each NIC
 * whose Connection names an existing free port; leaving it for off or saved drops the live
 * connections. Bad input throws DomainError(32773), a wrong state DomainError(32775).
 */
import { ZERO_MAC, allocateMac, parseMac, parseUnicastMac } from './mac.js';
import { newGuid, normalizeGuid } from './paths.js';
import { checkName, optText } from './rules-switch.js';
import { activeLinks, hasDevices, key, resolvePort, usedMacs, type State } from './state.js';
import { DomainError, RC, VmState, type Nic, type NicChanges, type NicInput, type RequestedVmState, type Vm, type VmInput } from './types.js';

export const MAX_NICS = 12;
const bad = (msg: string): never => {
  throw new DomainError(RC.INVALID_PARAMETER, msg);
};
const badState = (msg: string): never => {
  throw new DomainError(RC.INVALID_STATE, msg);
};

export function getVm(s: State, guid: string): Vm {
  const g = normalizeGuid(String(guid ?? ''));
  return (g && s.vms.get(g)) || bad(`no virtual machine ${JSON.stringify(guid)}`);
}

const STATE_NAME: Record<number, string> = { 2: 'running', 3: 'off', 32768: 'paused', 32769: 'saved' };
export const stateName = (n: number): string => STATE_NAME[n] ?? String(n);

function vmName(v: unknown, fallback: string): string {
  const n = optText(v, 'ElementName', fallback);
  return n.length > 100 ? bad('the VM ElementName is longer than 100 characters') : n;
}

function settingsOf(v: unknown): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) return bad('VM settings must be an object');
  return structuredClone(v as Record<string, unknown>);
}

export function defineVm(s: State, input: VmInput, nics: NicInput[], now: number): Vm {
  const vm: Vm = {
    guid: newGuid(),
    elementName: vmName(input.elementName, 'New Virtual Machine'),
    notes: optText(input.notes, 'Notes', ''),
    enabledState: VmState.OFF,
    requestedState: 12,
    settings: settingsOf(input.settings),
    creationTime: now,
    timeOfLastStateChange: now,
    nics: [],
  };
  s.vms.set(vm.guid, vm);
  addNics(s, vm.guid, nics);
  return vm;
}

export function modifyVm(s: State, guid: string, c: VmInput): Vm {
  const vm = getVm(s, guid);
  vm.elementName = vmName(c.elementName, vm.elementName);
  vm.notes = optText(c.notes, 'Notes', vm.notes);
  if (c.settings !== undefined) vm.settings = { ...vm.settings, ...settingsOf(c.settings) };
  return vm;
}

/** DestroyVirtualSystem's precondition: off or saved (reference §2.2). */
export function checkDestroy(s: State, guid: string): Vm {
  const vm = getVm(s, guid);
  if (vm.enabledState !== VmState.OFF && vm.enabledState !== VmState.SAVED) badState(`virtual machine ${vm.guid} is ${stateName(vm.enabledState)}; turn it off first`);
  return vm;
}

export function destroyVm(s: State, guid: string): void {
  const vm = checkDestroy(s, guid);
  s.vms.delete(vm.guid);
}

function connectionText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return connectionText(v[0]);
  if (typeof v !== 'string') return bad('Connection must be a string');
  return v;
}

function vsiList(v: unknown, fallback: string[]): string[] {
  if (v === undefined) return fallback;
  if (v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return bad('VirtualSystemIdentifiers must be a list of strings');
  return [...(v as string[])];
}

/** The MAC fields of a NIC: static needs a usable address; dynamic keeps a given one or 000000000000. */
function macFields(address: unknown, staticMac: boolean): { address: string; staticMac: boolean } {
  if (staticMac) {
    if (address === undefined || address === null || address === '') bad('a NIC with StaticMacAddress TRUE needs an Address');
    return { address: parseUnicastMac(address, 'Address'), staticMac };
  }
  if (address === undefined || address === null || address === '') return { address: ZERO_MAC, staticMac };
  const mac = parseMac(address, 'Address');
  return { address: mac === ZERO_MAC ? mac : parseUnicastMac(mac, 'Address'), staticMac };
}

function newNic(vm: Vm, n: NicInput): Nic {
  if (n.kind !== 'synthetic' && n.kind !== 'emulated') bad(`unknown NIC kind ${String(n.kind)}`);
  const deviceGuid = newGuid();
  const staticMac = n.staticMac ?? (n.address !== undefined && n.address !== null && n.address !== '');
  return {
    instanceId: `Microsoft:${vm.guid}\\${deviceGuid}`,
    vmGuid: vm.guid,
    deviceGuid,
    kind: n.kind,
    elementName: optText(n.elementName, 'ElementName', n.kind === 'synthetic' ? 'Network Adapter' : 'Legacy Network Adapter'),
    ...macFields(n.address, staticMac),
    connection: connectionText(n.connection),
    virtualSystemIdentifiers: n.kind === 'synthetic' ? vsiList(n.virtualSystemIdentifiers, [`{${newGuid()}}`]) : [],
    extra: settingsOf(n.extra),
  };
}

/** AddVirtualSystemResources: only while the VM is off (hot-add is not possible, 32775). */
export function addNics(s: State, guid: string, inputs: NicInput[]): Nic[] {
  const vm = getVm(s, guid);
  if (!Array.isArray(inputs)) bad('the resources to add must be a list');
  if (inputs.length === 0) return [];
  if (vm.enabledState !== VmState.OFF) badState(`cannot add a network adapter to virtual machine ${vm.guid} while it is ${stateName(vm.enabledState)}`);
  if (vm.nics.length + inputs.length > MAX_NICS) bad(`a virtual machine has at most ${MAX_NICS} network adapters`);
  const made = inputs.map((n) => newNic(vm, n));
  vm.nics.push(...made);
  return made;
}

function nicOf(vm: Vm, instanceId: string): Nic {
  return vm.nics.find((n) => key(n.instanceId) === key(String(instanceId ?? ''))) ?? bad(`no network adapter ${JSON.stringify(instanceId)} in virtual machine ${vm.guid}`);
}

/** ModifyVirtualSystemResources. A running VM's MAC cannot change (32775); its Connection reconnects live. */
export function modifyNics(s: State, guid: string, changes: Array<NicChanges & { instanceId: string }>): Nic[] {
  const vm = getVm(s, guid);
  if (!Array.isArray(changes)) bad('the resources to modify must be a list');
  return changes.map((c) => {
    const nic = nicOf(vm, c.instanceId);
    const staticMac = c.staticMac ?? nic.staticMac;
    const mac = c.address === undefined && staticMac === nic.staticMac ? { address: nic.address, staticMac } : macFields(c.address === undefined ? nic.address : c.address, staticMac);
    if (hasDevices(vm) && (mac.address !== nic.address || mac.staticMac !== nic.staticMac))
      badState(`cannot change the MAC address of a network adapter while virtual machine ${vm.guid} is ${stateName(vm.enabledState)}`);
    Object.assign(nic, mac);
    nic.elementName = optText(c.elementName, 'ElementName', nic.elementName);
    if (nic.kind === 'synthetic') nic.virtualSystemIdentifiers = vsiList(c.virtualSystemIdentifiers, nic.virtualSystemIdentifiers);
    if (c.extra !== undefined) nic.extra = { ...nic.extra, ...settingsOf(c.extra) };
    if (c.connection !== undefined) {
      nic.connection = connectionText(c.connection);
      if (hasDevices(vm)) relink(s, nic);
    }
    return nic;
  });
}

/** Re-derives the live connection of a running VM's NIC from its Connection. */
function relink(s: State, nic: Nic): void {
  for (const [p, e] of s.vmLinks) if (key(e) === key(nic.instanceId)) s.vmLinks.delete(p);
  const port = resolvePort(s, nic.connection);
  if (!port) return;
  const taken = activeLinks(s).get(key(port.name));
  if (taken) badState(`switch port ${port.name} is already connected to ${taken.endpoint}`);
  s.vmLinks.set(key(port.name), nic.instanceId);
}

/** RemoveVirtualSystemResources: only while the VM is off (32775). */
export function removeNics(s: State, guid: string, ids: string[]): void {
  const vm = getVm(s, guid);
  if (!Array.isArray(ids)) bad('the resources to remove must be a list');
  const gone = new Set(ids.map((id) => key(nicOf(vm, id).instanceId)));
  if (gone.size > 0 && vm.enabledState !== VmState.OFF) badState(`cannot remove a network adapter from virtual machine ${vm.guid} while it is ${stateName(vm.enabledState)}`);
  vm.nics = vm.nics.filter((n) => !gone.has(key(n.instanceId)));
}

/** Checks RequestStateChange (reference §4.1); 32775 when already there or not reachable. */
export function checkTransition(s: State, guid: string, req: number): Vm {
  const vm = getVm(s, guid);
  const from = vm.enabledState;
  if (req === 11) throw new DomainError(RC.NOT_SUPPORTED, 'RequestedState 11 (reset) is reserved; use 10');
  const allowed: Record<number, number[]> = {
    2: [VmState.OFF, VmState.PAUSED, VmState.SAVED],
    3: [VmState.RUNNING, VmState.PAUSED, VmState.SAVED],
    10: [VmState.RUNNING, VmState.PAUSED],
    32768: [VmState.RUNNING],
    32769: [VmState.RUNNING, VmState.PAUSED],
  };
  const from_ = allowed[req] ?? bad(`RequestedState ${String(req)} is not one of 2, 3, 10, 32768, 32769`);
  if (!from_.includes(from)) badState(`virtual machine ${vm.guid} is ${stateName(from)}; cannot ${req === 10 ? 'reset' : `go to ${stateName(req)}`}`);
  return vm;
}

/** Applies a checked transition's end state. Reset (10) is stop + start, done by the caller as two steps. */
export function setVmState(s: State, guid: string, to: RequestedVmState | 3 | 2, now: number): Vm {
  const vm = getVm(s, guid);
  const wasLive = hasDevices(vm);
  if (to === VmState.RUNNING && !wasLive) startNics(s, vm);
  if ((to === VmState.OFF || to === VmState.SAVED) && wasLive) unlinkVm(s, vm);
  vm.enabledState = to === 10 ? VmState.RUNNING : to;
  vm.requestedState = 12;
  vm.timeOfLastStateChange = now;
  return vm;
}

/** Entering running: dynamic MACs from the pool (kept in Address), then live connections in NIC order. */
function startNics(s: State, vm: Vm): void {
  for (const n of vm.nics) if (!n.staticMac && n.address === ZERO_MAC) n.address = allocateMac(s.host.macPool, usedMacs(s));
  for (const n of vm.nics) {
    const port = resolvePort(s, n.connection);
    if (port && !activeLinks(s).has(key(port.name))) s.vmLinks.set(key(port.name), n.instanceId);
  }
}

function unlinkVm(s: State, vm: Vm): void {
  const ids = new Set(vm.nics.map((n) => key(n.instanceId)));
  for (const [p, e] of s.vmLinks) if (ids.has(key(e))) s.vmLinks.delete(p);
}
