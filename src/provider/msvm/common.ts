/**
 * Shared pieces of the Msvm providers: the dependencies they are built over, the canonical
 * instance name of every object of the profile (one builder per class, so a path a method
 * returns is the same InstanceName the enumeration shows: cimom prints both the same way),
 * the fixed names of reference 2-5, time values, and the little converters that read loosely
 * typed client values (embedded instances, string-typed numbers, REF parameters given as text).
 * Providers stay small on top of it; nothing here talks to the dataplane directly.
 */
import type { CIMClass } from '../../cim/class.js';
import { CIMDateTime } from '../../cim/datetime.js';
import { CimError } from '../../cim/errors.js';
import { CIMInstance } from '../../cim/instance.js';
import { ciEq } from '../../cim/names.js';
import { ClassName, InstanceName, type KeyValue } from '../../cim/path.js';
import type { CIMValue } from '../../cim/types.js';
import type { ProviderContext } from '../../generated/runtime.js';
import type { NetworkApi } from './domain/api.js';
import { DomainError, RC, type Job, type Nic, type NicKind, type SwitchPort } from './domain/types.js';

export const NAMESPACE = 'root/virtualization';

/** What registerMsvmProviders needs. */
export interface MsvmDeps {
  /** The virtual-networking domain. */
  network: NetworkApi;
  /** Namespace to register in (default root/virtualization). */
  namespace?: string;
  /** Parses embedded-instance text (`<INSTANCE ...>`); default: the cimxml decoder. */
  decodeEmbedded?: (text: string) => unknown;
  /** Milliseconds clock for job ElapsedTime (default Date.now). */
  now?: () => number;
  /** Told why a method answered a failure code (the wire carries only the code). */
  log?: (line: string) => void;
}

/** The resolved dependencies every provider closes over. */
export interface Msvm {
  net: NetworkApi;
  ns: string;
  decode: (text: string) => unknown;
  now: () => number;
  log?: (line: string) => void;
}

// ---- class names and fixed values (reference 2-5) --------------------------------------

