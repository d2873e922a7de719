// The switches the dataplane bench compares, each set up between two fresh namespaces A
// and B whose `eth0` carry 192.0.2.1/24 and 192.0.2.2/24:
//  - cimswitch: our Dataplane (control.ts), in this process, two `veth` ports (known unicast
//    then crosses in the kernel fast path when it is on, so its CPU includes softirq time);
//  - cimswitch-tap: the same with two `tap` ports (every frame through user space);
//  - bridge: the Linux bridge in a third namespace, veth pairs to A and B;
//  - vde: `vde_switch -t tapA -t tapB`, the taps then moved into A and B;
//  - tapfwd: bench/dataplane/tapfwd.c (the TAP I/O ceiling), compiled here with gcc.
// Each rig reports the CPU its switch has used so far, so the bench can charge CPU per frame.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dataplane } from '../../src/dataplane/control.js';
import { NetScope, ip, linkExists, waitFor } from '../../test/helpers/netns.js';

export type SwitchName = 'cimswitch' | 'cimswitch-tap' | 'bridge' | 'vde' | 'tapfwd';

export interface Rig {
  nsA: string;
  nsB: string;
  /** CPU time (µs) the switch has used so far, or undefined where it cannot be told. */
  cpuUs(): number | undefined;
  /** What cpuUs() measures, for the table's notes. */
  cpuWhat: string;
  /** Anything else the table's notes should say about this rig, asked after its measurements. */
  note?(): string;
}

const here = dirname(fileURLToPath(import.meta.url));
const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** utime + stime of a process or thread from /proc/.../stat, in µs. */
function statCpuUs(path: string): number {
  const s = readFileSync(path, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_US; // fields 14 and 15 of proc(5)
}

/** CPU of every thread of this process except the JavaScript main thread: the switch's own. */
function ownThreadsCpuUs(): number {
  let sum = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    if (Number(tid) === process.pid) continue;
    try {
      sum += statCpuUs(`/proc/self/task/${tid}/stat`);
    } catch {
      // the thread ended between readdir and read
    }
  }
  return sum;
}

/** Time all CPUs spent in softirq so far (/proc/stat), in µs. */
function softirqUs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  return Number(cpu[7]) * TICK_US;
}

async function twoNamespaces(scope: NetScope): Promise<[string, string]> {
  return [await scope.netns(), await scope.netns()];
}

/** Gives A and B their addresses on eth0 once the device is in place. */
async function address(scope: NetScope, nsA: string, nsB: string): Promise<void> {
  await scope.addr('eth0', '192.0.2.1/24', nsA);
  await scope.addr('eth0', '192.0.2.2/24', nsB);
}

/** Our switch with ports of `kind` whose namespace ends are A's and B's eth0. */
async function ourSwitch(scope: NetScope, kind: 'tap' | 'veth'): Promise<{ dp: Dataplane; nsA: string; nsB: string }> {
  const [nsA, nsB] = await twoNamespaces(scope);
  const dp = Dataplane.open({ ifnamePrefix: 'csb' });
  scope.defer(() => dp.close());
  await dp.apply({
    switches: [{ name: 'bench' }],
    ports: [
      { name: 'a', kind, switch: 'bench', netns: nsA, nsIfname: 'eth0' },
      { name: 'b', kind, switch: 'bench', netns: nsB, nsIfname: 'eth0' },
    ],
  });
  await address(scope, nsA, nsB);
  return { dp, nsA, nsB };
}

const OWN_THREADS = 'threads of the bench process other than the JS main thread';

async function cimswitch(scope: NetScope): Promise<Rig> {
  const { dp, nsA, nsB } = await ourSwitch(scope, 'veth');
  return {
    nsA,
    nsB,
    // The kernel path forwards in softirq (the host ends' TCX ingress), which no thread of ours is
    // charged for: count all of it, as for the bridge, plus our own threads (the user-space path).
    cpuUs: () => ownThreadsCpuUs() + softirqUs(),
    cpuWhat: `${OWN_THREADS} + softirq time of all CPUs (the in-kernel path, and the rest of the path with it)`,
    note: () => {
      const f = dp.fastPath;
      return `kernel fast path ${f.active ? 'active' : `off (${f.errno ?? 'unknown'})`}`;
    },
  };
}

