/** Msvm_SettingsDefineState (reference 6): a VM and its current Msvm_VirtualSystemSettingData (exactly one). */
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const settingsDefineStateProvider = (m: Msvm) =>
  association(m, (m, P) => m.net.vms().map((vm) => ({ ManagedElement: P.vm(vm.guid), SettingData: P.vssd(vm.guid) })));
