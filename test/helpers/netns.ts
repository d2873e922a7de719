// Network-namespace toolkit for e2e tests and benchmarks that need real kernels.
//
// A NetScope owns everything it creates: namespaces (`csw-t-<pid>-<n>`), links, background
// processes and extra cleanup callbacks. `scope.cleanup()` (from an `after` hook or a finally)
// tears it all down; a process-wide registry does the same synchronously on exit, SIGINT and
// SIGTERM, so an aborted run leaves nothing behind. Namespaces left by a dead earlier run (its pid
// is gone) are reaped when the first scope of a prefix is created.
//
// Typical use in a mocha file:
//   let scope: NetScope;
//   before(async function () { requireRoot(this); scope = new NetScope(); });
//   after(() => scope?.cleanup());
//   const ns = await scope.netns();                    // csw-t-<pid>-<n>, lo up, IPv6 off
//   await scope.veth(scope.ifname('h'), 'eth0', undefined, ns);
//   await scope.addr('eth0', '192.0.2.1/24', ns);
//   const srv = scope.spawn('iperf3', ['-s'], { ns });  // killed (with its group) at cleanup
//   await waitFor('iperf3 to listen', async () => (await run('ss', ['-ltnH'], { ns })).stdout.includes(':5201'));
//
// Safety: addresses are restricted to the documentation ranges 192.0.2.0/24 and 198.51.100.0/24
// (RFC 5737), processes are killed only by the pid we spawned, and waiting is done by polling a
// condition against a deadline, never by fixed sleeps.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface RunOptions {
  /** Run inside this namespace (via `ip netns exec`). */
  ns?: string;
  /** Kill the command (SIGKILL) after this long; default 30 s. */
  timeoutMs?: number;
  /** Throw when the exit status is not 0; default true. */
  check?: boolean;
  /** Pin to these CPUs with taskset, e.g. '0'. */
  cpus?: string;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Skips the calling suite or test (mocha `this`) with a clear message when not root. */
export function requireRoot(ctx: Mocha.Context, what = 'network namespaces'): void {
  if (process.getuid?.() === 0 && existsSync('/dev/net/tun')) return;
  console.warn(`      skipped: ${what} need root and /dev/net/tun (CI runs as root)`);
  ctx.skip();
}

/** Throws unless `cidr` (address[/len]) lies in 192.0.2.0/24 or 198.51.100.0/24 (RFC 5737). */
export function assertTestAddress(cidr: string): void {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(cidr);
  const ok =
    m !== null &&
    m.slice(1, 5).every((o) => Number(o) <= 255) &&
    (m[5] === undefined || (Number(m[5]) >= 24 && Number(m[5]) <= 32)) &&
    ((m[1] === '192' && m[2] === '0' && m[3] === '2') ||
      (m[1] === '198' && m[2] === '51' && m[3] === '100'));
  if (!ok) throw new Error(`address ${cidr} is outside 192.0.2.0/24 and 198.51.100.0/24`);
}

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

function wrap(cmd: string, args: string[], opts: RunOptions): [string, string[]] {
  let argv = [cmd, ...args];
  if (opts.cpus !== undefined) argv = ['taskset', '-c', opts.cpus, ...argv];
  if (opts.ns) argv = ['ip', 'netns', 'exec', opts.ns, ...argv];
  // A child must not outlive us even when we die by a signal no handler sees (SIGKILL, a crash
  // in native code): the kernel sends it SIGKILL then (PR_SET_PDEATHSIG, kept across exec).
  if (SETPRIV) argv = [SETPRIV, '--pdeathsig', 'KILL', '--', ...argv];
  return [argv[0]!, argv.slice(1)];
}

/** Runs a command to completion and collects its output. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, argv] = wrap(cmd, args, opts);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    installHandlers();
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const res = { code, signal, stdout, stderr };
      if ((opts.check ?? true) && code !== 0) {
        const where = opts.ns ? ` in ${opts.ns}` : '';
        const why = signal ? `killed by ${signal}` : `exit ${code}`;
        reject(new Error(`${file} ${argv.join(' ')}${where}: ${why}: ${stderr.trim()}`));
      } else resolve(res);
    });
  });
}

/** Runs `ip ARGS` (in namespace `ns` with `ip -n`), throwing on failure. */
export async function ip(args: string[], ns?: string): Promise<string> {
  const full = ns === undefined ? args : ['-n', ns, ...args];
  return (await run('ip', full)).stdout;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/** Polls `cond` until it returns a truthy value (returned) or the deadline passes (throws). */
export async function waitFor<T>(
  what: string,
  cond: () => T | Promise<T>,
  opts: WaitOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v as NonNullable<T>;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${opts.timeoutMs ?? 10_000} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 20));
  }
}

export interface LinkStats {
  rxPackets: number;
  rxBytes: number;
  rxDropped: number;
  txPackets: number;
  txBytes: number;
  txDropped: number;
}

