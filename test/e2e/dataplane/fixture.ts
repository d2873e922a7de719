// Shared set-up for the dataplane e2e tests: one Dataplane, one NetScope, and helpers to put a
// namespace behind a `tap` or `veth` port, run iperf3 between namespaces and read counter deltas.
// Each test file opens one fixture in `before` and closes it in `after`; the fixture's desired
// state is kept here so tests add and remove ports by editing it and calling apply().
import { Dataplane, type DesiredState, type PortCounters, type PortSpec, type VlanConfig } from '../../../src/dataplane/control.js';
import { NetScope, run, waitFor, ping, type Background } from '../../helpers/netns.js';

export interface NsPort {
  port: string;
  ns: string;
  /** The device inside the namespace. */
  dev: string;
}

export class DpFixture {
  readonly scope = new NetScope();
  readonly dp: Dataplane;
  readonly state: DesiredState = { switches: [], ports: [] };

  constructor() {
    this.dp = Dataplane.open({ ifnamePrefix: 'cst' });
    this.scope.defer(() => this.dp.close());
  }

  async close(): Promise<void> {
    await this.scope.cleanup();
  }

  apply(): Promise<unknown> {
    return this.dp.apply(structuredClone(this.state));
  }

  async addSwitch(name: string): Promise<void> {
    this.state.switches.push({ name });
    await this.apply();
  }

  async addPort(spec: PortSpec): Promise<void> {
    this.state.ports.push(spec);
    await this.apply();
  }

  async removePort(name: string): Promise<void> {
    this.state.ports = this.state.ports.filter((p) => p.name !== name);
    await this.apply();
  }

  /** A fresh namespace behind a new `tap` port on `sw`, its eth0 carrying `addrs`. */
  async nsPort(port: string, sw: string, addrs: string[], vlan?: VlanConfig): Promise<NsPort> {
    const ns = await this.scope.netns();
    await this.addPort({ name: port, kind: 'tap', switch: sw, netns: ns, nsIfname: 'eth0', ...(vlan ? { vlan } : {}) });
    for (const a of addrs) await this.scope.addr('eth0', a, ns);
    return { port, ns, dev: 'eth0' };
  }

  /** A fresh namespace behind a new `veth` port on `sw` (the pair's other end is its eth0). */
  async vethPort(port: string, sw: string, addrs: string[], extra: Partial<PortSpec> = {}): Promise<NsPort> {
    const ns = await this.scope.netns();
    await this.addPort({ name: port, kind: 'veth', switch: sw, netns: ns, nsIfname: 'eth0', ...extra });
    for (const a of addrs) await this.scope.addr('eth0', a, ns);
    return { port, ns, dev: 'eth0' };
  }

  counters(port: string): PortCounters {
    const c = this.dp.portCounters(port);
    if (!c) throw new Error(`no counters for port ${port}`);
    return c;
  }

  /** Waits until `ns` gets an answer from `dst` (the first ping may wait for ARP). */
  async reachable(ns: string, dst: string, timeoutMs = 5000): Promise<void> {
    await waitFor(`${ns} to reach ${dst}`, async () => (await ping(ns, dst, { count: 1, waitS: 1 })).received === 1, {
      timeoutMs,
    });
  }

  /** Starts an iperf3 server in `ns` bound to `addr` and waits until it listens. */
  async iperfServer(ns: string, addr: string, port = 5201): Promise<Background> {
    const srv = this.scope.spawn('iperf3', ['-s', '-B', addr, '-p', String(port)], { ns });
    await waitFor(`iperf3 to listen in ${ns}`, async () => {
      const out = (await run('ss', ['-ltnH'], { ns })).stdout;
      return out.includes(`${addr}:${port}`);
    });
    return srv;
  }
}

export interface IperfResult {
  bytes: number;
  bitsPerSecond: number;
  /** Bytes received per reporting interval (1 s each). */
  intervals: number[];
}

/** Parses `iperf3 -J` client output (receiver side totals). */
export function parseIperf(json: string): IperfResult {
  const j = JSON.parse(json) as {
    error?: string;
    end?: { sum_received?: { bytes: number; bits_per_second: number } };
    intervals?: { sum: { bytes: number } }[];
  };
  if (j.error || !j.end?.sum_received) throw new Error(`iperf3 failed: ${j.error ?? 'no result'}`);
  return {
    bytes: j.end.sum_received.bytes,
    bitsPerSecond: j.end.sum_received.bits_per_second,
    intervals: (j.intervals ?? []).map((i) => i.sum.bytes),
  };
}

/** Runs an iperf3 client in `ns` against `dst` for `seconds`. */
export async function iperfClient(ns: string, dst: string, seconds: number, port = 5201): Promise<IperfResult> {
  const r = await run('iperf3', ['-c', dst, '-p', String(port), '-t', String(seconds), '-J', '--connect-timeout', '3000'], {
    ns,
    check: false,
    timeoutMs: (seconds + 15) * 1000,
  });
  return parseIperf(r.stdout);
}

/** Counter differences (after - before) for the packet and byte fields. */
export function delta(before: PortCounters, after: PortCounters) {
  return {
    rxPackets: after.rxPackets - before.rxPackets,
    rxBytes: after.rxBytes - before.rxBytes,
    txPackets: after.txPackets - before.txPackets,
    txBytes: after.txBytes - before.txBytes,
    vlanFiltered: after.vlanFiltered - before.vlanFiltered,
  };
}
