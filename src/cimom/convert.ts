/**
 * Converts values that arrive from clients or providers to the declared type of a property,
 * parameter or key: text to numbers/booleans/datetimes/paths, number <-> bigint for 64-bit
 * integers, range checks, embedded-instance text through an injected decoder (the XML
 * parser lives in cimxml, which the cimom must not import). Failures are CimErrors naming
 * the element (`property X`, `parameter Y`) so the client learns which value was wrong.
 */
import type { CIMClass } from '../cim/class.js';
import { CIMDateTime } from '../cim/datetime.js';
import { CimError } from '../cim/errors.js';
import { CIMInstance } from '../cim/instance.js';
import { ClassName, InstanceName, parseObjectName } from '../cim/path.js';
import type { CIMScalar, CIMType, CIMTypeSpec, CIMValue } from '../cim/types.js';

/** Parses the text of an embedded object (`<INSTANCE ...>` or `<CLASS ...>`); injected by main. */
export type EmbeddedDecoder = (text: string) => CIMInstance | CIMClass;

const RANGES: Record<string, [bigint, bigint]> = {
  uint8: [0n, 255n], sint8: [-128n, 127n], uint16: [0n, 65535n], sint16: [-32768n, 32767n],
  uint32: [0n, 4294967295n], sint32: [-2147483648n, 2147483647n],
  uint64: [0n, 18446744073709551615n], sint64: [-9223372036854775808n, 9223372036854775807n],
};

export function isIntegerType(t: CIMType): boolean {
  return t in RANGES;
}

function bad(where: string, why: string): never {
  throw new CimError('CIM_ERR_INVALID_PARAMETER', `${where}: ${why}`);
}

/**
 * Returns `value` converted to `spec` (a new array for arrays); NULL stays NULL.
 * `where` names the element for error messages.
 */
export function coerceValue(value: CIMValue | undefined, spec: CIMTypeSpec, where: string, decode?: EmbeddedDecoder): CIMValue {
  if (value === null || value === undefined) return null;
  if (spec.isArray) {
    const arr = Array.isArray(value) ? value : typeof value === 'string' && value === '' ? [] : null;
    if (!arr) bad(where, `expected an array of ${spec.type}`);
    if (spec.arraySize !== undefined && arr.length > spec.arraySize) bad(where, `at most ${spec.arraySize} elements allowed`);
    return arr.map((v, i) => (v === null ? null : coerceScalar(v, spec, `${where}[${i}]`, decode)));
  }
  if (Array.isArray(value)) bad(where, `expected a single ${spec.type}, got an array`);
  return coerceScalar(value, spec, where, decode);
}

export function coerceScalar(v: CIMScalar, spec: CIMTypeSpec, where: string, decode?: EmbeddedDecoder): CIMScalar {
  const t = spec.type;
  switch (t) {
    case 'boolean':
      return toBoolean(v, where);
    case 'string':
      if (spec.embedded) return toEmbedded(v, spec.embedded, where, decode);
      if (typeof v === 'string') return v;
      if (v instanceof CIMInstance) return v;
      if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
      if (v instanceof InstanceName || v instanceof ClassName || v instanceof CIMDateTime) return v.toString();
      return bad(where, 'expected a string');
    case 'char16':
      if (typeof v !== 'string' || [...v].length !== 1) bad(where, 'expected exactly one character (char16)');
      return v;
    case 'datetime':
      if (v instanceof CIMDateTime) return v;
      if (typeof v === 'string') {
        try {
          return CIMDateTime.parse(v.trim());
        } catch {
          return bad(where, `bad datetime ${JSON.stringify(v)}`);
        }
      }
      return bad(where, 'expected a datetime');
    case 'real32':
    case 'real64':
      return toReal(v, where);
    case 'reference':
      return toReference(v, where);
    default:
      return toInteger(v, t, where);
  }
}

function toBoolean(v: CIMScalar, where: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return bad(where, `expected TRUE or FALSE, got ${JSON.stringify(String(v))}`);
}

function toInteger(v: CIMScalar, t: CIMType, where: string): number | bigint {
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number') {
    if (!Number.isInteger(v)) bad(where, `expected an integer (${t}), got ${v}`);
    n = BigInt(v);
  } else if (typeof v === 'string') {
    const s = v.trim();
    const m = /^([+-]?)(0x[0-9a-f]+|[0-9]+)$/i.exec(s);
    if (!m) bad(where, `expected an integer (${t}), got ${JSON.stringify(v)}`);
    n = BigInt(m[2]) * (m[1] === '-' ? -1n : 1n);
  } else return bad(where, `expected an integer (${t})`);
  const [lo, hi] = RANGES[t];
  if (n < lo || n > hi) bad(where, `${n} is out of range for ${t}`);
  return t === 'uint64' || t === 'sint64' ? n : Number(n);
}

function toReal(v: CIMScalar, where: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^inf$/i.test(s)) return Infinity;
    if (/^-inf$/i.test(s)) return -Infinity;
    if (/^nan$/i.test(s)) return NaN;
    if (/^[+-]?([0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?)$/.test(s)) return Number(s);
  }
  return bad(where, `expected a real number, got ${JSON.stringify(String(v))}`);
}

function toReference(v: CIMScalar, where: string): InstanceName | ClassName {
  if (v instanceof InstanceName || v instanceof ClassName) return v;
  if (typeof v === 'string') {
    try {
      return parseObjectName(v.trim());
    } catch (e) {
      return bad(where, `expected an object path: ${(e as Error).message}`);
    }
  }
  return bad(where, 'expected a reference');
}

function toEmbedded(v: CIMScalar, kind: 'object' | 'instance', where: string, decode?: EmbeddedDecoder): CIMScalar {
  if (v instanceof CIMInstance) return v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (!s.startsWith('<')) bad(where, 'expected an embedded instance (<INSTANCE ...>)');
    if (!decode) bad(where, 'embedded object text cannot be decoded here');
    let obj: CIMInstance | CIMClass;
    try {
      obj = decode(s);
    } catch (e) {
      return bad(where, `bad embedded ${kind}: ${(e as Error).message}`);
    }
    if (kind === 'instance' && !(obj instanceof CIMInstance)) bad(where, 'expected an embedded instance, got a class');
    return obj;
  }
  if (kind === 'object' && typeof v === 'object' && v !== null && 'methods' in v) return v;
  return bad(where, `expected an embedded ${kind}`);
}
