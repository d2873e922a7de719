/** Msvm_SyntheticEthernetPortSettingData (reference 4.5): synthetic NIC RASDs and templates. */
import type { Msvm } from './common.js';
import { nicSettingsInstances } from './nic-settings.js';

export function syntheticSettingsProvider(m: Msvm) {
  return nicSettingsInstances(m, 'synthetic');
}
