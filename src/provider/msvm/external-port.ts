/**
 * Msvm_ExternalEthernetPort (reference 3.6): the host's NICs as the domain lists them from
 * sysfs (loopback and our own devices excluded). DeviceID is the stable "{GUID}" the domain
 * derives; Name the adapter description, ElementName the Linux interface name. IsBound
 * follows Bind/UnbindExternalEthernetPort.
 */
import type {
  Msvm_ExternalEthernetPort as T,
  Msvm_ExternalEthernetPortKey as K,
} from '../../generated/root-virtualization/Msvm_ExternalEthernetPort.js';
import { untypedProvider } from '../../generated/runtime.js';
import { CS, listed, type Msvm } from './common.js';
import type { ExternalNic } from './domain/types.js';

const CLASS = 'Msvm_ExternalEthernetPort';

export function externalPortInstance(n: ExternalNic, hostName: string): T {
  const speed = n.speed === undefined ? null : BigInt(n.speed);
  const up = n.operState === 'up' || n.operState === 'unknown';
  return {
    CreationClassName: CLASS,
    DeviceID: n.deviceId,
    SystemCreationClassName: CS,
    SystemName: hostName,
    Name: n.name,
    ElementName: n.ifname,
    Caption: 'Ethernet Port',
    Description: 'Physical Ethernet Port',
    IsBound: n.isBound,
    PermanentAddress: n.mac,
    NetworkAddresses: [n.mac],
    MaxDataSize: n.mtu,
    ActiveMaximumTransmissionUnit: BigInt(n.mtu),
    SupportedMaximumTransmissionUnit: BigInt(n.mtu),
    Speed: speed,
    MaxSpeed: speed,
    RequestedSpeed: speed,
    LinkTechnology: 2,
    PortType: 1,
    FullDuplex: true,
    AutoSense: true,
    EnabledState: up ? 2 : 3,
    RequestedState: 12,
    EnabledDefault: 2,
    OperationalStatus: [up ? 2 : 10],
    HealthState: 5,
  };
}

export function externalPortProvider(m: Msvm) {
  return untypedProvider<T, K>({
    instances: {
      ...listed<T, K>(() => m.net.externalNics().map((n) => externalPortInstance(n, m.net.host().name))),
      get: (k) => {
        const n = m.net.externalNic(k.DeviceID);
        return n ? externalPortInstance(n, m.net.host().name) : undefined;
      },
    },
  });
}
