/**
 * Reference sections 4 (VM side), 5 (jobs) and 6 (associations), transcribed by hand from
 * ../shared/reference/hyperv-v1-networking.md. Notation: spec.ts.
 */
import type { ClassRow } from './spec.js';

const DEV_KEYS = ['CreationClassName', 'DeviceID', 'SystemCreationClassName', 'SystemName'];
const SVC_KEYS = ['CreationClassName', 'Name', 'SystemCreationClassName', 'SystemName'];
const NIC_DEVICE = ['? ElementName', '? Description', '? Name', '? PortNumber', '? Caption', '? Speed', '? MaxSpeed',
  '? RequestedSpeed', '? MaxDataSize', '? LinkTechnology', '? PortType', '? OtherPortType', '? FullDuplex',
  '? AutoSense', '?[] AdditionalAvailability', '? UsageRestriction', '? LocationIndicator', '? PermanentAddress',
  '?[] NetworkAddresses'];
// §4.5 table; §4.6 says the emulated class is the same without VirtualSystemIdentifiers.
const NIC_SETTINGS = ['string InstanceID', 'uint16 ResourceType', 'string ResourceSubType', 'string ElementName',
  'string Address', 'boolean StaticMacAddress', 'string[] Connection', 'string Caption', 'string Description',
  '? AllocationUnits', '? VirtualQuantity', '? Reservation', '? Limit', '? Weight', '? AutomaticAllocation',
  '? AutomaticDeallocation', '? ConsumerVisibility', '?[] HostResource', '? OtherResourceType',
  '? MappingBehavior', '? Parent', 'string PoolID'];
// §5.1
const JOB = ['uint16 JobState', 'uint16 PercentComplete', 'uint16 ErrorCode', '? ErrorDescription',
  '? ErrorSummaryDescription', '? Description', '? Caption', '? ElementName', '? Name', '? StartTime',
  '? TimeSubmitted', 'datetime ElapsedTime', '? TimeOfLastStateChange', 'datetime TimeBeforeRemoval',
  '? DeleteOnCompletion', '? Cancellable', '? JobStatus', '? HealthState', '? OperationalStatus',
  '? StatusDescriptions', '? JobRunTimes', 'uint8 RunMonth', 'sint8 RunDay', 'sint8 RunDayOfWeek',
  '? RunStartInterval', '? UntilTime', '? LocalOrUtcTime', '? Notify', '? Owner', '? Priority', '? RecoveryAction',
  '? OtherRecoveryAction'];