async function cimswitchTap(scope: NetScope): Promise<Rig> {
  const { nsA, nsB } = await ourSwitch(scope, 'tap');
  return { nsA, nsB, cpuUs: ownThreadsCpuUs, cpuWhat: OWN_THREADS };
}

async function bridge(scope: NetScope): Promise<Rig> {
  const [nsA, nsB] = await twoNamespaces(scope);
  const nsS = await scope.netns();
  await ip(['link', 'add', 'br0', 'type', 'bridge'], nsS);
  for (const [ns, side] of [[nsA, 'va'], [nsB, 'vb']] as const) {
    const tmp = scope.ifname(side);
    await scope.veth(tmp, side, undefined, nsS);
    await scope.move(tmp, ns, 'eth0');
    await ip(['link', 'set', side, 'master', 'br0', 'up'], nsS);
  }
  await ip(['link', 'set', 'br0', 'up'], nsS);
  await address(scope, nsA, nsB);
  return { nsA, nsB, cpuUs: softirqUs, cpuWhat: 'softirq time of all CPUs (the whole path, not the bridge alone)' };
}

/** Moves host-namespace devices tapA/tapB into A and B as eth0. */
async function adoptTaps(scope: NetScope, taps: [string, string], nsA: string, nsB: string): Promise<void> {
  for (const t of taps) await waitFor(`${t} to appear`, () => linkExists(t));
  await scope.move(taps[0], nsA, 'eth0');
  await scope.move(taps[1], nsB, 'eth0');
  await address(scope, nsA, nsB);
}

async function vde(scope: NetScope): Promise<Rig> {
  const [nsA, nsB] = await twoNamespaces(scope);
  const dir = mkdtempSync(join(tmpdir(), 'csw-vde-'));
  scope.defer(() => rmSync(dir, { recursive: true, force: true }), () => rmSync(dir, { recursive: true, force: true }));
  const taps: [string, string] = [scope.ifname('va'), scope.ifname('vb')];
  // stdin stays an open pipe: vde_switch reads its management console there.
  const proc = scope.spawn('vde_switch', ['-s', join(dir, 'ctl'), '-t', taps[0], '-t', taps[1]]);
  await adoptTaps(scope, taps, nsA, nsB);
  return { nsA, nsB, cpuUs: () => statCpuUs(`/proc/${proc.pid}/stat`), cpuWhat: 'the vde_switch process' };
}

async function tapfwd(scope: NetScope): Promise<Rig> {
  const [nsA, nsB] = await twoNamespaces(scope);
  const dir = mkdtempSync(join(tmpdir(), 'csw-tapfwd-'));
  scope.defer(() => rmSync(dir, { recursive: true, force: true }), () => rmSync(dir, { recursive: true, force: true }));
  const bin = join(dir, 'tapfwd');
  execFileSync('gcc', ['-O2', '-Wall', '-pthread', '-o', bin, join(here, 'tapfwd.c')]);
  const taps: [string, string] = [scope.ifname('ta'), scope.ifname('tb')];
  const proc = scope.spawn(bin, taps);
  await waitFor('tapfwd to start', () => proc.output().includes('ready'));
  await adoptTaps(scope, taps, nsA, nsB);
  return { nsA, nsB, cpuUs: () => statCpuUs(`/proc/${proc.pid}/stat`), cpuWhat: 'the tapfwd process' };
}

export const RIGS: Record<SwitchName, (scope: NetScope) => Promise<Rig>> = { cimswitch, 'cimswitch-tap': cimswitchTap, bridge, vde, tapfwd };
