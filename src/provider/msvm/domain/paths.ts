/**
 * Identifiers and path text the domain deals in without knowing CIM: upper-case GUIDs, the
 * deterministic GUID of a host NIC, the WMI path text of a switch port written into a NIC's
 * Connection, and reading the Name/SystemName keys back out of such text in any of the forms
 * clients send (WMI `\\HOST\ns:Class.k="v"`, WBEM URI `//host/ns:Class.k="v"`, relative,
 * single-quoted, escaped). Pure functions.
 */
import { createHash, randomUUID } from 'node:crypto';

/** A fresh upper-case GUID without braces. */
export function newGuid(): string {
  return randomUUID().toUpperCase();
}

/** A GUID (upper, no braces) derived from text: the first 16 bytes of SHA-256, shaped as a v5-like UUID. */
export function guidFrom(text: string): string {
  const b = createHash('sha256').update(text).digest();
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const GUID = /^\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?$/;

/** Upper-case GUID without braces, or undefined when `text` is not a GUID. */
export function normalizeGuid(text: string): string | undefined {
  const m = GUID.exec(text.trim());
  return m ? m[1]!.toUpperCase() : undefined;
}

/** Quotes a key value as WMI prints it: backslash and double quote escaped (reference §1.1). */
function quote(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** WMI path text of a switch port, keys in alphabetical order (reference §1.1). */
export function wmiPortPath(host: string, switchName: string, portName: string): string {
  return (
    `\\\\${host}\\root\\virtualization:Msvm_SwitchPort.CreationClassName="Msvm_SwitchPort",` +
    `Name=${quote(portName)},SystemCreationClassName="Msvm_VirtualSwitch",SystemName=${quote(switchName)}`
  );
}

export interface PathKeys {
  /** Class name when the text names one. */
  className?: string;
  /** Key name (lower-case) -> value. */
  keys: Map<string, string>;
}

/** Reads class and key bindings out of object path text; undefined when it is not a path. */
export function parsePathKeys(text: string): PathKeys | undefined {
  if (typeof text !== 'string') return undefined;
  const s = text.trim();
  const colon = findClassStart(s);
  const body = s.slice(colon);
  const dot = body.indexOf('.');
  if (dot <= 0) return undefined;
  const className = body.slice(0, dot).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(className)) return undefined;
  const keys = new Map<string, string>();
  let i = dot + 1;
  while (i < body.length) {
    const eq = body.indexOf('=', i);
    if (eq < 0) return undefined;
    const key = body.slice(i, eq).trim().toLowerCase();
    if (!/^[a-z_][a-z0-9_]*$/.test(key)) return undefined;
    const r = readValue(body, eq + 1);
    if (!r) return undefined;
    keys.set(key, r.value);
    i = r.end;
    while (i < body.length && body[i] === ' ') i++;
    if (i < body.length) {
      if (body[i] !== ',') return undefined;
      i++;
    }
  }
  return { className, keys };
}

/** Index where the class name starts: after the namespace's ':' outside quotes, else 0. */
function findClassStart(s: string): number {
  const q = s.search(/["']/);
  const head = q < 0 ? s : s.slice(0, q);
  const c = head.lastIndexOf(':');
  return c < 0 ? 0 : c + 1;
}

function readValue(s: string, at: number): { value: string; end: number } | undefined {
  let i = at;
  while (s[i] === ' ') i++;
  const q = s[i];
  if (q !== '"' && q !== "'") {
    const end = s.indexOf(',', i);
    const stop = end < 0 ? s.length : end;
    return { value: s.slice(i, stop).trim(), end: stop };
  }
  let out = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j]!;
    if (c === '\\' && j + 1 < s.length) {
      out += s[++j];
      continue;
    }
    if (c === q) return { value: out, end: j + 1 };
    out += c;
  }
  return undefined;
}

/** The Name and SystemName of a switch port named by path text, or undefined. */
export function parsePortRef(text: string): { name: string; systemName?: string } | undefined {
  const p = parsePathKeys(text);
  if (!p || !/switchport$/i.test(p.className ?? '')) return undefined;
  const name = p.keys.get('name');
  if (name === undefined || name === '') return undefined;
  const systemName = p.keys.get('systemname');
  return systemName === undefined ? { name } : { name, systemName };
}
