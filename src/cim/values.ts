/**
 * Values of the CIM types (see types.ts for the TypeScript shape of each): range checks
 * (checkScalar / checkValue), loose conversion of client or provider input (coerceScalar /
 * coerceValue), CIM-XML VALUE text in and out (parseScalar / formatScalar, DSP0201 / DSP0004
 * lexical forms) and value equality. No XML here: embedded objects are checked for shape only
 * and are printed by the cimxml encoder, not by formatScalar.
 * Error rule: a value of the wrong kind (a string where a uint32 belongs) is
 * CIM_ERR_TYPE_MISMATCH; the right kind with a bad value (300 for uint8, bad text) is
 * CIM_ERR_INVALID_PARAMETER. Descriptions name the type and the offending value.
 */
import type { CIMClass } from './class.js';
import { CIMDateTime } from './datetime.js';
import { CimError, type CIMStatusName } from './errors.js';
import { CIMInstance } from './instance.js';
import { ciEq } from './names.js';
import { ClassName, InstanceName, parseObjectName } from './path.js';
import type { CIMIntegerType, CIMScalar, CIMType, CIMTypeSpec, CIMValue } from './types.js';

/** Inclusive bounds of each integer type (DSP0004 5.2). */
export const INTEGER_RANGES: Readonly<Record<CIMIntegerType, readonly [bigint, bigint]>> = Object.freeze({
  uint8: [0n, 0xffn],
  sint8: [-0x80n, 0x7fn],
  uint16: [0n, 0xffffn],
  sint16: [-0x8000n, 0x7fffn],
  uint32: [0n, 0xffffffffn],
  sint32: [-0x80000000n, 0x7fffffffn],
  uint64: [0n, 0xffffffffffffffffn],
  sint64: [-0x8000000000000000n, 0x7fffffffffffffffn],
});

const FLOAT32_MAX = 3.4028234663852886e38;

export function isIntegerType(t: CIMType): t is CIMIntegerType {
  return t in INTEGER_RANGES;
}
export function isRealType(t: CIMType): t is 'real32' | 'real64' {
  return t === 'real32' || t === 'real64';
}
/** uint64 and sint64 are held as bigint, the other integer types as number. */
export function isBigIntType(t: CIMType): t is 'uint64' | 'sint64' {
  return t === 'uint64' || t === 'sint64';
}

type SpecLike = CIMType | CIMTypeSpec;
const specOf = (s: SpecLike): CIMTypeSpec => (typeof s === 'string' ? { type: s, isArray: false } : s);

function mismatch(type: CIMType, v: unknown, why = ''): never {
  throw new CimError('CIM_ERR_TYPE_MISMATCH', `value ${show(v)} is not a ${type}${why ? ': ' + why : ''}`);
}
function invalid(type: CIMType, v: unknown, why: string): never {
  throw new CimError('CIM_ERR_INVALID_PARAMETER', `bad ${type} value ${show(v)}: ${why}`);
}
function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? v.slice(0, 80) + '...' : v);
  if (v instanceof CIMDateTime || v instanceof InstanceName || v instanceof ClassName) return v.toString();
  if (Array.isArray(v)) return 'an array';
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return `a ${v.constructor?.name ?? 'object'}`;
  return String(v);
}

export function isCIMClass(v: unknown): v is CIMClass {
  return typeof v === 'object' && v !== null && !(v instanceof CIMInstance) && 'methods' in v && 'properties' in v && 'name' in v;
}

// ---------------------------------------------------------------- checks

