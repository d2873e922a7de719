/**
 * The dataplane's one API for the rest of the server. Callers state the whole desired state
 * (switches, ports, VLANs, connections); `apply` validates it, diffs it against what runs
 * (pure, in diff.ts), opens the new devices, and sends the changes down to the forwarding
 * threads as batches (applied between bursts). Counters are read from memory the core writes (no native call per read);
 * events arrive in batches. Every failure is a DataplaneError with a stable code.
 * It knows nothing of CIM; names of switches and ports are the caller's keys.
 */
import { lstatSync, unlinkSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { diffState, type Action } from './diff.js';
import { deleteVeth, openPortDevice, type PreparedPort } from './devices.js';
import { CTR, FAST, KIND, OP, loadNative, type NativeAddon, type NativeCommand, type NativeEngine, type NativeEvent } from './native.js';
import { normalizeState, type NormalPort, type NormalState } from './spec.js';
import {
  DataplaneError,
  type DataplaneEvent,
  type DesiredState,
  type FastPathState,
  type MacEntry,
  type PortCounters,
  type PortKind,
  type SwitchCounters,
} from './types.js';

export * from './types.js';
export { normalizeMac } from './spec.js';

export interface DataplaneOptions {
  /** Prefix of generated TAP and veth host-end names (default `cs`), followed by the lowest free number. */
  ifnamePrefix?: string;
}

export interface ApplyReport {
  /** The actions taken, in order (see diff.ts). */
  actions: Action[];
  /** Final device names of tap/internal/veth ports created by this apply (in the host namespace:
   *  a TAP's before any move, a veth's host end; `nsIfname` inside the namespace). */
  devices: Record<string, string>;
}

/** Slot allocator: FIFO reuse so a freed id is not handed out again at once. */
class Slots {
  private readonly free: number[];
  private readonly names: (string | undefined)[] = [];
  readonly byName = new Map<string, number>();
  constructor(readonly max: number) {
    this.free = Array.from({ length: max }, (_, i) => i);
  }
  take(name: string): number {
    const id = this.free.shift();
    if (id === undefined) throw new DataplaneError('LIMIT', `no free slot (max ${this.max})`);
    this.byName.set(name, id);
    this.names[id] = name;
    return id;
  }
  release(name: string): void {
    const id = this.byName.get(name);
    if (id === undefined) return;
    this.byName.delete(name);
    this.names[id] = undefined;
    this.free.push(id);
  }
  nameOf(id: number): string | undefined {
    return this.names[id];
  }
}

const EMPTY: NormalState = { switches: [], ports: [] };

export class Dataplane {
  private state: NormalState = EMPTY;
  private readonly ctr: BigUint64Array;
  /** u64s per forwarding thread's counter block. */
  private readonly block: number;
  private readonly engine: NativeEngine;
  private readonly ports: Slots;
  private readonly switches: Slots;
  private readonly listeners = new Set<(events: DataplaneEvent[]) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly devices = new Map<string, string>();
  /** veth ports' host ends, deleted (with their pair) after the core let go of the port. */
  private readonly veths = new Map<string, { ifname: string; index: number }>();

  /** Loads the addon and starts the forwarding thread. Throws NATIVE_UNAVAILABLE if not built. */
  static open(options: DataplaneOptions = {}): Dataplane {
    const addon = loadNative();
    if (addon instanceof Error) throw new DataplaneError('NATIVE_UNAVAILABLE', `dataplane addon unavailable: ${addon.message}`);
    return new Dataplane(addon, options);
  }

  /** True when the addon is built and loads (tests use this to skip). */
  static available(): boolean {
    return !(loadNative() instanceof Error);
  }

  private constructor(
    private readonly addon: NativeAddon,
    private readonly options: DataplaneOptions,
  ) {
    const { maxPorts, maxSwitches, slots, workers } = addon.layout;
    this.block = (maxPorts + maxSwitches) * slots;
    this.ctr = new BigUint64Array(new ArrayBuffer(this.block * workers * 8));
    this.ports = new Slots(maxPorts);
    this.switches = new Slots(maxSwitches);
    this.engine = addon.createEngine(this.ctr.buffer as ArrayBuffer, (ev) => this.dispatch(ev));
  }

  /** The state now in force (normalised: defaults filled in, MACs canonical). */
  get current(): DesiredState {
    return structuredClone(this.state);
  }

  /**
   * Makes `desired` the running state. Calls are serialised. On error the dataplane is left in a
   * consistent state (`current` tells which): removals are applied first, and if opening a new
   * device fails nothing of the build half is applied.
   * Errors: INVALID_SPEC, PERMISSION (capability named), DEVICE_NOT_FOUND, DEVICE_BUSY,
   * NAMESPACE, LIMIT, CLOSED, SYSTEM.
   */
  apply(desired: DesiredState): Promise<ApplyReport> {
    const run = this.queue.then(() => this.applyNow(desired));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Counters of one port, or undefined if no such port. Reads shared memory only. */
  portCounters(port: string): PortCounters | undefined {
    const id = this.ports.byName.get(port);
    if (id === undefined) return undefined;
    const base = id * this.addon.layout.slots;
    return { ...this.readCommon(base), linkUp: this.ctr[base + CTR.linkUp] !== 0n };
  }

  /** Counters of one switch, or undefined if no such switch. Reads shared memory only. */
  switchCounters(sw: string): SwitchCounters | undefined {
    const id = this.switches.byName.get(sw);
    if (id === undefined) return undefined;
    const { maxPorts, slots } = this.addon.layout;
    const base = (maxPorts + id) * slots;
    return { ...this.readCommon(base), macEntries: Number(this.ctr[base + CTR.macEntries]), floods: this.sum(base, CTR.floods) };
  }

  /** The MAC table of one switch (learned and static entries). Throws INVALID_SPEC for an unknown switch. */
  macTable(sw: string): MacEntry[] {
    this.checkOpen();
    const id = this.switches.byName.get(sw);
    if (id === undefined) throw new DataplaneError('INVALID_SPEC', `unknown switch ${sw}`, { switch: sw });
    return this.engine.dumpMacs(id).flatMap((e) => {
      const port = this.ports.nameOf(e.port);
      return port === undefined ? [] : [{ mac: e.mac, vlan: e.vlan, port, static: e.isStatic, ageSeconds: e.age }];
    });
  }

  /** The host-namespace device name of a tap/internal port (before any move into a namespace)
   *  or of a veth port's host end. */
  deviceName(port: string): string | undefined {
    return this.devices.get(port);
  }

  /** Whether the kernel fast path for veth ports is on (known unicast between veth ports then
   *  never reaches user space; its frames are still counted in the ports' counters, folded in
   *  by the core at most ~100 ms late). Off, `errno` says why (ENOSYS: not built in; EPERM:
   *  no CAP_BPF/CAP_NET_ADMIN; ...); frames forward through user space then. */
  get fastPath(): FastPathState {
    this.checkOpen();
    const v = this.engine.fastPath();
    if (v === 1) return { active: true };
    return v < 0 ? { active: false, errno: errnoName(-v) } : { active: false };
  }

  /** Subscribes to event batches; returns the unsubscribe function. Listener errors are swallowed. */
  onEvents(listener: (events: DataplaneEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops forwarding and removes every device this dataplane created. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    // veth ports first leave the core (socket closed, kernel path detached), then their pairs go.
    const veths = [...this.veths.keys()];
    try {
      if (veths.length > 0) this.engine.apply(veths.map((name) => ({ op: OP.delPort, port: this.port(name) })));
    } catch {
      // the engine closes every port below anyway
    }
    this.engine.close();
    await this.deleteVeths(veths);
    for (const p of this.state.ports) if (p.kind === 'dgram') removeSocketFile(p.localPath!);
    this.state = EMPTY;
  }

  /** Sums one counter group over the forwarding threads' blocks. */
  private sum(base: number, k: number): number {
    let sum = 0n;
    for (let w = 0; w < this.addon.layout.workers; w++) sum += this.ctr[w * this.block + base + k];
    return Number(sum);
  }

  private readCommon(base: number) {
    const v = (k: number): number => this.sum(base, k);
    return {
      rxPackets: v(CTR.rxPackets),
      rxBytes: v(CTR.rxBytes),
      txPackets: v(CTR.txPackets),
      txBytes: v(CTR.txBytes),
      noRoute: v(CTR.noRoute),
      queueFull: v(CTR.queueFull),
      vlanFiltered: v(CTR.vlanFiltered),
      malformed: v(CTR.malformed),
      tableFull: v(CTR.tableFull),
      gso: v(CTR.gso),
    };
  }

  private checkOpen(): void {
    if (this.closed) throw new DataplaneError('CLOSED', 'the dataplane is closed');
  }

  private async applyNow(desired: DesiredState): Promise<ApplyReport> {
    this.checkOpen();
    const want = normalizeState(desired);
    const actions = diffState(this.state, want);
    const split = actions.findIndex((a) => BUILD_OPS.has(a.op));
    const teardown = split < 0 ? actions : actions.slice(0, split);
    const build = split < 0 ? [] : actions.slice(split);
    if (teardown.length > 0) {
      this.engine.apply(teardown.map((a) => this.command(a, undefined)));
      const deleted = teardown.flatMap((a) => (a.op === 'deletePort' ? [a.port] : []));
      for (const a of teardown) this.forget(a);
      this.state = replayTeardown(this.state, teardown);
      // The core has closed their sockets: a recreated port may now take the same names.
      await this.deleteVeths(deleted);
    }
    this.checkRoom(build);
    const prepared = await this.prepare(build);
    const taken: Action[] = [];
    try {
      for (const a of build) this.allocate(a), taken.push(a);
      this.engine.apply(build.map((a) => this.command(a, a.op === 'createPort' ? prepared.get(a.spec.name) : undefined)));
    } catch (e) {
      await this.discard([...prepared.values()]);
      for (const a of taken) this.unallocate(a);
      throw e;
    }
    this.state = want;
    const devices: Record<string, string> = {};
    for (const [name, p] of prepared) {
      if (p.ifname) (devices[name] = p.ifname), this.devices.set(name, p.ifname);
      if (p.vethIndex !== undefined) this.veths.set(name, { ifname: p.ifname!, index: p.vethIndex });
    }
    return { actions, devices };
  }

  /** Opens every new port's device; on the first failure closes what was opened and throws. */
  private async prepare(build: Action[]): Promise<Map<string, PreparedPort>> {
    const out = new Map<string, PreparedPort>();
    try {
      for (const a of build) {
        // The kernel fills in %d with the lowest free number (TUNSETIFF); veth names likewise.
        if (a.op === 'createPort') out.set(a.spec.name, await openPortDevice(this.addon, a.spec, `${this.options.ifnamePrefix ?? 'cs'}%d`));
      }
    } catch (e) {
      await this.discard([...out.values()]);
      throw e;
    }
    return out;
  }

  /** Gives up devices opened for ports the core never got: closes fds, deletes veth pairs. */
  private async discard(prepared: PreparedPort[]): Promise<void> {
    for (const p of prepared) this.addon.closeFd(p.fd);
    for (const p of prepared) if (p.vethIndex !== undefined) await deleteVeth(p.ifname!, p.vethIndex);
  }

  /** Deletes the veth pairs of ports the core no longer has. */
  private async deleteVeths(ports: string[]): Promise<void> {
    for (const name of ports) {
      const v = this.veths.get(name);
      if (!v) continue;
      this.veths.delete(name);
      await deleteVeth(v.ifname, v.index);
    }
  }

  /** Throws LIMIT before any device is opened when the new switches or ports do not fit. */
  private checkRoom(build: Action[]): void {
    const count = (op: Action['op']) => build.filter((a) => a.op === op).length;
    const { maxPorts, maxSwitches } = this.addon.layout;
    if (this.switches.byName.size + count('createSwitch') > maxSwitches)
      throw new DataplaneError('LIMIT', `more than ${maxSwitches} switches`);
    if (this.ports.byName.size + count('createPort') > maxPorts) throw new DataplaneError('LIMIT', `more than ${maxPorts} ports`);
  }

  private unallocate(a: Action): void {
    if (a.op === 'createSwitch') this.switches.release(a.spec.name);
    if (a.op === 'createPort') this.ports.release(a.spec.name);
  }

  private allocate(a: Action): void {
    if (a.op === 'createSwitch') this.switches.take(a.spec.name);
    if (a.op === 'createPort') this.ports.take(a.spec.name);
  }

  private forget(a: Action): void {
    if (a.op === 'deleteSwitch') this.switches.release(a.switch);
    if (a.op !== 'deletePort') return;
    this.ports.release(a.port);
    this.devices.delete(a.port);
    const spec = this.state.ports.find((p) => p.name === a.port);
    if (spec?.kind === 'dgram') removeSocketFile(spec.localPath!);
  }

  private sw(name: string): number {
    const id = this.switches.byName.get(name);
    if (id === undefined) throw new DataplaneError('INVALID_SPEC', `unknown switch ${name}`, { switch: name });
    return id;
  }

  private port(name: string): number {
    const id = this.ports.byName.get(name);
    if (id === undefined) throw new DataplaneError('INVALID_SPEC', `unknown port ${name}`, { port: name });
    return id;
  }

  private command(a: Action, dev: PreparedPort | undefined): NativeCommand {
    switch (a.op) {
      case 'removeStatic':
        return { op: OP.delStatic, sw: this.sw(a.switch), mac: a.mac, vlan: a.vlan };
      case 'disconnect':
        return { op: OP.disconnect, port: this.port(a.port) };
      case 'deletePort':
        return { op: OP.delPort, port: this.port(a.port) };
      case 'deleteSwitch':
        return { op: OP.delSwitch, sw: this.sw(a.switch) };
      case 'createSwitch':
      case 'updateSwitch':
        return { op: a.op === 'createSwitch' ? OP.addSwitch : OP.setSwitch, sw: this.sw(a.spec.name), macLimit: a.spec.macLimit, agingSeconds: a.spec.agingSeconds };
      case 'createPort': {
        const s = a.spec;
        return { op: OP.addPort, port: this.port(s.name), kind: coreKind(s.kind), fastpath: fastpathOf(s), fd: dev!.fd, vnet: dev!.vnet, mtu: dev!.mtu ?? s.mtu ?? 1500, remotePath: s.remotePath ?? '', ...vlanFields(s.vlan) };
      }
      case 'setVlan':
        return { op: OP.setVlan, port: this.port(a.port), ...vlanFields(a.vlan) };
      case 'connect':
        return { op: OP.connect, port: this.port(a.port), sw: this.sw(a.switch) };
      case 'addStatic':
        return { op: OP.addStatic, sw: this.sw(a.switch), port: this.port(a.port), mac: a.mac, vlan: a.vlan };
    }
  }

  private dispatch(raw: NativeEvent[]): void {
    const out: DataplaneEvent[] = [];
    for (const e of raw) {
      const port = this.ports.nameOf(e.port) ?? '';
      const sw = this.switches.nameOf(e.sw) ?? '';
      if (e.type === 'mac-learned' || e.type === 'mac-aged') out.push({ type: e.type, switch: sw, mac: e.mac, vlan: e.vlan, port });
      else if (e.type === 'link-up' || e.type === 'link-down') out.push({ type: 'link', port, up: e.type === 'link-up' });
      else if (e.type === 'port-error') out.push({ type: 'port-error', port, code: e.code, message: `port ${port}: ${e.code}` });
      else out.push({ type: 'events-lost', count: e.vlan });
    }
    for (const l of this.listeners) {
      try {
        l(out);
      } catch {
        /* a listener's failure must not stop the others */
      }
    }
  }
}

/** Removes a dgram port's socket file once the port is gone (only if it still is a socket). */
function removeSocketFile(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/** The core's kind: `internal` is a TAP, `veth` a host port on the pair's host end. */
function coreKind(kind: PortKind): number {
  return kind === 'internal' ? KIND.tap : kind === 'veth' ? KIND.host : KIND[kind];
}

function fastpathOf(s: NormalPort): number {
  if (s.kind !== 'veth') return FAST.none;
  return s.netns !== undefined ? FAST.peerNetns : FAST.sameNetns;
}

const ERRNO_NAMES = new Map<number, string>();
for (const [name, n] of Object.entries(osConstants.errno)) if (!ERRNO_NAMES.has(n)) ERRNO_NAMES.set(n, name);

/** EPERM for 1, and so on; `errno N` for a number this platform has no name for. */
function errnoName(n: number): string {
  return ERRNO_NAMES.get(n) ?? `errno ${n}`;
}

const BUILD_OPS = new Set<Action['op']>(['createSwitch', 'updateSwitch', 'createPort', 'setVlan', 'connect', 'addStatic']);

function vlanFields(v: NormalState['ports'][number]['vlan']): Partial<NativeCommand> {
  if (v.mode === 'access') return { trunk: false, accessVlan: v.accessVlan, trunkVlans: [], nativeVlan: 0 };
  return { trunk: true, accessVlan: 0, trunkVlans: v.trunkVlans, nativeVlan: v.nativeVlan ?? 0 };
}

/** The state after only the teardown half of a diff: what runs if the build half fails. */
export function replayTeardown(state: NormalState, actions: Action[]): NormalState {
  const s: NormalState = structuredClone(state);
  for (const a of actions) {
    if (a.op === 'removeStatic') {
      const sw = s.switches.find((x) => x.name === a.switch);
      if (sw) sw.staticMacs = sw.staticMacs.filter((m) => m.mac !== a.mac || m.vlan !== a.vlan);
    } else if (a.op === 'disconnect') {
      const p = s.ports.find((x) => x.name === a.port);
      if (p) delete p.switch;
    } else if (a.op === 'deletePort') s.ports = s.ports.filter((x) => x.name !== a.port);
    else if (a.op === 'deleteSwitch') s.switches = s.switches.filter((x) => x.name !== a.switch);
  }
  return s;
}
