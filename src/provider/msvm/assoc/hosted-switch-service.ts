/** Msvm_HostedSwitchService (reference 6): a switch and its learning-bridge service. */
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const hostedSwitchServiceProvider = (m: Msvm) =>
  association(m, (m, P) => m.net.switches().map((s) => ({ Antecedent: P.vswitch(s.name), Dependent: P.bridging(s.name) })));
