/**
 * The dataplane's vocabulary: desired state (switches, ports, VLANs, connections), counters,
 * events and the typed error. Plain data only, so the pure diff and the tests can use it
 * without the native addon. Speaks Ethernet, never CIM.
 */

/** `tap`: a TAP device for a VM's NIC, optionally moved into a network namespace.
 *  `internal`: a TAP device left in the host namespace (the host's own stack).
 *  `host`: AF_PACKET bound to an existing interface (a physical NIC or one end of a veth).
 *  `dgram`: a unix datagram socket, one frame per datagram (QEMU `-netdev dgram`); no privileges.
 *  `veth`: a veth pair the switch creates: the host end (`ifname`) is the port (AF_PACKET, plus
 *  the kernel fast path when it is on), the other end goes into `netns` as `nsIfname` (or stays
 *  in the host namespace as `nsIfname` when no netns is given). Deleted with the port. */
/** The IPv4 GSO/GRO limit given to both ends of a veth port unless its spec says otherwise. */
export const VETH_GSO_DEFAULT = 196608;

export type PortKind = 'tap' | 'internal' | 'host' | 'dgram' | 'veth';

/** Access: untagged frames in one VLAN. Trunk: 802.1Q tagged frames of the allowed VLANs, and
 *  untagged frames in the native VLAN when one is given. VLAN ids are 1..4094. */
export type VlanConfig =
  | { mode: 'access'; accessVlan: number }
  | { mode: 'trunk'; trunkVlans: number[]; nativeVlan?: number };

/** A static MAC entry: frames to `mac` in `vlan` go to port `port`; never aged, never relearned. */
export interface StaticMacSpec {
  mac: string;
  vlan: number;
  port: string;
}

export interface SwitchSpec {
  /** Unique key of the switch (e.g. the CIM side's Name). */
  name: string;
  /** Maximum number of learned MAC entries (NumLearnableAddresses). Default 8192. */
  macLimit?: number;
  /** Seconds after which an unused learned entry is removed. Default 300. */
  agingSeconds?: number;
  staticMacs?: StaticMacSpec[];
}

export interface PortSpec {
  /** Unique key of the port. */
  name: string;
  kind: PortKind;
  /** The switch this port is connected to; absent = disconnected (frames received are dropped). */
  switch?: string;
  /** tap/internal: the device's MAC address (the NIC's, in a namespace). veth: the MAC of the end
   *  in the namespace (the host end keeps a random one). Default: kernel's random one. */
  mac?: string;
  /** MTU (68..9000): of the device for tap/internal/host (veth: of both ends), the largest frame
   *  payload accepted for dgram. Default 1500 (host: the interface's own MTU is left as it is). */
  mtu?: number;
  /** veth: the IPv4 GSO/GRO size limit of both ends, 65536..524280 bytes. Above 65536 the stacks
   *  behind them send IPv4 "BIG TCP" segments (Linux 6.3+), fewer and larger, which the kernel fast
   *  path forwards whole (frames over 64 KB that take the user-space path towards another kind of
   *  port are segmented there). Default 196608; 65536 = the kernel's usual limit. */
  gsoMaxSize?: number;
  /** Default: access VLAN 1. */
  vlan?: VlanConfig;
  /** tap/internal: the device name to create (≤15 chars; default generated from the port).
   *  veth: the name of the host end (default generated the same way). host: the existing
   *  interface to bind. */
  ifname?: string;
  /** tap: move the device into this named network namespace (`ip netns` name).
   *  veth: create the other end in it. */
  netns?: string;
  /** tap/veth with netns: the device's name inside the namespace (e.g. `eth0`; default: the
   *  host-side name). veth without netns: the other end's name in the host namespace (required). */
  nsIfname?: string;
  /** dgram: the path this port binds (QEMU's remote.path). */
  localPath?: string;
  /** dgram: the peer's path (QEMU's local.path); absent = reply to the last sender. */
  remotePath?: string;
}

export interface DesiredState {
  switches: SwitchSpec[];
  ports: PortSpec[];
}

/** Drop causes, each counted per port and per switch. */
export interface DropCounters {
  /** No port to send to (disconnected ingress, destination is the ingress port, empty VLAN). */
  noRoute: number;
  /** The egress device or socket would block. */
  queueFull: number;
  /** VLAN not allowed on the ingress or egress port. */
  vlanFiltered: number;
  /** Runt, oversized or otherwise malformed frames. */
  malformed: number;
  /** The source MAC could not be learned because the table was at its limit (frame still sent). */
  tableFull: number;
  /** A GSO frame could not be segmented for a port without offloads. */
  gso: number;
}

export interface PortCounters extends DropCounters {
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  txBytes: number;
  /** True while the port's device is usable. */
  linkUp: boolean;
}

export interface SwitchCounters extends DropCounters {
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  txBytes: number;
  /** Learned + static entries now in the MAC table. */
  macEntries: number;
  /** Frames flooded (broadcast, multicast, unknown unicast). */
  floods: number;
}

export interface MacEntry {
  mac: string;
  vlan: number;
  port: string;
  static: boolean;
  /** Seconds since the entry was last refreshed (0 for static entries). */
  ageSeconds: number;
}

export type DataplaneEvent =
  | { type: 'mac-learned'; switch: string; mac: string; vlan: number; port: string }
  | { type: 'mac-aged'; switch: string; mac: string; vlan: number; port: string }
  | { type: 'link'; port: string; up: boolean }
  | { type: 'port-error'; port: string; code: string; message: string }
  /** Events were lost because the event ring was full (e.g. a MAC flood). */
  | { type: 'events-lost'; count: number };

/** The kernel fast path for `veth` ports (known unicast forwarded by eBPF at the host ends'
 *  ingress, never reaching user space). `errno` names why it is off (e.g. ENOSYS, EPERM).
 *  Frames forward correctly either way. */
export interface FastPathState {
  active: boolean;
  errno?: string;
}

export type DataplaneErrorCode =
  | 'INVALID_SPEC' // the desired state is inconsistent or a value is out of range
  | 'PERMISSION' // a capability is missing (see `capability`)
  | 'DEVICE_NOT_FOUND' // host port: interface does not exist
  | 'DEVICE_BUSY' // the device name or socket path is taken
  | 'NAMESPACE' // putting a device into a namespace failed (e.g. the namespace does not exist)
  | 'LIMIT' // too many switches or ports
  | 'NATIVE_UNAVAILABLE' // the addon is not built or failed to load
  | 'CLOSED' // the dataplane was closed
  | 'SYSTEM'; // any other OS error (see `errno`)

/** The one error type the dataplane throws. `code` is stable; `message` is for people. */
export class DataplaneError extends Error {
  override readonly name = 'DataplaneError';
  constructor(
    readonly code: DataplaneErrorCode,
    message: string,
    readonly details: { capability?: string; errno?: string; port?: string; switch?: string } = {},
  ) {
    super(message);
  }
  get capability(): string | undefined {
    return this.details.capability;
  }
}
