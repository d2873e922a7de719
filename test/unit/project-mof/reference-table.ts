/**
 * The Msvm classes and associations of ../shared/reference/hyperv-v1-networking.md sections 2-9,
 * transcribed by hand from that document (not generated from our MOF): superclass, keys,
 * property types, methods with parameter directions and types. Notation: spec.ts. Where the
 * reference names a property without a type the row only asks that it exists ("? Name").
 */
import type { ClassRow } from './spec.js';

const SVC_KEYS = ['CreationClassName', 'Name', 'SystemCreationClassName', 'SystemName'];
const DEV_KEYS = ['CreationClassName', 'DeviceID', 'SystemCreationClassName', 'SystemName'];
const SCOPED = ['string CreationClassName', 'string Name', 'string SystemCreationClassName', 'string SystemName'];
const DEV = ['string CreationClassName', 'string DeviceID', 'string SystemCreationClassName', 'string SystemName'];
const FIXED_STATE = ['? OperationalStatus', '? StatusDescriptions', '? HealthState', '? EnabledState',
  '? RequestedState', '? EnabledDefault'];

// §2.1
const switchService: ClassRow = {
  name: 'Msvm_VirtualSwitchManagementService', superclass: 'CIM_Service', keys: SVC_KEYS,
  props: [...SCOPED, 'string Caption', 'string Description', 'string ElementName', 'uint16[] OperationalStatus',
    'string[] StatusDescriptions', 'uint16 HealthState', 'uint16 EnabledState', 'uint16 RequestedState',
    'uint16 EnabledDefault', 'string StartMode', 'boolean Started', '? InstallDate', '? Status',
    '? OtherEnabledState', '? TimeOfLastStateChange', '? PrimaryOwnerName', '? PrimaryOwnerContact'],
  hasMethods: ['RequestStateChange', 'StartService', 'StopService'],
  methods: {
    CreateSwitch: ['IN string Name', 'IN string FriendlyName', 'IN uint32 NumLearnableAddresses',
      'IN string ScopeOfResidence', 'OUT REF Msvm_VirtualSwitch CreatedVirtualSwitch'],
    DeleteSwitch: ['IN REF Msvm_VirtualSwitch VirtualSwitch'],
    CreateSwitchPort: ['IN REF Msvm_VirtualSwitch VirtualSwitch', 'IN string Name', 'IN string FriendlyName',
      'IN string ScopeOfResidence', 'OUT REF Msvm_SwitchPort CreatedSwitchPort'],
    DeleteSwitchPort: ['IN REF Msvm_SwitchPort SwitchPort'],
    ConnectSwitchPort: ['IN REF Msvm_SwitchPort SwitchPort', 'IN REF CIM_LANEndpoint LANEndpoint',
      'OUT REF Msvm_ActiveConnection ActiveConnection'],
    DisconnectSwitchPort: ['IN REF Msvm_SwitchPort SwitchPort'],
    CreateInternalEthernetPort: ['IN string Name', 'IN string FriendlyName', 'IN string MacAddress',
      'OUT REF Msvm_InternalEthernetPort CreatedInternalEthernetPort'],
    CreateInternalEthernetPortDynamicMac: ['IN string Name', 'IN string FriendlyName',
      'OUT REF Msvm_InternalEthernetPort CreatedInternalEthernetPort'],
    DeleteInternalEthernetPort: ['IN REF Msvm_InternalEthernetPort InternalEthernetPort'],
    BindExternalEthernetPort: ['IN REF Msvm_ExternalEthernetPort ExternalEthernetPort'],
    UnbindExternalEthernetPort: ['IN REF Msvm_ExternalEthernetPort ExternalEthernetPort'],
    SetupSwitch: ['IN REF Msvm_SwitchPort ExternalSwitchPort', 'IN REF Msvm_SwitchPort InternalSwitchPort',
      'IN REF Msvm_ExternalEthernetPort ExternalEthernetPort', 'IN string InternalEthernetPortName',
      'IN string InternalEthernetPortFriendlyName', 'OUT REF Msvm_NetworkJob Job'],
    TeardownSwitch: ['IN REF Msvm_ExternalEthernetPort ExternalEthernetPort',
      'IN REF Msvm_InternalEthernetPort InternalEthernetPort', 'OUT REF Msvm_NetworkJob Job'],
  },
};

