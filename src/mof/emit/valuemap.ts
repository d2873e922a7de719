/**
 * ValueMap / Values qualifiers (DSP0004 5.6.3.55 / 5.6.3.58) turned into what the emitter
 * prints: a literal union of the mapped values and a table of named constants. Entries that
 * are ranges (`"a..b"`, `".."`, `"0x8000.."`) or not integers widen the union to the base type,
 * because any value in the range is legal; their names get no constant.
 * Identifiers come from Values text, sanitised to PascalCase, with collisions resolved by
 * appending the value, so the same MOF always yields the same names.
 */
import type { CIMType } from '../../cim/types.js';
import type { CIMap } from '../../cim/names.js';
import type { Qualifier } from '../../cim/qualifier.js';

export interface NamedValue {
  /** A valid, unique TypeScript identifier. */
  name: string;
  /** The literal as printed: `2`, `32768n`, `"Automatic"`. */
  literal: string;
}

export interface ValueMapInfo {
  /** Literal texts of the union, in ValueMap order, deduplicated. */
  literals: string[];
  /** True when ranges or unparsable entries widen the type to the base type. */
  open: boolean;
  constants: NamedValue[];
}

const INTEGER_TYPES = new Set<CIMType>(['uint8', 'sint8', 'uint16', 'sint16', 'uint32', 'sint32', 'uint64', 'sint64']);
const BIG_TYPES = new Set<CIMType>(['uint64', 'sint64']);

/** Names an object literal must not use as a plain key (they hit Object.prototype). */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf']);

function stringArray(q: Qualifier | undefined): string[] | undefined {
  if (!q || !Array.isArray(q.value)) return undefined;
  return q.value.map((v) => (v == null ? '' : String(v)));
}

/** The ValueMap info of a property, parameter or method, or undefined when it has none usable. */
export function valueMapOf(type: CIMType, qualifiers: CIMap<Qualifier>): ValueMapInfo | undefined {
  const map = stringArray(qualifiers.get('ValueMap'));
  if (!map || map.length === 0) return undefined;
  const isInt = INTEGER_TYPES.has(type);
  const isString = type === 'string' || type === 'char16';
  if (!isInt && !isString) return undefined;
  const names = stringArray(qualifiers.get('Values')) ?? [];
  const literals: string[] = [];
  const pairs: Array<[string, string]> = [];
  let open = false;
  map.forEach((entry, i) => {
    const lit = isInt ? integerLiteral(entry.trim(), BIG_TYPES.has(type)) : JSON.stringify(entry);
    if (lit === undefined) {
      open = true;
      return;
    }
    if (!literals.includes(lit)) literals.push(lit);
    if (names[i]) pairs.push([names[i], lit]);
  });
  return { literals, open, constants: nameConstants(pairs) };
}

/** A decimal (or 0x hex) integer entry as a TS literal; undefined for ranges and junk. */
function integerLiteral(entry: string, big: boolean): string | undefined {
  let n: bigint;
  if (/^[+-]?\d+$/.test(entry)) n = BigInt(entry);
  else if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(entry)) n = entry.startsWith('-') ? -BigInt(entry.slice(1)) : BigInt(entry.replace(/^\+/, ''));
  else return undefined;
  return big ? `${n}n` : String(n);
}

/** Unique identifiers for (Values text, literal) pairs; a repeated name gets `_<value>`. */
export function nameConstants(pairs: Array<[string, string]>): NamedValue[] {
  const base = pairs.map(([text]) => sanitizeIdentifier(text));
  const count = new Map<string, number>();
  for (const b of base) count.set(b, (count.get(b) ?? 0) + 1);
  const used = new Set<string>();
  const out: NamedValue[] = [];
  pairs.forEach(([, literal], i) => {
    let name = base[i];
    if ((count.get(name) ?? 0) > 1) name = `${name}_${literalSuffix(literal)}`;
    while (used.has(name)) name += '_';
    used.add(name);
    out.push({ name, literal });
  });
  return out;
}

function literalSuffix(literal: string): string {
  const s = literal.replace(/n$/, '').replace(/^-/, 'm').replace(/[^A-Za-z0-9_]/g, '_');
  return s.replace(/^"|"$/g, '') || 'empty';
}

/** Display text -> PascalCase identifier: "Enabled but Offline" -> "EnabledButOffline". */
export function sanitizeIdentifier(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0);
  let id = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  if (id === '') id = 'Value';
  if (/^[0-9]/.test(id)) id = '_' + id;
  if (RESERVED.has(id)) id += '_';
  return id;
}
