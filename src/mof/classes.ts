/**
 * Class resolution (mof-language.md 6-7, DSP0004 5.1.2): from a parsed class declaration and
 * its already-resolved superclass to a complete CIMClass. Inherited members are copied with
 * their classOrigin kept and propagated set; a member written again must say Override and
 * keep its type; qualifiers propagate by flavor. The superclass must already exist (the
 * DMTF schema is in dependency order), so resolution is one pass, linear in the members.
 */
import type { ClassNode, MethodNode, PropertyNode, QualifierNode } from './ast.js';
import { MOF } from './diagnostics.js';
import { inheritQualifiers, isBuiltin, qualTrue, resolveQualifiers, type ResolveCache, type ResolveContext } from './qualifiers.js';
import { BAD, typeValue } from './values.js';
import {
  CIMap, ciEq, type CIMClass, type CIMMethod, type CIMParameter, type CIMProperty, type CIMType,
  type CIMValue, type Qualifier,
} from '../cim/index.js';

/** A REF whose class must exist by the end of the compile. */
export interface PendingRef {
  ns: string;
  refClass: string;
  file: ResolveContext['file'];
  at: number;
  /** 'REF' or 'EmbeddedInstance', for the message. */
  via: string;
}

interface ClassState {
  ctx: ResolveContext;
  name: string;
  sup?: CIMClass;
  isAssociation: boolean;
  pendingRefs: PendingRef[];
}

/** A literal `true` (or bare) Name qualifier in a written list. */
function writesTrue(quals: QualifierNode[], name: string): boolean {
  const q = quals.find((x) => ciEq(x.name, name));
  if (!q) return false;
  return q.value === undefined || (q.value.k === 'bool' && q.value.v);
}

/** Resolves and stores a class; returns it, or undefined when it could not be added. */
export function resolveClass(node: ClassNode, ctx: ResolveContext, pendingRefs: PendingRef[]): CIMClass | undefined {
  const { repo, ns } = ctx;
  if (repo.getClass(ns, node.name)) {
    ctx.report(node.nameAt, MOF.DUPLICATE_CLASS, `class ${node.name} is already defined in namespace ${ns}`);
    return undefined;
  }
  let sup: CIMClass | undefined;
  if (node.superclass) {
    sup = repo.getClass(ns, node.superclass);
    if (!sup) ctx.report(node.superAt, MOF.MISSING_SUPERCLASS, `superclass ${node.superclass} of ${node.name} is not defined in namespace ${ns}`);
    else if (qualTrue(sup.qualifiers, 'Terminal')) {
      ctx.report(node.superAt, MOF.TERMINAL_SUPERCLASS, `class ${sup.name} is Terminal and cannot be subclassed`);
    }
  }
  const assoc = (sup?.isAssociation ?? false) || writesTrue(node.quals, 'Association');
  const indic = (sup?.isIndication ?? false) || writesTrue(node.quals, 'Indication');
  const kind = assoc ? 'association' : indic ? 'indication' : 'class';
  const qualifiers = resolveQualifiers(node.quals, kind, ctx, sup?.qualifiers, 'class');
  const isAssociation = qualTrue(qualifiers, 'Association');
  if (sup && !sup.isAssociation && isAssociation) {
    ctx.report(node.nameAt, MOF.ASSOCIATION_KIND, `association ${node.name} cannot derive from non-association ${sup.name}`);
  }
  const st: ClassState = { ctx, name: node.name, sup, isAssociation, pendingRefs };
  const properties = new CIMap<CIMProperty>();
  const methods = new CIMap<CIMMethod>();
  if (sup) {
    const cache = ctx.cache;
    const l = membersOf(sup, cache);
    for (let i = 0; i < l.props.length; i++) properties.set(l.props[i].name, inheritProperty(l.props[i], cache));
    for (let i = 0; i < l.methods.length; i++) methods.set(l.methods[i].name, inheritMethod(l.methods[i], cache));
  }
  const own = new Set<string>();
  for (const f of node.features) {
    const k = f.name.toLowerCase();
    if (own.has(k)) {
      ctx.report(f.nameAt, MOF.DUPLICATE_MEMBER, `${node.name} already declares a member named ${f.name}`);
      continue;
    }
    own.add(k);
    if (f.kind === 'property') {
      if (methods.has(f.name) && !sup?.methods.has(f.name)) {
        ctx.report(f.nameAt, MOF.DUPLICATE_MEMBER, `${node.name} already declares a method named ${f.name}`);
        continue;
      }
      const p = resolveProperty(f, st);
      if (p) properties.set(p.name, p);
    } else {
      if (properties.has(f.name) && !sup?.properties.has(f.name)) {
        ctx.report(f.nameAt, MOF.DUPLICATE_MEMBER, `${node.name} already declares a property named ${f.name}`);
        continue;
      }
      const m = resolveMethod(f, st);
      if (m) methods.set(m.name, m);
    }
  }
  const keys: string[] = [];
  let refs = 0;
  const propList = Array.from(properties.values());
  for (const p of propList) {
    if (p.isKey) keys.push(p.name);
    if (p.type === 'reference') refs++;
  }
  if (isAssociation && refs < 2) {
    ctx.report(node.nameAt, MOF.ASSOCIATION_REFS, `association ${node.name} has ${refs} reference${refs === 1 ? '' : 's'}; it needs at least two`);
  }
  const abstract = qualifiers.get('Abstract');
  const cls: CIMClass = {
    name: node.name,
    superclass: sup?.name ?? undefined,
    qualifiers,
    properties,
    methods,
    isAssociation,
    isIndication: qualTrue(qualifiers, 'Indication'),
    isAbstract: !!abstract && !abstract.propagated && abstract.value === true,
    keys,
  };
  repo.addClass(ns, cls);
  ctx.cache.members.set(cls, { props: propList, methods: Array.from(methods.values()) });
  return cls;
}