/** Throws unless v is a valid non-NULL scalar of the spec's type. */
export function checkScalar(spec: SpecLike, v: CIMScalar): void {
  const { type, embedded } = specOf(spec);
  if (isIntegerType(type)) return checkInteger(type, v);
  switch (type) {
    case 'boolean':
      if (typeof v !== 'boolean') mismatch(type, v);
      return;
    case 'string':
      if (embedded && (v instanceof CIMInstance || (embedded === 'object' && isCIMClass(v)))) return;
      if (typeof v !== 'string') mismatch(type, v, embedded ? `expected an embedded ${embedded}` : '');
      return checkXmlText(type, v);
    case 'char16':
      if (typeof v !== 'string') mismatch(type, v);
      return checkChar16(v);
    case 'datetime':
      if (!(v instanceof CIMDateTime)) mismatch(type, v);
      return;
    case 'real32':
    case 'real64':
      if (typeof v !== 'number') mismatch(type, v);
      if (type === 'real32' && Number.isFinite(v) && Math.abs(v) > FLOAT32_MAX) invalid(type, v, 'out of the real32 range');
      return;
    case 'reference':
      if (!(v instanceof InstanceName) && !(v instanceof ClassName)) mismatch(type, v);
      return;
  }
}

function checkInteger(type: CIMIntegerType, v: CIMScalar): void {
  if (isBigIntType(type)) {
    if (typeof v !== 'bigint') mismatch(type, v, 'expected a bigint');
  } else if (typeof v !== 'number') mismatch(type, v);
  else if (!Number.isInteger(v)) invalid(type, v, 'not an integer');
  const [lo, hi] = INTEGER_RANGES[type];
  const b = BigInt(v as number | bigint);
  if (b < lo || b > hi) invalid(type, v, `out of range ${lo}..${hi}`);
}

/** XML 1.0 Char production: what a CIM-XML VALUE can carry. */
const XML_BAD = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkXmlText(type: CIMType, s: string): void {
  const m = XML_BAD.exec(s);
  if (m) invalid(type, s, `character U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at index ${m.index} cannot be carried in CIM-XML`);
}

/** DSP0004 5.2: char16 is one UCS-2 character, so one UTF-16 unit that is not a surrogate. */
function checkChar16(s: string): void {
  if (s.length !== 1) invalid('char16', s, `expected exactly one UTF-16 unit, got ${s.length}`);
  const c = s.charCodeAt(0);
  if (c >= 0xd800 && c <= 0xdfff) invalid('char16', s, 'a lone surrogate is not a character');
  checkXmlText('char16', s);
}

/** Throws unless v (NULL, scalar or array as the spec says) fits the spec. */
export function checkValue(spec: CIMTypeSpec, v: CIMValue): void {
  if (v === null) return;
  if (!spec.isArray) {
    if (Array.isArray(v)) mismatch(spec.type, v, 'an array given for a scalar');
    return checkScalar(spec, v);
  }
  if (!Array.isArray(v)) mismatch(spec.type, v, `expected an array of ${spec.type}`);
  // DSP0004 7.9.2: a fixed-size array always has its declared number of elements
  if (spec.arraySize !== undefined && v.length !== spec.arraySize)
    invalid(spec.type, v, `fixed-size array needs ${spec.arraySize} elements, got ${v.length}`);
  v.forEach((e, i) => {
    if (e === null) return;
    try {
      checkScalar(spec, e);
    } catch (err) {
      throw err instanceof CimError ? elementError(err, i) : err;
    }
  });
}

function elementError(err: CimError, i: number): CimError {
  return new CimError(err.statusName as CIMStatusName, `array element ${i}: ${err.description}`);
}

// ---------------------------------------------------------------- text (DSP0201 VALUE)

