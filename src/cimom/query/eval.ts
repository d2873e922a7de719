/**
 * Evaluates WHERE / filter expressions over normalised instances with WMI's rules
 * (hyperv-v1-networking.md 10): three-valued logic (a NULL property never matches, `= NULL`
 * means IS NULL), the literal converted to the property's type (quoted numbers and booleans,
 * TRUE = 1), string comparisons and LIKE case-insensitive (case-sensitive for DMTF:CQL),
 * references compared to path text of any form (WMI, WBEM URI, relative, single quotes),
 * array properties matching when any element does, and the system properties __PATH,
 * __RELPATH, __CLASS, __NAMESPACE and __SERVER.
 */
import type { CIMClass } from '../../cim/class.js';
import { CIMDateTime } from '../../cim/datetime.js';
import { CimError } from '../../cim/errors.js';
import { CIMInstance } from '../../cim/instance.js';
import { ciEq } from '../../cim/names.js';
import { ClassName, InstanceName, parseObjectName } from '../../cim/path.js';
import type { CIMScalar, CIMType, CIMValue } from '../../cim/types.js';
import type { CmpOp, Expr, Operand } from './parse.js';

export interface Row {
  inst: CIMInstance & { path: InstanceName };
  cls: CIMClass;
  ns: string;
}

export interface EvalEnv {
  isSubclassOf(sub: string, sup: string): boolean;
  caseSensitive: boolean;
}

interface Val {
  v: CIMValue;
  /** The property's type; undefined for literals. */
  type?: CIMType;
  nullLiteral?: boolean;
}

const SYSTEM = ['__PATH', '__RELPATH', '__CLASS', '__NAMESPACE', '__SERVER', '__THIS'];

export function isSystemProperty(name: string): boolean {
  return SYSTEM.some((s) => ciEq(s, name));
}

/** Checks every property an expression names against the class; CIM_ERR_INVALID_QUERY with the position. */
export function checkExpr(e: Expr, cls: CIMClass, classExists: (n: string) => boolean, what = 'query'): void {
  const op = (o: Operand) => {
    if (o.k === 'prop' && !isSystemProperty(o.name) && !cls.properties.has(o.name)) {
      throw new CimError('CIM_ERR_INVALID_QUERY', `${what}: class ${cls.name} has no property ${o.name} (at position ${o.pos + 1})`);
    }
  };
  switch (e.k) {
    case 'and':
    case 'or':
      checkExpr(e.a, cls, classExists, what);
      checkExpr(e.b, cls, classExists, what);
      return;
    case 'not':
      return checkExpr(e.e, cls, classExists, what);
    case 'cmp':
      op(e.l);
      op(e.r);
      return;
    case 'like':
      return op(e.l);
    case 'isnull':
      return op(e.o);
    case 'isa':
      op(e.o);
      if (!classExists(e.cls)) throw new CimError('CIM_ERR_INVALID_QUERY', `${what}: ISA names unknown class ${e.cls} (at position ${e.pos + 1})`);
  }
}

/** True only when the expression is TRUE for the row (UNKNOWN does not match). */
export function matches(e: Expr, row: Row, env: EvalEnv): boolean {
  return evaluate(e, row, env) === true;
}

function evaluate(e: Expr, row: Row, env: EvalEnv): boolean | null {
  switch (e.k) {
    case 'and': {
      const a = evaluate(e.a, row, env);
      if (a === false) return false;
      const b = evaluate(e.b, row, env);
      return b === false ? false : a === null || b === null ? null : true;
    }
    case 'or': {
      const a = evaluate(e.a, row, env);
      if (a === true) return true;
      const b = evaluate(e.b, row, env);
      return b === true ? true : a === null || b === null ? null : false;
    }
    case 'not': {
      const a = evaluate(e.e, row, env);
      return a === null ? null : !a;
    }
    case 'isnull': {
      const v = operand(e.o, row).v;
      return (v === null) !== e.neg;
    }
    case 'like':
      return like(operand(e.l, row), String((e.pattern as { v: string }).v), e.neg, env);
    case 'isa':
      return isa(e.o, row, e.cls, env);
    case 'cmp':
      return compare(e.op, operand(e.l, row), operand(e.r, row), env);
  }
}

