/** Msvm_HostedSwitchService (reference 6): a switch and its learning-bridge service. */
import type { Msvm_HostedSwitchService } from '../../../generated/root-virtualization/Msvm_HostedSwitchService.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const hostedSwitchServiceProvider = (m: Msvm) =>
  association<Msvm_HostedSwitchService>(m, (m, P) => m.net.switches().map((s) => ({ Antecedent: P.vswitch(s.name), Dependent: P.bridging(s.name) })));
