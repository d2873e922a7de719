/** Msvm_TransparentBridgingDynamicForwarding (reference 6): a switch's bridging service and its learned MACs. */
import { association } from './assoc.js';
import type { Msvm } from '../common.js';
import { forwardingEntries } from '../bridging.js';

export const bridgingForwardingProvider = (m: Msvm) =>
  association(m, (m, P) =>
    forwardingEntries(m).map(({ switchName, entry }) => ({ Antecedent: P.bridging(switchName), Dependent: P.forwardingEntry(switchName, entry.mac) })),
  );
