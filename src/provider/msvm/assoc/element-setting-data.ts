/** Msvm_ElementSettingData (reference 6): a running NIC device and its RASD; a VM and its global settings. */
import type { Msvm_ElementSettingData } from '../../../generated/root-virtualization/Msvm_ElementSettingData.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';
import { runningNics } from '../nic-device.js';

const FLAGS = { IsDefault: 0, IsCurrent: 1, IsNext: 0, IsMaximum: 0, IsMinimum: 0 } as const;

export const elementSettingDataProvider = (m: Msvm) =>
  association<Msvm_ElementSettingData>(m, (m, P) => [
    ...m.net.vms().map((vm) => ({ ManagedElement: P.vm(vm.guid), SettingData: P.vsgsd(vm.guid), ...FLAGS })),
    ...runningNics(m).map(({ nic }) => ({ ManagedElement: P.device(nic), SettingData: P.rasd(nic), ...FLAGS })),
  ]);
