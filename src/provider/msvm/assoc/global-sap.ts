/** Msvm_GlobalEthernetPortSAPImplementation (reference 6): a host NIC (internal or bound external) and its switch LAN endpoint. */
import type { Msvm_GlobalEthernetPortSAPImplementation } from '../../../generated/root-virtualization/Msvm_GlobalEthernetPortSAPImplementation.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const globalSapProvider = (m: Msvm) =>
  association<Msvm_GlobalEthernetPortSAPImplementation>(m, (m, P) =>
    m.net.endpoints().flatMap((e) => {
      if (e.kind === 'external') return [{ Antecedent: P.externalPort(e.owner), Dependent: P.switchEndpoint(e.name) }];
      if (e.kind !== 'internal') return [];
      const ip = m.net.internalPort(e.owner);
      return ip ? [{ Antecedent: P.internalPort(ip.deviceId), Dependent: P.switchEndpoint(e.name) }] : [];
    }),
  );
