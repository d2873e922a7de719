/**
 * The domain's caller API: what the Msvm providers call. `VirtualNetwork` (network.ts)
 * implements it. Reads are synchronous snapshots (copies: mutating them changes nothing);
 * every change is async, serialised with the others, realized in the dataplane and Linux and
 * committed to SQLite in one transaction before its promise resolves. Every rule violation
 * rejects with a DomainError whose `code` is the Hyper-V return value (reference §1.3).
 * Operations the reference runs as jobs return a Job at once (state 4); it completes (7) or
 * fails (10, errorCode) when the work is done. Their parameter checks run before the job is
 * made, so a bad call throws a DomainError instead of returning a job.
 */
import type { DB } from '../../../store/db.js';
import type {
  ActiveConnection,
  Endpoint,
  ExternalNic,
  ForwardingEntry,
  HostInfo,
  InternalPort,
  Job,
  MacPool,
  Nic,
  NicChanges,
  NicInput,
  NicRuntime,
  RequestedVmState,
  Switch,
  SwitchPort,
  TrafficCounters,
  VlanSettings,
  Vm,
  VmInput,
} from './types.js';

export interface NetworkOptions {
  /** Directory for the database (unless `db` is given) and dgram sockets. ':memory:' needs dataplane 'none'. */
  stateDir: string;
  /** A database opened with openDatabase() to share; not closed by close(). Default: our own in stateDir. */
  db?: DB;
  /** 'auto' (default): open the native dataplane (throws when unavailable). 'none': rules and
   *  persistence only, nothing realized (unit tests, tools). 'try': 'auto' when the addon is
   *  built, else 'none'. */
  dataplane?: 'auto' | 'none' | 'try';
  /** 'netns' (needs root): VM NICs are veth pairs, the VM's end `eth<i>` in namespace
   *  `<netnsPrefix><GUID>` (unicast between VMs takes the dataplane's kernel fast path).
   *  'dgram': unix datagram sockets under stateDir. 'auto' (default): netns when root, else dgram. */
  vmMode?: 'auto' | 'netns' | 'dgram';
  /** Host name (default: upper-cased short os.hostname()). */
  hostName?: string;
  /** Prefix of our host-namespace devices: internal port TAPs `<p>int<n>`, VM NICs' veth host
   *  ends `<p>vm<n>`. Default 'cs'. */
  ifPrefix?: string;
  /** Prefix of VM network namespaces. Default 'cimswitch-'. */
  netnsPrefix?: string;
  /** Where host NICs are listed (default /sys/class/net). */
  sysClassNet?: string;
  /** Seeds the default MAC pool and external NIC GUIDs (default: /etc/machine-id, else host name). */
  machineId?: string;
  /** Clock (ms since the epoch); tests inject one. */
  now?: () => number;
  /** How long finished jobs are kept (default 5 minutes, reference §5.1). */
  jobRetentionMs?: number;
  /** Builds the path text written into a NIC's Connection by a VM-side connect (default: the
   *  WMI form of reference §1.1). Providers pass their own so it is byte-identical to theirs. */
  formatPortPath?: (host: string, switchName: string, portName: string) => string;
  /** Restart VMs whose stored state is running (default true). */
  restoreRunning?: boolean;
}

export interface CreateSwitchArgs {
  name: string;
  friendlyName?: string;
  numLearnableAddresses?: number;
  scopeOfResidence?: string;
}

export interface CreatePortArgs {
  switchName: string;
  name: string;
  friendlyName?: string;
  scopeOfResidence?: string;
}

export interface CreateInternalPortArgs {
  name: string;
  friendlyName?: string;
  /** MAC text; undefined/null = take one from the pool (…DynamicMac). */
  mac?: string | null;
}

export interface SetupSwitchArgs {
  externalPort: string;
  internalPort: string;
  /** External NIC deviceId. */
  externalNic: string;
  internalName: string;
  internalFriendlyName?: string;
}

export interface TeardownSwitchArgs {
  /** External NIC deviceId. */
  externalNic: string;
  /** Internal port name; may be omitted when the switch has none. */
  internalPort?: string | null;
}

export type ChangeListener = () => void;
export type JobListener = (job: Job) => void;

/** The domain operations the providers use. */
export interface NetworkApi {
  /** True when changes are realized in a dataplane (false in mode 'none'). */
  readonly realized: boolean;

