/**
 * Reading the embedded instances of the VM management methods (reference 1.5): a VM's
 * global or system settings (DefineVirtualSystem, ModifyVirtualSystem) and NIC RASDs
 * (Add/ModifyVirtualSystemResources). Input arrives as a CIMInstance or as CIM-XML text
 * (WMI's CimDtd20 / WmiDtd20 with `__` system properties, CLASSORIGIN, empty PROPERTY
 * elements); names are matched ignoring case, `__*` and unknown properties are ignored,
 * and the InstanceID of a cloned template is ignored on Add (a new one is minted).
 */
import { CIMDateTime } from '../../cim/datetime.js';
import type { CIMInstance } from '../../cim/instance.js';
import { ciEq } from '../../cim/names.js';
import { InstanceName } from '../../cim/path.js';
import type { CIMValue } from '../../cim/types.js';
import type { ProviderContext } from '../../generated/runtime.js';
import {
  bool, EMULATED_SUBTYPE, embedded, invalid, isA, portByRef, portPathText, prop, PORT, RASD_CLASS, str, strArray,
  SYNTHETIC_SUBTYPE, type Msvm,
} from './common.js';
import type { NicChanges, NicInput, NicKind, VmInput } from './domain/types.js';

/** VSSD / VSGSD properties that the server owns (never taken from a client). */
const OWNED = new Set(
  ['InstanceID', 'SystemName', 'SettingType', 'Caption', 'Description', 'VirtualSystemIdentifier', 'VirtualSystemType', 'CreationTime', 'ElementName', 'Notes'].map(
    (s) => s.toLowerCase(),
  ),
);
const SETTINGS_CLASSES = ['Msvm_VirtualSystemSettingData', 'Msvm_VirtualSystemGlobalSettingData'];

/** A CIM value as plain JSON data for the domain's settings bag. */
function plain(v: CIMValue): unknown {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map((x) => plain(x as CIMValue));
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof CIMDateTime || v instanceof InstanceName) return v.toString();
  if (typeof v === 'object') return undefined;
  return v;
}

/** The declared spelling of a settings property, or undefined when neither settings class has it. */
function settingName(ctx: ProviderContext, name: string): string | undefined {
  for (const c of SETTINGS_CLASSES) {
    const n = ctx.repository.getClass(ctx.namespace, c)?.properties.nameOf(name);
    if (n) return n;
  }
  return undefined;
}

/** VM settings from an embedded VSGSD / VSSD. */
export function vmInput(m: Msvm, ctx: ProviderContext, v: unknown, what: string): VmInput {
  const inst = embedded(m, v, what);
  if (!isA(ctx, inst, 'CIM_VirtualSystemSettingData')) invalid(`${what} must be a virtual system setting data, not ${inst.className}`);
  const out: VmInput = {};
  const name = str(prop(inst, 'ElementName'));
  if (name !== undefined) out.elementName = name;
  const rawNotes = prop(inst, 'Notes');
  const notes = Array.isArray(rawNotes) ? strArray(rawNotes)!.join('\n') : str(rawNotes);
  if (notes !== undefined) out.notes = notes;
  const settings: Record<string, unknown> = {};
  for (const pv of inst.properties.values()) {
    if (pv.name.startsWith('__') || OWNED.has(pv.name.toLowerCase()) || pv.value === null) continue;
    const n = settingName(ctx, pv.name);
    const val = plain(pv.value);
    if (n && val !== undefined) settings[n] = val;
  }
  if (Object.keys(settings).length > 0) out.settings = settings;
  return out;
}

/** Which NIC kind an embedded RASD describes; 32770 for other resources (not modelled). */
export function nicKind(ctx: ProviderContext, inst: CIMInstance, what: string): NicKind {
  if (isA(ctx, inst, RASD_CLASS.synthetic)) return 'synthetic';
  if (isA(ctx, inst, RASD_CLASS.emulated)) return 'emulated';
  const sub = str(prop(inst, 'ResourceSubType'));
  if (sub && ciEq(sub, SYNTHETIC_SUBTYPE)) return 'synthetic';
  if (sub && ciEq(sub, EMULATED_SUBTYPE)) return 'emulated';
  return invalid(`${what}: ${inst.className} ${sub ? `(${sub}) ` : ''}is not an Ethernet port setting data; only NICs are supported`);
}

/**
 * RASD Connection[0] as stored: '' when unconnected; the canonical WMI path text of the port
 * when the text names one (any form a client builds, reference 1.1); else the text as given
 * (a dangling reference is legal, reference 7.6).
 */
export function connectionOf(m: Msvm, ctx: ProviderContext, v: unknown): string {
  const first = Array.isArray(v) ? v.find((x) => x !== null && x !== undefined) : v;
  const text = str(first) ?? '';
  if (text.trim() === '') return '';
  let ref: InstanceName;
  try {
    ref = first instanceof InstanceName ? first : InstanceName.parse(text.trim());
  } catch (e) {
    return invalid(`Connection[0] is not an object path: ${(e as Error).message}`);
  }
  const port = portByRef(m, ref);
  if (port) return portPathText(ctx.host, port.switchName, port.name, ctx.namespace);
  const name = ref.key('Name');
  const sys = ref.key('SystemName');
  if (ciEq(ref.className, PORT) && typeof name === 'string' && typeof sys === 'string') return portPathText(ctx.host, sys, name, ctx.namespace);
  return text;
}

/** A NIC to add, from an embedded RASD. */
export function nicInput(m: Msvm, ctx: ProviderContext, v: unknown, what: string): NicInput {
  const inst = embedded(m, v, what);
  const kind = nicKind(ctx, inst, what);
  const out: NicInput = { kind, connection: connectionOf(m, ctx, prop(inst, 'Connection')) };
  const name = str(prop(inst, 'ElementName'));
  if (name !== undefined) out.elementName = name;
  const address = str(prop(inst, 'Address'));
  if (address !== undefined) out.address = address;
  const staticMac = bool(prop(inst, 'StaticMacAddress'), 'StaticMacAddress');
  out.staticMac = staticMac ?? (address !== undefined && address !== '');
  if (kind === 'synthetic') {
    const ids = strArray(prop(inst, 'VirtualSystemIdentifiers'));
    if (ids !== undefined) out.virtualSystemIdentifiers = ids;
  }
  return out;
}

/** A NIC change, from an embedded RASD naming its target by InstanceID. */
export function nicChange(m: Msvm, ctx: ProviderContext, v: unknown, what: string): NicChanges & { instanceId: string } {
  const inst = embedded(m, v, what);
  nicKind(ctx, inst, what);
  const id = str(prop(inst, 'InstanceID'));
  if (!id) invalid(`${what} lacks the InstanceID of the NIC to modify`);
  const out: NicChanges & { instanceId: string } = { instanceId: id };
  if (inst.has('ElementName')) out.elementName = str(prop(inst, 'ElementName')) ?? '';
  if (inst.has('Address')) out.address = str(prop(inst, 'Address')) ?? null;
  if (inst.has('StaticMacAddress')) {
    const b = bool(prop(inst, 'StaticMacAddress'), 'StaticMacAddress');
    if (b !== undefined) out.staticMac = b;
  }
  if (inst.has('Connection')) out.connection = connectionOf(m, ctx, prop(inst, 'Connection'));
  if (inst.has('VirtualSystemIdentifiers')) out.virtualSystemIdentifiers = strArray(prop(inst, 'VirtualSystemIdentifiers')) ?? null;
  return out;
}
