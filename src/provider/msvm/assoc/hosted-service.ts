/** Msvm_HostedService (reference 6): the host runs both management services. */
import type { Msvm_HostedService } from '../../../generated/root-virtualization/Msvm_HostedService.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const hostedServiceProvider = (m: Msvm) =>
  association<Msvm_HostedService>(m, (_m, P) => [
    { Antecedent: P.hostSystem(), Dependent: P.switchService() },
    { Antecedent: P.hostSystem(), Dependent: P.systemService() },
  ]);
