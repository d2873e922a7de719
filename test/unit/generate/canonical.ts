/**
 * A plain, comparable form of src/cim objects: CIMaps become [name, value] lists (order and
 * spelling kept), class instances are tagged with their constructor, undefined fields drop
 * out. Two objects are "the same CIMClass" when their canonical forms are deep-equal.
 */
import { CIMap } from '../../../src/cim/names.js';

export function canonical(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof CIMap) return { $map: [...v.entries()].map(([k, x]) => [k, canonical(x)]) };
  if (Array.isArray(v)) return v.map(canonical);
  const out: Record<string, unknown> = {};
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) out.$class = proto.constructor.name;
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = canonical(x);
  }
  return out;
}
