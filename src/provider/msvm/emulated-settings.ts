/** Msvm_EmulatedEthernetPortSettingData (reference 4.6): legacy NIC RASDs and templates. */
import type { Msvm } from './common.js';
import { nicSettingsInstances } from './nic-settings.js';

export function emulatedSettingsProvider(m: Msvm) {
  return nicSettingsInstances(m, 'emulated');
}
