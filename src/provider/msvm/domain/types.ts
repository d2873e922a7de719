/**
 * The virtual-networking domain's vocabulary: hosts, switches, switch ports with VLAN settings,
 * internal and external host NICs, LAN endpoints, active connections, VMs and their NICs, jobs.
 * Plain data, no CIM: the Msvm providers map these 1:1 to instances (the key fields here hold
 * the CIM key values). Errors carry the Hyper-V v1 method return code (reference §1.3).
 */

/** Method return values shared by both management services (reference §1.3). */
export const RC = {
  OK: 0,
  JOB_STARTED: 4096,
  FAILED: 32768,
  ACCESS_DENIED: 32769,
  NOT_SUPPORTED: 32770,
  STATUS_UNKNOWN: 32771,
  TIMEOUT: 32772,
  INVALID_PARAMETER: 32773,
  SYSTEM_IN_USE: 32774,
  INVALID_STATE: 32775,
  INCORRECT_DATA_TYPE: 32776,
  SYSTEM_NOT_AVAILABLE: 32777,
  OUT_OF_MEMORY: 32778,
  FILE_NOT_FOUND: 32779,
} as const;
export type ReturnCode = (typeof RC)[keyof typeof RC];

/** Every rule the domain enforces fails with this; `code` is the 327xx value a method returns. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ReturnCode,
    message: string,
  ) {
    super(message);
  }
}

/** VM EnabledState values the domain uses (reference §4.1). */
export const VmState = { RUNNING: 2, OFF: 3, PAUSED: 32768, SAVED: 32769 } as const;
export type VmEnabledState = (typeof VmState)[keyof typeof VmState];
/** RequestStateChange values accepted: 2 start, 3 off, 10 reset, 32768 pause, 32769 save. */
export type RequestedVmState = 2 | 3 | 10 | 32768 | 32769;

/** Dynamic MAC pool bounds, 12 upper-case hex digits each (reference §8). */
export interface MacPool {
  min: string;
  max: string;
}

export interface HostInfo {
  /** Upper-case short host name: the host Msvm_ComputerSystem Name and every SystemName. */
  name: string;
  macPool: MacPool;
}

export interface Switch {
  /** Key (Msvm_VirtualSwitch.Name); unique case-insensitively, case kept as given. */
  name: string;
  friendlyName: string;
  numLearnableAddresses: number;
  scopeOfResidence: string;
}

/** Msvm_VLANEndpoint / Msvm_VLANEndpointSettingData writable state of one switch port. */
export interface VlanSettings {
  /** 2 access, 5 trunk (others are stored, and behave as access). */
  desiredEndpointMode: number;
  /** 0 = untagged default VLAN (dataplane VLAN 1); 1..4094 otherwise. */
  accessVlan: number;
  /** Trunk: untagged frames go to this VLAN; 0 = untagged frames dropped. */
  nativeVlan: number;
  /** Never null: [] when empty (networking-hyperv appends to it). */
  trunkedVlanList: number[];
  pruneEligibleVlanList: number[];
  defaultVlan: number;
  primaryVlan: number;
  secondaryVlan: number;
  pVlanMode: number;
  desiredVlanTrunkEncapsulation: number;
  otherEndpointMode: string;
  otherTrunkEncapsulation: string;
}

export interface SwitchPort {
  /** Key (Msvm_SwitchPort.Name); unique among ALL ports case-insensitively. */
  name: string;
  /** The owning switch's name (SystemName key). */
  switchName: string;
  friendlyName: string;
  scopeOfResidence: string;
  vlan: VlanSettings;
  /** Other writable port properties (AllowMacSpoofing, ...), kept as given. */
  extra: Record<string, unknown>;
}

export interface InternalPort {
  /** Key of the domain object (Msvm_InternalEthernetPort.Name as given at creation). */
  name: string;
  friendlyName: string;
  /** 12 upper-case hex digits. */
  mac: string;
  /** Msvm_InternalEthernetPort.DeviceID: "Microsoft:<name>" (docs/msvm-choices.md). */
  deviceId: string;
  /** The TAP device in the host namespace, e.g. `csint0`. */
  ifname: string;
}

export interface ExternalNic {
  /** "{GUID}" derived from the host and the interface name; stable across restarts. */
  deviceId: string;
  /** Linux interface name (also the ElementName). */
  ifname: string;
  /** Adapter description (Name). */
  name: string;
  /** 12 upper-case hex digits ('000000000000' when the interface has none). */
  mac: string;
  mtu: number;
  /** Bits per second; undefined when the kernel does not say. */
  speed?: number;
  /** Operational state from the kernel (up/down/unknown...). */
  operState: string;
  isBound: boolean;
}

export type EndpointKind = 'internal' | 'external' | 'vm';

/** A LAN endpoint: Msvm_SwitchLANEndpoint (internal/external) or Msvm_VmLANEndpoint (vm). */
export interface Endpoint {
  kind: EndpointKind;
  /** Key Name: "/DEVICE/<deviceId>" for switch endpoints, the NIC instanceId for VM endpoints. */
  name: string;
  /** Key SystemName: host name for switch endpoints, VM GUID for VM endpoints. */
  systemName: string;
  mac: string;
  /** The switch port it is actively connected to, if any. */
  portName?: string;
  /** internal: internal port name; external: NIC deviceId; vm: NIC instanceId. */
  owner: string;
}

