/** Msvm_HostedDependency (reference 6): the host and each VM. */
import type { Msvm_HostedDependency } from '../../../generated/root-virtualization/Msvm_HostedDependency.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const hostedDependencyProvider = (m: Msvm) =>
  association<Msvm_HostedDependency>(m, (m, P) => m.net.vms().map((vm) => ({ Antecedent: P.hostSystem(), Dependent: P.vm(vm.guid) })));