interface Members {
  props: CIMProperty[];
  methods: CIMMethod[];
}

/** Member lists of resolved classes (CIMap.values() copies on every call; subclasses reuse these). */
function membersOf(c: CIMClass, cache: ResolveCache): Members {
  let l = cache.members.get(c) as Members | undefined;
  if (!l) cache.members.set(c, (l = { props: Array.from(c.properties.values()), methods: Array.from(c.methods.values()) }));
  return l;
}

/*
 * Inherited members are shared: the inherited form of a member is built once and the same
 * object appears in every descendant that does not override it (the repository is
 * read-only once compiled). This keeps the whole DMTF schema linear in its size.
 */
function inheritProperty(p: CIMProperty, cache: ResolveCache): CIMProperty {
  if (p.propagated) return p;
  let c = cache.inherited.get(p) as CIMProperty | undefined;
  if (!c) cache.inherited.set(p, (c = { ...p, qualifiers: inheritQualifiers(p.qualifiers, cache), propagated: true }));
  return c;
}

function inheritMethod(m: CIMMethod, cache: ResolveCache): CIMMethod {
  if (m.propagated) return m;
  let c = cache.inherited.get(m) as CIMMethod | undefined;
  if (!c) {
    const parameters = new CIMap<CIMParameter>();
    for (const p of m.parameters.values()) parameters.set(p.name, { ...p, qualifiers: inheritQualifiers(p.qualifiers, cache) });
    cache.inherited.set(m, (c = { ...m, parameters, qualifiers: inheritQualifiers(m.qualifiers, cache), propagated: true }));
  }
  return c;
}

/**
 * The inherited member a feature replaces: Override("Name") must name an inherited member
 * of the same name (DSP0004 2.x); a redeclaration without Override is an error.
 */
