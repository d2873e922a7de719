/** Msvm_SettingsDefineState (reference 6): a VM and its current Msvm_VirtualSystemSettingData (exactly one). */
import type { Msvm_SettingsDefineState } from '../../../generated/root-virtualization/Msvm_SettingsDefineState.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const settingsDefineStateProvider = (m: Msvm) =>
  association<Msvm_SettingsDefineState>(m, (m, P) => m.net.vms().map((vm) => ({ ManagedElement: P.vm(vm.guid), SettingData: P.vssd(vm.guid) })));