// §2.2 (NIC-relevant subset) and §1.5 (which string parameters hold embedded instances)
const systemService: ClassRow = {
  name: 'Msvm_VirtualSystemManagementService', superclass: 'CIM_VirtualSystemManagementService', keys: SVC_KEYS,
  props: [...SCOPED, '? Caption', '? ElementName', '? Description', '? EnabledState', '? StatusDescriptions', '? Started'],
  hasMethods: ['RequestStateChange', 'StartService', 'StopService'],
  methods: {
    DefineVirtualSystem: ['IN string SystemSettingData embedded', 'IN string ResourceSettingData[] embedded',
      'IN REF CIM_VirtualSystemSettingData SourceSetting', 'OUT REF CIM_ComputerSystem DefinedSystem',
      'OUT REF CIM_ConcreteJob Job'],
    DestroyVirtualSystem: ['IN REF CIM_ComputerSystem ComputerSystem', 'OUT REF CIM_ConcreteJob Job'],
    AddVirtualSystemResources: ['IN REF CIM_ComputerSystem TargetSystem', 'IN string ResourceSettingData[] embedded',
      'OUT REF CIM_ResourceAllocationSettingData NewResources[]', 'OUT REF CIM_ConcreteJob Job'],
    ModifyVirtualSystemResources: ['IN REF CIM_ComputerSystem ComputerSystem',
      'IN string ResourceSettingData[] embedded', 'OUT REF CIM_ConcreteJob Job'],
    RemoveVirtualSystemResources: ['IN REF CIM_ComputerSystem TargetSystem',
      'IN REF CIM_ResourceAllocationSettingData ResourceSettingData[]', 'OUT REF CIM_ConcreteJob Job'],
    ModifyVirtualSystem: ['IN REF CIM_ComputerSystem ComputerSystem', 'IN string SystemSettingData embedded',
      'OUT REF CIM_VirtualSystemSettingData ModifiedSettingData', 'OUT REF CIM_ConcreteJob Job'],
    ModifyServiceSettings: ['IN string SettingData embedded', 'OUT REF CIM_ConcreteJob Job'],
    GetSummaryInformation: ['IN REF CIM_VirtualSystemSettingData SettingData[]', 'IN uint32 RequestedInformation[]',
      'OUT string SummaryInformation[] embedded'],
  },
};

// §2.3
const serviceSettings: ClassRow = {
  name: 'Msvm_VirtualSystemManagementServiceSettingData', superclass: 'CIM_SettingData', keys: ['InstanceID'],
  props: ['string InstanceID', 'string Caption', 'string Description', 'string ElementName',
    'string MinimumMacAddress', 'string MaximumMacAddress', 'string DefaultExternalDataRoot',
    'string DefaultVirtualHardDiskPath', '? PrimaryOwnerName', '? PrimaryOwnerContact', '? ScopeOfResidence',
    'boolean NumaSpanningEnabled', '? BiosLockString'],
};