export const vmSide: ClassRow[] = [
  {
    name: 'Msvm_ComputerSystem', superclass: 'CIM_ComputerSystem', keys: ['CreationClassName', 'Name'],
    props: ['string CreationClassName', 'string Name', 'string ElementName', 'string Caption', 'string Description',
      'uint16 EnabledState', 'uint16 RequestedState', 'uint16 HealthState', 'uint16[] OperationalStatus',
      'uint32 ProcessID', 'uint64 OnTimeInMilliseconds', 'datetime TimeOfLastConfigurationChange',
      'datetime InstallDate', 'datetime TimeOfLastStateChange', 'uint16[] AssignedNumaNodeList',
      '? ResetCapability', '? Dedicated', '? EnabledDefault'],
    hasMethods: ['SetPowerState'],
    methods: {
      RequestStateChange: ['IN uint16 RequestedState', 'OUT REF CIM_ConcreteJob Job', 'IN datetime TimeoutPeriod'],
    },
  },
  {
    // Notes: the reference shows "Notes string"; CIM 2.49 declares it string[] (see mof/README.md).
    name: 'Msvm_VirtualSystemSettingData', superclass: 'CIM_VirtualSystemSettingData', keys: ['InstanceID'],
    props: ['? InstanceID', '? SystemName', '? ElementName', '? Caption', '? Description', 'uint16 SettingType',
      '? VirtualSystemType', '~string Notes', '? CreationTime', '? BIOSGUID', '? BIOSSerialNumber',
      '? BaseBoardSerialNumber', '? ChassisSerialNumber', '? ChassisAssetTag', '? BIOSNumLock', 'uint16[] BootOrder',
      '? Parent', '?[] NumaNodeList', '? NumaNodesAreRequired'],
  },
  {
    name: 'Msvm_VirtualSystemGlobalSettingData', superclass: 'CIM_VirtualSystemSettingData', keys: ['InstanceID'],
    props: ['? InstanceID', '? SystemName', '? SettingType', '? ElementName', '? ExternalDataRoot',
      '? SnapshotDataRoot', '? AutomaticStartupAction', 'datetime AutomaticStartupActionDelay',
      '? AutomaticShutdownAction', '? AutomaticRecoveryAction', '? ScopeOfResidence', '? Version',
      '? AllowFullSCSICommandSet', '? DebugChannelId', '? DebugPort', '? DebugPortEnabled'],
  },
  {
    name: 'Msvm_ResourceAllocationSettingData', superclass: 'CIM_ResourceAllocationSettingData', keys: ['InstanceID'],
    props: ['? InstanceID', '? Caption', '? Description', '? ElementName', 'uint16 ResourceType',
      '? OtherResourceType', '? ResourceSubType', '? PoolID', 'uint16 ConsumerVisibility', 'string[] HostResource',
      '? AllocationUnits', 'uint64 VirtualQuantity', 'uint64 Reservation', 'uint64 Limit', 'uint32 Weight',
      'boolean AutomaticAllocation', 'boolean AutomaticDeallocation', 'string Parent', 'string[] Connection',
      'string Address', 'uint16 MappingBehavior', 'string[] VirtualSystemIdentifiers'],
  },
  {
    name: 'Msvm_SyntheticEthernetPortSettingData', superclass: 'CIM_ResourceAllocationSettingData', keys: ['InstanceID'],
    props: [...NIC_SETTINGS, 'string[] VirtualSystemIdentifiers'],
  },
  {
    name: 'Msvm_EmulatedEthernetPortSettingData', superclass: 'CIM_ResourceAllocationSettingData', keys: ['InstanceID'],
    props: NIC_SETTINGS, absent: ['VirtualSystemIdentifiers'],
  },
  {
    name: 'Msvm_SyntheticEthernetPort', superclass: 'CIM_EthernetPort', keys: DEV_KEYS,
    props: ['? CreationClassName', '? DeviceID', '? SystemCreationClassName', '? SystemName', ...NIC_DEVICE],
  },
  {
    name: 'Msvm_EmulatedEthernetPort', superclass: 'CIM_EthernetPort', keys: DEV_KEYS,
    props: ['? CreationClassName', '? DeviceID', '? SystemCreationClassName', '? SystemName', ...NIC_DEVICE],
  },
  {
    name: 'Msvm_VmLANEndpoint', superclass: 'CIM_LANEndpoint', keys: SVC_KEYS,
    props: ['string CreationClassName', 'string Name', 'string SystemCreationClassName', 'string SystemName',
      'boolean Connected', 'string MACAddress', 'uint32 MaxDataSize', 'uint16[] OperationalStatus', '? Caption',
      '? Description', '? OtherTypeDescription', '? ProtocolIFType', '? StatusDescriptions', '? HealthState',
      '? EnabledState', '? RequestedState', '? EnabledDefault', '? BroadcastResetSupported'],
  },
  {
    name: 'Msvm_ResourcePool', superclass: 'CIM_ResourcePool', keys: ['InstanceID'],
    props: ['? InstanceID', '? PoolID', 'uint16 ResourceType', '? ResourceSubType', '? OtherResourceType',
      'boolean Primordial', 'uint64 Capacity', 'uint64 Reserved', '? AllocationUnits'],
  },
  {
    name: 'Msvm_AllocationCapabilities', superclass: 'CIM_AllocationCapabilities', keys: ['InstanceID'],
    props: ['? InstanceID', '? ResourceType', '? ResourceSubType', '? OtherResourceType',
      'uint16 RequestTypesSupported', 'uint16 SharingMode', 'uint16[] SupportedAddStates',
      'uint16[] SupportedRemoveStates', '? Caption', '? Description'],
  },
];

export const jobs: ClassRow[] = [
  {
    name: 'Msvm_ConcreteJob', superclass: 'CIM_ConcreteJob', keys: ['InstanceID'], props: JOB,
    hasMethods: ['GetErrorEx', 'KillJob'],
    methods: {
      GetError: ['OUT string Error'],
      RequestStateChange: ['IN uint16 RequestedState', 'IN datetime TimeoutPeriod'],
    },
  },
  {
    name: 'Msvm_NetworkJob', superclass: 'CIM_ConcreteJob', keys: ['InstanceID'],
    props: [...JOB, 'uint16 NetworkJobType', 'string CreatedInternalEthernetPort', 'uint32 Hresult'],
    methods: { GetError: ['OUT string Error'] },
  },
];

/** One association row: parent, the two REF ends (keys) and any extra properties. */
function assoc(name: string, superclass: string, a: string, b: string, extra: string[] = []): ClassRow {
  const keys = [a, b].map((s) => s.trim().split(/\s+/)[2]);
  return { name, superclass, keys, association: true, props: [a, b, ...extra] };
}