function operand(o: Operand, row: Row): Val {
  if (o.k === 'lit') return { v: o.v, nullLiteral: o.v === null };
  const u = o.name.toUpperCase();
  if (u.startsWith('__')) {
    switch (u) {
      case '__PATH':
        return { v: row.inst.path, type: 'reference' };
      case '__RELPATH':
        return { v: row.inst.path.toRelative(), type: 'string' };
      case '__CLASS':
        return { v: row.inst.className, type: 'string' };
      case '__NAMESPACE':
        return { v: row.ns, type: 'string' };
      case '__SERVER':
        return { v: row.inst.path.host ?? null, type: 'string' };
    }
  }
  const pv = row.inst.properties.get(o.name);
  const decl = row.cls.properties.get(o.name);
  return { v: pv?.value ?? null, type: pv?.type ?? decl?.type ?? 'string' };
}

function anyOf(v: CIMValue, f: (s: CIMScalar) => boolean | null): boolean | null {
  if (!Array.isArray(v)) return f(v as CIMScalar);
  let unknown = false;
  for (const e of v) {
    if (e === null) {
      unknown = true;
      continue;
    }
    const r = f(e);
    if (r === true) return true;
    if (r === null) unknown = true;
  }
  return unknown ? null : false;
}

function compare(op: CmpOp, l: Val, r: Val, env: EvalEnv): boolean | null {
  // WMI: `= NULL` / `<> NULL` as IS [NOT] NULL (Microsoft samples use `OtherResourceType = null`).
  if (r.nullLiteral || l.nullLiteral) {
    const other = r.nullLiteral ? l : r;
    if (op === '=') return other.v === null;
    if (op === '<>') return other.v !== null;
    return null;
  }
  if (l.v === null || r.v === null) return null;
  const type = l.type ?? r.type;
  return anyOf(l.v, (a) => anyOf(r.v, (b) => apply(op, order(type, a, b, env))));
}

function apply(op: CmpOp, ord: number | null | 'ne'): boolean | null {
  if (ord === 'ne') return op === '<>' ? true : op === '=' ? false : null;
  if (ord === null) return op === '=' ? false : op === '<>' ? true : null;
  switch (op) {
    case '=':
      return ord === 0;
    case '<>':
      return ord !== 0;
    case '<':
      return ord < 0;
    case '<=':
      return ord <= 0;
    case '>':
      return ord > 0;
    case '>=':
      return ord >= 0;
  }
}

/** Sign of a-b in the domain of `type` (the property side); null when not comparable, 'ne' when only unequal. */
function order(type: CIMType | undefined, a: CIMScalar, b: CIMScalar, env: EvalEnv): number | null | 'ne' {
  if (!type) type = typeof a === 'number' || typeof a === 'bigint' ? 'real64' : typeof a === 'boolean' ? 'boolean' : 'string';
  switch (type) {
    case 'boolean': {
      const x = toBool(a);
      const y = toBool(b);
      if (x === null || y === null) return null;
      return x === y ? 0 : 'ne';
    }
    case 'reference': {
      const x = toPath(a);
      const y = toPath(b);
      if (!x || !y) return null;
      return samePath(x, y, env) ? 0 : 'ne';
    }
    case 'datetime': {
      const x = toDateTime(a);
      const y = toDateTime(b);
      if (!x || !y) return null;
      try {
        return Math.sign(x.compare(y));
      } catch {
        return null; // a timestamp against an interval
      }
    }
    case 'string':
    case 'char16': {
      let x = toStr(a);
      let y = toStr(b);
      if (x === null || y === null) return null;
      if (!env.caseSensitive) {
        x = x.toLowerCase();
        y = y.toLowerCase();
      }
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default: {
      const x = toNum(a);
      const y = toNum(b);
      if (x === null || y === null) return null;
      if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
      const nx = Number(x);
      const ny = Number(y);
      return nx < ny ? -1 : nx > ny ? 1 : nx === ny ? 0 : null;
    }
  }
}

function toDateTime(v: CIMScalar): CIMDateTime | null {
  if (v instanceof CIMDateTime) return v;
  if (typeof v !== 'string') return null;
  try {
    return CIMDateTime.parse(v.trim());
  } catch {
    return null;
  }
}

function toBool(v: CIMScalar): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v) === 1 ? true : Number(v) === 0 ? false : null;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    return s === 'true' || s === '1' ? true : s === 'false' || s === '0' ? false : null;
  }
  return null;
}