const DEC = /^([+-]?)([0-9]+)$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]+)$/;
const REAL = /^[+-]?([0-9]+(\.[0-9]+)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** Reads CIM-XML VALUE text as a scalar of the given type; CimError(CIM_ERR_INVALID_PARAMETER) when bad. */
export function parseScalar(type: CIMType, text: string): CIMScalar {
  if (typeof text !== 'string') mismatch(type, text, 'expected VALUE text');
  if (isIntegerType(type)) return parseInteger(type, text);
  switch (type) {
    case 'boolean': {
      const t = text.trim().toUpperCase(); // DSP0201: TRUE / FALSE, any case
      if (t === 'TRUE') return true;
      if (t === 'FALSE') return false;
      return invalid(type, text, 'expected TRUE or FALSE');
    }
    case 'string':
      checkXmlText(type, text);
      return text;
    case 'char16':
      checkChar16(text);
      return text;
    case 'datetime':
      return CIMDateTime.parse(text.trim());
    case 'real32':
    case 'real64':
      return parseReal(type, text);
    case 'reference':
      return parseObjectName(text); // an instance path, or a class path for class-level references
  }
}

function parseInteger(type: CIMIntegerType, text: string): number | bigint {
  const t = text.trim();
  const dec = DEC.exec(t);
  const m = dec ?? HEX.exec(t); // DSP0201 / DSP0004 7.6.1: decimal or 0x hex
  if (!m) return invalid(type, text, 'expected a decimal or 0x-hex integer');
  if (m[1] === '-' && type.startsWith('u')) invalid(type, text, 'an unsigned type takes no minus sign');
  let b = BigInt(dec ? m[2] : '0x' + m[2]);
  if (m[1] === '-') b = -b;
  const [lo, hi] = INTEGER_RANGES[type];
  if (b < lo || b > hi) invalid(type, text, `out of range ${lo}..${hi}`);
  return isBigIntType(type) ? b : Number(b);
}

function parseReal(type: 'real32' | 'real64', text: string): number {
  const t = text.trim();
  let v: number;
  if (/^[+]?INF(INITY)?$/i.test(t)) v = Infinity;
  else if (/^-INF(INITY)?$/i.test(t)) v = -Infinity;
  else if (/^NaN$/i.test(t)) v = NaN;
  else if (REAL.test(t)) {
    v = Number(t);
    if (!Number.isFinite(v)) invalid(type, text, `out of the ${type} range`);
  } else return invalid(type, text, 'expected a decimal or exponent real, INF, -INF or NaN');
  if (type === 'real64') return v;
  const f = Math.fround(v); // held as the nearest float32
  if (Number.isFinite(v) && !Number.isFinite(f)) invalid(type, text, 'out of the real32 range');
  return f;
}

/** The canonical CIM-XML text of a scalar (TRUE/FALSE, decimal integers, shortest reals). */
export function formatScalar(type: CIMType, v: CIMScalar): string {
  checkScalar(type === 'string' ? { type, isArray: false } : type, v);
  switch (type) {
    case 'boolean':
      return v ? 'TRUE' : 'FALSE';
    case 'real32':
      return formatReal(v as number, true);
    case 'real64':
      return formatReal(v as number, false);
    case 'reference':
      return (v as InstanceName | ClassName).toString('wmi');
    default:
      return String(v); // integers (number or bigint), string, char16, datetime text
  }
}

function formatReal(v: number, float32: boolean): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'INF';
  if (v === -Infinity) return '-INF';
  if (Object.is(v, -0)) return '-0.0';
  if (!float32) return jsNumberText(v);
  const f = Math.fround(v);
  for (let p = 1; p < 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return jsNumberText(candidate);
  }
  return jsNumberText(Number(f.toPrecision(9)));
}

/** JS shortest round-trip text in DSP0201 realValue shape: a digit after a point, `E` exponent (`1.0E+21`). */
function jsNumberText(v: number): string {
  const [mant, exp] = String(v).split('e');
  return (mant.includes('.') ? mant : mant + '.0') + (exp ? 'E' + exp : '');
}

// ---------------------------------------------------------------- loose input

/**
 * Converts loose input (query literals, untyped method parameters, provider shortcuts) to a
 * scalar of the type, then range-checks it: "5" -> 5 for uint32, "true" -> true, 7 -> 7n for
 * uint64, text -> CIMDateTime or InstanceName, an InstanceName -> its path text for a string.
 */
export function coerceScalar(type: CIMType, v: unknown): CIMScalar {
  if (v === null || v === undefined) mismatch(type, v, 'NULL is not a scalar');
  const out = convert(type, v);
  checkScalar({ type, isArray: false, embedded: v instanceof CIMInstance ? 'instance' : undefined }, out);
  return out;
}

