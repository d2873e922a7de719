/** Msvm_SystemDevice (reference 6): the host and its NICs (external, internal); a running VM and its NIC devices. */
import type { Msvm_SystemDevice } from '../../../generated/root-virtualization/Msvm_SystemDevice.js';
import { association } from './assoc.js';
import type { Msvm } from '../common.js';
import { runningNics } from '../nic-device.js';

export const systemDeviceProvider = (m: Msvm) =>
  association<Msvm_SystemDevice>(m, (m, P) => [
    ...m.net.externalNics().map((n) => ({ GroupComponent: P.hostSystem(), PartComponent: P.externalPort(n.deviceId) })),
    ...m.net.internalPorts().map((p) => ({ GroupComponent: P.hostSystem(), PartComponent: P.internalPort(p.deviceId) })),
    ...runningNics(m).map(({ nic }) => ({ GroupComponent: P.vm(nic.vmGuid), PartComponent: P.device(nic) })),
  ]);
