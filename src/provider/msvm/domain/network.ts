/**
 * VirtualNetwork: the domain behind the Msvm providers. It owns the state (state.ts), applies
 * the rules (rules-*.ts) to a copy, realizes the copy (dataplane desired state from
 * realize.ts, VM namespaces from netns.ts), stores it (store.ts, one transaction), and only
 * then makes it current. If realizing fails the previous state is re-applied and the call
 * fails with 32768; if storing fails the realization is rolled back the same way. All changes
 * are serialised; reads are synchronous copies. See api.ts for the caller's contract.
 */
import fs from 'node:fs';
import os from 'node:os';
import { Dataplane } from '../../../dataplane/control.js';
import { openDatabase, type DB } from '../../../store/db.js';
import type { CreateInternalPortArgs, CreatePortArgs, CreateSwitchArgs, NetworkApi, NetworkOptions, SetupSwitchArgs, TeardownSwitchArgs } from './api.js';
import { scanHostNics } from './host-nics.js';
import { JobTable } from './jobs.js';
import * as live from './live.js';
import { checkPool, defaultMacPool } from './mac.js';
import { wmiPortPath } from './paths.js';
import { nicIfname, nicPeerSocket, nicSocket, vmNetns } from './realize.js';
import { Realizer } from './realizer.js';
import * as setup from './rules-setup.js';
import * as sw from './rules-switch.js';
import * as vmr from './rules-vm.js';
import { cloneState, emptyState, findEndpoint, findNic, hasDevices, key, listConnections, listEndpoints, pruneLinks, resolvePort, type State } from './state.js';
import { DomainStore } from './store.js';
import {
  DomainError,
  RC,
  VmState,
  type ActiveConnection,
  type Endpoint,
  type ExternalNic,
  type ForwardingEntry,
  type HostInfo,
  type InternalPort,
  type Job,
  type MacPool,
  type Nic,
  type NicChanges,
  type NicInput,
  type NicRuntime,
  type RequestedVmState,
  type Switch,
  type SwitchPort,
  type TrafficCounters,
  type VlanSettings,
  type Vm,
  type VmInput,
} from './types.js';

interface Config {
  stateDir: string;
  vmMode: 'netns' | 'dgram';
  ifPrefix: string;
  netnsPrefix: string;
  sysClassNet: string;
  machineId: string;
  now: () => number;
  formatPortPath: (host: string, switchName: string, portName: string) => string;
}

function readMachineId(): string {
  try {
    const id = fs.readFileSync('/etc/machine-id', 'utf8').trim();
    if (id) return id;
  } catch {
    /* fall back to the host name */
  }
  return os.hostname();
}

const copy = <T>(v: T): T => structuredClone(v);