interface IpLinkJson {
  ifname: string;
  address?: string;
  operstate?: string;
  stats64?: { rx: Record<string, number>; tx: Record<string, number> };
}

async function linkJson(dev: string, ns?: string): Promise<IpLinkJson> {
  const out = await ip(['-j', '-s', 'link', 'show', 'dev', dev], ns);
  const arr = JSON.parse(out) as IpLinkJson[];
  if (arr.length !== 1) throw new Error(`link ${dev} not found${ns ? ` in ${ns}` : ''}`);
  return arr[0]!;
}

/** Interface counters as the kernel reports them (`ip -s link`). */
export async function linkStats(dev: string, ns?: string): Promise<LinkStats> {
  const s = (await linkJson(dev, ns)).stats64;
  if (!s) throw new Error(`link ${dev} has no statistics`);
  return {
    rxPackets: s.rx.packets ?? 0,
    rxBytes: s.rx.bytes ?? 0,
    rxDropped: s.rx.dropped ?? 0,
    txPackets: s.tx.packets ?? 0,
    txBytes: s.tx.bytes ?? 0,
    txDropped: s.tx.dropped ?? 0,
  };
}

/** The link's MAC address, lower case with colons. */
export async function linkMac(dev: string, ns?: string): Promise<string> {
  const a = (await linkJson(dev, ns)).address;
  if (!a) throw new Error(`link ${dev} has no MAC address`);
  return a.toLowerCase();
}

/** True when the link exists (in `ns` or the host namespace). */
export async function linkExists(dev: string, ns?: string): Promise<boolean> {
  const full = ns === undefined ? [] : ['-n', ns];
  const r = await run('ip', [...full, 'link', 'show', 'dev', dev], { check: false });
  return r.code === 0;
}

export interface PingResult {
  sent: number;
  received: number;
  /** Round-trip times in microseconds, in arrival order. */
  rttsUs: number[];
}

/** Pings `dst` from namespace `ns` (undefined: the host namespace); never throws for lost replies. */
export async function ping(
  ns: string | undefined,
  dst: string,
  opts: { count?: number; intervalS?: number; waitS?: number; iface?: string } = {},
): Promise<PingResult> {
  const count = opts.count ?? 3;
  const args = ['-n', '-c', String(count), '-i', String(opts.intervalS ?? 0.2)];
  args.push('-W', String(opts.waitS ?? 1));
  if (opts.iface) args.push('-I', opts.iface);
  const r = await run('ping', [...args, dst], { ns, check: false, timeoutMs: 60_000 });
  const rttsUs = [...r.stdout.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]) * 1000);
  const tx = /(\d+) packets transmitted, (\d+) received/.exec(r.stdout);
  return { sent: tx ? Number(tx[1]) : count, received: tx ? Number(tx[2]) : 0, rttsUs };
}

/** A process running in the background, killed by its pid at cleanup. */
export interface Background {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM (or `sig`), then SIGKILL if still alive after `graceMs`; resolves when gone. */
  stop(sig?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

/** Signals the process group led by `pid` (a process we spawned detached); never throws. */
function killGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // the group is gone
  }
}

function startBackground(cmd: string, args: string[], opts: RunOptions): Background {
  const [file, argv] = wrap(cmd, args, opts);
  // Its own process group, so stop() also reaches the workers it forks (trafgen does).
  const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  if (child.pid === undefined) throw new Error(`cannot start ${cmd}`);
  let out = '';
  let done = false;
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', () => ((done = true), resolve(null)));
    child.on('exit', (code) => ((done = true), resolve(code)));
  });
  const pid = child.pid;
  return {
    pid,
    child,
    output: () => out,
    exited,
    async stop(sig: NodeJS.Signals = 'SIGTERM', graceMs = 2000) {
      if (done) return exited;
      killGroup(pid, sig);
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      killGroup(pid, 'SIGKILL'); // workers that outlived their parent
      return code;
    },
  };
}

const live = new Set<NetScope>();
/** Children of run() still going, killed if the process exits under them. */
const running = new Set<ChildProcess>();
const reaped = new Set<string>();
let handlersInstalled = false;

function cleanupAllSync(): void {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
  for (const s of live) s.cleanupSync();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanupAllSync);
  for (const [sig, no] of [['SIGINT', 2], ['SIGTERM', 15]] as const) {
    process.once(sig, () => {
      cleanupAllSync();
      process.exit(128 + no);
    });
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes namespaces `<prefix>-<pid>-<n>` whose creating process has gone. */
function reapStale(prefix: string): void {
  if (reaped.has(prefix)) return;
  reaped.add(prefix);
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  const re = new RegExp(`^(${prefix}-(\\d+)-\\d+)\\b`);
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = re.exec(line);
    if (m && Number(m[2]) !== process.pid && !pidAlive(Number(m[2]))) {
      spawnSync('ip', ['netns', 'del', m[1]!]);
    }
  }
}