export const CS = 'Msvm_ComputerSystem';
export const VSWITCH = 'Msvm_VirtualSwitch';
export const PORT = 'Msvm_SwitchPort';
export const VSMS = 'Msvm_VirtualSwitchManagementService';
export const VSYSMS = 'Msvm_VirtualSystemManagementService';
export const VSYSMS_NAME = 'vmms';
export const VSMS_NAME = 'nvspwmi';
export const SYNTHETIC_SUBTYPE = 'Microsoft Synthetic Ethernet Port';
export const EMULATED_SUBTYPE = 'Microsoft Emulated Ethernet Port';
/** Primordial pool GUIDs of the two NIC kinds (ours; Hyper-V's are host-specific). */
export const POOL_GUID: Record<NicKind, string> = {
  synthetic: '6A45335D-4C3A-44B7-B61F-C9808BBDF8ED',
  emulated: '8E3A359F-559A-4B6A-98A9-1690A6100ED7',
};
export const TEMPLATE_KINDS = ['Default', 'Minimum', 'Maximum', 'Increment'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export const RASD_CLASS: Record<NicKind, string> = {
  synthetic: 'Msvm_SyntheticEthernetPortSettingData',
  emulated: 'Msvm_EmulatedEthernetPortSettingData',
};
export const DEVICE_CLASS: Record<NicKind, string> = {
  synthetic: 'Msvm_SyntheticEthernetPort',
  emulated: 'Msvm_EmulatedEthernetPort',
};

/** Fixed status of the always-on objects (reference 2.1, 3.x). */
export const OK_STATUS = { OperationalStatus: [2], StatusDescriptions: ['OK'], HealthState: 5 };
export const NA_STATE = { EnabledState: 5, RequestedState: 12, EnabledDefault: 2 };

// ---- paths -----------------------------------------------------------------------------

/** Canonical instance names of the profile's objects, located in the call's namespace and host. */
export class Paths {
  constructor(
    readonly m: Msvm,
    readonly host: string,
  ) {}

  private name(cls: string, keys: Record<string, KeyValue>): InstanceName {
    return InstanceName.of(cls, keys, this.m.ns, this.host);
  }
  get hostName(): string {
    return this.m.net.host().name;
  }
  hostSystem(): InstanceName {
    return this.name(CS, { CreationClassName: CS, Name: this.hostName });
  }
  vm(guid: string): InstanceName {
    return this.name(CS, { CreationClassName: CS, Name: guid });
  }
  private hostService(cls: string, name: string): InstanceName {
    return this.name(cls, { CreationClassName: cls, Name: name, SystemCreationClassName: CS, SystemName: this.hostName });
  }
  switchService(): InstanceName {
    return this.hostService(VSMS, VSMS_NAME);
  }
  systemService(): InstanceName {
    return this.hostService(VSYSMS, VSYSMS_NAME);
  }
  bridging(switchName: string): InstanceName {
    return this.hostService('Msvm_TransparentBridgingService', switchName);
  }
  serviceSettings(): InstanceName {
    return this.name('Msvm_VirtualSystemManagementServiceSettingData', { InstanceID: `Microsoft:${this.hostName}` });
  }
  vswitch(name: string): InstanceName {
    return this.name(VSWITCH, { CreationClassName: VSWITCH, Name: name });
  }
  port(p: { name: string; switchName: string }): InstanceName {
    return this.name(PORT, { CreationClassName: PORT, Name: p.name, SystemCreationClassName: VSWITCH, SystemName: p.switchName });
  }
  vlanEndpoint(p: { name: string; switchName: string }): InstanceName {
    return this.name('Msvm_VLANEndpoint', {
      CreationClassName: 'Msvm_VLANEndpoint', Name: p.name, SystemCreationClassName: VSWITCH, SystemName: p.switchName,
    });
  }
  vlanSettings(portName: string): InstanceName {
    return this.name('Msvm_VLANEndpointSettingData', { InstanceID: vlanSettingsId(portName) });
  }
  switchEndpoint(name: string): InstanceName {
    const c = 'Msvm_SwitchLANEndpoint';
    return this.name(c, { CreationClassName: c, Name: name, SystemCreationClassName: CS, SystemName: this.hostName });
  }
  vmEndpoint(name: string, vmGuid: string): InstanceName {
    const c = 'Msvm_VmLANEndpoint';
    return this.name(c, { CreationClassName: c, Name: name, SystemCreationClassName: CS, SystemName: vmGuid });
  }
  /** A LAN endpoint of the domain, by its kind. */
  endpoint(e: { kind: string; name: string; systemName: string }): InstanceName {
    return e.kind === 'vm' ? this.vmEndpoint(e.name, e.systemName) : this.switchEndpoint(e.name);
  }
  externalPort(deviceId: string): InstanceName {
    const c = 'Msvm_ExternalEthernetPort';
    return this.name(c, { CreationClassName: c, DeviceID: deviceId, SystemCreationClassName: CS, SystemName: this.hostName });
  }
  internalPort(deviceId: string): InstanceName {
    const c = 'Msvm_InternalEthernetPort';
    return this.name(c, { CreationClassName: c, DeviceID: deviceId, SystemCreationClassName: CS, SystemName: this.hostName });
  }
  forwardingEntry(switchName: string, mac: string): InstanceName {
    const c = 'Msvm_DynamicForwardingEntry';
    return this.name(c, {
      CreationClassName: c, MACAddress: mac, ServiceCreationClassName: 'Msvm_TransparentBridgingService',
      ServiceName: switchName, SystemCreationClassName: CS, SystemName: this.hostName,
    });
  }
  vssd(guid: string): InstanceName {
    return this.name('Msvm_VirtualSystemSettingData', { InstanceID: `Microsoft:${guid}` });
  }
  vsgsd(guid: string): InstanceName {
    return this.name('Msvm_VirtualSystemGlobalSettingData', { InstanceID: `Microsoft:${guid}\\Global` });
  }
  rasd(nic: Pick<Nic, 'kind' | 'instanceId'>): InstanceName {
    return this.name(RASD_CLASS[nic.kind], { InstanceID: nic.instanceId });
  }
  device(nic: Pick<Nic, 'kind' | 'vmGuid' | 'deviceGuid'>): InstanceName {
    const c = DEVICE_CLASS[nic.kind];
    return this.name(c, { CreationClassName: c, DeviceID: deviceId(nic), SystemCreationClassName: CS, SystemName: nic.vmGuid });
  }
  template(kind: NicKind, which: TemplateKind): InstanceName {
    return this.name(RASD_CLASS[kind], { InstanceID: templateId(kind, which) });
  }
  pool(kind: NicKind): InstanceName {
    return this.name('Msvm_ResourcePool', { InstanceID: poolId(kind) });
  }
  capabilities(kind: NicKind): InstanceName {
    return this.name('Msvm_AllocationCapabilities', { InstanceID: `Microsoft:${POOL_GUID[kind]}` });
  }
  /** An association instance's name from its references. */
  assoc(cls: string, refs: Record<string, InstanceName>): InstanceName {
    return this.name(cls, refs);
  }
  job(j: Pick<Job, 'id' | 'jobClass'>): InstanceName {
    return this.name(j.jobClass === 'network' ? 'Msvm_NetworkJob' : 'Msvm_ConcreteJob', { InstanceID: j.id });
  }
}

export function paths(m: Msvm, ctx: { host: string }): Paths {
  return new Paths(m, ctx.host);
}

export function vlanSettingsId(portName: string): string {
  return `Microsoft:${portName}\\Root`;
}
export function poolId(kind: NicKind): string {
  return `Microsoft:${POOL_GUID[kind]}\\Root`;
}
export function templateId(kind: NicKind, which: TemplateKind): string {
  return `Microsoft:Definition\\${POOL_GUID[kind]}\\${which}`;
}
/** Device DeviceID: "Microsoft:<GUID>" (synthetic), "Microsoft:<GUID>\0" (emulated; reference 4.7). */
export function deviceId(nic: Pick<Nic, 'kind' | 'deviceGuid'>): string {
  return nic.kind === 'synthetic' ? `Microsoft:${nic.deviceGuid}` : `Microsoft:${nic.deviceGuid}\\0`;
}

/**
 * The WMI path text of a switch port exactly as the cimom prints that port's path, for
 * RASD Connection[0] (reference 1.1). Pass it to the domain as `formatPortPath`.
 */
export function portPathText(host: string, switchName: string, portName: string, ns = NAMESPACE): string {
  return InstanceName.of(
    PORT,
    { CreationClassName: PORT, Name: portName, SystemCreationClassName: VSWITCH, SystemName: switchName },
    ns,
    host,
  ).toString('wmi');
}

// ---- time ------------------------------------------------------------------------------

export function timestamp(ms: number | undefined): CIMDateTime | null {
  return ms === undefined ? null : CIMDateTime.fromDate(new Date(ms));
}
export function interval(ms: number): CIMDateTime {
  return CIMDateTime.interval(BigInt(Math.max(0, Math.round(ms))) * 1000n);
}

// ---- reading client input --------------------------------------------------------------

/** Thrown inside a method to answer a Hyper-V return code (reference 1.3). */
export function invalid(message: string): never {
  throw new DomainError(RC.INVALID_PARAMETER, message);
}

/** A REF parameter: an InstanceName, or text a client built by hand (any accepted form). */
export function refParam(v: unknown, what: string): InstanceName {
  if (v instanceof InstanceName) return v;
  if (typeof v === 'string' && v.trim() !== '') {
    try {
      return InstanceName.parse(v.trim());
    } catch (e) {
      return invalid(`${what}: ${(e as Error).message}`);
    }
  }
  if (v instanceof ClassName) return invalid(`${what} names a class, not an instance`);
  return invalid(`${what} is required`);
}

/** The value of key `k` of a REF as text, checking the class is `cls` or one of `accept`. */
export function refKey(ref: InstanceName, key: string, what: string, accept: string[]): string {
  if (!accept.some((c) => ciEq(c, ref.className))) invalid(`${what} must name a ${accept[0]}, not ${ref.className}`);
  const v = ref.key(key);
  if (v === undefined || v === '' || v instanceof InstanceName) invalid(`${what} lacks key ${key}`);
  return String(v);
}

/** Text parameter (trimmed of nothing); undefined when NULL. */
export function str(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof InstanceName) return v.toString('wmi');
  return String(v);
}

