/** Msvm_ServiceAffectsElement (reference 6): the VM management service manages each VM (ElementEffects 5 "Manages"). */
import type { Msvm_ServiceAffectsElement } from '../../../generated/root-virtualization/Msvm_ServiceAffectsElement.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const serviceAffectsElementProvider = (m: Msvm) =>
  association<Msvm_ServiceAffectsElement>(m, (m, P) => m.net.vms().map((vm) => ({ AffectingElement: P.systemService(), AffectedElement: P.vm(vm.guid), ElementEffects: [5] })));