// §3
const switchSide: ClassRow[] = [
  {
    name: 'Msvm_VirtualSwitch', superclass: 'CIM_ComputerSystem', keys: ['CreationClassName', 'Name'],
    props: ['string CreationClassName', 'string Name', 'string ElementName', 'string Caption', 'string Description',
      'string ScopeOfResidence', 'uint32 NumLearnableAddresses', 'uint32 MaxVMQOffloads', 'uint32 MaxChimneyOffloads',
      ...FIXED_STATE, '? Dedicated', '? ResetCapability', '? InstallDate', '? Status', '? OtherEnabledState',
      '? TimeOfLastStateChange', '? PrimaryOwnerName', '? PrimaryOwnerContact', '?[] IdentifyingDescriptions',
      '?[] OtherIdentifyingInfo', '?[] PowerManagementCapabilities', '?[] Roles', '? NameFormat',
      '?[] OtherDedicatedDescriptions'],
    hasMethods: ['RequestStateChange', 'SetPowerState'],
  },
  {
    name: 'Msvm_SwitchPort', superclass: 'CIM_SwitchPort', keys: SVC_KEYS,
    props: [...SCOPED, 'string ElementName', 'string Caption', 'string Description', 'string OtherTypeDescription',
      'uint16 ProtocolIFType', 'string ScopeOfResidence', 'boolean AllowMacSpoofing', 'boolean PreventIPSpoofing',
      'string[] AllowedIPv4Addresses', 'string[] AllowedIPv6Addresses', 'uint32 VMQOffloadWeight',
      'uint32 ChimneyOffloadWeight', 'uint32 VMQOffloadUsage', 'uint32 VMQOffloadLimit', 'uint32 ChimneyOffloadUsage',
      'uint32 ChimneyOffloadLimit', 'boolean BroadcastResetSupported', '? PortNumber', '? ProtocolType',
      '? NameFormat', '? InstallDate', '? Status', '? OtherEnabledState', '? TimeOfLastStateChange', ...FIXED_STATE],
  },
  {
    name: 'Msvm_VLANEndpoint', superclass: 'CIM_VLANEndpoint', keys: SVC_KEYS,
    props: [...SCOPED, 'string ElementName', 'uint16 DesiredEndpointMode', 'uint16 OperationalEndpointMode',
      'uint16[] SupportedEndpointModes', 'uint16 DesiredVLANTrunkEncapsulation',
      'uint16 OperationalVLANTrunkEncapsulation', 'string OtherEndpointMode', 'string OtherTrunkEncapsulation',
      'uint16 GVRPStatus', '? OtherTypeDescription', '? ProtocolIFType', '? BroadcastResetSupported', ...FIXED_STATE],
  },
  {
    name: 'Msvm_VLANEndpointSettingData', superclass: 'CIM_VLANEndpointSettingData', keys: ['InstanceID'],
    props: ['string InstanceID', 'string ElementName', 'uint16 AccessVLAN', 'uint16 NativeVLAN', 'uint16 DefaultVLAN',
      'uint16[] TrunkedVLANList', 'uint16[] PruneEligibleVLANList', 'uint16 PrimaryVlan', 'uint16 SecondaryVlan',
      'uint8 PVlanMode', 'string Caption', 'string Description'],
  },
  {
    name: 'Msvm_SwitchLANEndpoint', superclass: 'CIM_LANEndpoint', keys: SVC_KEYS,
    props: [...SCOPED, 'boolean Connected', 'string MACAddress', 'uint32 MaxDataSize', '? Caption', '? Description',
      '? OtherTypeDescription', '? ProtocolIFType', ...FIXED_STATE, '? LANID', '? LANType', '? OtherLANType',
      '?[] AliasAddresses', '?[] GroupAddresses', '? NameFormat', '? ProtocolType'],
  },
  {
    name: 'Msvm_ExternalEthernetPort', superclass: 'CIM_EthernetPort', keys: DEV_KEYS,
    props: [...DEV, 'string Name', 'string ElementName', 'boolean IsBound', 'uint16 EnabledState',
      'string PermanentAddress', 'string[] NetworkAddresses', 'uint32 MaxDataSize', 'uint64 Speed', 'uint64 MaxSpeed',
      'uint64 RequestedSpeed', 'uint64 SupportedMaximumTransmissionUnit', 'uint64 ActiveMaximumTransmissionUnit',
      '? PortType', '? LinkTechnology', '? FullDuplex', '? AutoSense', '? PortNumber', '?[] Capabilities'],
  },
  {
    name: 'Msvm_InternalEthernetPort', superclass: 'CIM_EthernetPort', keys: DEV_KEYS,
    props: [...DEV, 'string Name', 'string ElementName', '? Caption', '? Description', '? MaxSpeed',
      '? RequestedSpeed', '? LinkTechnology', '? FullDuplex', '? AutoSense', '? UsageRestriction',
      'string PermanentAddress', 'string[] NetworkAddresses'],
  },
  {
    name: 'Msvm_TransparentBridgingService', superclass: 'CIM_TransparentBridgingService', keys: SVC_KEYS,
    props: ['? CreationClassName', '? Name', '? SystemCreationClassName', '? SystemName', '? AgingTime', '? FID',
      '? ProtocolType', '? StartMode', '? Started'],
  },
  {
    name: 'Msvm_DynamicForwardingEntry', superclass: 'CIM_DynamicForwardingEntry',
    props: ['string MACAddress', 'uint16 VlanId', 'uint16 DynamicStatus'],
  },
];

export { switchService, systemService, serviceSettings, switchSide };