function overridden<T>(f: PropertyNode | MethodNode, inherited: CIMap<T> | undefined, st: ClassState, what: string): T | undefined {
  const { ctx } = st;
  const q = f.quals.find((x) => ciEq(x.name, 'Override'));
  const prev = inherited?.get(f.name);
  if (!q) {
    if (prev !== undefined) {
      ctx.report(f.nameAt, MOF.HIDES_INHERITED, `${what} ${f.name} is inherited from ${st.sup!.name}; redeclaring it needs Override("${f.name}")`);
    }
    return prev;
  }
  const target = q.value && q.value.k === 'str' ? q.value.v : f.name;
  const named = inherited?.get(target);
  if (named === undefined) {
    ctx.report(q.at, MOF.OVERRIDE_MISSING, `Override("${target}"): ${st.sup ? `${st.sup.name} has no ${what} ${target}` : `${st.name} has no superclass`}`);
    return undefined;
  }
  if (!ciEq(target, f.name)) {
    ctx.report(q.at, MOF.OVERRIDE_MISSING, `Override("${target}") must name the overriding ${what} itself (${f.name})`);
    return undefined;
  }
  return named;
}

/** EmbeddedInstance("Class") written on this element: the class must exist by the end of the compile. */
function embeddedClass(quals: QualifierNode[], resolved: CIMap<Qualifier>, st: ClassState): void {
  const v = resolved.get('EmbeddedInstance');
  if (!v || v.propagated || typeof v.value !== 'string') return;
  const n = quals.find((q) => ciEq(q.name, 'EmbeddedInstance'))!;
  const { ctx } = st;
  st.pendingRefs.push({ ns: ctx.ns, refClass: v.value, file: ctx.file, at: n.value?.at ?? n.at, via: 'EmbeddedInstance' });
}

/** DSP0004: an overriding method keeps the parameter names, order and types. */
function sameSignature(a: CIMap<CIMParameter>, b: CIMap<CIMParameter>): boolean {
  if (a.size !== b.size) return false;
  const bl = Array.from(b.values());
  let i = 0;
  for (const p of a.values()) {
    const q = bl[i++];
    if (!ciEq(p.name, q.name) || p.type !== q.type || p.isArray !== q.isArray) return false;
  }
  return true;
}

function embeddedOf(qs: CIMap<Qualifier>): 'object' | 'instance' | undefined {
  if (typeof qs.get('EmbeddedInstance')?.value === 'string') return 'instance';
  if (qualTrue(qs, 'EmbeddedObject')) return 'object';
  return undefined;
}

function resolveProperty(f: PropertyNode, st: ClassState): CIMProperty | undefined {
  const { ctx } = st;
  const isRef = f.type === 'reference';
  if (!isRef && !isBuiltin(f.type)) {
    ctx.report(f.at, MOF.UNKNOWN_TYPE, `unknown type '${f.type}' (a class needs REF)`);
    return undefined;
  }
  if (isRef) {
    if (!st.isAssociation) {
      ctx.report(f.at, MOF.REF_OUTSIDE_ASSOCIATION, `reference ${f.name}: only associations may declare REF properties`);
      return undefined;
    }
    if (f.isArray) {
      ctx.report(f.at, MOF.REF_OUTSIDE_ASSOCIATION, `reference ${f.name}: a reference property cannot be an array`);
      return undefined;
    }
    st.pendingRefs.push({ ns: ctx.ns, refClass: f.refClass!, file: ctx.file, at: f.at, via: 'REF' });
  }
  const prev = overridden(f, st.sup?.properties, st, isRef ? 'reference' : 'property');
  const qualifiers = resolveQualifiers(f.quals, isRef ? 'reference' : 'property', ctx, prev?.qualifiers);
  if (prev && (prev.type !== f.type || prev.isArray !== f.isArray)) {
    ctx.report(f.at, MOF.OVERRIDE_TYPE, `${f.name} overrides ${prev.classOrigin}.${prev.name} of type ${prev.type}${prev.isArray ? '[]' : ''} with a different type`);
  } else if (prev && isRef && prev.refClass && !ciEq(prev.refClass, f.refClass) &&
    ctx.repo.getClass(ctx.ns, f.refClass!) && !ctx.repo.isSubclassOf(ctx.ns, f.refClass!, prev.refClass)) {
    ctx.report(f.at, MOF.OVERRIDE_TYPE, `${f.name} overrides a reference to ${prev.refClass} with ${f.refClass}, which is not a subclass of it`);
  }
  const type = f.type as CIMType;
  let defaultValue: CIMValue = prev ? prev.defaultValue : null;
  if (f.defaultValue) {
    const v = typeValue(f.defaultValue, type, f.isArray, f.arraySize, ctx.report, `default of ${f.name}`);
    if (v !== BAD) defaultValue = v;
  }
  embeddedClass(f.quals, qualifiers, st);
  const isKey = qualTrue(qualifiers, 'Key');
  if (isKey && f.isArray) ctx.report(f.at, MOF.BAD_KEY, `key property ${f.name} cannot be an array`);
  else if (isKey && !prev?.isKey && st.sup && st.sup.keys.length > 0) {
    // DSP0004 5.1.2.x: a subclass inherits the key of a keyed superclass and cannot add to it
    ctx.report(f.nameAt, MOF.BAD_KEY, `${st.name} cannot add key ${f.name}: superclass ${st.sup.name} already has keys (${st.sup.keys.join(', ')})`);
  }
  return {
    name: f.name, type, isArray: f.isArray, arraySize: f.arraySize, refClass: f.refClass,
    embedded: embeddedOf(qualifiers), defaultValue, qualifiers,
    classOrigin: st.name, propagated: false, isKey: isKey && !f.isArray,
  };
}

