/**
 * Shared by Msvm_VirtualSystemSettingData and Msvm_VirtualSystemGlobalSettingData: the VM's
 * stored settings bag (property name -> value, from DefineVirtualSystem / ModifyVirtualSystem)
 * filtered to the properties the class has, and the VM a settings InstanceID names.
 */
import type { CIMClass } from '../../cim/class.js';
import type { Msvm } from './common.js';
import type { Vm } from './domain/types.js';

/** The settings of `vm` that `cls` declares, in declared spelling. */
export function storedSettings(cls: CIMClass, vm: Vm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vm.settings ?? {})) {
    const n = cls.properties.nameOf(k);
    if (n && !cls.keys.includes(n)) out[n] = v;
  }
  return out;
}

/** The VM of an InstanceID "Microsoft:<GUID><suffix>", exact (case-sensitive) as printed. */
export function vmOfSettings(m: Msvm, instanceId: string, suffix: string): Vm | undefined {
  const r = /^Microsoft:(.*)$/i.exec(instanceId);
  if (!r || !r[1]!.endsWith(suffix)) return undefined;
  const vm = m.net.vm(r[1]!.slice(0, r[1]!.length - suffix.length));
  return vm && `Microsoft:${vm.guid}${suffix}` === instanceId ? vm : undefined;
}
