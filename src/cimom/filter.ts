/**
 * Response shaping the cimom applies itself, so every provider behaves the same:
 * LocalOnly, PropertyList, IncludeQualifiers and IncludeClassOrigin for classes, and
 * PropertyList, IncludeClassOrigin and DeepInheritance=false for instances (DSP0200 /
 * cim-xml-protocol.md 4.2). Always returns copies; the repository's classes are never changed.
 * Contract with the encoder: a class property/method whose classOrigin is '' was filtered
 * for IncludeClassOrigin=false (emit no CLASSORIGIN); instance PropertyValue.classOrigin is
 * set only when asked for. Results may be shared with the cimom's caches: callers treat
 * them as read-only.
 */
import type { CIMClass, CIMMethod, CIMParameter, CIMProperty } from '../cim/class.js';
import { CIMInstance } from '../cim/instance.js';
import { CIMap, ciKey } from '../cim/names.js';
import type { Qualifier } from '../cim/qualifier.js';
import { freezeInstance } from './normalise.js';
import type { PropertyList } from './operations.js';

export interface ClassShape {
  localOnly: boolean;
  includeQualifiers: boolean;
  includeClassOrigin: boolean;
  propertyList: PropertyList;
}

/** The set of folded property names a PropertyList keeps, or null for "all". */
export function propertySet(list: PropertyList): Set<string> | null {
  return list ? new Set(list.map(ciKey)) : null;
}

function quals(q: CIMap<Qualifier>, shape: ClassShape, dropPropagated: boolean): CIMap<Qualifier> {
  if (!shape.includeQualifiers) return new CIMap();
  if (!dropPropagated) return q.clone();
  const out = new CIMap<Qualifier>();
  for (const [n, v] of q) if (!v.propagated) out.set(n, v);
  return out;
}

/** Shaped classes without a PropertyList, per class and flag combination (classes are immutable). */
const shaped = new WeakMap<CIMClass, Map<string, CIMClass>>();

/**
 * DSP0200 4.2: a filtered copy of `cls`. PropertyList filters properties only, never methods.
 * Results without a PropertyList are cached and shared: callers treat them as read-only.
 */
export function shapeClass(cls: CIMClass, shape: ClassShape): CIMClass {
  if (shape.propertyList) return buildShape(cls, shape);
  const key = `${shape.localOnly}|${shape.includeQualifiers}|${shape.includeClassOrigin}`;
  let byFlags = shaped.get(cls);
  if (!byFlags) shaped.set(cls, (byFlags = new Map()));
  let out = byFlags.get(key);
  if (!out) byFlags.set(key, (out = buildShape(cls, shape)));
  return out;
}

function buildShape(cls: CIMClass, shape: ClassShape): CIMClass {
  const keep = propertySet(shape.propertyList);
  const properties = new CIMap<CIMProperty>();
  for (const [n, p] of cls.properties) {
    if (shape.localOnly && p.propagated) continue;
    if (keep && !keep.has(ciKey(n))) continue;
    properties.set(n, {
      ...p,
      qualifiers: quals(p.qualifiers, shape, false),
      classOrigin: shape.includeClassOrigin ? p.classOrigin : '',
    });
  }
  const methods = new CIMap<CIMMethod>();
  for (const [n, m] of cls.methods) {
    if (shape.localOnly && m.propagated) continue;
    const parameters = new CIMap<CIMParameter>();
    for (const [pn, prm] of m.parameters) parameters.set(pn, { ...prm, qualifiers: quals(prm.qualifiers, shape, false) });
    methods.set(n, {
      ...m,
      parameters,
      qualifiers: quals(m.qualifiers, shape, false),
      classOrigin: shape.includeClassOrigin ? m.classOrigin : '',
    });
  }
  return { ...cls, qualifiers: quals(cls.qualifiers, shape, shape.localOnly), properties, methods, keys: [...cls.keys] };
}

export interface InstanceShape {
  propertyList: PropertyList;
  includeClassOrigin: boolean;
  /**
   * When set (EnumerateInstances with DeepInheritance=false), only properties this class
   * declares or inherits are returned.
   */
  limitTo?: CIMClass;
}

/**
 * A filtered copy of a normalised instance (declared properties, its path set). `cls` is the
 * instance's own class (for classOrigin).
 * Sharing guarantee (the encoder may memoise per object): an unchanged instance is returned as
 * the same frozen object between calls with the same flags, as long as its provider declares
 * immutableInstances (the engine caches its normalised form per provider object) and the
 * flags do not filter it: no PropertyList, and no DeepInheritance=false narrowing of a
 * subclass instance; IncludeClassOrigin=true has its own cached copy. Filtered results are
 * fresh frozen copies. Everything returned is frozen.
 */
export function shapeInstance<T extends CIMInstance>(inst: T, cls: CIMClass, shape: InstanceShape): T {
  const limit = shape.limitTo && shape.limitTo !== cls ? shape.limitTo : undefined;
  // Nothing to filter: the normalised instance itself (responses are read-only).
  if (!shape.propertyList && !limit) {
    if (!shape.includeClassOrigin) return inst;
    let o = withOrigin.get(inst);
    if (!o) withOrigin.set(inst, (o = buildInstance(inst, cls, shape, undefined)));
    return o as T;
  }
  return buildInstance(inst, cls, shape, limit);
}

/** Instances with classOrigin set, per normalised instance (those of immutable providers are reused). */
const withOrigin = new WeakMap<CIMInstance, CIMInstance>();

function buildInstance<T extends CIMInstance>(inst: T, cls: CIMClass, shape: InstanceShape, limit: CIMClass | undefined): T {
  const keep = propertySet(shape.propertyList);
  const out = new CIMInstance(inst.className, undefined, inst.path);
  for (const [n, pv] of inst.properties) {
    const k = ciKey(n);
    if (keep && !keep.has(k)) continue;
    if (limit && !limit.properties.has(n)) continue;
    if (shape.includeClassOrigin) {
      const decl = cls.properties.get(n);
      out.properties.set(n, { ...pv, classOrigin: decl?.classOrigin, propagated: decl?.propagated });
    } else out.properties.set(n, pv);
  }
  return freezeInstance(out as T);
}
