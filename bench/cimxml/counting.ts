/**
 * Load from a client that counts its messages: the same request as cimload's, but with a new
 * MESSAGE ID on every request (as pywbem sends them), so no two bodies are byte-identical.
 * Runs wrk directly with a Lua script that rewrites the ID per request (cimload.sh sends
 * fixed bodies only); the figures have cimload's shape, so they sit in the same table.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LoadRecord, processCpuMs } from './cimload.js';
import { requestBody } from './wire.js';

export interface CountingOptions {
  requestDir: string;
  port: number;
  namespace: string;
  op: string;
  conns: number;
  durationS: number;
  warmupS: number;
  /** user:password for Basic authentication. */
  auth: string;
}

/** A Lua string literal of `s` (three-digit decimal escapes for quotes, backslashes and anything outside printable ASCII). */
function luaString(s: string): string {
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${String(b).padStart(3, '0')}`;
  }
  return out + '"';
}

function script(o: CountingOptions): string {
  const body = requestBody(o.requestDir, o.op, o.namespace).toString('utf8');
  const m = /<MESSAGE ID="([^"]*)"/.exec(body);
  if (!m) throw new Error(`${o.op}.xml has no MESSAGE ID to count`);
  const [head, tail] = [body.slice(0, m.index + 13), body.slice(m.index + 13 + m[1].length)];
  const headers: Record<string, string> = {
    'Content-Type': 'application/xml; charset=utf-8', CIMOperation: 'MethodCall', CIMMethod: o.op,
    CIMObject: encodeURIComponent(o.namespace), CIMProtocolVersion: '1.0', Authorization: 'Basic ' + Buffer.from(o.auth).toString('base64'),
  };
  const h = Object.entries(headers).map(([k, v]) => `[${luaString(k)}] = ${luaString(v)}`).join(', ');
  return [
    `local head, tail, headers = ${luaString(head)}, ${luaString(tail)}, { ${h} }`,
    'local n = 0',
    'function request()',
    '  n = n + 1',
    '  return wrk.format("POST", "/cimom", headers, head .. tostring(n) .. tail)',
    'end',
    'function done(summary, latency, requests)',
    '  io.write(string.format("COUNTING %d %.3f %.3f %d %d\\n", summary.requests, latency:percentile(50) / 1000,',
    '    latency:percentile(99) / 1000, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))',
    'end',
  ].join('\n');
}

function wrk(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('timeout', ['60', 'wrk', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}: ${out.slice(-300)}`))));
  });
}

/** Two requests with other IDs must each be answered without an ERROR and with their own ID. */
async function preflight(o: CountingOptions): Promise<void> {
  const body = requestBody(o.requestDir, o.op, o.namespace).toString('utf8');
  for (const id of ['7001', '7002']) {
    const r = await fetch(`http://127.0.0.1:${o.port}/cimom`, {
      method: 'POST', body: body.replace(/<MESSAGE ID="[^"]*"/, `<MESSAGE ID="${id}"`),
      headers: {
        'Content-Type': 'application/xml; charset=utf-8', CIMOperation: 'MethodCall', CIMMethod: o.op,
        CIMObject: encodeURIComponent(o.namespace), Authorization: 'Basic ' + Buffer.from(o.auth).toString('base64'),
      },
    });
    const text = await r.text();
    if (r.status !== 200 || text.includes('<ERROR') || !text.includes(`<MESSAGE ID="${id}"`)) {
      throw new Error(`counting preflight ${o.op} ID ${id}: HTTP ${r.status} ${text.slice(0, 300)}`);
    }
  }
}

/** One measured run (after a preflight and a warm-up), with the server's CPU per request. */
export async function runCounting(o: CountingOptions, serverPid: number): Promise<LoadRecord & { cpu_us_per_req: number }> {
  await preflight(o);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-counting-'));
  try {
    const lua = path.join(dir, 'counting.lua');
    fs.writeFileSync(lua, script(o));
    const url = `http://127.0.0.1:${o.port}/cimom`;
    const base = ['-t', '1', '-c', String(o.conns), '--timeout', '30s', '-s', lua, url];
    if (o.warmupS > 0) await wrk(['-d', `${o.warmupS}s`, ...base]);
    const cpu0 = processCpuMs(serverPid);
    const t0 = process.hrtime.bigint();
    const out = await wrk(['-d', `${o.durationS}s`, ...base]);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = processCpuMs(serverPid) - cpu0;
    const m = /COUNTING (\d+) ([\d.]+) ([\d.]+) (\d+) (\d+)/.exec(out);
    const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
    if (!m || !rps) throw new Error(`wrk gave no figures: ${out.slice(-300)}`);
    const requests = Number(m[1]);
    process.stdout.write(`  [counting IDs] ${o.op} c=${o.conns} ${Number(rps[1]).toFixed(1)} req/s p50 ${m[2]} p99 ${m[3]} ms (${secs.toFixed(1)} s)\n`);
    return {
      op: o.op, conns: o.conns, rps: Number(rps[1]), lat_p50_ms: Number(m[2]), lat_p99_ms: Number(m[3]), requests,
      err_status: Number(m[4]), err_connect: Number(m[5]), cpu_us_per_req: (cpu * 1000) / (requests + 1),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
