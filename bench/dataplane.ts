// `npm run bench:dataplane [-- --json] [--seconds N] [--runs N] [--only a,b]` (as root).
//
// Issue 4 §6: between two namespaces, side by side in one run, cimswitch (on veth ports, with
// its kernel fast path when on), cimswitch on tap ports, the Linux bridge, vde_switch and a
// minimal two-TAP C forwarder: iperf3 TCP with 1 and 4 streams, trafgen
// 64-byte frames sent/received per second with the switch's CPU per delivered frame, sockperf
// TCP ping-pong transactions/s, and ping's median RTT. Prints a table with ratios and the goals,
// or with --json one line per figure. Everything it creates is torn down, also on ^C.
// It is a benchmark, not a test: `npm test` never runs it.
import { cpus, loadavg } from 'node:os';
import { NetScope } from '../test/helpers/netns.js';
import { frames64, median, rrTps, rttUs, tcpGbps, warmUp, type Figures, type Metric } from './dataplane/measure.js';
import { goals, jsonLines, table, type Results } from './dataplane/report.js';
import { RIGS, type Rig, type SwitchName } from './dataplane/rigs.js';

interface Options {
  json: boolean;
  seconds: number;
  runs: number;
  only: SwitchName[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = { json: false, seconds: 5, runs: 1, only: Object.keys(RIGS) as SwitchName[] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${a} needs a positive integer`);
      return v;
    };
    if (a === '--json') o.json = true;
    else if (a === '--seconds') o.seconds = num();
    else if (a === '--runs') o.runs = num();
    else if (a === '--only') {
      const names = (argv[++i] ?? '').split(',');
      const bad = names.filter((n) => !(n in RIGS));
      if (bad.length) throw new Error(`--only: unknown switch ${bad.join(',')} (${Object.keys(RIGS).join(', ')})`);
      o.only = names as SwitchName[];
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

async function measureOnce(scope: NetScope, rig: Rig, secs: number, log: (s: string) => void): Promise<Figures> {
  const f: Figures = {};
  await warmUp(rig);
  f.rtt_us = await rttUs(rig);
  log(`rtt ${f.rtt_us.toFixed(1)} µs`);
  f.rr_tps = await rrTps(scope, rig, secs);
  log(`rr ${f.rr_tps.toFixed(0)}/s`);
  f.tcp1_gbps = await tcpGbps(scope, rig, 1, secs);
  log(`tcp1 ${f.tcp1_gbps.toFixed(2)} Gbit/s`);
  f.tcp4_gbps = await tcpGbps(scope, rig, 4, secs);
  log(`tcp4 ${f.tcp4_gbps.toFixed(2)} Gbit/s`);
  Object.assign(f, await frames64(scope, rig, secs));
  log(`frames64 tx ${(f.frames64_tx_pps! / 1e3).toFixed(0)}k rx ${(f.frames64_rx_pps! / 1e3).toFixed(0)}k pps, cpu ${f.cpu_us_per_frame?.toFixed(3) ?? 'n/a'} µs/frame`);
  return f;
}

function medians(runs: Figures[]): Figures {
  const out: Figures = {};
  for (const m of Object.keys(runs[0] ?? {}) as Metric[]) {
    const xs = runs.map((r) => r[m]).filter((v): v is number => v !== undefined);
    if (xs.length) out[m] = median(xs);
  }
  return out;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('bench:dataplane needs root (network namespaces, TAP devices)');
  const results: Results = {};
  // Other work on this machine skews every figure: say how busy it was.
  const notes: string[] = [`load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs`];
  // Runs are the outer loop so that load changing over time touches every switch alike.
  const runs = new Map<SwitchName, Figures[]>(opts.only.map((sw) => [sw, []]));
  for (let i = 0; i < opts.runs; i++) {
    for (const sw of opts.only) {
      const log = (s: string) => process.stderr.write(`[${sw}${opts.runs > 1 ? ` ${i + 1}/${opts.runs}` : ''}] ${s}\n`);
      const scope = new NetScope('csw-b');
      try {
        const rig = await RIGS[sw](scope);
        if (i === 0) notes.push(`${sw} CPU: ${rig.cpuWhat}`);
        runs.get(sw)!.push(await measureOnce(scope, rig, opts.seconds, log));
        if (rig.note) {
          const note = rig.note();
          log(note);
          notes.push(`${sw}${opts.runs > 1 ? ` run ${i + 1}` : ''}: ${note}`);
        }
      } catch (e) {
        log(`failed: ${(e as Error).message}`);
      } finally {
        await scope.cleanup();
      }
    }
  }
  for (const [sw, figs] of runs) if (figs.length) results[sw] = medians(figs);
  if (opts.json) {
    for (const line of jsonLines(results)) console.log(line);
    return;
  }
  const how = opts.runs > 1 ? `medians of ${opts.runs} runs` : 'one run';
  console.log(`dataplane bench: ${opts.seconds} s per measurement, ${how}`);
  for (const l of table(results)) console.log(l);
  console.log('');
  for (const g of goals(results)) console.log(g);
  for (const n of notes) console.log(`note: ${n}`);
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`bench:dataplane: ${e.message}`);
    process.exit(1);
  },
);