  // ---- reads --------------------------------------------------------------------------
  host(): HostInfo;
  switches(): Switch[];
  /** Case-insensitive lookup. */
  switch(name: string): Switch | undefined;
  /** All ports, or those of one switch. */
  ports(switchName?: string): SwitchPort[];
  port(name: string): SwitchPort | undefined;
  internalPorts(): InternalPort[];
  internalPort(name: string): InternalPort | undefined;
  /** Host NICs now present (read from sysfs on each call) with their binding. */
  externalNics(): ExternalNic[];
  externalNic(deviceId: string): ExternalNic | undefined;
  /** Switch LAN endpoints (internal ports, bound external NICs) and VM LAN endpoints (running VMs). */
  endpoints(): Endpoint[];
  endpoint(name: string): Endpoint | undefined;
  connections(): ActiveConnection[];
  connectionOfPort(portName: string): ActiveConnection | undefined;
  vms(): Vm[];
  vm(guid: string): Vm | undefined;
  nic(instanceId: string): Nic | undefined;
  /** Live facts of a running VM's NIC; undefined when the VM is not running. */
  nicRuntime(instanceId: string): NicRuntime | undefined;
  /** The port a Connection/REF path text names (Name + SystemName keys), or undefined. */
  resolvePortRef(text: string): SwitchPort | undefined;
  /** The path text of a port as written into NIC Connection by VM-side connects. */
  portPath(portName: string): string;
  jobs(): Job[];
  job(id: string): Job | undefined;
  /** Resolves when the job has finished (state 7 or 10). */
  waitJob(id: string): Promise<Job>;
  /** MAC table of a switch attributed to switch ports (empty without a dataplane). */
  macTable(switchName: string): ForwardingEntry[];
  /** Traffic of the device connected to a switch port (undefined when none). */
  portCounters(portName: string): TrafficCounters | undefined;
  switchCounters(switchName: string): TrafficCounters | undefined;
  onChange(listener: ChangeListener): () => void;
  /** What open() could not restore (a VM that failed to restart is left off); empty normally. */
  restoreProblems(): string[];
  onJob(listener: JobListener): () => void;

  // ---- host / MAC pool ----------------------------------------------------------------
  /** ModifyServiceSettings: new dynamic MAC range. 32773 on bad text or min > max. */
  setMacPool(pool: MacPool): Promise<MacPool>;

  // ---- Msvm_VirtualSwitchManagementService --------------------------------------------
  createSwitch(args: CreateSwitchArgs): Promise<Switch>;
  modifySwitch(name: string, changes: Partial<Omit<Switch, 'name'>>): Promise<Switch>;
  /** Removes the switch, its ports, their VLAN settings and connections. */
  deleteSwitch(name: string): Promise<void>;
  createPort(args: CreatePortArgs): Promise<SwitchPort>;
  modifyPort(name: string, changes: { friendlyName?: string; scopeOfResidence?: string; extra?: Record<string, unknown> }): Promise<SwitchPort>;
  /** Deleting a connected port disconnects it first (docs/msvm-choices.md). */
  deletePort(name: string): Promise<void>;
  /** Writes VLAN settings (only the given fields); effective in the dataplane at once. */
  setVlan(portName: string, changes: Partial<VlanSettings>): Promise<SwitchPort>;
  connect(portName: string, endpointName: string): Promise<ActiveConnection>;
  disconnect(portName: string): Promise<void>;
  createInternalPort(args: CreateInternalPortArgs): Promise<InternalPort>;
  deleteInternalPort(name: string): Promise<void>;
  bindExternal(deviceId: string): Promise<ExternalNic>;
  unbindExternal(deviceId: string): Promise<ExternalNic>;
  setupSwitch(args: SetupSwitchArgs): Job;
  teardownSwitch(args: TeardownSwitchArgs): Job;

  // ---- Msvm_VirtualSystemManagementService --------------------------------------------
  defineVm(input: VmInput, nics?: NicInput[]): Promise<Vm>;
  modifyVm(guid: string, changes: VmInput): Promise<Vm>;
  /** Job; 32775 (thrown) unless the VM is off or saved. */
  destroyVm(guid: string): Job;
  addNics(guid: string, nics: NicInput[]): Promise<Nic[]>;
  /** Each change names its NIC by instanceId. Connection changes of a running VM reconnect live. */
  modifyNics(guid: string, changes: Array<NicChanges & { instanceId: string }>): Promise<Nic[]>;
  removeNics(guid: string, instanceIds: string[]): Promise<void>;
  /** Job; 32775 (thrown) when already in that state or the transition is not possible. */
  requestStateChange(guid: string, state: RequestedVmState): Job;

  // ---- lifecycle ----------------------------------------------------------------------
  /** Stops the dataplane, removes our TAPs, veth pairs, namespaces and sockets; rows stay (a
   *  later open() restores everything). */
  close(): Promise<void>;
  /** Deletes every object (rows, devices, namespaces, sockets), then closes. */
  purge(): Promise<void>;
}
