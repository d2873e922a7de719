/**
 * Runs sblim wbemcli and reads its answers back into data, so the end-to-end tests compare
 * values, paths and counts rather than exit codes. Output shapes (wbemcli 1.6):
 *   paths      `host:port/ns:Class.Key="v",Num=1` one per line
 *   -nl -t     `<path>` then `-Name[]#&="v","w"` one property a line, a blank line between objects
 *   errors     `* wbemcli: Cim: (6) CIM_ERR_NOT_FOUND: ...` or `* wbemcli: Http Exception: ...`
 */
import { execFile } from 'node:child_process';

export interface WbemcliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The CIM status code of a `Cim: (N)` error, if any. */
  cimError?: number;
  /** The text after `wbemcli: ` of the first error line, if any. */
  error?: string;
}

export function wbemcli(args: string[], timeoutMs = 30_000): Promise<WbemcliResult> {
  return new Promise((resolve) => {
    execFile('wbemcli', ['-noverify', ...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      const all = stdout + stderr;
      const m = /\* wbemcli: (.*)/.exec(all);
      const cim = /\* wbemcli: Cim: \((\d+)\)/.exec(all);
      resolve({
        code: err ? Number((err as { code?: number }).code ?? 1) : 0,
        stdout, stderr,
        error: m?.[1].trim(),
        cimError: cim ? Number(cim[1]) : undefined,
      });
    });
  });
}

/** Runs wbemcli and fails with its output when it reports any error. */
export async function ok(args: string[]): Promise<string> {
  const r = await wbemcli(args);
  if (r.error || r.code !== 0) throw new Error(`wbemcli ${args.join(' ')} failed (${r.code}): ${r.error ?? ''}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

export interface ParsedPath {
  host: string;
  namespace: string;
  className: string;
  /** Key values with surrounding quotes removed (wbemcli quotes some numeric keys it echoes). */
  keys: Record<string, string>;
}

/** Splits text at `sep` outside double quotes. */
function splitOutside(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let q = false;
  for (const ch of s) {
    if (ch === '"') q = !q;
    if (ch === sep && !q) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

const unquote = (v: string) => (v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v);

/** `127.0.0.1:5989/root/cimv2:WBT_Disk.Host="h1",Slot=1` (keys that are not references). */
export function parsePath(line: string): ParsedPath {
  const m = /^([^/]*)\/([^:]+):([A-Za-z_][\w]*)(?:\.(.*))?$/.exec(line.trim());
  if (!m) throw new Error(`not a wbemcli object path: ${line}`);
  const keys: Record<string, string> = {};
  for (const kv of m[4] ? splitOutside(m[4], ',') : []) {
    const eq = kv.indexOf('=');
    if (eq > 0) keys[kv.slice(0, eq)] = unquote(kv.slice(eq + 1));
  }
  return { host: m[1], namespace: m[2], className: m[3], keys };
}

/** Non-empty output lines (paths from ecn, ein, ain, rin, ci). */
export function lines(out: string): string[] {
  return out.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}

export interface ParsedObject {
  path: string;
  /** Property values: null when empty, a string, or an array for `[]` properties (needs -t). */
  props: Record<string, string | string[] | null>;
  /** The -t flags per property: `[]` array, `&` reference, `#` key. */
  flags: Record<string, string>;
}

function parseValue(raw: string, isArray: boolean): string | string[] | null {
  if (raw === '') return null;
  if (!isArray) return unquote(raw);
  return splitOutside(raw, ',').map(unquote);
}

/** Objects printed with `-nl` (and ideally `-t`): gi, ei, ai, ri, gc. */
export function parseObjects(out: string): ParsedObject[] {
  const objs: ParsedObject[] = [];
  let cur: ParsedObject | undefined;
  for (const line of out.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('-')) {
      if (!cur) throw new Error(`property line before any path: ${line}`);
      const m = /^-([A-Za-z_][\w]*)([[\]&#]*)=(.*)$/.exec(line);
      if (!m) throw new Error(`not a property line: ${line}`);
      cur.flags[m[1]] = m[2];
      cur.props[m[1]] = parseValue(m[3], m[2].includes('[]'));
    } else if (!line.startsWith('*')) {
      cur = { path: line.trim(), props: {}, flags: {} };
      objs.push(cur);
    }
  }
  return objs;
}

/** The single object of a gi / gc answer. */
export function parseObject(out: string): ParsedObject {
  const objs = parseObjects(out);
  if (objs.length !== 1) throw new Error(`expected one object, got ${objs.length}:\n${out}`);
  return objs[0];
}
