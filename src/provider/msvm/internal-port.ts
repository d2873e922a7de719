/**
 * Msvm_InternalEthernetPort (reference 3.7): a host virtual NIC made by
 * CreateInternalEthernetPort[DynamicMac] or SetupSwitch. DeviceID "Microsoft:<Name>" (the
 * reference leaves the format open), Name the creation Name, ElementName its FriendlyName.
 */
import type {
  Msvm_InternalEthernetPort as T,
  Msvm_InternalEthernetPortKey as K,
} from '../../generated/root-virtualization/Msvm_InternalEthernetPort.js';
import { untypedProvider } from '../../generated/runtime.js';
import { CS, listed, type Msvm } from './common.js';
import type { InternalPort } from './domain/types.js';

const CLASS = 'Msvm_InternalEthernetPort';

export function internalPortInstance(p: InternalPort, hostName: string): T {
  return {
    CreationClassName: CLASS,
    DeviceID: p.deviceId,
    SystemCreationClassName: CS,
    SystemName: hostName,
    Name: p.name,
    ElementName: p.friendlyName,
    Caption: 'Ethernet Port',
    Description: 'Microsoft Internal Ethernet Port',
    PermanentAddress: p.mac,
    NetworkAddresses: [p.mac],
    MaxSpeed: 1000000000n,
    RequestedSpeed: 1000000000n,
    Speed: 1000000000n,
    MaxDataSize: 1500,
    ActiveMaximumTransmissionUnit: 1500n,
    SupportedMaximumTransmissionUnit: 1500n,
    LinkTechnology: 2,
    FullDuplex: true,
    AutoSense: true,
    UsageRestriction: 4,
    EnabledState: 2,
    RequestedState: 12,
    EnabledDefault: 2,
    OperationalStatus: [2],
    HealthState: 5,
  };
}

export function internalPortProvider(m: Msvm) {
  return untypedProvider<T, K>({
    instances: listed<T, K>(() => m.net.internalPorts().map((p) => internalPortInstance(p, m.net.host().name))),
  });
}