export function bool(v: unknown, what: string): boolean | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '1') return true;
    if (s === 'false' || s === '0') return false;
  }
  return invalid(`${what}: expected TRUE or FALSE, got ${JSON.stringify(String(v))}`);
}

/** An unsigned integer within [0, max]; strings ("100") coerced (reference 3.4). */
export function uint(v: unknown, what: string, max = 0xffff): number | undefined {
  if (v === null || v === undefined) return undefined;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'bigint') n = Number(v);
  else if (typeof v === 'string' && /^\s*[+]?[0-9]+\s*$/.test(v)) n = Number(v.trim());
  else return invalid(`${what}: expected a number, got ${JSON.stringify(String(v))}`);
  if (!Number.isInteger(n) || n < 0 || n > max) invalid(`${what}: ${n} is out of range 0..${max}`);
  return n;
}

export function uintArray(v: unknown, what: string, max = 0xffff): number[] | undefined {
  if (v === null || v === undefined) return undefined;
  const arr = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : [v];
  return arr.filter((x) => x !== null && x !== undefined).map((x, i) => uint(x, `${what}[${i}]`, max)!);
}

export function strArray(v: unknown): string[] | undefined {
  if (v === null || v === undefined) return undefined;
  const arr = Array.isArray(v) ? v : [v];
  return arr.filter((x) => x !== null && x !== undefined).map((x) => str(x)!);
}

