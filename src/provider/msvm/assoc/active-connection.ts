/**
 * Msvm_ActiveConnection (reference 6, 7.3): a switch port and the LAN endpoint it is actively
 * connected to (a host NIC's switch endpoint, or a running VM NIC's endpoint).
 */
import type { Msvm_ActiveConnection } from '../../../generated/root-virtualization/Msvm_ActiveConnection.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const activeConnectionProvider = (m: Msvm) =>
  association<Msvm_ActiveConnection>(m, (m, P) =>
    m.net.connections().flatMap((c) => {
      const port = m.net.port(c.portName);
      const ep = m.net.endpoint(c.endpointName);
      if (!port || !ep) return [];
      return [{ Antecedent: P.port(port), Dependent: P.endpoint(ep), TrafficType: 0, IsUnidirectional: false }];
    }),
  );
