/** Msvm_DeviceSAPImplementation (reference 6): a running VM's NIC device and its Msvm_VmLANEndpoint. */
import type { Msvm_DeviceSAPImplementation } from '../../../generated/root-virtualization/Msvm_DeviceSAPImplementation.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';
import { runningNics } from '../nic-device.js';

export const deviceSapProvider = (m: Msvm) =>
  association<Msvm_DeviceSAPImplementation>(m, (m, P) =>
    runningNics(m).map(({ nic, rt }) => ({ Antecedent: P.device(nic), Dependent: P.vmEndpoint(rt.endpointName, nic.vmGuid) })),
  );
