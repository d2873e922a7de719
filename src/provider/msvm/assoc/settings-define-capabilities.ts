/**
 * Msvm_SettingsDefineCapabilities (reference 4.9, 6): each NIC kind's allocation capabilities
 * and its four templates, (ValueRange, ValueRole) = Default (0, 0), Minimums (1, 3),
 * Maximums (2, 3), Increments (3, 3).
 */
import type { Msvm_SettingsDefineCapabilities } from '../../../generated/root-virtualization/Msvm_SettingsDefineCapabilities.js';
import { association } from './assoc.js';
import { TEMPLATE_KINDS, type Msvm } from '../common.js';
import { NIC_KINDS } from '../resource-pool.js';

export const settingsDefineCapabilitiesProvider = (m: Msvm) =>
  association<Msvm_SettingsDefineCapabilities>(m, (_m, P) =>
    NIC_KINDS.flatMap((kind) =>
      TEMPLATE_KINDS.map((which, i) => ({
        GroupComponent: P.capabilities(kind),
        PartComponent: P.template(kind, which),
        PropertyPolicy: 0,
        ValueRange: i,
        ValueRole: i === 0 ? 0 : 3,
      })),
    ),
  );