function convert(type: CIMType, v: unknown): CIMScalar {
  if (isIntegerType(type)) return convertInteger(type, v);
  switch (type) {
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') return parseScalar(type, v === '1' ? 'TRUE' : v === '0' ? 'FALSE' : v);
      if (v === 0 || v === 1 || v === 0n || v === 1n) return Number(v) === 1; // WMI: TRUE = 1, FALSE = 0
      return mismatch(type, v);
    case 'string':
      if (typeof v === 'string' || v instanceof CIMInstance) return v;
      if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
      if (typeof v === 'number' || typeof v === 'bigint') return String(v);
      if (v instanceof CIMDateTime) return v.text;
      if (v instanceof InstanceName || v instanceof ClassName) return v.toString('wmi');
      return mismatch(type, v);
    case 'char16':
      if (typeof v === 'string') return v;
      return mismatch(type, v);
    case 'datetime':
      if (v instanceof CIMDateTime) return v;
      if (typeof v === 'string') return CIMDateTime.parse(v.trim());
      if (v instanceof Date) return CIMDateTime.fromDate(v);
      return mismatch(type, v);
    case 'real32':
    case 'real64':
      if (typeof v === 'number') return type === 'real32' && Number.isFinite(v) && Math.abs(v) <= FLOAT32_MAX ? Math.fround(v) : v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'string') return parseScalar(type, v);
      return mismatch(type, v);
    case 'reference':
      if (v instanceof InstanceName || v instanceof ClassName) return v;
      if (typeof v === 'string') return parseObjectName(v);
      return mismatch(type, v);
  }
}

function convertInteger(type: CIMIntegerType, v: unknown): number | bigint {
  if (typeof v === 'string') return parseInteger(type, v);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) invalid(type, v, 'not an integer');
    return isBigIntType(type) ? BigInt(v) : v;
  }
  if (typeof v === 'bigint') {
    const [lo, hi] = INTEGER_RANGES[type];
    if (v < lo || v > hi) invalid(type, v, `out of range ${lo}..${hi}`);
    return isBigIntType(type) ? v : Number(v);
  }
  return mismatch(type, v);
}

/** coerceScalar over a whole value: NULL stays NULL, arrays element by element. */
export function coerceValue(spec: CIMTypeSpec, v: unknown): CIMValue {
  if (v === null || v === undefined) return null;
  if (!spec.isArray) {
    if (Array.isArray(v)) mismatch(spec.type, v, 'an array given for a scalar');
    const out = coerceScalar(spec.type, v);
    checkValue(spec, out);
    return out;
  }
  if (!Array.isArray(v)) mismatch(spec.type, v, `expected an array of ${spec.type}`);
  const out = v.map((e, i) => {
    if (e === null || e === undefined) return null;
    try {
      return coerceScalar(spec.type, e);
    } catch (err) {
      throw err instanceof CimError ? elementError(err, i) : err;
    }
  });
  checkValue(spec, out);
  return out;
}

// ---------------------------------------------------------------- equality

/**
 * Value equality: NULLs equal, arrays element-wise, integers by value (5 equals 5n), NaN
 * equals NaN (a value is unchanged when rewritten), datetimes by text, paths by identity,
 * strings exactly, embedded instances by class and property values.
 */
export function valuesEqual(a: CIMValue | undefined, b: CIMValue | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((e, i) => valuesEqual(e, b[i]));
  }
  return scalarsEqual(a, b);
}

function scalarsEqual(a: CIMScalar, b: CIMScalar): boolean {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
    // one bigint: equal only when the number is an integer of the same value
    if (typeof a === 'number' && !Number.isInteger(a)) return false;
    if (typeof b === 'number' && !Number.isInteger(b)) return false;
    return BigInt(a) === BigInt(b);
  }
  if (a instanceof CIMDateTime) return b instanceof CIMDateTime && a.equals(b);
  if (a instanceof InstanceName) return b instanceof InstanceName && a.equals(b);
  if (a instanceof ClassName) return b instanceof ClassName && a.equals(b);
  if (a instanceof CIMInstance) return b instanceof CIMInstance && instancesEqual(a, b);
  return a === b;
}

function instancesEqual(a: CIMInstance, b: CIMInstance): boolean {
  if (!ciEq(a.className, b.className) || a.properties.size !== b.properties.size) return false;
  for (const [name, p] of a.properties) {
    const q = b.properties.get(name);
    if (!q || !valuesEqual(p.value, q.value)) return false;
  }
  return true;
}