function toNum(v: CIMScalar): number | bigint | null {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?[0-9]+$/.test(s)) return BigInt(s);
    if (/^[+-]?0x[0-9a-f]+$/i.test(s)) return BigInt(s.replace(/^[+-]/, '')) * (s.startsWith('-') ? -1n : 1n);
    if (/^[+-]?([0-9]*\.[0-9]+|[0-9]+\.?)([eE][+-]?[0-9]+)?$/.test(s)) return Number(s);
  }
  return null;
}

function toStr(v: CIMScalar): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof CIMDateTime) return v.text;
  if (v instanceof InstanceName) return v.toString('wmi');
  if (v instanceof ClassName) return v.toString('wbem');
  return null;
}

function toPath(v: CIMScalar): InstanceName | ClassName | null {
  if (v instanceof InstanceName || v instanceof ClassName) return v;
  if (typeof v === 'string') {
    try {
      return parseObjectName(v.trim());
    } catch {
      return null;
    }
  }
  return null;
}

/** Same object: keys equal and classes related; host and namespace ignored unless both given and different. */
function samePath(a: InstanceName | ClassName, b: InstanceName | ClassName, env: EvalEnv): boolean {
  if (a instanceof ClassName || b instanceof ClassName) {
    return a instanceof ClassName && b instanceof ClassName && ciEq(a.className, b.className);
  }
  if (a.equals(b)) return true;
  const ka = a.identity().slice(a.identity().indexOf('.'));
  const kb = b.identity().slice(b.identity().indexOf('.'));
  if (ka !== kb) return false;
  if (a.namespace && b.namespace && !ciEq(a.namespace.replace(/\\/g, '/'), b.namespace.replace(/\\/g, '/'))) return false;
  return env.isSubclassOf(a.className, b.className) || env.isSubclassOf(b.className, a.className);
}

/** WQL LIKE: % any run, _ one character, [abc] [a-z] [^a] sets; everything else literal. */
export function likeRegExp(pattern: string, caseSensitive: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      const neg = body.startsWith('^');
      if (neg) body = body.slice(1);
      re += '[' + (neg ? '^' : '') + body.replace(/[\\\]]/g, '\\$&') + ']';
      i = end;
    } else re += c.replace(/[.*+?^${}()|\\\]/]/g, '\\$&');
  }
  return new RegExp('^' + re + '$', caseSensitive ? 'u' : 'iu');
}

function like(l: Val, pattern: string, neg: boolean, env: EvalEnv): boolean | null {
  if (l.v === null) return null;
  const re = likeRegExp(pattern, env.caseSensitive);
  const r = anyOf(l.v, (s) => {
    const str = toStr(s);
    return str === null ? null : re.test(str);
  });
  return r === null ? null : r !== neg;
}

function isa(o: Operand, row: Row, cls: string, env: EvalEnv): boolean | null {
  if (o.k === 'prop' && (ciEq(o.name, '__THIS') || ciEq(o.name, '__CLASS') || ciEq(o.name, '__PATH'))) {
    return env.isSubclassOf(row.inst.className, cls);
  }
  const v = operand(o, row).v;
  if (v === null) return null;
  return anyOf(v, (s) => {
    if (s instanceof CIMInstance) return env.isSubclassOf(s.className, cls);
    const p = toPath(s);
    return p ? env.isSubclassOf(p.className, cls) : false;
  });
}
