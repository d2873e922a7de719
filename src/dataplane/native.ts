/**
 * Loads the Node-API addon (build/Release/cimswitch_dataplane.node, built by node-gyp from
 * binding.gyp at `npm install`) and states the implementer's contract the binding fulfils.
 * control.ts is the only caller. Nothing here touches a frame: frames live in the C core's
 * thread; JavaScript sees only commands going down, counters in shared memory, and event batches.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Counter slot indexes inside one port's or switch's block of u64s (dp.h DP_CTR_*). */
export const CTR = {
  rxPackets: 0,
  rxBytes: 1,
  txPackets: 2,
  txBytes: 3,
  noRoute: 4,
  queueFull: 5,
  vlanFiltered: 6,
  malformed: 7,
  tableFull: 8,
  gso: 9,
  linkUp: 10,
  macEntries: 11,
  floods: 12,
} as const;

/** Command opcodes (dp.h enum dp_cmd_op). */
export const OP = {
  addSwitch: 1,
  delSwitch: 2,
  setSwitch: 3,
  addPort: 4,
  delPort: 5,
  connect: 6,
  disconnect: 7,
  setVlan: 8,
  addStatic: 9,
  delStatic: 10,
} as const;

/** Port kinds as the core knows them (dp.h enum dp_port_kind). A `veth` port is a host port. */
export const KIND = { tap: 1, host: 2, dgram: 3 } as const;

/** addPort `fastpath` of a host port on a veth host end (dp.h DP_FAST_*): the other end is in
 *  another namespace (bpf_redirect_peer reaches it) or in the same one. */
export const FAST = { none: 0, peerNetns: 1, sameNetns: 2 } as const;

/** One command of a batch. Ownership: an addPort command hands `fd` to the core, which closes it
 *  when the port is deleted or the engine closes; the caller must not use or close it after. */
export interface NativeCommand {
  op: number;
  sw?: number;
  port?: number;
  kind?: number;
  fd?: number;
  /** The fd carries a 10-byte virtio_net_hdr before each frame (tap, host with PACKET_VNET_HDR). */
  vnet?: boolean;
  mtu?: number;
  macLimit?: number;
  agingSeconds?: number;
  /** setVlan: 0 = access, 1 = trunk. */
  trunk?: boolean;
  accessVlan?: number;
  trunkVlans?: number[];
  nativeVlan?: number;
  mac?: string;
  vlan?: number;
  /** dgram: the peer's socket path (empty = reply to the last sender). */
  remotePath?: string;
  /** addPort of a host port that is the host end of a veth pair the caller created (FAST). */
  fastpath?: number;
}

/** A raw event from the core; ids are the slots the caller assigned. */
export interface NativeEvent {
  type: 'mac-learned' | 'mac-aged' | 'link-up' | 'link-down' | 'port-error' | 'events-lost';
  sw: number;
  port: number;
  mac: string;
  vlan: number;
  /** port-error: errno name (e.g. EBADFD); events-lost: count in `vlan`. */
  code: string;
}

export interface NativeMacEntry {
  mac: string;
  vlan: number;
  port: number;
  isStatic: boolean;
  age: number;
}

/** The engine: one forwarding thread. Every method throws an Error whose `code` is an errno
 *  name (EPERM, ENOENT, EBUSY, ...) or 'EINVAL' for bad arguments; it never crashes the process. */
export interface NativeEngine {
  /** Applies the batch on the forwarding thread between bursts and returns when it is done.
   *  Commands are checked first; a bad one throws before any is applied. */
  apply(commands: NativeCommand[]): void;
  /** Snapshot of one switch's MAC table. */
  dumpMacs(sw: number): NativeMacEntry[];
  /** Stops the thread, closes every port's fd. Idempotent. The event callback is released
   *  and its finalizer joins the thread. */
  close(): void;
  /** dp_engine_fastpath: 1 when the kernel fast path is active, else a negative errno (why not). */
  fastPath(): number;
}

export interface NativeAddon {
  /** Layout of the counters buffer: `workers` blocks (one per forwarding thread), each of
   *  maxPorts then maxSwitches groups of `slots` u64s. A counter is the sum over the blocks,
   *  except linkUp and macEntries, kept in block 0 only. */
  layout: { maxPorts: number; maxSwitches: number; slots: number; workers: number };
  /** `counters` is owned by JavaScript and must stay alive and attached while the engine lives
   *  (the engine keeps a reference). `onEvents` is called on the JS thread with event batches. */
  createEngine(counters: ArrayBuffer, onEvents: (events: NativeEvent[]) => void): NativeEngine;
  /** Creates a TAP (IFF_VNET_HDR, csum/TSO offloads) in the caller's namespace; returns its fd
   *  and the kernel's final name. The caller owns the fd until it passes it in addPort. */
  openTap(ifname: string, mac: string, mtu: number, up: boolean): { fd: number; ifname: string };
  /** AF_PACKET socket bound to `ifname`, promiscuous; `vnet` tells whether PACKET_VNET_HDR is on. */
  openHost(ifname: string, mtu: number): { fd: number; vnet: boolean; mtu: number };
  /** Sets the IPv4 GSO and GRO size limits of `ifname` (above 65536: BIG TCP), inside the network
   *  namespace at `netnsPath` ('' = ours). Linux 6.3+; throws an errno-coded error. */
  setGsoMax(netnsPath: string, ifname: string, size: number): void;
  /** Unix datagram socket bound to `localPath` (a stale socket file there is replaced). */
  openDgram(localPath: string): { fd: number };
  /** Closes an fd the caller still owns (a prepared port that was never added). */
  closeFd(fd: number): void;
  /** Test peer: sends one datagram from `fd` (an openDgram socket) to `path`; returns bytes sent. */
  dgramSend(fd: number, path: string, frame: Uint8Array): number;
  /** Test peer: receives one datagram into `buf` without blocking; returns its length or -1. */
  dgramRecv(fd: number, buf: Uint8Array): number;
}

function findAddon(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'build', 'Release', 'cimswitch_dataplane.node');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  return undefined;
}

let cached: NativeAddon | Error | undefined;

/** Loads the addon once; returns the Error (not thrown) when it is missing or fails to load. */
export function loadNative(): NativeAddon | Error {
  if (cached) return cached;
  const path = findAddon();
  if (!path) {
    cached = new Error('build/Release/cimswitch_dataplane.node not found: run `npm install` or `npx node-gyp rebuild`');
    return cached;
  }
  try {
    cached = createRequire(import.meta.url)(path) as NativeAddon;
  } catch (e) {
    cached = e instanceof Error ? e : new Error(String(e));
  }
  return cached;
}
