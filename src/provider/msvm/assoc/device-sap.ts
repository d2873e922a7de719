/** Msvm_DeviceSAPImplementation (reference 6): a running VM's NIC device and its Msvm_VmLANEndpoint. */
import { association } from './assoc.js';
import type { Msvm } from '../common.js';
import { runningNics } from '../nic-device.js';

export const deviceSapProvider = (m: Msvm) =>
  association(m, (m, P) =>
    runningNics(m).map(({ nic, rt }) => ({ Antecedent: P.device(nic), Dependent: P.vmEndpoint(rt.endpointName, nic.vmGuid) })),
  );
