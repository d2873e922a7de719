/** Msvm_HostedAccessPoint (reference 6): a switch and each of its ports. */
import type { Msvm_HostedAccessPoint } from '../../../generated/root-virtualization/Msvm_HostedAccessPoint.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const hostedAccessPointProvider = (m: Msvm) =>
  association<Msvm_HostedAccessPoint>(m, (m, P) => m.net.ports().map((p) => ({ Antecedent: P.vswitch(p.switchName), Dependent: P.port(p) })));