export interface ActiveConnection {
  portName: string;
  endpointName: string;
  /** True for host-side ConnectSwitchPort connections (stored); VM ones follow the VM's state. */
  persistent: boolean;
}

export type NicKind = 'synthetic' | 'emulated';

/** A VM NIC's persistent settings (the Ethernet RASD). */
export interface Nic {
  /** "Microsoft:<VM GUID>\<device GUID>" (RASD InstanceID). */
  instanceId: string;
  vmGuid: string;
  /** Upper-case GUID without braces; the device DeviceID is "Microsoft:<deviceGuid>". */
  deviceGuid: string;
  kind: NicKind;
  elementName: string;
  /** 12 upper-case hex; '000000000000' for a dynamic NIC before its first start. */
  address: string;
  staticMac: boolean;
  /** Connection[0]: a switch port path text, or '' (not connected). May dangle. */
  connection: string;
  /** Synthetic only; [] for emulated NICs. */
  virtualSystemIdentifiers: string[];
  /** Other RASD properties to keep, as given. */
  extra: Record<string, unknown>;
}

/** Live facts of a running VM's NIC (absent when the VM is off or saved). */
export interface NicRuntime {
  instanceId: string;
  /** The VM LAN endpoint's Name. */
  endpointName: string;
  /** Network namespace (root mode) and the device name inside it (eth0, eth1, ...). */
  netns?: string;
  nsIfname?: string;
  /** Unprivileged mode: the switch's unix datagram socket (QEMU `-netdev dgram` remote.path). */
  socketPath?: string;
  /** Unprivileged mode: where the VM's end binds (QEMU local.path); the switch sends frames there. */
  peerSocketPath?: string;
  /** The switch port actively connected to this NIC, if any. */
  portName?: string;
}

export interface Vm {
  /** Upper-case GUID without braces (Msvm_ComputerSystem.Name). */
  guid: string;
  elementName: string;
  notes: string;
  enabledState: VmEnabledState;
  /** Last requested state (12 when idle). */
  requestedState: number;
  /** VSSD/VSGSD properties the providers keep (BootOrder, AutomaticStartupAction, ...). */
  settings: Record<string, unknown>;
  /** Milliseconds since the epoch. */
  creationTime: number;
  timeOfLastStateChange: number;
  /** NICs in the order they were added (eth0, eth1, ... when running). */
  nics: Nic[];
}

/** Input for addNic / defineVm. */
export interface NicInput {
  kind: NicKind;
  elementName?: string;
  /** MAC text (12 hex, ':' or '-' separators accepted); required when staticMac. */
  address?: string | null;
  staticMac?: boolean;
  connection?: string | null;
  virtualSystemIdentifiers?: string[] | null;
  extra?: Record<string, unknown>;
}

/** Fields modifyNic may change; undefined = keep. */
export interface NicChanges {
  elementName?: string;
  address?: string | null;
  staticMac?: boolean;
  connection?: string | null;
  virtualSystemIdentifiers?: string[] | null;
  extra?: Record<string, unknown>;
}

export interface VmInput {
  elementName?: string;
  notes?: string;
  settings?: Record<string, unknown>;
}

export type JobType = 'vm-state' | 'destroy-vm' | 'setup-switch' | 'teardown-switch';

/** Job states (reference §5.1): 4 running until done, then 7 completed or 10 exception. */
export const JobState = { RUNNING: 4, COMPLETED: 7, EXCEPTION: 10 } as const;

export interface Job {
  /** Upper-case GUID without braces (InstanceID). */
  id: string;
  type: JobType;
  /** 'network' for SetupSwitch/TeardownSwitch (Msvm_NetworkJob), else 'concrete'. */
  jobClass: 'concrete' | 'network';
  description: string;
  state: 4 | 7 | 10;
  percentComplete: number;
  /** 0 on success, the 327xx code on failure. */
  errorCode: number;
  errorDescription: string;
  /** Milliseconds since the epoch. */
  submitted: number;
  started: number;
  finished?: number;
  /** Objects affected (Msvm_AffectedJobElement). */
  affected: { vm?: string; switchName?: string; internalPort?: string; externalNic?: string };
  /** Msvm_NetworkJob: 1 SetupSwitch, 2 TeardownSwitch. */
  networkJobType?: 1 | 2;
  /** SetupSwitch: the internal port it created. */
  createdInternalPort?: string;
  /** For RequestStateChange jobs: the state requested. */
  requestedState?: number;
}

/** A learned or static MAC entry of a switch, attributed to a switch port. */
export interface ForwardingEntry {
  /** 12 upper-case hex. */
  mac: string;
  vlan: number;
  /** The switch port (CIM name) the MAC was learned on. */
  portName: string;
  static: boolean;
  ageSeconds: number;
}

export interface TrafficCounters {
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  txBytes: number;
  dropped: number;
  linkUp?: boolean;
}
