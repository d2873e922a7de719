/**
 * Msvm_VirtualSystemGlobalSettingData (reference 4.3): per VM, InstanceID
 * "Microsoft:<VM GUID>\Global", SettingType 32768, ElementName the VM's name (clients set it
 * here in DefineVirtualSystem), the startup/shutdown/recovery actions with Hyper-V's defaults
 * unless the client gave others.
 */
import type {
  Msvm_VirtualSystemGlobalSettingData as T,
  Msvm_VirtualSystemGlobalSettingDataKey as K,
} from '../../generated/root-virtualization/Msvm_VirtualSystemGlobalSettingData.js';
import type { ProviderContext } from '../../generated/runtime.js';
import { untypedProvider } from '../../generated/runtime.js';
import { interval, timestamp, type Msvm } from './common.js';
import type { Vm } from './domain/types.js';
import { storedSettings, vmOfSettings } from './vm-settings.js';

export function vsgsdInstance(ctx: ProviderContext, vm: Vm): T {
  return {
    AutomaticStartupAction: 1,
    AutomaticStartupActionDelay: interval(0),
    AutomaticShutdownAction: 1,
    AutomaticRecoveryAction: 1,
    ExternalDataRoot: '',
    SnapshotDataRoot: '',
    ScopeOfResidence: '',
    Version: '1.0',
    ...(storedSettings(ctx.cls, vm) as Partial<T>),
    InstanceID: `Microsoft:${vm.guid}\\Global`,
    SystemName: vm.guid,
    ElementName: vm.elementName,
    Caption: 'Virtual Machine Global Settings',
    Description: 'Global settings for the virtual machine',
    SettingType: 32768,
    VirtualSystemIdentifier: vm.guid,
    VirtualSystemType: '301',
    Notes: vm.notes === '' ? [] : [vm.notes],
    CreationTime: timestamp(vm.creationTime),
  };
}

export function vsgsdProvider(m: Msvm) {
  return untypedProvider<T, K>({
    instances: {
      enumerate: (ctx) => m.net.vms().map((vm) => vsgsdInstance(ctx, vm)),
      get: (k, ctx) => {
        const vm = vmOfSettings(m, k.InstanceID, '\\Global');
        return vm ? vsgsdInstance(ctx, vm) : undefined;
      },
    },
  });
}
