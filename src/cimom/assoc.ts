/**
 * Association traversal (cim-xml-protocol.md 4.3), instance and class level, built on the
 * plain instance contract: candidate association classes are those with a reference
 * property that can point at the source; their instances come from the provider's
 * referencesTo fast path or a filtered enumeration. Far ends are re-read through GetInstance
 * so results carry canonical paths and ResultClass sees the real class; dangling
 * references are skipped. Unknown AssocClass/ResultClass names are INVALID_PARAMETER
 * everywhere; the source itself is never returned by Associators.
 */
import type { CIMClass, CIMProperty } from '../cim/class.js';
import type { CIMInstance } from '../cim/instance.js';
import { ciEq, ciKey } from '../cim/names.js';
import { ClassName, InstanceName } from '../cim/path.js';
import { guarded, type Caller, type Engine, type Found } from './engine.js';
import { shapeClass } from './filter.js';
import { rejectUnknownClassParam } from './guards.js';
import { normaliseName } from './normalise.js';
import type { ClassWithPath } from './operations.js';

export interface AssocQuery {
  AssocClass: string | null;
  ResultClass: string | null;
  Role: string | null;
  ResultRole: string | null;
}

/**
 * Checks the class-name filters and returns them in declared spelling. `assocParam` is the
 * name the client used for the association filter (References calls it ResultClass), so an
 * error names the parameter the client sent.
 */
export function checkFilters(e: Engine, ns: string, q: AssocQuery, assocParam = 'AssocClass'): AssocQuery {
  const assoc = q.AssocClass ? e.repo.getClass(ns, q.AssocClass) : undefined;
  const result = q.ResultClass ? e.repo.getClass(ns, q.ResultClass) : undefined;
  rejectUnknownClassParam(assoc, assocParam, q.AssocClass);
  rejectUnknownClassParam(result, 'ResultClass', q.ResultClass);
  return { ...q, AssocClass: assoc?.name ?? null, ResultClass: result?.name ?? null };
}

function refProps(cls: CIMClass): CIMProperty[] {
  return [...cls.properties.values()].filter((p) => p.type === 'reference' && !p.isArray);
}

/** Association classes (concrete) in `ns`, optionally under AssocClass. */
function associationClasses(e: Engine, ns: string, assocClass: string | null): CIMClass[] {
  const names = assocClass ? [assocClass, ...e.repo.subclassNames(ns, assocClass, true)] : e.repo.classNames(ns);
  const out: CIMClass[] = [];
  for (const n of names) {
    const c = e.repo.getClass(ns, n);
    if (c?.isAssociation && !c.isAbstract) out.push(c);
  }
  return out;
}

/** True when a reference property of class refClass may point at an object of class `cls`. */
function canPointAt(e: Engine, ns: string, p: CIMProperty, cls: string): boolean {
  if (!p.refClass) return true;
  return e.repo.isSubclassOf(ns, cls, p.refClass) || e.repo.isSubclassOf(ns, p.refClass, cls);
}

/**
 * The one rule saying whether reference value `ref` names the object `target` (References,
 * Associators and the "never the source itself" check all use it, so they agree): keys equal,
 * classes equal or related (a reference naming a superclass still names the object), and a
 * namespace that is absent or the target's own, compared case-insensitively with `/` and `\`
 * alike (served aliases resolved); the host is ignored. A reference into any other namespace
 * (e.g. wbemcli's `root/cimv2:X.k=1`, which arrives as HOST "root", NAMESPACE "cimv2") names
 * something else.
 */
export function refersTo(e: Engine, ns: string, ref: InstanceName, target: InstanceName): boolean {
  if (!sameKeys(e, ns, ref, target)) return false;
  if (!ref.namespace || ref.namespace === (target.namespace ?? ns)) return true; // the common case, no folding needed
  if (!e.hasNamespace(ref.namespace)) return false;
  return e.namespace(ref.namespace) === e.namespace(target.namespace ?? ns);
}