/** An embedded-instance parameter as a CIMInstance (decoded when the client sent text). */
export function embedded(m: Msvm, v: unknown, what: string): CIMInstance {
  if (v instanceof CIMInstance) return v;
  if (typeof v !== 'string' || v.trim() === '') return invalid(`${what} is required`);
  let out: unknown;
  try {
    out = m.decode(v.trim());
  } catch (e) {
    return invalid(`${what} is not a CIM-XML instance: ${(e as Error).message}`);
  }
  if (!(out instanceof CIMInstance)) invalid(`${what} must hold an <INSTANCE>`);
  return out;
}

/** A property of a client instance, ignoring case; undefined when absent or NULL. */
export function prop(inst: CIMInstance, name: string): CIMValue | undefined {
  const v = inst.get(name);
  return v === null ? undefined : v;
}

/** The class of an embedded instance, checked against the repository when it names a known one. */
export function isA(ctx: ProviderContext, inst: CIMInstance, cls: string): boolean {
  if (ciEq(inst.className, cls)) return true;
  const known: CIMClass | undefined = ctx.repository.getClass(ctx.namespace, inst.className);
  return !!known && ctx.repository.isSubclassOf(ctx.namespace, known.name, cls);
}

/** A port by the path text or name a client gave (RASD Connection, REF as text). */
export function portByRef(m: Msvm, ref: InstanceName): SwitchPort | undefined {
  if (!ciEq(ref.className, PORT) && !ciEq(ref.className, 'CIM_SwitchPort')) return undefined;
  const name = ref.key('Name');
  if (typeof name !== 'string') return undefined;
  const p = m.net.port(name);
  if (!p) return undefined;
  const sys = ref.key('SystemName');
  if (typeof sys === 'string' && !ciEq(sys, p.switchName)) return undefined;
  return p;
}

/** Turns non-domain failures into a described CIM error (never a bare CIM_ERR_FAILED). */
export function described(e: unknown, what: string): Error {
  if (e instanceof DomainError || e instanceof CimError) return e;
  return new CimError('CIM_ERR_FAILED', `${what}: ${e instanceof Error ? e.message : String(e)}`);
}

// ---- method answers --------------------------------------------------------------------

/** Inherited methods Hyper-V documents as "not supported" (reference 2.1, 2.2, 4.1): 32770. */
export const notSupported = () => ({ ReturnValue: 32770 as const, out: {} });

export interface Answer<O> {
  ReturnValue: 0 | 4096 | 32768 | 32769 | 32770 | 32771 | 32772 | 32773 | 32774 | 32775 | 32776 | 32777 | 32778 | 32779;
  out: O;
}

/**
 * Runs a method body: 0 with its OUT parameters, or the DomainError's return code (reference
 * 1.3) with none. Any other failure becomes a CIM error that says what failed.
 */
export async function answer<O>(m: Msvm, what: string, fn: () => Promise<O> | O): Promise<Answer<O>> {
  try {
    return { ReturnValue: 0, out: await fn() };
  } catch (e) {
    if (e instanceof DomainError) {
      m.log?.(`${what} answered ${e.code}: ${e.message}`);
      return { ReturnValue: e.code, out: {} as O };
    }
    throw described(e, what);
  }
}

/** Like answer() for methods that start a job: 4096 and the Job path (reference 1.4). */
export async function answerJob<O extends { Job?: InstanceName | null }>(m: Msvm, what: string, fn: () => Promise<O> | O): Promise<Answer<O>> {
  const r = await answer(m, what, fn);
  return r.ReturnValue === 0 && r.out.Job ? { ReturnValue: 4096, out: r.out } : r;
}

// ---- instance lookups ------------------------------------------------------------------

function keyEq(a: unknown, b: unknown): boolean {
  if (a instanceof InstanceName && b instanceof InstanceName) return a.identity() === b.identity();
  if (typeof a === 'string' && typeof b === 'string') return ciEq(a, b);
  return a === b || String(a) === String(b);
}

/** get() by scanning a list: the first item whose key properties equal `key` (strings ignoring case). */
export function findByKey<T extends object>(items: Iterable<T>, key: object): T | undefined {
  const want = Object.entries(key);
  for (const t of items) if (want.every(([k, v]) => keyEq((t as Record<string, unknown>)[k], v))) return t;
  return undefined;
}

/** A read-only instance provider over a list (small sets: get scans). */
export function listed<T extends object, K extends object>(list: (ctx: ProviderContext) => T[]) {
  return {
    enumerate: (ctx: ProviderContext) => list(ctx),
    get: (key: K, ctx: ProviderContext) => findByKey(list(ctx), key),
  };
}

/** Reads the changed properties of a ModifyInstance, in declared spelling. */
export function changed<T>(changes: Partial<T>): Map<string, unknown> {
  return new Map(Object.entries(changes as object).map(([k, v]) => [k.toLowerCase(), v]));
}
