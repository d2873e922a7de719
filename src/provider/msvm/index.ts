/**
 * Registration of the Virtual Networking Profile (reference sections 2-9): every Msvm class
 * and association of root/virtualization gets its provider over one domain (`network`), and
 * the profile is advertised in root/interop (CIM_RegisteredProfile + CIM_ElementConformsToProfile
 * pointing at the switch management service) when a profile registry is given.
 * main.ts calls registerMsvmProviders(registry, deps) once; nothing here starts the domain.
 */
import { InstanceName } from '../../cim/path.js';
import { VirtualNetwork, type NetworkOptions } from './domain/index.js';
import { decodeEmbeddedObject } from '../../cimxml/decode-object.js';
import type { ProfileHandle, ProfileSpec } from '../interop/profiles.js';
import { activeConnectionProvider } from './assoc/active-connection.js';
import { affectedJobElementProvider } from './assoc/affected-job-element.js';
import { bindsToProvider } from './assoc/binds-to.js';
import { bridgingForwardingProvider } from './assoc/bridging-forwarding.js';
import { deviceSapProvider } from './assoc/device-sap.js';
import { elementCapabilitiesProvider } from './assoc/element-capabilities.js';
import { elementSettingDataProvider } from './assoc/element-setting-data.js';
import { globalSapProvider } from './assoc/global-sap.js';
import { hostedAccessPointProvider } from './assoc/hosted-access-point.js';
import { hostedDependencyProvider } from './assoc/hosted-dependency.js';
import { hostedServiceProvider } from './assoc/hosted-service.js';
import { hostedSwitchServiceProvider } from './assoc/hosted-switch-service.js';
import { networkElementSettingDataProvider } from './assoc/network-element-setting-data.js';
import { serviceAffectsElementProvider } from './assoc/service-affects-element.js';
import { settingsDefineCapabilitiesProvider } from './assoc/settings-define-capabilities.js';
import { settingsDefineStateProvider } from './assoc/settings-define-state.js';
import { switchPortForwardingProvider } from './assoc/switch-port-forwarding.js';
import { systemDeviceProvider } from './assoc/system-device.js';
import { vssdComponentProvider } from './assoc/vssd-component.js';
import { bridgingProvider, forwardingEntryProvider } from './bridging.js';
import { CS, NAMESPACE, portPathText, VSMS, VSMS_NAME, type Msvm, type MsvmDeps } from './common.js';
import { computerSystemProvider } from './computer-system.js';
import { emulatedSettingsProvider } from './emulated-settings.js';
import { externalPortProvider } from './external-port.js';
import { internalPortProvider } from './internal-port.js';
import { concreteJobProvider, networkJobProvider } from './jobs.js';
import { emulatedPortProvider, syntheticPortProvider } from './nic-device.js';
import { allocationCapabilitiesProvider, resourcePoolProvider } from './resource-pool.js';
import { rasdProvider } from './rasd.js';
import { serviceSettingsProvider } from './service-settings.js';
import { switchLanEndpointProvider } from './switch-lan-endpoint.js';
import { switchPortProvider } from './switch-port.js';
import { switchServiceProvider } from './switch-service.js';
import { syntheticSettingsProvider } from './synthetic-settings.js';
import { systemServiceProvider } from './system-service.js';
import { virtualSwitchProvider } from './virtual-switch.js';
import { vlanEndpointProvider } from './vlan-endpoint.js';
import { vlanSettingsProvider } from './vlan-settings.js';
import { vmLanEndpointProvider } from './vm-lan-endpoint.js';
import { vssdProvider } from './vssd.js';
import { vsgsdProvider } from './vsgsd.js';

export { portPathText, type MsvmDeps } from './common.js';

/**
 * Opens the domain for these providers: as VirtualNetwork.open, with the Connection text a
 * VM-side ConnectSwitchPort writes printed exactly as the server prints port paths (host
 * `pathHost` = the server's host name in paths, reference 1.1).
 */
export function openVirtualNetwork(opts: Omit<NetworkOptions, 'formatPortPath'> & { pathHost: string }): Promise<VirtualNetwork> {
  const { pathHost, ...rest } = opts;
  return VirtualNetwork.open({ ...rest, formatPortPath: (_h, sw, port) => portPathText(pathHost, sw, port) });
}

/** The registry shape we need (cimom's ProviderRegistry satisfies it). */
export interface MsvmRegistry {
  register(namespace: string, className: string, provider: object): void;
}

/** What registerMsvmProviders may advertise the profile in (interop's ProfileRegistry). */
export interface MsvmProfiles {
  register(spec: ProfileSpec): ProfileHandle;
}

type Factory = (m: Msvm) => object;

