/**
 * Msvm_SwitchLANEndpoint (reference 3.5): the switch-side endpoint of an internal port or a
 * bound external NIC, Name "/DEVICE/<DeviceID>", scoped by the host. Connected is TRUE while
 * an Msvm_ActiveConnection ties it to a switch port.
 */
import type {
  Msvm_SwitchLANEndpoint as T,
  Msvm_SwitchLANEndpointKey as K,
} from '../../generated/root-virtualization/Msvm_SwitchLANEndpoint.js';
import { untypedProvider } from '../../generated/runtime.js';
import { CS, listed, NA_STATE, OK_STATUS, type Msvm } from './common.js';
import type { Endpoint } from './domain/types.js';

const CLASS = 'Msvm_SwitchLANEndpoint';

export function switchEndpointInstance(e: Endpoint): T {
  return {
    CreationClassName: CLASS,
    Name: e.name,
    SystemCreationClassName: CS,
    SystemName: e.systemName,
    ElementName: e.name,
    Caption: 'LAN Endpoint',
    Description: 'Microsoft Virtual LAN Endpoint',
    OtherTypeDescription: 'Virtual Ethernet',
    ProtocolIFType: 1,
    Connected: e.portName !== undefined,
    MACAddress: e.mac,
    MaxDataSize: 1500,
    ...OK_STATUS,
    ...NA_STATE,
  };
}

export function switchEndpoints(m: Msvm): Endpoint[] {
  return m.net.endpoints().filter((e) => e.kind !== 'vm');
}

export function switchLanEndpointProvider(m: Msvm) {
  return untypedProvider<T, K>({ instances: listed<T, K>(() => switchEndpoints(m).map(switchEndpointInstance)) });
}
