/**
 * Runs ../shared/bench/cimload.sh (wrk) against one server and returns its per-run JSON
 * records. cimload's own progress lines are passed through to our stdout.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LoadRecord {
  op: string;
  conns: number;
  rps: number;
  lat_p50_ms: number;
  lat_p99_ms: number;
  requests: number;
  err_connect?: number;
  err_read?: number;
  err_write?: number;
  err_status?: number;
  err_timeout?: number;
}

export interface LoadOptions {
  script: string;
  port: number;
  namespace: string;
  ops: string[];
  conns: number[];
  durationS: number;
  warmupS: number;
  auth?: string;
  label: string;
  /** Do not relay cimload's output (warm-up runs). */
  quiet?: boolean;
}

export function runCimload(o: LoadOptions): Promise<LoadRecord[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cimxml-'));
  const json = path.join(dir, 'runs.jsonl');
  const args = [o.script, ...(o.quiet ? ['-n'] : []), '-t', 'wrk', '-o', o.ops.join(' '), '-c', o.conns.join(' '), '-d', String(o.durationS),
    '-w', String(o.warmupS), '-j', json, `127.0.0.1:${o.port}/${o.namespace}`];
  const env = { ...process.env, ...(o.auth ? { CIMLOAD_AUTH: o.auth } : {}) }; // credentials via env, not argv
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (d: Buffer) => process.stdout.write(d.toString().replace(/^(?=.)/gm, `  [${o.label}] `));
    if (!o.quiet) child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', reject);
    child.on('exit', (code) => {
      const text = fs.existsSync(json) ? fs.readFileSync(json, 'utf8') : '';
      fs.rmSync(dir, { recursive: true, force: true });
      const recs = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as LoadRecord);
      if (code !== 0 || recs.length === 0) reject(new Error(`cimload.sh (${o.label}) exited ${code} with ${recs.length} results`));
      else resolve(recs);
    });
  });
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux; 0 elsewhere). */
export function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return 0;
  }
}

/**
 * One figure per (op, conns): a warm-up run, then the measured run with the server's CPU time
 * read around it, so the record also says how many CPU microseconds the server spent per
 * request (a figure that holds even when other work shares the machine).
 */
export async function runMeasured(o: LoadOptions, serverPid?: number): Promise<(LoadRecord & { cpu_us_per_req?: number })[]> {
  const out: (LoadRecord & { cpu_us_per_req?: number })[] = [];
  for (const op of o.ops) {
    for (const c of o.conns) {
      if (o.warmupS > 0) await runCimload({ ...o, ops: [op], conns: [c], durationS: o.warmupS, warmupS: 0, quiet: true });
      const cpu0 = serverPid ? processCpuMs(serverPid) : 0;
      const [rec] = await runCimload({ ...o, ops: [op], conns: [c], warmupS: 0 });
      const cpu = serverPid ? processCpuMs(serverPid) - cpu0 : 0;
      out.push(serverPid && rec.requests > 0 ? { ...rec, cpu_us_per_req: (cpu * 1000) / (rec.requests + 1) } : rec);
    }
  }
  return out;
}