function resolveMethod(f: MethodNode, st: ClassState): CIMMethod | undefined {
  const { ctx } = st;
  const rt = f.returnType;
  if (rt.type !== 'reference' && !isBuiltin(rt.type)) {
    ctx.report(rt.at, MOF.UNKNOWN_TYPE, `unknown return type '${rt.type}'`);
    return undefined;
  }
  const prev = overridden(f, st.sup?.methods, st, 'method');
  const qualifiers = resolveQualifiers(f.quals, 'method', ctx, prev?.qualifiers);
  embeddedClass(f.quals, qualifiers, st);
  if (prev && prev.returnType !== rt.type) {
    ctx.report(rt.at, MOF.OVERRIDE_TYPE, `method ${f.name} overrides ${prev.classOrigin}.${prev.name} with a different return type`);
  }
  const parameters = new CIMap<CIMParameter>();
  let ok = true;
  for (const p of f.params) {
    if (parameters.has(p.name)) {
      ctx.report(p.nameAt, MOF.DUPLICATE_PARAMETER, `method ${f.name} already has a parameter named ${p.name}`);
      ok = false;
      continue;
    }
    if (p.type !== 'reference' && !isBuiltin(p.type)) {
      ctx.report(p.at, MOF.UNKNOWN_TYPE, `unknown type '${p.type}' (a class needs REF)`);
      ok = false;
      continue;
    }
    if (p.type === 'reference') st.pendingRefs.push({ ns: ctx.ns, refClass: p.refClass!, file: ctx.file, at: p.at, via: 'REF' });
    const pq = resolveQualifiers(p.quals, 'parameter', ctx, prev?.parameters.get(p.name)?.qualifiers);
    embeddedClass(p.quals, pq, st);
    const inQ = pq.get('In');
    const outQ = pq.get('Out');
    const out = outQ?.value === true;
    // IN defaults to true only when neither IN nor OUT is written
    const isIn = inQ ? inQ.value === true : !out;
    parameters.set(p.name, {
      name: p.name, type: p.type as CIMType, isArray: p.isArray, arraySize: p.arraySize, refClass: p.refClass,
      embedded: embeddedOf(pq), qualifiers: pq, in: isIn, out,
    });
  }
  if (!ok) return undefined;
  if (prev && !sameSignature(prev.parameters, parameters)) {
    ctx.report(f.nameAt, MOF.OVERRIDE_TYPE, `method ${f.name} overrides ${prev.classOrigin}.${prev.name} with different parameters`);
  }
  return { name: f.name, returnType: rt.type as CIMType, parameters, qualifiers, classOrigin: st.name, propagated: false };
}
