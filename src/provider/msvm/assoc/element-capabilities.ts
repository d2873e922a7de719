/** Msvm_ElementCapabilities (reference 4.9, 6): each NIC resource pool and its allocation capabilities. */
import type { Msvm_ElementCapabilities } from '../../../generated/root-virtualization/Msvm_ElementCapabilities.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';
import { NIC_KINDS } from '../resource-pool.js';

export const elementCapabilitiesProvider = (m: Msvm) =>
  association<Msvm_ElementCapabilities>(m, (_m, P) => NIC_KINDS.map((kind) => ({ ManagedElement: P.pool(kind), Capabilities: P.capabilities(kind), Characteristics: [2] })));
