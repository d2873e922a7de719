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
}

export function runCimload(o: LoadOptions): Promise<LoadRecord[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cimxml-'));
  const json = path.join(dir, 'runs.jsonl');
  const args = [o.script, '-t', 'wrk', '-o', o.ops.join(' '), '-c', o.conns.join(' '), '-d', String(o.durationS),
    '-w', String(o.warmupS), '-j', json, `127.0.0.1:${o.port}/${o.namespace}`];
  const env = { ...process.env, ...(o.auth ? { CIMLOAD_AUTH: o.auth } : {}) }; // credentials via env, not argv
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (d: Buffer) => process.stdout.write(d.toString().replace(/^(?=.)/gm, `  [${o.label}] `));
    child.stdout.on('data', relay);
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