const IS_FLAGS = ['IsDefault', 'IsCurrent', 'IsNext', 'IsMaximum', 'IsMinimum'];

export const associations: ClassRow[] = [
  assoc('Msvm_HostedService', 'CIM_HostedService', 'REF CIM_System Antecedent', 'REF CIM_Service Dependent'),
  assoc('Msvm_HostedAccessPoint', 'CIM_HostedAccessPoint', 'REF Msvm_VirtualSwitch Antecedent',
    'REF Msvm_SwitchPort Dependent'),
  assoc('Msvm_ActiveConnection', 'CIM_ActiveConnection', 'REF Msvm_SwitchPort Antecedent',
    'REF CIM_LANEndpoint Dependent', ['uint16 TrafficType', 'string OtherTrafficDescription', 'boolean IsUnidirectional']),
  assoc('Msvm_GlobalEthernetPortSAPImplementation', 'CIM_DeviceSAPImplementation', 'REF CIM_EthernetPort Antecedent',
    'REF CIM_LANEndpoint Dependent'),
  assoc('Msvm_DeviceSAPImplementation', 'CIM_DeviceSAPImplementation', 'REF CIM_LogicalDevice Antecedent',
    'REF CIM_ServiceAccessPoint Dependent'),
  assoc('Msvm_BindsTo', 'CIM_BindsTo', 'REF Msvm_SwitchPort Antecedent', 'REF Msvm_VLANEndpoint Dependent'),
  assoc('Msvm_NetworkElementSettingData', 'CIM_ElementSettingData', 'REF Msvm_VLANEndpoint ManagedElement',
    'REF Msvm_VLANEndpointSettingData SettingData', IS_FLAGS.map((f) => `uint16 ${f}`)),
  assoc('Msvm_SystemDevice', 'CIM_SystemDevice', 'REF CIM_System GroupComponent', 'REF CIM_LogicalDevice PartComponent'),
  assoc('Msvm_SettingsDefineState', 'CIM_SettingsDefineState', 'REF Msvm_ComputerSystem ManagedElement',
    'REF Msvm_VirtualSystemSettingData SettingData'),
  assoc('Msvm_VirtualSystemSettingDataComponent', 'CIM_VirtualSystemSettingDataComponent',
    'REF CIM_VirtualSystemSettingData GroupComponent', 'REF CIM_ResourceAllocationSettingData PartComponent'),
  assoc('Msvm_ElementSettingData', 'CIM_ElementSettingData', 'REF CIM_ManagedElement ManagedElement',
    'REF CIM_SettingData SettingData', IS_FLAGS.map((f) => `? ${f}`)),
  assoc('Msvm_HostedSwitchService', 'CIM_HostedService', 'REF Msvm_VirtualSwitch Antecedent',
    'REF CIM_Service Dependent'),
  assoc('Msvm_SwitchPortDynamicForwarding', 'CIM_SwitchPortDynamicForwarding', 'REF Msvm_SwitchPort Antecedent',
    'REF Msvm_DynamicForwardingEntry Dependent'),
  assoc('Msvm_TransparentBridgingDynamicForwarding', 'CIM_TransparentBridgingDynamicForwarding',
    'REF Msvm_TransparentBridgingService Antecedent', 'REF Msvm_DynamicForwardingEntry Dependent'),
  assoc('Msvm_HostedDependency', 'CIM_HostedDependency', 'REF Msvm_ComputerSystem Antecedent',
    'REF Msvm_ComputerSystem Dependent'),
  assoc('Msvm_ServiceAffectsElement', 'CIM_ServiceAffectsElement', 'REF CIM_Service AffectingElement',
    'REF Msvm_ComputerSystem AffectedElement', ['uint16[] ElementEffects']),
  assoc('Msvm_AffectedJobElement', 'CIM_AffectedJobElement', 'REF CIM_Job AffectingElement',
    'REF CIM_ManagedElement AffectedElement', ['?[] ElementEffects', '?[] OtherElementEffectsDescriptions']),
  assoc('Msvm_SettingsDefineCapabilities', 'CIM_SettingsDefineCapabilities', 'REF CIM_Capabilities GroupComponent',
    'REF CIM_SettingData PartComponent', ['? PropertyPolicy', '? ValueRange', '? ValueRole']),
  assoc('Msvm_ElementCapabilities', 'CIM_ElementCapabilities', 'REF Msvm_ResourcePool ManagedElement',
    'REF Msvm_AllocationCapabilities Capabilities'),
];
