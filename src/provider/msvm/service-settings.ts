/**
 * Msvm_VirtualSystemManagementServiceSettingData (reference 2.3): the one settings instance
 * of the VM management service, InstanceID "Microsoft:<host>", carrying the dynamic MAC pool
 * (changed through ModifyServiceSettings, reference 8).
 */
import { ciEq } from '../../cim/names.js';
import type {
  Msvm_VirtualSystemManagementServiceSettingData as T,
  Msvm_VirtualSystemManagementServiceSettingDataKey as K,
} from '../../generated/root-virtualization/Msvm_VirtualSystemManagementServiceSettingData.js';
import { untypedProvider } from '../../generated/runtime.js';
import type { Msvm } from './common.js';

export function serviceSettingsInstance(m: Msvm): T {
  const h = m.net.host();
  return {
    InstanceID: `Microsoft:${h.name}`,
    Caption: 'Virtual System Management Service',
    Description: 'Settings for the Virtual System Management Service',
    ElementName: 'Virtual System Management Service',
    MinimumMacAddress: h.macPool.min,
    MaximumMacAddress: h.macPool.max,
    DefaultExternalDataRoot: '/var/lib/cimswitch',
    DefaultVirtualHardDiskPath: '/var/lib/cimswitch',
    PrimaryOwnerName: 'Administrators',
    PrimaryOwnerContact: '',
    ScopeOfResidence: '',
    NumaSpanningEnabled: true,
    BiosLockString: '',
  };
}

export function serviceSettingsProvider(m: Msvm) {
  return untypedProvider<T, K>({
    instances: {
      enumerate: () => [serviceSettingsInstance(m)],
      get: (k) => {
        const i = serviceSettingsInstance(m);
        return ciEq(k.InstanceID, i.InstanceID) ? i : undefined;
      },
    },
  });
}
