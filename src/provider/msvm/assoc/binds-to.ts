/** Msvm_BindsTo (reference 6): a switch port and its VLAN endpoint. */
import type { Msvm_BindsTo } from '../../../generated/root-virtualization/Msvm_BindsTo.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const bindsToProvider = (m: Msvm) =>
  association<Msvm_BindsTo>(m, (m, P) => m.net.ports().map((p) => ({ Antecedent: P.port(p), Dependent: P.vlanEndpoint(p) })));
