/** Msvm_NetworkElementSettingData (reference 6): a VLAN endpoint and its VLAN settings. */
import type { Msvm_NetworkElementSettingData } from '../../../generated/root-virtualization/Msvm_NetworkElementSettingData.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';

export const networkElementSettingDataProvider = (m: Msvm) =>
  association<Msvm_NetworkElementSettingData>(m, (m, P) =>
    m.net.ports().map((p) => ({ ManagedElement: P.vlanEndpoint(p), SettingData: P.vlanSettings(p.name), IsDefault: 0, IsCurrent: 1, IsNext: 0, IsMaximum: 0, IsMinimum: 0 })),
  );
