/** Msvm_TransparentBridgingDynamicForwarding (reference 6): a switch's bridging service and its learned MACs. */
import type { Msvm_TransparentBridgingDynamicForwarding } from '../../../generated/root-virtualization/Msvm_TransparentBridgingDynamicForwarding.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';
import { forwardingEntries } from '../bridging.js';

export const bridgingForwardingProvider = (m: Msvm) =>
  association<Msvm_TransparentBridgingDynamicForwarding>(m, (m, P) =>
    forwardingEntries(m).map(({ switchName, entry }) => ({ Antecedent: P.bridging(switchName), Dependent: P.forwardingEntry(switchName, entry.mac) })),
  );
