/**
 * Instance declarations (mof-language.md 8): `instance of C [as $a] { P = v; ... };`.
 * Resolved after all classes of the compile, in two steps, so aliases may be used before
 * they are defined (DSP0004 does not require definition before use): first every instance
 * is typed against its class and its alias registered; then paths are built from key
 * values, following alias references (memoised, with a cycle guard).
 */
import type { InstanceNode, Literal } from './ast.js';
import { MOF } from './diagnostics.js';
import { resolveQualifiers, type ResolveContext } from './qualifiers.js';
import { BAD, typeValue } from './values.js';
import {
  CIMInstance, CIMap, InstanceName, ciKey, type CIMClass, type CIMTypeSpec, type CIMValue, type KeyBinding, type PropertyValue,
} from '../cim/index.js';

export interface PendingInstance {
  node: InstanceNode;
  ctx: ResolveContext;
}

interface Resolved {
  node: InstanceNode;
  ctx: ResolveContext;
  cls: CIMClass;
  inst: CIMInstance;
  /** Property name -> alias literal still to resolve. */
  aliasRefs: { prop: string; lit: Literal & { k: 'alias' } }[];
  state: 'new' | 'busy' | 'done';
}

/** Resolves the instances of one compile; returns how many were added. */
export function resolveInstances(pending: PendingInstance[]): number {
  const aliases = new Map<string, Resolved>();
  const all: Resolved[] = [];
  for (const p of pending) {
    const r = typeInstance(p.node, p.ctx);
    if (!r) continue;
    all.push(r);
    if (p.node.alias !== undefined) {
      const k = ciKey(p.node.alias);
      if (aliases.has(k)) p.ctx.report(p.node.aliasAt, MOF.DUPLICATE_ALIAS, `alias $${p.node.alias} is already defined`);
      else aliases.set(k, r);
    }
  }
  const seen = new Map<string, Set<string>>();
  let added = 0;
  for (const r of all) {
    buildPath(r, aliases);
    const path = r.inst.path;
    if (path) {
      const ns = ciKey(r.ctx.ns);
      let set = seen.get(ns);
      if (!set) seen.set(ns, (set = new Set()));
      if (set.has(path.identity())) {
        r.ctx.report(r.node.at, MOF.DUPLICATE_INSTANCE, `instance ${path.toRelative()} is already defined`);
        continue;
      }
      set.add(path.identity());
    }
    r.ctx.repo.addInstance(r.ctx.ns, r.inst);
    added++;
  }
  return added;
}

function typeInstance(node: InstanceNode, ctx: ResolveContext): Resolved | undefined {
  const cls = ctx.repo.getClass(ctx.ns, node.className);
  if (!cls) {
    ctx.report(node.classAt, MOF.UNKNOWN_CLASS, `instance of unknown class ${node.className}`);
    return undefined;
  }
  if (cls.isAbstract) {
    ctx.report(node.classAt, MOF.ABSTRACT_INSTANCE, `class ${cls.name} is abstract and cannot have instances`);
    return undefined;
  }
  const values = new CIMap<CIMValue>();
  const aliasRefs: Resolved['aliasRefs'] = [];
  const given = new CIMap<PropertyValue>();
  for (const pv of node.props) {
    const prop = cls.properties.get(pv.name);
    if (!prop) {
      ctx.report(pv.at, MOF.UNKNOWN_PROPERTY, `class ${cls.name} has no property ${pv.name}`);
      continue;
    }
    if (values.has(pv.name)) {
      ctx.report(pv.at, MOF.DUPLICATE_PROPERTY_VALUE, `property ${prop.name} is given twice`);
      continue;
    }
    let value: CIMValue = null;
    if (pv.value.k === 'alias') {
      if (prop.type !== 'reference') {
        ctx.report(pv.value.at, MOF.VALUE_TYPE, `${prop.name}: an alias can only be the value of a reference`);
        continue;
      }
      aliasRefs.push({ prop: prop.name, lit: pv.value });
    } else {
      const v = typeValue(pv.value, prop.type, prop.isArray, prop.arraySize, ctx.report, prop.name);
      if (v === BAD) continue;
      value = v;
    }
    values.set(prop.name, value);
    const quals = pv.quals.length ? resolveQualifiers(pv.quals, 'instance', ctx) : undefined;
    given.set(prop.name, { ...spec(prop), name: prop.name, value, ...(quals ? { qualifiers: quals } : {}) });
  }
  const props: PropertyValue[] = [];
  for (const p of cls.properties.values()) {
    props.push(given.get(p.name) ?? { ...spec(p), name: p.name, value: p.defaultValue });
  }
  const inst = new CIMInstance(cls.name, props);
  if (node.quals.length) inst.qualifiers = resolveQualifiers(node.quals, 'instance', ctx);
  return { node, ctx, cls, inst, aliasRefs, state: 'new' };
}

function spec(p: CIMTypeSpec): CIMTypeSpec {
  return { type: p.type, isArray: p.isArray, arraySize: p.arraySize, refClass: p.refClass, embedded: p.embedded };
}

/** Fills alias references and sets the instance path when every key has a value. */
function buildPath(r: Resolved, aliases: Map<string, Resolved>): void {
  if (r.state !== 'new') return;
  r.state = 'busy';
  const { ctx, inst, cls } = r;
  for (const a of r.aliasRefs) {
    const target = aliases.get(ciKey(a.lit.name));
    if (!target) {
      ctx.report(a.lit.at, MOF.UNKNOWN_ALIAS, `alias $${a.lit.name} is not defined`);
      continue;
    }
    if (target.state === 'busy') {
      ctx.report(a.lit.at, MOF.UNKNOWN_ALIAS, `alias $${a.lit.name} refers back to this instance through its keys`);
      continue;
    }
    buildPath(target, aliases);
    if (!target.inst.path) {
      ctx.report(a.lit.at, MOF.UNKNOWN_ALIAS, `alias $${a.lit.name} names an instance without a complete key`);
      continue;
    }
    inst.set(a.prop, target.inst.path);
  }
  const keys: KeyBinding[] = [];
  for (const k of cls.keys) {
    const pv = inst.properties.get(k)!;
    const v = pv.value;
    if (v === null || v === undefined) {
      ctx.report(r.node.classAt, MOF.MISSING_KEY, `instance of ${cls.name} has no value for key ${k}; it gets no path`);
      r.state = 'done';
      return;
    }
    keys.push(keyBinding(k, pv.type, v));
  }
  inst.path = new InstanceName(cls.name, keys, ctx.ns);
  r.state = 'done';
}

function keyBinding(name: string, type: string, v: CIMValue): KeyBinding {
  if (v instanceof InstanceName) return { name, type: 'reference', value: v };
  if (typeof v === 'boolean') return { name, type: 'boolean', value: v };
  if (typeof v === 'number' || typeof v === 'bigint') return { name, type: 'numeric', value: v };
  return { name, type: type === 'reference' ? 'reference' : 'string', value: String(v) };
}