/** Runs a rule; anything but a DomainError (a malformed argument) becomes 32773 with its text. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError(RC.INVALID_PARAMETER, `invalid argument (${e instanceof Error ? e.message : String(e)})`);
  }
}

const JOB_TEXT: Record<number, string> = {
  2: 'Initializing and Starting Virtual Machine',
  3: 'Turning Off Virtual Machine',
  10: 'Resetting Virtual Machine',
  32768: 'Pausing Virtual Machine',
  32769: 'Saving Virtual Machine',
};

export class VirtualNetwork implements NetworkApi {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changeListeners = new Set<() => void>();
  private readonly jobTable: JobTable;
  /** Set when close() starts: later changes are refused, queued ones finish first. */
  private closing = false;
  private readonly problems: string[] = [];

  private constructor(
    private state: State,
    private readonly store: DomainStore,
    private readonly db: DB,
    private readonly ownDb: boolean,
    private readonly realizer: Realizer,
    private readonly cfg: Config,
    jobRetentionMs: number | undefined,
  ) {
    this.jobTable = new JobTable(cfg.now, jobRetentionMs);
  }

  /** Opens the store, the dataplane and restores what was running (see api.ts NetworkOptions). */
  static async open(opts: NetworkOptions): Promise<VirtualNetwork> {
    const machineId = opts.machineId ?? readMachineId();
    const hostName = (opts.hostName ?? os.hostname().split('.')[0] ?? 'localhost').toUpperCase();
    const mode = opts.dataplane ?? 'auto';
    const wantDp = mode === 'auto' || (mode === 'try' && Dataplane.available());
    if (wantDp && opts.stateDir === ':memory:') throw new DomainError(RC.INVALID_PARAMETER, "stateDir ':memory:' needs dataplane 'none'");
    const root = process.getuid?.() === 0;
    const vmMode = opts.vmMode === 'netns' || opts.vmMode === 'dgram' ? opts.vmMode : root ? 'netns' : 'dgram';
    const cfg: Config = {
      stateDir: opts.stateDir,
      vmMode,
      ifPrefix: opts.ifPrefix ?? 'cs',
      netnsPrefix: opts.netnsPrefix ?? 'cimswitch-',
      sysClassNet: opts.sysClassNet ?? '/sys/class/net',
      machineId,
      now: opts.now ?? Date.now,
      formatPortPath: opts.formatPortPath ?? wmiPortPath,
    };
    const db = opts.db ?? openDatabase(opts.stateDir);
    let dp: Dataplane | undefined;
    try {
      const store = new DomainStore(db);
      const state = store.load(hostName, defaultMacPool(machineId));
      dp = wantDp ? Dataplane.open({ ifnamePrefix: `${cfg.ifPrefix}vm` }) : undefined;
      const realizer = new Realizer(dp, { stateDir: opts.stateDir, vmMode, netnsPrefix: cfg.netnsPrefix, sysClassNet: cfg.sysClassNet });
      const net = new VirtualNetwork(emptyState(state.host), store, db, !opts.db, realizer, cfg, opts.jobRetentionMs);
      await net.restore(state, opts.restoreRunning ?? true);
      return net;
    } catch (e) {
      await dp?.close().catch(() => undefined);
      if (!opts.db) db.close();
      throw e;
    }
  }

  /** Rebuilds live state from the stored one: running VMs start again, stale namespaces go.
   *  If the whole cannot be realized, the host side is realized first and each VM is then
   *  started on its own; a VM that fails stays off and the reason is kept (restoreProblems). */
  private async restore(stored: State, restart: boolean): Promise<void> {
    const base = cloneState(stored);
    const live: Array<[string, number]> = [];
    for (const vm of base.vms.values()) {
      vm.requestedState = 12;
      if (hasDevices(vm) && restart) live.push([vm.guid, vm.enabledState]);
      if (hasDevices(vm)) vm.enabledState = VmState.OFF;
    }
    const relive = (s: State, guid: string, was: number): void => {
      const vm = s.vms.get(guid)!;
      vmr.setVmState(s, guid, VmState.RUNNING, vm.timeOfLastStateChange);
      vm.enabledState = was as typeof vm.enabledState;
    };
    const full = cloneState(base);
    for (const [g, was] of live) relive(full, g, was);
    pruneLinks(full);
    await this.realizer.removeStale(base.vms.keys());
    this.state = emptyState(stored.host);
    try {
      await this.realizer.apply(this.state, full);
      this.state = full;
    } catch (e) {
      this.problems.push(`restoring everything at once failed: ${(e as Error).message}`);
      pruneLinks(base);
      await this.realizer.apply(this.state, base);
      this.state = base;
      for (const [g, was] of live) {
        const trial = cloneState(this.state);
        relive(trial, g, was);
        try {
          await this.realizer.apply(this.state, trial);
          this.state = trial;
        } catch (err) {
          this.problems.push(`virtual machine ${g} could not be restarted and is off: ${(err as Error).message}`);
        }
      }
    }
    this.store.save(this.state);
  }

  /** What could not be restored when the network opened (empty when everything came back). */
  restoreProblems(): string[] {
    return [...this.problems];
  }

  // ---- machinery ------------------------------------------------------------------------

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new DomainError(RC.SYSTEM_NOT_AVAILABLE, 'the virtual network is closed'));
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Applies `fn` to a copy, realizes and stores it, then makes it current. Not serialised. */
  private async change<T>(fn: (next: State) => T): Promise<T> {
    const next = cloneState(this.state);
    const result = guard(() => fn(next));
    pruneLinks(next);
    await this.realizer.apply(this.state, next);
    try {
      this.store.save(next);
    } catch (e) {
      await this.realizer.apply(next, this.state).catch(() => undefined);
      throw new DomainError(RC.FAILED, `the change could not be stored (${(e as Error).message})`);
    }
    this.state = next;
    for (const l of this.changeListeners) {
      try {
        l();
      } catch {
        /* a listener's failure must not stop the others */
      }
    }
    return copy(result);
  }

  private mutate<T>(fn: (next: State) => T): Promise<T> {
    return this.serial(() => this.change(fn));
  }

  private runJob(type: Job['type'], description: string, init: Partial<Job>, work: () => Promise<void>): Job {
    return this.jobTable.start(type, description, init, () => this.serial(work));
  }

  get realized(): boolean {
    return this.realizer.dp !== undefined;
  }

  private get dp(): Dataplane | undefined {
    return this.realizer.dp;
  }

  private presentNics(): ExternalNic[] {
    const own = [`${this.cfg.ifPrefix}int`, `${this.cfg.ifPrefix}vm`];
    return scanHostNics(this.cfg.sysClassNet, this.cfg.machineId, own).map((n) => ({
      deviceId: n.deviceId,
      ifname: n.ifname,
      name: `${n.ifname} (${n.kind})`,
      mac: n.mac,
      mtu: n.mtu,
      ...(n.speed !== undefined ? { speed: n.speed } : {}),
      operState: n.operState,
      isBound: this.state.bindings.has(n.deviceId),
    }));
  }

  private get switchEnv(): sw.SwitchEnv {
    return { formatPortPath: this.cfg.formatPortPath, ifPrefix: this.cfg.ifPrefix };
  }

  // ---- reads ------------------------------------------------------------------------------

  host(): HostInfo {
    return copy(this.state.host);
  }
  switches(): Switch[] {
    return copy([...this.state.switches.values()]);
  }
  switch(name: string): Switch | undefined {
    return copy(this.state.switches.get(key(String(name))));
  }
  ports(switchName?: string): SwitchPort[] {
    const all = [...this.state.ports.values()];
    return copy(switchName === undefined ? all : all.filter((p) => key(p.switchName) === key(switchName)));
  }
  port(name: string): SwitchPort | undefined {
    return copy(this.state.ports.get(key(String(name))));
  }
  internalPorts(): InternalPort[] {
    return copy([...this.state.internals.values()]);
  }
  internalPort(name: string): InternalPort | undefined {
    return copy(this.state.internals.get(key(String(name))));
  }
  externalNics(): ExternalNic[] {
    return this.presentNics();
  }
  externalNic(deviceId: string): ExternalNic | undefined {
    return this.presentNics().find((n) => key(n.deviceId) === key(String(deviceId)));
  }
  endpoints(): Endpoint[] {
    return listEndpoints(this.state);
  }
  endpoint(name: string): Endpoint | undefined {
    return findEndpoint(this.state, String(name));
  }
  connections(): ActiveConnection[] {
    return listConnections(this.state);
  }
  connectionOfPort(portName: string): ActiveConnection | undefined {
    return this.connections().find((c) => key(c.portName) === key(String(portName)));
  }
  vms(): Vm[] {
    return copy([...this.state.vms.values()]);
  }
  vm(guid: string): Vm | undefined {
    try {
      return copy(vmr.getVm(this.state, guid));
    } catch {
      return undefined;
    }
  }
  nic(instanceId: string): Nic | undefined {
    return copy(findNic(this.state, String(instanceId))?.nic);
  }
  nicRuntime(instanceId: string): NicRuntime | undefined {
    const f = findNic(this.state, String(instanceId));
    if (!f || !hasDevices(f.vm)) return undefined;
    const port = listConnections(this.state).find((c) => key(c.endpointName) === key(f.nic.instanceId));
    const env = this.realizer.env();
    const rt: NicRuntime = { instanceId: f.nic.instanceId, endpointName: f.nic.instanceId };
    if (this.cfg.vmMode === 'netns') Object.assign(rt, { netns: vmNetns(env, f.vm.guid), nsIfname: nicIfname(f.index) });
    else Object.assign(rt, { socketPath: nicSocket(env, f.vm.guid, f.index), peerSocketPath: nicPeerSocket(env, f.vm.guid, f.index) });
    if (port) rt.portName = port.portName;
    return rt;
  }
  resolvePortRef(text: string): SwitchPort | undefined {
    return copy(resolvePort(this.state, text));
  }
  portPath(portName: string): string {
    const p = sw.getPort(this.state, portName);
    return this.cfg.formatPortPath(this.state.host.name, p.switchName, p.name);
  }
  jobs(): Job[] {
    return this.jobTable.list();
  }
  job(id: string): Job | undefined {
    return this.jobTable.get(id);
  }
  waitJob(id: string): Promise<Job> {
    return this.jobTable.wait(id);
  }
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }
  onJob(listener: (job: Job) => void): () => void {
    return this.jobTable.onJob(listener);
  }

  macTable(switchName: string): ForwardingEntry[] {
    return live.macTable(this.state, this.dp, switchName);
  }
  portCounters(portName: string): TrafficCounters | undefined {
    return live.portCounters(this.state, this.dp, portName);
  }
  switchCounters(switchName: string): TrafficCounters | undefined {
    return live.switchCounters(this.state, this.dp, switchName);
  }

  // ---- host / MAC pool ----------------------------------------------------------------------

  setMacPool(pool: MacPool): Promise<MacPool> {
    return this.mutate((s) => (s.host.macPool = checkPool(pool)));
  }

  // ---- switch service -----------------------------------------------------------------------

  createSwitch(args: CreateSwitchArgs): Promise<Switch> {
    return this.mutate((s) => sw.createSwitch(s, args));
  }
  modifySwitch(name: string, changes: Partial<Omit<Switch, 'name'>>): Promise<Switch> {
    return this.mutate((s) => sw.modifySwitch(s, name, changes));
  }
  deleteSwitch(name: string): Promise<void> {
    return this.mutate((s) => sw.deleteSwitch(s, name));
  }
  createPort(args: CreatePortArgs): Promise<SwitchPort> {
    return this.mutate((s) => sw.createPort(s, args));
  }
  modifyPort(name: string, changes: { friendlyName?: string; scopeOfResidence?: string; extra?: Record<string, unknown> }): Promise<SwitchPort> {
    return this.mutate((s) => sw.modifyPort(s, name, changes));
  }
  deletePort(name: string): Promise<void> {
    return this.mutate((s) => sw.deletePort(s, name));
  }
  setVlan(portName: string, changes: Partial<VlanSettings>): Promise<SwitchPort> {
    return this.mutate((s) => sw.setVlan(s, portName, changes));
  }
  connect(portName: string, endpointName: string): Promise<ActiveConnection> {
    return this.mutate((s) => sw.connect(s, portName, endpointName, this.switchEnv));
  }
  disconnect(portName: string): Promise<void> {
    return this.mutate((s) => sw.disconnect(s, portName));
  }
  createInternalPort(args: CreateInternalPortArgs): Promise<InternalPort> {
    return this.mutate((s) => sw.createInternalPort(s, args, this.switchEnv));
  }
  deleteInternalPort(name: string): Promise<void> {
    return this.mutate((s) => sw.deleteInternalPort(s, name));
  }
  bindExternal(deviceId: string): Promise<ExternalNic> {
    return this.serial(async () => {
      const present = this.presentNics();
      await this.change((s) => sw.bindExternal(s, deviceId, present));
      return this.presentNics().find((n) => key(n.deviceId) === key(String(deviceId)))!;
    });
  }
  unbindExternal(deviceId: string): Promise<ExternalNic> {
    return this.serial(async () => {
      const present = this.presentNics();
      await this.change((s) => sw.unbindExternal(s, deviceId, present));
      const nic = this.presentNics().find((n) => key(n.deviceId) === key(String(deviceId)));
      return nic ?? { deviceId, ifname: '', name: '', mac: '000000000000', mtu: 1500, operState: 'notpresent', isBound: false };
    });
  }

  setupSwitch(a: SetupSwitchArgs): Job {
    const ip = guard(() => setup.setupSwitch(cloneState(this.state), a, this.presentNics(), this.switchEnv));
    const ext = sw.getPort(this.state, a.externalPort);
    return this.runJob('setup-switch', 'Setting up switch', { networkJobType: 1, createdInternalPort: ip.name, affected: { switchName: ext.switchName, externalNic: a.externalNic } }, async () => {
      const present = this.presentNics();
      await this.change((s) => setup.setupSwitch(s, a, present, this.switchEnv));
    });
  }

  teardownSwitch(a: TeardownSwitchArgs): Job {
    const switchName = guard(() => setup.teardownSwitch(cloneState(this.state), a, this.presentNics()));
    return this.runJob('teardown-switch', 'Tearing down switch', { networkJobType: 2, affected: { switchName, externalNic: a.externalNic } }, async () => {
      const present = this.presentNics();
      await this.change((s) => setup.teardownSwitch(s, a, present));
    });
  }

  // ---- VM service ---------------------------------------------------------------------------

  defineVm(input: VmInput, nics: NicInput[] = []): Promise<Vm> {
    return this.mutate((s) => vmr.defineVm(s, input ?? {}, nics, this.cfg.now()));
  }
  modifyVm(guid: string, changes: VmInput): Promise<Vm> {
    return this.mutate((s) => vmr.modifyVm(s, guid, changes ?? {}));
  }
  destroyVm(guid: string): Job {
    const vm = guard(() => vmr.checkDestroy(this.state, guid));
    return this.runJob('destroy-vm', 'Destroying Virtual Machine', { affected: { vm: vm.guid } }, async () => {
      await this.change((s) => vmr.destroyVm(s, vm.guid));
    });
  }
  addNics(guid: string, nics: NicInput[]): Promise<Nic[]> {
    return this.mutate((s) => vmr.addNics(s, guid, nics));
  }
  modifyNics(guid: string, changes: Array<NicChanges & { instanceId: string }>): Promise<Nic[]> {
    return this.mutate((s) => vmr.modifyNics(s, guid, changes));
  }
  removeNics(guid: string, instanceIds: string[]): Promise<void> {
    return this.mutate((s) => vmr.removeNics(s, guid, instanceIds));
  }

  requestStateChange(guid: string, req: RequestedVmState): Job {
    const vm = guard(() => vmr.checkTransition(this.state, guid, req));
    const live = this.state.vms.get(vm.guid)!;
    live.requestedState = req;
    return this.runJob('vm-state', JOB_TEXT[req] ?? 'Changing Virtual Machine State', { affected: { vm: vm.guid }, requestedState: req }, async () => {
      try {
        vmr.checkTransition(this.state, vm.guid, req);
        const now = this.cfg.now();
        // Reset: through saved (the namespace stays) and back, so every NIC device is recreated.
        if (req === 10) await this.change((s) => vmr.setVmState(s, vm.guid, VmState.SAVED, now));
        await this.change((s) => vmr.setVmState(s, vm.guid, req === 10 ? VmState.RUNNING : req, now));
      } finally {
        const cur = this.state.vms.get(vm.guid);
        if (cur) cur.requestedState = 12;
      }
    });
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.queue;
    this.jobTable.dispose();
    await this.realizer.close(this.state);
    if (this.ownDb) this.db.close();
  }

  async purge(): Promise<void> {
    await this.serial(async () => {
      const empty = emptyState(this.state.host);
      await this.realizer.apply(this.state, empty);
      this.store.purge();
      this.state = empty;
    });
    await this.close();
  }
}