function sameKeys(e: Engine, ns: string, a: InstanceName, b: InstanceName): boolean {
  const ia = a.identity();
  const ib = b.identity();
  if (ia === ib) return true;
  if (ia.slice(ia.indexOf('.')) !== ib.slice(ib.indexOf('.'))) return false;
  return e.repo.isSubclassOf(ns, a.className, b.className) || e.repo.isSubclassOf(ns, b.className, a.className);
}

/** The source instance's canonical path (its real class) when it exists, else the checked name. */
async function sourcePath(e: Engine, ns: string, name: InstanceName, c: Caller): Promise<InstanceName> {
  const cls = e.cls(ns, name.className);
  const f = await e.getInstance(ns, name, c);
  return f ? f.inst.path : normaliseName(name, cls, ns, c.host);
}

interface Link {
  assoc: Found;
  near: CIMProperty;
}

/** Association instances referencing `src` (through Role when given). */
async function links(e: Engine, ns: string, src: InstanceName, assocClass: string | null, role: string | null, c: Caller, accept?: (cls: CIMClass) => boolean): Promise<Link[]> {
  const out: Link[] = [];
  for (const cls of associationClasses(e, ns, assocClass)) {
    if (accept && !accept(cls)) continue;
    const near = refProps(cls).filter((p) => (!role || ciEq(p.name, role)) && canPointAt(e, ns, p, src.className));
    if (near.length === 0) continue;
    const p = e.provider(ns, cls.name);
    if (!p?.enumerateInstances) continue;
    let raw: Iterable<CIMInstance>;
    if (p.referencesTo) raw = await guarded(`traversing ${cls.name}`, () => p.referencesTo!(e.pctx(ns, cls, c), src, role));
    else raw = await guarded(`enumerating ${cls.name}`, () => p.enumerateInstances!(e.pctx(ns, cls, c)));
    for (const r of raw) {
      const f = e.output(ns, r, cls, c, p.immutableInstances === true);
      for (const np of near) {
        const v = f.inst.get(np.name);
        if (v instanceof InstanceName && refersTo(e, ns, v, src)) out.push({ assoc: f, near: np });
      }
    }
  }
  return out;
}

function dedupe<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** References / ReferenceNames at instance level: the association instances. */
export async function referenceInstances(e: Engine, ns: string, name: InstanceName, q: { ResultClass: string | null; Role: string | null }, c: Caller): Promise<Found[]> {
  const f = checkFilters(e, ns, { AssocClass: q.ResultClass, ResultClass: null, Role: q.Role, ResultRole: null }, 'ResultClass');
  const src = await sourcePath(e, ns, name, c);
  const ls = await links(e, ns, src, f.AssocClass, q.Role, c);
  return dedupe(ls.map((l) => l.assoc), (a) => a.inst.path.identity());
}

/** Associators / AssociatorNames at instance level: the objects at the far ends. */
export async function associatorInstances(e: Engine, ns: string, name: InstanceName, q: AssocQuery, c: Caller, acceptAssoc?: (cls: CIMClass) => boolean): Promise<Found[]> {
  const fq = checkFilters(e, ns, q);
  const src = await sourcePath(e, ns, name, c);
  const out: Found[] = [];
  const seen = new Set<string>();
  for (const l of await links(e, ns, src, fq.AssocClass, fq.Role, c, acceptAssoc)) {
    for (const far of refProps(l.assoc.cls)) {
      if (far === l.near || ciEq(far.name, l.near.name)) continue;
      if (fq.ResultRole && !ciEq(far.name, fq.ResultRole)) continue;
      const target = l.assoc.inst.get(far.name);
      if (!(target instanceof InstanceName) || refersTo(e, ns, target, src)) continue;
      const found = await farEnd(e, ns, target, c);
      if (!found) continue;
      if (fq.ResultClass && !e.repo.isSubclassOf(found.ns, found.f.cls.name, fq.ResultClass)) continue;
      const k = ciKey(found.ns) + '|' + found.f.inst.path.identity();
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(found.f);
    }
  }
  return out;
}

