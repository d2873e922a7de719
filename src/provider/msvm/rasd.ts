/**
 * Msvm_ResourceAllocationSettingData (reference 4.4): the generic RASD of non-NIC devices.
 * We model no disks, controllers or consoles, so there are none; registering a read-only
 * provider keeps clients from storing such instances through the default provider, and
 * `ASSOCIATORS OF {vssd} WHERE ResultClass = Msvm_ResourceAllocationSettingData` stays empty
 * as on Hyper-V (the NIC RASDs are not its subclasses).
 */
import type { Msvm } from './common.js';

export const rasdProvider = (_m: Msvm) => ({ enumerateInstances: () => [] });
