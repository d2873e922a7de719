/**
 * `npm run bench:cimxml`: CIM-XML throughput of the real server against a bare-HTTP ceiling.
 *
 * 1. starts `cimswitch serve` over HTTP on a loopback port with Bench_Item
 *    (../shared/bench/Bench_Item.mof via --extra-mof root/cimv2=...), and a second one with
 *    `--parse-cache 0` (every request parsed afresh by fast-xml-parser: what a client that
 *    changes MESSAGE ID on every request sees; sblim wbemcli does not),
 * 2. creates item-0000..item-0999 in each through the server (CreateInstance over CIM-XML),
 * 3. captures the server's real answers to cimload's GetInstance / EnumerateInstances bodies
 *    and replays them from a bare node:http server (no CIM work): the ceiling on this machine,
 * 4. runs ../shared/bench/cimload.sh (wrk) for each op at 1 and 16 connections against the
 *    three, back to back per configuration (a drift of a shared machine touches all alike),
 *    for --rounds rounds, reporting the median run of each; the first server is also loaded
 *    as a client that puts a new MESSAGE ID in every request (pywbem does; cimload and
 *    wbemcli repeat theirs), with wrk and a Lua script (cimxml/counting.ts),
 * then prints a table and one JSON line per figure:
 *   {"bench":"cimxml","op":...,"conns":...,"rps":...,"p50_ms":...,"p99_ms":...,"ceiling_rps":...,"parse_cache":bool}
 *
 * Flags: --duration S (5) --warmup S (1) --conns 1,16 --ops GetInstance,EnumerateInstances
 *        --items N (1000) --rounds N (1) --no-ceiling --no-uncached (no second server)
 *        --no-counting (no counting-ID client)
 *        --cpu-prof DIR (profile the first server, print where time goes)
 * Goals (issue 3): 2x a C peer (9,600 GetInstance/s, 1,040 EnumerateInstances/s at 16 conns)
 * and at least 60% of the ceiling.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startCliServer } from '../test/helpers/cli-server.js';
import { startCeiling } from './cimxml/ceiling.js';
import { type LoadRecord, runMeasured } from './cimxml/cimload.js';
import { printSummary } from './cimxml/profile.js';
import { runCounting } from './cimxml/counting.js';
import { type Captured, capture, populate } from './cimxml/wire.js';

const SHARED_BENCH = path.resolve(REPO_ROOT, '..', 'shared', 'bench');
const NAMESPACE = 'root/cimv2';
/** 2x the C peer's figures at 16 connections (issue 3, section 8). */
const GOAL_RPS: Record<string, number> = { GetInstance: 9600, EnumerateInstances: 1040 };
const GOAL_CEILING_SHARE = 0.6;