/** Reads the object a reference names, in its own namespace when it names a served one. */
async function farEnd(e: Engine, ns: string, ref: InstanceName, c: Caller): Promise<{ ns: string; f: Found } | undefined> {
  let tns = ns;
  if (ref.namespace) {
    if (!e.hasNamespace(ref.namespace)) return undefined;
    tns = e.namespace(ref.namespace);
  }
  if (!e.repo.getClass(tns, ref.className)) return undefined;
  try {
    const f = await e.getInstance(tns, ref, c);
    return f ? { ns: tns, f } : undefined;
  } catch {
    return undefined; // a malformed stored reference is a dangling one
  }
}

/** Class-level References: association classes that can point at the class. */
export function referenceClasses(e: Engine, ns: string, src: ClassName, q: { ResultClass: string | null; Role: string | null }): CIMClass[] {
  const srcCls = e.cls(ns, src.className);
  const f = checkFilters(e, ns, { AssocClass: q.ResultClass, ResultClass: null, Role: q.Role, ResultRole: null }, 'ResultClass');
  return dedupe(classLinks(e, ns, srcCls, f.AssocClass, q.Role).map((l) => l.assoc), (c) => ciKey(c.name));
}

function classLinks(e: Engine, ns: string, src: CIMClass, assocClass: string | null, role: string | null): Array<{ assoc: CIMClass; near: CIMProperty }> {
  const out: Array<{ assoc: CIMClass; near: CIMProperty }> = [];
  const names = assocClass ? [assocClass, ...e.repo.subclassNames(ns, assocClass, true)] : e.repo.classNames(ns);
  for (const n of names) {
    const cls = e.repo.getClass(ns, n);
    if (!cls?.isAssociation) continue;
    for (const p of refProps(cls)) {
      if (role && !ciEq(p.name, role)) continue;
      if (p.refClass && e.repo.isSubclassOf(ns, src.name, p.refClass)) {
        out.push({ assoc: cls, near: p });
      }
    }
  }
  return dedupe(out, (l) => ciKey(l.assoc.name) + '|' + ciKey(l.near.name));
}

/** Class-level Associators: the classes at the far ends of association classes. */
export function associatorClasses(e: Engine, ns: string, src: ClassName, q: AssocQuery, acceptAssoc?: (cls: CIMClass) => boolean): CIMClass[] {
  const srcCls = e.cls(ns, src.className);
  const fq = checkFilters(e, ns, q);
  const out: CIMClass[] = [];
  for (const l of classLinks(e, ns, srcCls, fq.AssocClass, fq.Role)) {
    if (acceptAssoc && !acceptAssoc(l.assoc)) continue;
    for (const far of refProps(l.assoc)) {
      if (ciEq(far.name, l.near.name) || !far.refClass) continue;
      if (fq.ResultRole && !ciEq(far.name, fq.ResultRole)) continue;
      const fc = e.repo.getClass(ns, far.refClass);
      if (!fc) continue;
      if (fq.ResultClass && !e.repo.isSubclassOf(ns, fc.name, fq.ResultClass)) continue;
      out.push(fc);
    }
  }
  return dedupe(out, (c) => ciKey(c.name));
}

export function classWithPath(cls: CIMClass, ns: string, host: string, shape: { IncludeQualifiers: boolean; IncludeClassOrigin: boolean; PropertyList: string[] | null }): ClassWithPath {
  return {
    path: new ClassName(cls.name, ns, host),
    cls: shapeClass(cls, { localOnly: false, includeQualifiers: shape.IncludeQualifiers, includeClassOrigin: shape.IncludeClassOrigin, propertyList: shape.PropertyList }),
  };
}
