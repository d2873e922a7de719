/** Msvm_BindsTo (reference 6): a switch port and its VLAN endpoint. */
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const bindsToProvider = (m: Msvm) =>
  association(m, (m, P) => m.net.ports().map((p) => ({ Antecedent: P.port(p), Dependent: P.vlanEndpoint(p) })));
