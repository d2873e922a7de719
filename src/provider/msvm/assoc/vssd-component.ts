/** Msvm_VirtualSystemSettingDataComponent (reference 6): a VM's settings and each of its NIC RASDs. */
import type { Msvm_VirtualSystemSettingDataComponent } from '../../../generated/root-virtualization/Msvm_VirtualSystemSettingDataComponent.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const vssdComponentProvider = (m: Msvm) =>
  association<Msvm_VirtualSystemSettingDataComponent>(m, (m, P) => m.net.vms().flatMap((vm) => vm.nics.map((n) => ({ GroupComponent: P.vssd(vm.guid), PartComponent: P.rasd(n) }))));