/** Class -> provider factory, every class and association of reference sections 2-9. */
export const MSVM_PROVIDERS: ReadonlyArray<readonly [string, Factory]> = [
  ['Msvm_ComputerSystem', computerSystemProvider],
  ['Msvm_VirtualSwitchManagementService', switchServiceProvider],
  ['Msvm_VirtualSystemManagementService', systemServiceProvider],
  ['Msvm_VirtualSystemManagementServiceSettingData', serviceSettingsProvider],
  ['Msvm_VirtualSwitch', virtualSwitchProvider],
  ['Msvm_SwitchPort', switchPortProvider],
  ['Msvm_VLANEndpoint', vlanEndpointProvider],
  ['Msvm_VLANEndpointSettingData', vlanSettingsProvider],
  ['Msvm_SwitchLANEndpoint', switchLanEndpointProvider],
  ['Msvm_ExternalEthernetPort', externalPortProvider],
  ['Msvm_InternalEthernetPort', internalPortProvider],
  ['Msvm_TransparentBridgingService', bridgingProvider],
  ['Msvm_DynamicForwardingEntry', forwardingEntryProvider],
  ['Msvm_VirtualSystemSettingData', vssdProvider],
  ['Msvm_VirtualSystemGlobalSettingData', vsgsdProvider],
  ['Msvm_SyntheticEthernetPortSettingData', syntheticSettingsProvider],
  ['Msvm_EmulatedEthernetPortSettingData', emulatedSettingsProvider],
  ['Msvm_ResourceAllocationSettingData', rasdProvider],
  ['Msvm_ResourcePool', resourcePoolProvider],
  ['Msvm_AllocationCapabilities', allocationCapabilitiesProvider],
  ['Msvm_SyntheticEthernetPort', syntheticPortProvider],
  ['Msvm_EmulatedEthernetPort', emulatedPortProvider],
  ['Msvm_VmLANEndpoint', vmLanEndpointProvider],
  ['Msvm_ConcreteJob', concreteJobProvider],
  ['Msvm_NetworkJob', networkJobProvider],
  ['Msvm_HostedService', hostedServiceProvider],
  ['Msvm_HostedAccessPoint', hostedAccessPointProvider],
  ['Msvm_ActiveConnection', activeConnectionProvider],
  ['Msvm_GlobalEthernetPortSAPImplementation', globalSapProvider],
  ['Msvm_DeviceSAPImplementation', deviceSapProvider],
  ['Msvm_BindsTo', bindsToProvider],
  ['Msvm_NetworkElementSettingData', networkElementSettingDataProvider],
  ['Msvm_SystemDevice', systemDeviceProvider],
  ['Msvm_SettingsDefineState', settingsDefineStateProvider],
  ['Msvm_VirtualSystemSettingDataComponent', vssdComponentProvider],
  ['Msvm_ElementSettingData', elementSettingDataProvider],
  ['Msvm_HostedSwitchService', hostedSwitchServiceProvider],
  ['Msvm_SwitchPortDynamicForwarding', switchPortForwardingProvider],
  ['Msvm_TransparentBridgingDynamicForwarding', bridgingForwardingProvider],
  ['Msvm_HostedDependency', hostedDependencyProvider],
  ['Msvm_ServiceAffectsElement', serviceAffectsElementProvider],
  ['Msvm_AffectedJobElement', affectedJobElementProvider],
  ['Msvm_SettingsDefineCapabilities', settingsDefineCapabilitiesProvider],
  ['Msvm_ElementCapabilities', elementCapabilitiesProvider],
];

/**
 * Registers every Msvm provider in `deps.namespace` (default root/virtualization) and, when
 * `profiles` is given, advertises Microsoft's "Virtual Networking" profile 1.0.0 with the
 * switch management service as its central instance.
 */
export function registerMsvmProviders(registry: MsvmRegistry, deps: MsvmDeps & { profiles?: MsvmProfiles }): ProfileHandle | undefined {
  const m: Msvm = {
    net: deps.network,
    ns: deps.namespace ?? NAMESPACE,
    decode: deps.decodeEmbedded ?? decodeEmbeddedObject,
    now: deps.now ?? Date.now,
    log: deps.log,
  };
  for (const [cls, make] of MSVM_PROVIDERS) registry.register(m.ns, cls, make(m));
  if (!deps.profiles) return undefined;
  return deps.profiles.register({
    organization: 1,
    otherOrganization: 'Microsoft',
    name: 'Virtual Networking',
    version: '1.0.0',
    centralInstances: () => [
      InstanceName.of(VSMS, { CreationClassName: VSMS, Name: VSMS_NAME, SystemCreationClassName: CS, SystemName: m.net.host().name }, m.ns),
    ],
  });
}