let nsCounter = 0;
let ifCounter = 0;

/** Owns namespaces, links, processes and cleanups; tear down with cleanup(). */
export class NetScope {
  private readonly namespaces: string[] = [];
  private readonly links: { dev: string; ns?: string }[] = [];
  private readonly procs: Background[] = [];
  private readonly deferred: { fn: () => unknown; sync?: () => void }[] = [];

  constructor(private readonly prefix = 'csw-t') {
    installHandlers();
    reapStale(prefix);
    live.add(this);
  }

  /** A unique interface name (<= 15 chars, IFNAMSIZ) ending in `tag` (<= 6 chars). */
  ifname(tag = ''): string {
    const name = `c${process.pid.toString(36)}${(ifCounter++).toString(36)}${tag}`;
    if (name.length > 15) throw new Error(`interface name ${name} is too long`);
    return name;
  }

  /** Creates a fresh namespace with loopback up and returns its name. IPv6 is disabled unless
   *  asked for, so the namespace stays silent (no router solicitations or MLD reports) and
   *  counters see only the traffic a test makes. */
  async netns(opts: { ipv6?: boolean } = {}): Promise<string> {
    const name = `${this.prefix}-${process.pid}-${nsCounter++}`;
    await ip(['netns', 'add', name]);
    this.namespaces.push(name);
    await ip(['link', 'set', 'lo', 'up'], name);
    if (!opts.ipv6) {
      const off = ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'];
      await run('sysctl', ['-q', '-w', ...off], { ns: name });
    }
    return name;
  }

  /** Creates veth pair a<->b, moving each end into its namespace when given (else host). */
  async veth(a: string, b: string, nsA?: string, nsB?: string): Promise<void> {
    await ip(['link', 'add', a, 'type', 'veth', 'peer', 'name', b]);
    this.links.push({ dev: a }, { dev: b });
    if (nsA !== undefined) await this.move(a, nsA);
    if (nsB !== undefined) await this.move(b, nsB);
  }

  /** Registers a link created elsewhere (e.g. a TAP) for deletion at cleanup. */
  adoptLink(dev: string, ns?: string): void {
    this.links.push({ dev, ns });
  }

  /** Moves `dev` from the host namespace into `ns` (an owned link stays owned). */
  async move(dev: string, ns: string, newName?: string): Promise<void> {
    await ip(['link', 'set', 'dev', dev, 'netns', ns, ...(newName ? ['name', newName] : [])]);
    for (const l of this.links) {
      if (l.dev !== dev || l.ns !== undefined) continue;
      l.ns = ns;
      if (newName) l.dev = newName;
    }
  }

  /** Adds a test address (see assertTestAddress) to `dev` and sets it up. */
  async addr(dev: string, cidr: string, ns?: string): Promise<void> {
    assertTestAddress(cidr);
    await ip(['addr', 'add', cidr, 'dev', dev], ns);
    await ip(['link', 'set', 'dev', dev, 'up'], ns);
  }

  /** Runs a command (optionally in a namespace) to completion. */
  run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(cmd, args, opts);
  }

  /** Starts a background process owned by this scope. */
  spawn(cmd: string, args: string[], opts: RunOptions = {}): Background {
    const bg = startBackground(cmd, args, opts);
    this.procs.push(bg);
    return bg;
  }

  /** Runs `fn` at cleanup (reverse order); `sync` is used instead from exit handlers. */
  defer(fn: () => unknown, sync?: () => void): void {
    this.deferred.push({ fn, sync });
  }

  /** Tears everything down; safe to call twice; never throws. */
  async cleanup(): Promise<void> {
    const procs = this.procs.splice(0);
    await Promise.all(procs.map((p) => p.stop('SIGTERM', 1500)));
    for (const d of this.deferred.splice(0).reverse()) {
      try {
        await d.fn();
      } catch {
        // cleanup keeps going: one failed step must not leak the rest
      }
    }
    for (const l of this.links.splice(0)) {
      await run('ip', [...(l.ns ? ['-n', l.ns] : []), 'link', 'del', l.dev], { check: false });
    }
    for (const ns of this.namespaces.splice(0)) {
      await run('ip', ['netns', 'del', ns], { check: false });
    }
    live.delete(this);
  }

  /** Synchronous best-effort teardown for process exit and signals. */
  cleanupSync(): void {
    for (const p of this.procs.splice(0)) killGroup(p.pid, 'SIGKILL');
    for (const d of this.deferred.splice(0).reverse()) {
      try {
        d.sync?.();
      } catch {
        // keep tearing down
      }
    }
    for (const l of this.links.splice(0)) {
      spawnSync('ip', [...(l.ns ? ['-n', l.ns] : []), 'link', 'del', l.dev]);
    }
    for (const ns of this.namespaces.splice(0)) spawnSync('ip', ['netns', 'del', ns]);
    live.delete(this);
  }
}
