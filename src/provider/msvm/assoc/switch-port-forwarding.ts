/** Msvm_SwitchPortDynamicForwarding (reference 6): a switch port and the MACs learned on it. */
import type { Msvm_SwitchPortDynamicForwarding } from '../../../generated/root-virtualization/Msvm_SwitchPortDynamicForwarding.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';
import { forwardingEntries } from '../bridging.js';

export const switchPortForwardingProvider = (m: Msvm) =>
  association<Msvm_SwitchPortDynamicForwarding>(m, (m, P) =>
    forwardingEntries(m).flatMap(({ switchName, entry }) => {
      const port = m.net.port(entry.portName);
      return port ? [{ Antecedent: P.port(port), Dependent: P.forwardingEntry(switchName, entry.mac) }] : [];
    }),
  );