interface Options {
  durationS: number;
  warmupS: number;
  conns: number[];
  ops: string[];
  items: number;
  ceiling: boolean;
  /** Also measure the server with --parse-cache 0. */
  uncached: boolean;
  /** Rounds of every configuration; the median run of each is reported. */
  rounds: number;
  /** Also load the first server as a client that counts MESSAGE IDs (counting.ts). */
  counting: boolean;
  cpuProfDir?: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { durationS: 5, warmupS: 1, conns: [1, 16], ops: ['GetInstance', 'EnumerateInstances'], items: 1000, ceiling: true, uncached: true, rounds: 1, counting: true };
  for (let i = 0; i < argv.length; i++) {
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return x;
    };
    const num = (x: string) => {
      if (!/^\d+$/.test(x)) throw new Error(`not a whole number: ${x}`);
      return Number(x);
    };
    switch (argv[i]) {
      case '--duration': o.durationS = num(v()); break;
      case '--warmup': o.warmupS = num(v()); break;
      case '--conns': o.conns = v().split(/[ ,]+/).filter(Boolean).map(num); break;
      case '--ops': o.ops = v().split(/[ ,]+/).filter(Boolean); break;
      case '--items': o.items = num(v()); break;
      case '--no-ceiling': o.ceiling = false; break;
      case '--no-uncached': o.uncached = false; break;
      case '--rounds': o.rounds = Math.max(1, num(v())); break;
      case '--no-counting': o.counting = false; break;
      case '--cpu-prof': o.cpuProfDir = path.resolve(v()); break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  if (o.items < 501 && o.ops.includes('GetInstance')) throw new Error('--items must be > 500: the GetInstance body asks for item-0500');
  return o;
}

interface Figure {
  op: string;
  conns: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  ceiling_rps: number | null;
  ceiling_p50_ms: number | null;
  ceiling_p99_ms: number | null;
  errors: number;
  /** Server CPU per request (µs) and the same for the bare server. */
  cpu_us: number | null;
  ceiling_cpu_us: number | null;
}

type Measured = LoadRecord & { cpu_us_per_req?: number };
interface Target {
  label: string;
  port: number;
  /** Whose CPU time is read around each run. */
  pid: number;
  auth?: string;
}
const UNCACHED = 'cimswitch --parse-cache 0';
const COUNTING = 'cimswitch, counting MESSAGE IDs';

/** Per (op, conns), the run with the median req/s of its rounds (its latencies and CPU with it). */
function medianRuns(runs: Measured[]): Measured[] {
  const groups = new Map<string, Measured[]>();
  for (const r of runs) {
    const k = `${r.op} ${r.conns}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((g) => [...g].sort((a, b) => a.rps - b.rps)[(g.length - 1) >> 1]);
}
const errorsOf = (r: LoadRecord) => (r.err_connect ?? 0) + (r.err_read ?? 0) + (r.err_write ?? 0) + (r.err_status ?? 0) + (r.err_timeout ?? 0);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function figures(real: Measured[], ceiling: Measured[]): Figure[] {
  return real.map((r) => {
    const c = ceiling.find((x) => x.op === r.op && x.conns === r.conns);
    return {
      op: r.op, conns: r.conns, rps: round(r.rps, 1), p50_ms: round(r.lat_p50_ms, 3), p99_ms: round(r.lat_p99_ms, 3),
      ceiling_rps: c ? round(c.rps, 1) : null, ceiling_p50_ms: c ? round(c.lat_p50_ms, 3) : null,
      ceiling_p99_ms: c ? round(c.lat_p99_ms, 3) : null, errors: errorsOf(r),
      cpu_us: r.cpu_us_per_req !== undefined ? round(r.cpu_us_per_req, 0) : null,
      ceiling_cpu_us: c?.cpu_us_per_req !== undefined ? round(c.cpu_us_per_req, 0) : null,
    };
  });
}

function printTable(figs: Figure[]): void {
  const head = ['op', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'cpu µs/req', 'ceiling req/s', 'ceil p50', 'ceil p99', 'ceil cpu µs', '% ceiling', 'goal req/s', 'errors'];
  const rows = figs.map((f) => [
    f.op, String(f.conns), f.rps.toFixed(1), f.p50_ms.toFixed(2), f.p99_ms.toFixed(2), f.cpu_us?.toFixed(0) ?? '-',
    f.ceiling_rps?.toFixed(1) ?? '-', f.ceiling_p50_ms?.toFixed(2) ?? '-', f.ceiling_p99_ms?.toFixed(2) ?? '-', f.ceiling_cpu_us?.toFixed(0) ?? '-',
    f.ceiling_rps ? `${((100 * f.rps) / f.ceiling_rps).toFixed(0)}%` : '-',
    f.conns === 16 && GOAL_RPS[f.op] ? String(GOAL_RPS[f.op]) : '-', String(f.errors),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  console.log('\n' + line(head));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log('cpu µs/req: server process CPU (user+sys) per request during the measured run; 1e6 / it = req/s one core could give');
  console.log(`goals: at 16 connections >= ${Object.entries(GOAL_RPS).map(([k, v]) => `${v} ${k}/s`).join(', ')}; >= ${GOAL_CEILING_SHARE * 100}% of the ceiling\n`);
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const script = path.join(SHARED_BENCH, 'cimload.sh');
  const mof = path.join(SHARED_BENCH, 'Bench_Item.mof');
  for (const f of [script, mof]) if (!fs.existsSync(f)) throw new Error(`${f} not found (bench:cimxml needs ../shared/bench)`);
  if (o.cpuProfDir) fs.mkdirSync(o.cpuProfDir, { recursive: true });

  let loadStartUs = 0;
  const stops: (() => Promise<void>)[] = [];
  let captured = new Map<string, Captured>();
  /** Starts a real server (with `args`) and fills it; the first one also gives the captured answers. */
  const server = async (args: string[], label: string, profile: boolean): Promise<Target> => {
    const srv = await startCliServer({
      https: false, extraMof: [{ namespace: NAMESPACE, file: mof }], args,
      nodeArgs: profile && o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [],
    });
    stops.push(() => srv.stop());
    const auth = `admin:${srv.adminPassword}`;
    console.log(`bench:cimxml: ${label}: server pid ${srv.pid} on http://127.0.0.1:${srv.httpPort}/cimom; creating ${o.items} Bench_Item instances`);
    const t0 = Date.now();
    await populate({ port: srv.httpPort, auth, namespace: NAMESPACE }, o.items);
    console.log(`bench:cimxml: created ${o.items} instances in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (captured.size === 0) {
      captured = await capture({ port: srv.httpPort, auth, namespace: NAMESPACE }, path.join(SHARED_BENCH, 'requests'), o.ops);
      for (const [op, c] of captured) console.log(`bench:cimxml: ${op} answer: ${c.body.length} bytes, ${(c.body.toString().match(/<INSTANCE /g) ?? []).length} INSTANCE`);
    }
    return { label, port: srv.httpPort, pid: srv.pid, auth };
  };
  const recs = new Map<string, Measured[]>();
  try {
    const targets: Target[] = [await server([], 'cimswitch', true)];
    // the same server without its parsed-document cache: every request parsed by fast-xml-parser
    if (o.uncached) targets.push(await server(['--parse-cache', '0'], UNCACHED, false));
    if (o.ceiling) {
      const ceiling = await startCeiling(captured);
      stops.push(() => ceiling.close());
      targets.push({ label: 'ceiling', port: ceiling.port, pid: process.pid });
    }
    // each configuration's variants run back to back, so a drift of the machine touches all alike
    loadStartUs = Number(process.hrtime.bigint() / 1000n);
    for (let round = 1; round <= o.rounds; round++) {
      for (const op of o.ops) {
        for (const c of o.conns) {
          for (const t of targets) {
            const [rec] = await runMeasured({
              script, port: t.port, namespace: NAMESPACE, ops: [op], conns: [c], durationS: o.durationS, warmupS: o.warmupS, auth: t.auth,
              label: o.rounds > 1 ? `${t.label} ${round}/${o.rounds}` : t.label,
            }, t.pid);
            recs.set(t.label, [...(recs.get(t.label) ?? []), rec]);
            if (t === targets[0] && o.counting) {
              const counted = await runCounting({
                requestDir: path.join(SHARED_BENCH, 'requests'), port: t.port, namespace: NAMESPACE, op, conns: c,
                durationS: o.durationS, warmupS: o.warmupS, auth: t.auth!,
              }, t.pid);
              recs.set(COUNTING, [...(recs.get(COUNTING) ?? []), counted]);
            }
          }
        }
      }
    }
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
  const real = medianRuns(recs.get('cimswitch') ?? []);
  const uncached = medianRuns(recs.get(UNCACHED) ?? []);
  const ceilingRecs = medianRuns(recs.get('ceiling') ?? []);
  const counting = medianRuns(recs.get(COUNTING) ?? []);

  const figs = figures(real, ceilingRecs);
  const figsUncached = figures(uncached, ceilingRecs);
  const figsCounting = figures(counting, ceilingRecs);
  printTable([
    ...figs, ...figsCounting.map((f) => ({ ...f, op: `${f.op} (new MESSAGE ID each)` })),
    ...figsUncached.map((f) => ({ ...f, op: `${f.op} (no parse cache)` })),
  ]);
  const variants = [[figs, true, false], [figsCounting, true, true], [figsUncached, false, false]] as const;
  for (const [list, parseCache, countingIds] of variants) {
    for (const f of list) {
      console.log(JSON.stringify({
        bench: 'cimxml', op: f.op, conns: f.conns, rps: f.rps, p50_ms: f.p50_ms, p99_ms: f.p99_ms, ceiling_rps: f.ceiling_rps,
        server_cpu_us_per_req: f.cpu_us, ceiling_cpu_us_per_req: f.ceiling_cpu_us, parse_cache: parseCache, counting_ids: countingIds,
      }));
    }
  }
  if (o.cpuProfDir) {
    const profiles = fs.readdirSync(o.cpuProfDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(o.cpuProfDir!, f));
    const newest = profiles.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
    if (newest) printSummary(newest, 25, loadStartUs);
    else console.log(`bench:cimxml: no .cpuprofile written in ${o.cpuProfDir}`);
  }
  return [...figs, ...figsCounting, ...figsUncached].some((f) => f.errors > 0) ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`bench:cimxml: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
