/**
 * The Ethernet RASDs (reference 4.5, 4.6) shared by Msvm_SyntheticEthernetPortSettingData and
 * Msvm_EmulatedEthernetPortSettingData: every VM NIC of the kind plus the four templates
 * "Microsoft:Definition\<pool GUID>\{Default,Minimum,Maximum,Increment}" clients clone
 * (found by `InstanceID LIKE '%Default'` or through the pool model). Connection[0] holds the
 * port's WMI path text; Address the 12-hex MAC (NULL on templates).
 */
import type { Msvm_SyntheticEthernetPortSettingData as Rasd } from '../../generated/root-virtualization/Msvm_SyntheticEthernetPortSettingData.js';
import type { ProviderContext } from '../../generated/runtime.js';
import { toInstance } from '../../generated/runtime.js';
import { EMULATED_SUBTYPE, poolId, SYNTHETIC_SUBTYPE, TEMPLATE_KINDS, templateId, type Msvm, type TemplateKind } from './common.js';
import type { Nic, NicKind } from './domain/types.js';

const SUBTYPE: Record<NicKind, string> = { synthetic: SYNTHETIC_SUBTYPE, emulated: EMULATED_SUBTYPE };
const DESCRIPTION: Record<NicKind, string> = {
  synthetic: 'Settings for the Microsoft Synthetic Ethernet Port',
  emulated: 'Settings for the Microsoft Emulated Ethernet Port',
};

/** The typed shape serves both classes: the emulated one only lacks VirtualSystemIdentifiers. */
function common(kind: NicKind): Partial<Rasd> {
  return {
    Caption: 'Ethernet Port',
    Description: DESCRIPTION[kind],
    ResourceType: 10,
    ResourceSubType: SUBTYPE[kind],
    PoolID: poolId(kind),
    AllocationUnits: 'Ports',
    VirtualQuantity: 1n,
    Reservation: 1n,
    Limit: 1n,
    Weight: 0,
    AutomaticAllocation: true,
    AutomaticDeallocation: true,
  };
}

/** The RASD of a VM NIC as a plain object of declared property names. */
export function nicObject(n: Nic): Rasd {
  const o: Rasd = {
    ...common(n.kind),
    InstanceID: n.instanceId,
    ElementName: n.elementName,
    Address: n.address,
    StaticMacAddress: n.staticMac,
    Connection: n.connection === '' ? [] : [n.connection],
    ConsumerVisibility: 3,
  };
  if (n.kind === 'synthetic') o.VirtualSystemIdentifiers = [...n.virtualSystemIdentifiers];
  return o;
}

export function templateObject(kind: NicKind, which: TemplateKind): Rasd {
  return { ...common(kind), InstanceID: templateId(kind, which), ElementName: 'Ethernet Port', StaticMacAddress: true };
}

function allNics(m: Msvm, kind: NicKind): Nic[] {
  return m.net.vms().flatMap((vm) => vm.nics.filter((n) => n.kind === kind));
}

/** The instance provider of one NIC RASD class. */
export function nicSettingsInstances(m: Msvm, kind: NicKind) {
  const inst = (ctx: ProviderContext, o: Rasd) => toInstance(ctx.cls, o);
  return {
    enumerateInstances: (ctx: ProviderContext) => [
      ...TEMPLATE_KINDS.map((w) => inst(ctx, templateObject(kind, w))),
      ...allNics(m, kind).map((n) => inst(ctx, nicObject(n))),
    ],
    getInstance: (ctx: ProviderContext, name: { key(k: string): unknown }) => {
      const id = name.key('InstanceID');
      if (typeof id !== 'string') return undefined;
      const w = TEMPLATE_KINDS.find((t) => templateId(kind, t) === id);
      if (w) return inst(ctx, templateObject(kind, w));
      const n = m.net.nic(id);
      return n && n.kind === kind && n.instanceId === id ? inst(ctx, nicObject(n)) : undefined;
    },
  };
}
