/**
 * Object paths: instance names (class + keybindings, optional host and namespace) and class
 * names. One canonical printed form per instance (hyperv-v1-networking.md 1.1): keys in
 * case-insensitive alphabetical order, string values double-quoted with `\` and `"` escaped
 * by a backslash, so a path a method returns is byte-identical to the one the instance
 * shows elsewhere. parse() accepts what clients send: WBEM URI (`//host/ns:Class.k="v"`),
 * WMI (`\\HOST\ns:Class.k="v"`, `\\.\`), relative (`Class.k="v"`), `ns:Class.k='v'`,
 * single or double quotes, unquoted numbers and booleans, `Class=@` singletons,
 * nested reference values.
 */
import { ciEq, ciKey } from './names.js';
import { parseClassPath, parseObjectPath, parsePath, readReference } from './path-parse.js';

export type KeyType = 'string' | 'boolean' | 'numeric' | 'reference';
export type KeyValue = string | number | bigint | boolean | InstanceName;

export interface KeyBinding {
  name: string;
  type: KeyType;
  value: KeyValue;
}

export type PathStyle = 'wmi' | 'wbem' | 'relative';

export class ClassName {
  constructor(
    readonly className: string,
    readonly namespace?: string,
    readonly host?: string,
  ) {}
  /** Parses `//host/ns:Class`, `\\HOST\ns:Class`, `ns:Class` or `Class`; CimError on bad text. */
  static parse(text: string): ClassName {
    return parseClassPath(text);
  }
  toString(style: PathStyle = 'wbem'): string {
    if (style === 'relative') return this.className;
    return prefix(this.host, this.namespace, style) + this.className;
  }
  equals(other: ClassName): boolean {
    return ciEq(this.className, other.className) && sameNamespace(this.namespace, other.namespace);
  }
}

/** Parses an instance path, or a class path when no key bindings follow the class name. */
export function parseObjectName(text: string): InstanceName | ClassName {
  return parseObjectPath(text);
}

/** Key lists made by canonicalKeys: frozen, sorted, of frozen bindings (shared as they are). */
const CANONICAL_KEYS = new WeakSet<readonly KeyBinding[]>();

function byKeyName(a: KeyBinding, b: KeyBinding): number {
  const x = ciKey(a.name);
  const y = ciKey(b.name);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Frozen copies of the bindings, sorted canonically (case-insensitive by name). */
function canonicalKeys(keys: Iterable<KeyBinding>): readonly KeyBinding[] {
  if (CANONICAL_KEYS.has(keys as readonly KeyBinding[])) return keys as readonly KeyBinding[];
  const list: KeyBinding[] = [];
  for (const k of keys) list.push(Object.isFrozen(k) ? k : Object.freeze({ ...k }));
  if (list.length > 1) list.sort(byKeyName);
  const out = Object.freeze(list);
  CANONICAL_KEYS.add(out);
  return out;
}

export class InstanceName {
  readonly className: string;
  /** Frozen copies, sorted canonically (case-insensitive by name) at construction. */
  readonly keys: readonly KeyBinding[];
  readonly namespace?: string;
  readonly host?: string;
  #identity?: string;

  constructor(className: string, keys: Iterable<KeyBinding>, namespace?: string, host?: string) {
    this.className = className;
    this.keys = canonicalKeys(keys);
    this.namespace = namespace;
    this.host = host;
  }

  /** Parses any accepted textual form; throws CimError(CIM_ERR_INVALID_PARAMETER) on bad text. */
  static parse(text: string): InstanceName {
    return parsePath(text);
  }

  /** Builds a name from plain key values (string -> string, number/bigint -> numeric, ...). */
  static of(className: string, keys: Record<string, KeyValue>, namespace?: string, host?: string): InstanceName {
    return new InstanceName(
      className,
      Object.entries(keys).map(([name, value]) => ({ name, value, type: keyTypeOf(value) })),
      namespace,
      host,
    );
  }

  key(name: string): KeyValue | undefined {
    return this.keys.find((k) => ciEq(k.name, name))?.value;
  }

  /**
   * A key as an instance path: a reference key as is, a string key holding an object path
   * (as text paths carry association keys) parsed; undefined otherwise.
   */
  referenceKey(name: string): InstanceName | undefined {
    return readReference(this.key(name));
  }

  withLocation(namespace?: string, host?: string): InstanceName {
    return new InstanceName(this.className, this.keys, namespace, host);
  }

  /** `Class.k1="v",k2=3` with no host or namespace. */
  toRelative(): string {
    if (this.keys.length === 0) return `${this.className}=@`;
    return `${this.className}.${this.keys.map(formatKey).join(',')}`;
  }

  /** `\\HOST\ns:Class.k="v"` (WMI) or `//host/ns:Class.k="v"` (WBEM URI); relative parts omitted when absent. */
  toString(style: PathStyle = 'wmi'): string {
    if (style === 'relative') return this.toRelative();
    return prefix(this.host, this.namespace, style) + this.toRelative();
  }

  /** The identity used for maps and equality: class and keys, case-folded names, no location. */
  identity(): string {
    this.#identity ??=
      ciKey(this.className) + '.' + this.keys.map((k) => ciKey(k.name) + '=' + identityOf(k.value)).join(',');
    return this.#identity;
  }

  /** Same instance: class and keybindings equal (names case-insensitive, values exact); host and namespace ignored unless both set. */
  equals(other: InstanceName): boolean {
    if (this.identity() !== other.identity()) return false;
    return sameNamespace(this.namespace, other.namespace);
  }
}

/** Namespaces compare case-insensitively with either separator; an absent one matches any. */
function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return true;
  return ciEq(a.replace(/\\/g, '/'), b.replace(/\\/g, '/'));
}

function keyTypeOf(v: KeyValue): KeyType {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number' || typeof v === 'bigint') return 'numeric';
  return 'reference';
}

function prefix(host: string | undefined, ns: string | undefined, style: 'wmi' | 'wbem'): string {
  const sep = style === 'wmi' ? '\\' : '/';
  const nsText = ns ? ns.replace(/[\\/]/g, sep) : undefined;
  if (!nsText) return ''; // a host without a namespace has no printable form (`//h/:C` does not parse)
  return host ? `${sep}${sep}${host}${sep}${nsText}:` : `${nsText}:`;
}

/** A string key value quoted the canonical way: `"` and `\` escaped with a backslash. */
export function quoteKeyString(s: string): string {
  return '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

function formatKey(k: KeyBinding): string {
  return `${k.name}=${formatKeyValue(k)}`;
}

function formatKeyValue(k: KeyBinding): string {
  const v = k.value;
  if (v instanceof InstanceName) return quoteKeyString(v.toString('wmi'));
  if (k.type === 'string' || typeof v === 'string') return quoteKeyString(String(v));
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

/**
 * Values compare exactly, except: numbers by value (5 and 5n are one key), and a string
 * holding an object path as that path, so a text path matches the typed reference it names.
 */
function identityOf(v: KeyValue): string {
  if (v instanceof InstanceName) return '{' + v.identity() + '}';
  if (typeof v === 'bigint') return 'n:' + v.toString();
  if (typeof v === 'number') return 'n:' + (Number.isInteger(v) ? BigInt(v).toString() : String(v));
  if (typeof v === 'string') {
    const ref = readReference(v);
    return ref ? '{' + ref.identity() + '}' : 's:' + JSON.stringify(v);
  }
  return 'b:' + String(v);
}
