/**
 * Msvm_ResourcePool and Msvm_AllocationCapabilities (reference 4.9): one primordial pool and
 * one capabilities instance per NIC kind, so clients that discover the default NIC RASD
 * through pool -> capabilities -> Msvm_SettingsDefineCapabilities find the templates.
 */
import type { Msvm_AllocationCapabilities } from '../../generated/root-virtualization/Msvm_AllocationCapabilities.js';
import type { Msvm_ResourcePool } from '../../generated/root-virtualization/Msvm_ResourcePool.js';
import type { ProviderContext } from '../../generated/runtime.js';
import { toInstance } from '../../generated/runtime.js';
import { EMULATED_SUBTYPE, POOL_GUID, poolId, SYNTHETIC_SUBTYPE, type Msvm } from './common.js';
import type { NicKind } from './domain/types.js';

export const NIC_KINDS: NicKind[] = ['synthetic', 'emulated'];
const SUBTYPE: Record<NicKind, string> = { synthetic: SYNTHETIC_SUBTYPE, emulated: EMULATED_SUBTYPE };

export function poolObject(kind: NicKind): Msvm_ResourcePool {
  return {
    InstanceID: poolId(kind),
    PoolID: poolId(kind),
    ElementName: SUBTYPE[kind],
    Caption: 'Resource Pool',
    Description: 'Microsoft Resource Pool',
    ResourceType: 10,
    ResourceSubType: SUBTYPE[kind],
    Primordial: true,
    Capacity: 0n,
    Reserved: 0n,
    AllocationUnits: 'Ports',
    OperationalStatus: [2],
    HealthState: 5,
  };
}

export function capabilitiesObject(kind: NicKind): Msvm_AllocationCapabilities {
  return {
    InstanceID: `Microsoft:${POOL_GUID[kind]}`,
    ElementName: SUBTYPE[kind],
    Caption: 'Microsoft Virtual Machine Resource Pool Allocation Capabilities',
    Description: 'Microsoft Virtual Machine Resource Pool Allocation Capabilities',
    ResourceType: 10,
    ResourceSubType: SUBTYPE[kind],
    RequestTypesSupported: 3,
    SharingMode: 3,
    SupportedAddStates: [3],
    SupportedRemoveStates: [3],
  };
}

function provider(list: () => object[]) {
  return {
    enumerateInstances: (ctx: ProviderContext) => list().map((o) => toInstance(ctx.cls, o)),
  };
}

export const resourcePoolProvider = (_m: Msvm) => provider(() => NIC_KINDS.map(poolObject));
export const allocationCapabilitiesProvider = (_m: Msvm) => provider(() => NIC_KINDS.map(capabilitiesObject));
