/**
 * Msvm_VirtualSystemSettingData (reference 4.2): the current settings of each VM,
 * InstanceID "Microsoft:<VM GUID>", SettingType 3, VirtualSystemType "301". Changed through
 * ModifyVirtualSystem; snapshots are not modelled.
 */
import type {
  Msvm_VirtualSystemSettingData as T,
  Msvm_VirtualSystemSettingDataKey as K,
} from '../../generated/root-virtualization/Msvm_VirtualSystemSettingData.js';
import type { ProviderContext } from '../../generated/runtime.js';
import { untypedProvider } from '../../generated/runtime.js';
import { timestamp, type Msvm } from './common.js';
import type { Vm } from './domain/types.js';
import { storedSettings, vmOfSettings } from './vm-settings.js';

export function vssdInstance(ctx: ProviderContext, vm: Vm): T {
  return {
    BootOrder: [2, 1, 0, 3],
    BIOSNumLock: false,
    BIOSGUID: `{${vm.guid}}`,
    ...(storedSettings(ctx.cls, vm) as Partial<T>),
    InstanceID: `Microsoft:${vm.guid}`,
    SystemName: vm.guid,
    ElementName: vm.elementName,
    Caption: 'Virtual Machine',
    Description: 'Active settings for the virtual machine',
    SettingType: 3,
    VirtualSystemIdentifier: vm.guid,
    VirtualSystemType: '301',
    Notes: vm.notes === '' ? [] : [vm.notes],
    CreationTime: timestamp(vm.creationTime),
  };
}

export function vssdProvider(m: Msvm) {
  return untypedProvider<T, K>({
    instances: {
      enumerate: (ctx) => m.net.vms().map((vm) => vssdInstance(ctx, vm)),
      get: (k, ctx) => {
        const vm = vmOfSettings(m, k.InstanceID, '');
        return vm ? vssdInstance(ctx, vm) : undefined;
      },
    },
  });
}
