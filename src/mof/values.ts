/**
 * Typing of MOF literals (mof-language.md 1.1, 4): an untyped literal from the parser becomes
 * a CIM value of the declared type, or a diagnostic. Integers are range-checked against the
 * target type; 64-bit integers stay bigint, narrower ones become number. Aliases are left to
 * the caller (only instance reference values may use them).
 */
import type { Literal, ValueNode } from './ast.js';
import { MOF, type MofCode } from './diagnostics.js';
import { CIMDateTime, InstanceName, type CIMScalar, type CIMType, type CIMValue } from '../cim/index.js';

export type ValueReport = (at: number, code: MofCode, message: string) => void;

const INT_RANGES: Record<string, [bigint, bigint]> = {
  uint8: [0n, 255n], sint8: [-128n, 127n],
  uint16: [0n, 65535n], sint16: [-32768n, 32767n],
  uint32: [0n, 4294967295n], sint32: [-2147483648n, 2147483647n],
  uint64: [0n, 18446744073709551615n], sint64: [-9223372036854775808n, 9223372036854775807n],
};

const REAL32_MAX = 3.4028234663852886e38;

/** Sentinel for "error already reported". */
export const BAD = Symbol('bad value');

function describe(l: Literal): string {
  switch (l.k) {
    case 'int': return `integer ${l.v}`;
    case 'real': return `real ${l.v}`;
    case 'str': return 'a string';
    case 'char': return 'a char16';
    case 'bool': return `boolean ${l.v}`;
    case 'null': return 'null';
    case 'alias': return `alias $${l.name}`;
  }
}

function mismatch(l: Literal, type: CIMType, report: ValueReport, what: string): typeof BAD {
  report(l.at, MOF.VALUE_TYPE, `${what}: ${describe(l)} is not a valid ${type} value`);
  return BAD;
}

/** Types one scalar literal; `null` literal gives null. Reports and returns BAD on mismatch. */
export function typeScalar(l: Literal, type: CIMType, report: ValueReport, what: string): CIMScalar | null | typeof BAD {
  if (l.k === 'null') return null;
  switch (type) {
    case 'boolean':
      return l.k === 'bool' ? l.v : mismatch(l, type, report, what);
    case 'string':
      return l.k === 'str' ? l.v : mismatch(l, type, report, what);
    case 'char16':
      if (l.k === 'char') return l.v;
      if (l.k === 'str' && l.v.length === 1) return l.v;
      return mismatch(l, type, report, what);
    case 'datetime':
      if (l.k !== 'str') return mismatch(l, type, report, what);
      try {
        return CIMDateTime.parse(l.v);
      } catch {
        report(l.at, MOF.BAD_DATETIME, `${what}: ${JSON.stringify(l.v)} is not a CIM datetime value`);
        return BAD;
      }
    case 'real32':
    case 'real64': {
      if (l.k !== 'int' && l.k !== 'real') return mismatch(l, type, report, what);
      const v = Number(l.v);
      if (type === 'real32' && Math.abs(v) > REAL32_MAX) {
        report(l.at, MOF.OUT_OF_RANGE, `${what}: ${v} is out of range for real32`);
        return BAD;
      }
      return v;
    }
    case 'reference':
      if (l.k !== 'str') return mismatch(l, type, report, what);
      try {
        return InstanceName.parse(l.v);
      } catch {
        report(l.at, MOF.BAD_REFERENCE, `${what}: ${JSON.stringify(l.v)} is not an object path`);
        return BAD;
      }
    default: {
      const range = INT_RANGES[type];
      if (l.k !== 'int') return mismatch(l, type, report, what);
      if (l.v < range[0] || l.v > range[1]) {
        report(l.at, MOF.OUT_OF_RANGE, `${what}: ${l.v} is out of range for ${type}`);
        return BAD;
      }
      return type === 'uint64' || type === 'sint64' ? l.v : Number(l.v);
    }
  }
}

/**
 * Types a value for a declared shape. `lenientScalarForArray` wraps a scalar given for an
 * array (qualifier values only). Returns BAD after reporting.
 */
export function typeValue(
  v: ValueNode, type: CIMType, isArray: boolean, arraySize: number | undefined,
  report: ValueReport, what: string, lenientScalarForArray = false,
): CIMValue | typeof BAD {
  if (v.k === 'null') return null;
  if (v.k === 'array') {
    if (!isArray) {
      report(v.at, MOF.ARRAY_FOR_SCALAR, `${what}: an array value is given for a scalar`);
      return BAD;
    }
    if (arraySize !== undefined && v.items.length > arraySize) {
      report(v.at, MOF.ARRAY_SIZE, `${what}: ${v.items.length} elements for an array of size ${arraySize}`);
      return BAD;
    }
    const out: (CIMScalar | null)[] = new Array(v.items.length);
    let bad = false;
    for (let i = 0; i < v.items.length; i++) {
      const e = typeScalar(v.items[i], type, report, what);
      if (e === BAD) bad = true;
      else out[i] = e;
    }
    return bad ? BAD : out;
  }
  if (isArray && !lenientScalarForArray) {
    report(v.at, MOF.SCALAR_FOR_ARRAY, `${what}: a scalar value is given for an array`);
    return BAD;
  }
  const s = typeScalar(v, type, report, what);
  if (s === BAD) return BAD;
  return isArray ? [s] : s;
}

/** Structural equality of two CIM values (for DisableOverride checks). */
export function sameValue(a: CIMValue | undefined, b: CIMValue | undefined): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object') return String(a) === String(b);
  return false;
}
