/**
 * Msvm_VmLANEndpoint (reference 4.8): the endpoint of a running VM's NIC (gone while the VM
 * is off or saved). Name is the NIC's RASD InstanceID (reference 11 leaves the format open),
 * SystemName the VM GUID, MACAddress the NIC's MAC.
 */
import type { Msvm_VmLANEndpoint as T, Msvm_VmLANEndpointKey as K } from '../../generated/root-virtualization/Msvm_VmLANEndpoint.js';
import { untypedProvider } from '../../generated/runtime.js';
import { CS, listed, type Msvm } from './common.js';
import type { Endpoint } from './domain/types.js';

const CLASS = 'Msvm_VmLANEndpoint';

export function vmEndpointInstance(e: Endpoint): T {
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
    OperationalStatus: [2],
    HealthState: 5,
    EnabledState: 5,
    RequestedState: 12,
    EnabledDefault: 2,
    BroadcastResetSupported: false,
  };
}

export function vmEndpoints(m: Msvm): Endpoint[] {
  return m.net.endpoints().filter((e) => e.kind === 'vm');
}

export function vmLanEndpointProvider(m: Msvm) {
  return untypedProvider<T, K>({
    instances: {
      ...listed<T, K>(() => vmEndpoints(m).map(vmEndpointInstance)),
      get: (k) => {
        const e = m.net.endpoint(k.Name);
        return e && e.kind === 'vm' ? vmEndpointInstance(e) : undefined;
      },
    },
  });
}
