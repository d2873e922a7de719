/**
 * Instances to and from JSON text with their types kept: each property stores its declared
 * shape (type, array, refClass, embedded) and values tag what JSON cannot say (bigint,
 * datetime, references with nested keys, embedded instances, non-finite reals), so an
 * instance read back is equal to the one written.
 */
import { CIMDateTime } from '../cim/datetime.js';
import { CIMInstance, type PropertyValue } from '../cim/instance.js';
import { ClassName, InstanceName, type KeyBinding, type KeyType, type KeyValue } from '../cim/path.js';
import type { CIMScalar, CIMType, CIMValue } from '../cim/types.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface StoredPath {
  c: string;
  k: Array<{ n: string; t: KeyType; v: Json }>;
  ns?: string;
  h?: string;
}

function encodePath(p: InstanceName): StoredPath {
  const out: StoredPath = { c: p.className, k: p.keys.map((k) => ({ n: k.name, t: k.type, v: encodeScalar(k.value) })) };
  if (p.namespace) out.ns = p.namespace;
  if (p.host) out.h = p.host;
  return out;
}

function decodePath(s: StoredPath): InstanceName {
  const keys: KeyBinding[] = s.k.map((k) => ({ name: k.n, type: k.t, value: decodeScalar(k.v) as KeyValue }));
  return new InstanceName(s.c, keys, s.ns, s.h);
}

export function encodeScalar(v: CIMScalar): Json {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $f: String(v) };
  if (typeof v === 'bigint') return { $b: v.toString() };
  if (v instanceof CIMDateTime) return { $d: v.text };
  if (v instanceof InstanceName) return { $p: encodePath(v) as unknown as Json };
  if (v instanceof ClassName) return { $c: { c: v.className, ns: v.namespace ?? null, h: v.host ?? null } };
  if (v instanceof CIMInstance) return { $i: encodeInstanceJson(v) };
  throw new Error('embedded classes cannot be stored');
}

export function decodeScalar(j: Json): CIMScalar {
  if (typeof j === 'string' || typeof j === 'boolean' || typeof j === 'number') return j;
  if (j === null || Array.isArray(j)) throw new Error('bad stored scalar');
  if ('$f' in j) return Number(j.$f);
  if ('$b' in j) return BigInt(j.$b as string);
  if ('$d' in j) return CIMDateTime.parse(j.$d as string);
  if ('$p' in j) return decodePath(j.$p as unknown as StoredPath);
  if ('$c' in j) {
    const c = j.$c as { c: string; ns: string | null; h: string | null };
    return new ClassName(c.c, c.ns ?? undefined, c.h ?? undefined);
  }
  if ('$i' in j) return decodeInstanceJson(j.$i as Json);
  throw new Error('bad stored scalar');
}

function encodeValue(v: CIMValue): Json {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map((e) => (e === null ? null : encodeScalar(e)));
  return encodeScalar(v);
}

function decodeValue(j: Json, isArray: boolean): CIMValue {
  if (j === null) return null;
  if (isArray) return (j as Json[]).map((e) => (e === null ? null : decodeScalar(e)));
  return decodeScalar(j);
}

function encodeInstanceJson(inst: CIMInstance): Json {
  const props: Json[] = [];
  for (const pv of inst.properties.values()) {
    const p: { [k: string]: Json } = { n: pv.name, t: pv.type, v: encodeValue(pv.value) };
    if (pv.isArray) p.a = true;
    if (pv.arraySize !== undefined) p.s = pv.arraySize;
    if (pv.refClass) p.r = pv.refClass;
    if (pv.embedded) p.e = pv.embedded;
    props.push(p);
  }
  return { c: inst.className, p: props };
}

function decodeInstanceJson(j: Json): CIMInstance {
  const o = j as { c: string; p: Array<{ n: string; t: CIMType; v: Json; a?: boolean; s?: number; r?: string; e?: 'object' | 'instance' }> };
  const inst = new CIMInstance(o.c);
  for (const p of o.p) {
    const pv: PropertyValue = { name: p.n, type: p.t, isArray: p.a ?? false, value: decodeValue(p.v, p.a ?? false) };
    if (p.s !== undefined) pv.arraySize = p.s;
    if (p.r) pv.refClass = p.r;
    if (p.e) pv.embedded = p.e;
    inst.properties.set(p.n, pv);
  }
  return inst;
}

/** The stored text of an instance (its path is not stored: it is rebuilt from the keys). */
export function encodeInstance(inst: CIMInstance): string {
  return JSON.stringify(encodeInstanceJson(inst));
}

export function decodeInstance(text: string): CIMInstance {
  return decodeInstanceJson(JSON.parse(text) as Json);
}
