/**
 * Parser for the textual object-path forms clients send (hyperv-v1-networking.md 1.1):
 *   WBEM URI   //host/root/virtualization:Class.k="v"     (also http(s)://host:port/ns:... DSP0207)
 *   WMI        \\HOST\root\virtualization:Class.k="v"     (and \\.\ for the local host)
 *   local      ns:Class.k="v", /ns:Class.k="v", relative Class.k="v", singleton Class=@
 * Values: "..." or '...' with backslash escapes (\\ \" \'; any other backslash is kept as
 * written, so hand-built paths with single backslashes survive), unquoted integers (decimal,
 * signed, 0x hex), reals, TRUE/FALSE. A quoted value stays a string key even when it holds
 * an object path; readReference() reads such a value as a path.
 * The namespace is normalised to `/` separators (CIM-XML NAMESPACE form); the host is kept
 * verbatim (including "." and a port). Errors are CimError(CIM_ERR_INVALID_PARAMETER) naming
 * the 1-based column of the offending character.
 */
import { CimError } from './errors.js';
import { ciEq } from './names.js';
import { ClassName, InstanceName, type KeyBinding, type KeyType, type KeyValue } from './path.js';

interface Location {
  host?: string;
  namespace?: string;
}

const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_]/u;
const NS_PART = /[\p{L}\p{N}_\-/\\]/u;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {
    if (typeof text !== 'string')
      throw new CimError('CIM_ERR_INVALID_PARAMETER', `bad object path: expected text, got ${typeof text}`);
  }

  fail(what: string, at = this.pos): never {
    const where = at >= this.text.length ? 'at end of text' : `at column ${at + 1} (${JSON.stringify(this.text[at])})`;
    throw new CimError('CIM_ERR_INVALID_PARAMETER', `bad object path ${JSON.stringify(this.text)}: ${what} ${where}`);
  }
  peek(): string | undefined {
    return this.text[this.pos];
  }
  atEnd(): boolean {
    return this.pos >= this.text.length;
  }
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }
  eat(s: string): boolean {
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }
  expect(s: string, what: string): void {
    if (!this.eat(s)) this.fail(`expected ${what}`);
  }
  ident(what: string): string {
    const start = this.pos;
    if (this.atEnd() || !IDENT_START.test(this.text[this.pos])) this.fail(`expected ${what}`);
    this.pos++;
    while (!this.atEnd() && IDENT_PART.test(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }
}

/** Parses an instance path in any accepted form. */
export function parsePath(text: string): InstanceName {
  const s = new Scanner(text);
  s.skipSpace();
  const loc = parseLocation(s);
  const className = s.ident('class name');
  const keys = parseKeys(s);
  s.skipSpace();
  if (!s.atEnd()) s.fail('unexpected text after the path');
  return new InstanceName(className, keys, loc.namespace, loc.host);
}

/** Parses a class path: `//host/ns:Class`, `\\HOST\ns:Class`, `ns:Class` or `Class`. */
export function parseClassPath(text: string): ClassName {
  const s = new Scanner(text);
  s.skipSpace();
  const loc = parseLocation(s);
  const className = s.ident('class name');
  s.skipSpace();
  if (!s.atEnd()) s.fail('unexpected text after the class name');
  return new ClassName(className, loc.namespace, loc.host);
}

/** Parses either kind of path: a ClassName when no keys (and no `=@`) follow the class name. */
export function parseObjectPath(text: string): InstanceName | ClassName {
  const s = new Scanner(text);
  s.skipSpace();
  const loc = parseLocation(s);
  const className = s.ident('class name');
  s.skipSpace();
  if (s.atEnd()) return new ClassName(className, loc.namespace, loc.host);
  return parsePath(text);
}

/**
 * Reads a key value as an instance path: a reference value as is, a string holding a path
 * parsed (the usual shape of association keys in text paths). Undefined when it is neither.
 */
export function readReference(v: KeyValue | undefined): InstanceName | undefined {
  if (v instanceof InstanceName) return v;
  if (typeof v !== 'string' || !looksLikePath(v)) return undefined;
  try {
    return parsePath(v);
  } catch {
    return undefined;
  }
}

/** Cheap pre-check before trying to parse a string key value as a path. */
export function looksLikePath(v: string): boolean {
  return v.includes('=') && /^\s*[\p{L}_/\\.:\p{N}]/u.test(v) && !/^\s*["']/.test(v);
}

// ---------------------------------------------------------------------------------------

function parseLocation(s: Scanner): Location {
  const scheme = /^https?:\/\//i.exec(s.text.slice(s.pos));
  if (scheme) {
    s.pos += scheme[0].length; // DSP0207 5: scheme and authority
    return hostThenNamespace(s, '/');
  }
  if (s.eat('//')) return hostThenNamespace(s, '/');
  if (s.eat('\\\\')) return hostThenNamespace(s, '\\');
  if (s.peek() === '/' || s.peek() === '\\') {
    s.pos++; // DSP0207 local form: /root/cimv2:Class
    return { namespace: namespaceThenColon(s) };
  }
  return { namespace: optionalNamespace(s) };
}

function hostThenNamespace(s: Scanner, sep: '/' | '\\'): Location {
  const start = s.pos;
  while (!s.atEnd() && s.peek() !== '/' && s.peek() !== '\\') s.pos++;
  const host = s.text.slice(start, s.pos);
  if (!host || /\s/.test(host)) s.fail('expected a host name', start);
  if (s.atEnd()) s.fail(`expected "${sep}" and a namespace after the host`);
  s.pos++;
  return { host, namespace: namespaceThenColon(s) };
}

/** A namespace (required here) followed by the `:` before the class name. */
function namespaceThenColon(s: Scanner): string {
  const start = s.pos;
  while (!s.atEnd() && NS_PART.test(s.text[s.pos])) s.pos++;
  const ns = normaliseNamespace(s.text.slice(start, s.pos));
  if (!ns) s.fail('expected a namespace', start);
  s.expect(':', '":" after the namespace');
  return ns;
}

/** A namespace only when the run of namespace characters ends in `:`; else rewinds. */
function optionalNamespace(s: Scanner): string | undefined {
  const start = s.pos;
  while (!s.atEnd() && NS_PART.test(s.text[s.pos])) s.pos++;
  if (s.peek() !== ':' || s.pos === start) {
    s.pos = start;
    return undefined;
  }
  const ns = normaliseNamespace(s.text.slice(start, s.pos));
  if (!ns) s.fail('expected a namespace', start);
  s.pos++;
  return ns;
}

function normaliseNamespace(raw: string): string {
  const parts = raw.split(/[\\/]/);
  if (parts.some((p) => p === '')) return '';
  return parts.join('/');
}

function parseKeys(s: Scanner): KeyBinding[] {
  s.skipSpace();
  if (s.eat('=')) {
    s.skipSpace();
    s.expect('@', '"@" (singleton)');
    return [];
  }
  if (s.atEnd()) s.fail('expected "." and key bindings or "=@"');
  s.expect('.', '"." before the key bindings');
  const keys: KeyBinding[] = [];
  for (;;) {
    s.skipSpace();
    const at = s.pos;
    const name = s.ident('key name');
    if (keys.some((k) => ciEq(k.name, name))) s.fail(`duplicate key ${name}`, at);
    s.skipSpace();
    s.expect('=', `"=" after key ${name}`);
    s.skipSpace();
    keys.push({ name, ...parseValue(s) });
    s.skipSpace();
    if (!s.eat(',')) return keys;
  }
}

function parseValue(s: Scanner): { type: KeyType; value: KeyValue } {
  const q = s.peek();
  if (q === '"' || q === "'") return { type: 'string', value: parseQuoted(s, q) };
  const start = s.pos;
  while (!s.atEnd() && !/[\s,]/.test(s.text[s.pos])) s.pos++;
  const word = s.text.slice(start, s.pos);
  if (!word) s.fail('expected a key value', start);
  if (/^true$/i.test(word)) return { type: 'boolean', value: true };
  if (/^false$/i.test(word)) return { type: 'boolean', value: false };
  const n = parseNumber(word);
  if (n === undefined) s.fail('expected a quoted string, a number or TRUE/FALSE', start);
  return { type: 'numeric', value: n };
}

/** DSP0207 5.3 / WMI: backslash escapes `\` and the quote characters; other backslashes stay. */
function parseQuoted(s: Scanner, quote: string): string {
  const open = s.pos++;
  let out = '';
  while (!s.atEnd()) {
    const c = s.text[s.pos++];
    if (c === quote) return out;
    if (c === '\\') {
      const n = s.text[s.pos];
      if (n === '\\' || n === '"' || n === "'") {
        out += n;
        s.pos++;
        continue;
      }
    }
    out += c;
  }
  return s.fail('unterminated quoted value starting', open);
}

/** Unquoted numeric key: decimal or 0x hex integers (optional sign), or a decimal real. */
export function parseNumber(word: string): number | bigint | undefined {
  let m = /^([+-]?)0x([0-9a-f]+)$/i.exec(word);
  if (m) return fitInteger(BigInt('0x' + m[2]) * (m[1] === '-' ? -1n : 1n));
  m = /^[+-]?[0-9]+$/.exec(word);
  if (m) return fitInteger(BigInt(word));
  if (/^[+-]?[0-9]+\.[0-9]+([eE][+-]?[0-9]+)?$|^[+-]?[0-9]+[eE][+-]?[0-9]+$/.test(word)) return Number(word);
  return undefined;
}

function fitInteger(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
