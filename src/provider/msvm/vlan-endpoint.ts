/**
 * Msvm_VLANEndpoint (reference 3.3): one per switch port, same Name and SystemName as the
 * port, ElementName the port's Name (clients query WHERE ElementName='<port name>').
 * ModifyInstance of DesiredEndpointMode (2 access, 5 trunk) and the trunk encapsulation goes
 * straight to the domain, which realizes it in the dataplane before answering.
 */
import { InstanceName } from '../../cim/path.js';
import type { Msvm_VLANEndpoint as T, Msvm_VLANEndpointKey as K } from '../../generated/root-virtualization/Msvm_VLANEndpoint.js';
import { untypedProvider } from '../../generated/runtime.js';
import { changed, listed, PORT, VSWITCH, portByRef, str, uint, type Msvm } from './common.js';
import type { SwitchPort, VlanSettings } from './domain/types.js';
import { asCimError } from './virtual-switch.js';

const CLASS = 'Msvm_VLANEndpoint';

export function vlanEndpointInstance(p: SwitchPort): T {
  const trunk = p.vlan.desiredEndpointMode === 5;
  return {
    CreationClassName: CLASS,
    Name: p.name,
    SystemCreationClassName: VSWITCH,
    SystemName: p.switchName,
    ElementName: p.name,
    Caption: 'VLAN Endpoint',
    Description: 'Microsoft Virtual VLAN Endpoint',
    DesiredEndpointMode: p.vlan.desiredEndpointMode,
    OperationalEndpointMode: trunk ? 5 : 2,
    SupportedEndpointModes: [2, 5],
    DesiredVLANTrunkEncapsulation: p.vlan.desiredVlanTrunkEncapsulation,
    OperationalVLANTrunkEncapsulation: trunk ? 3 : 2,
    OtherEndpointMode: p.vlan.otherEndpointMode,
    OtherTrunkEncapsulation: p.vlan.otherTrunkEncapsulation,
    GVRPStatus: 2,
    OtherTypeDescription: 'Virtual Ethernet',
    ProtocolIFType: 1,
    BroadcastResetSupported: false,
    OperationalStatus: [2],
    StatusDescriptions: ['The service is running normally'],
    HealthState: 5,
    EnabledState: 5,
    RequestedState: 12,
    EnabledDefault: 2,
  };
}

/** Writes VLAN fields; `fields` maps lower-case CIM property names to domain fields and readers. */
export async function writeVlan(
  m: Msvm,
  portName: string,
  c: Map<string, unknown>,
  fields: Record<string, [keyof VlanSettings, (v: unknown, what: string) => unknown]>,
  what: string,
): Promise<void> {
  const out: Partial<Record<keyof VlanSettings, unknown>> = {};
  try {
    for (const [prop, [field, read]] of Object.entries(fields)) {
      if (c.has(prop.toLowerCase())) out[field] = read(c.get(prop.toLowerCase()), prop);
    }
    if (Object.keys(out).length > 0) await m.net.setVlan(portName, out as Partial<VlanSettings>);
  } catch (e) {
    throw asCimError(e, what);
  }
}

const ENDPOINT_FIELDS: Record<string, [keyof VlanSettings, (v: unknown, what: string) => unknown]> = {
  DesiredEndpointMode: ['desiredEndpointMode', (v, w) => uint(v, w)],
  DesiredVLANTrunkEncapsulation: ['desiredVlanTrunkEncapsulation', (v, w) => uint(v, w)],
  OtherEndpointMode: ['otherEndpointMode', (v) => str(v) ?? ''],
  OtherTrunkEncapsulation: ['otherTrunkEncapsulation', (v) => str(v) ?? ''],
};

export function vlanEndpointProvider(m: Msvm) {
  return untypedProvider<T, K>({
    instances: {
      ...listed<T, K>(() => m.net.ports().map(vlanEndpointInstance)),
      get: (k) => {
        const p = portByRef(m, InstanceName.of(PORT, { Name: k.Name, SystemName: k.SystemName }));
        return p ? vlanEndpointInstance(p) : undefined;
      },
      modify: (k, changes) => writeVlan(m, k.Name, changed(changes), ENDPOINT_FIELDS, `modifying ${CLASS} ${k.Name}`),
    },
  });
}
