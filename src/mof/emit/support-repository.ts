/**
 * Text of src/generated/repository.ts: the descriptor format (what emit/descriptors.ts
 * writes), its decoder back into src/cim objects, and a read-only ClassRepository over the
 * decoded namespaces. The server builds its repository from this without parsing MOF.
 * Format notes: tables are deduplicated (qualifier lists, properties and methods are shared
 * by index across classes, since inherited members repeat); the decoder makes fresh objects
 * for every use so callers may mutate what they get.
 */
import { HEADER } from './print.js';

export function repositoryFile(cimModule: string): string {
  return `${HEADER}
/**
 * The descriptor format of src/generated/descriptors/*.ts and its decoder: compiled classes,
 * qualifier declarations and MOF instances per namespace, as data. decodeNamespace() rebuilds
 * the exact CIMClass objects the MOF compiler produced (qualifiers after flavor propagation,
 * defaults, classOrigin, propagated, keys); DescriptorRepository serves them read-only.
 * Tables are deduplicated by index (inherited members repeat across classes); every decode
 * makes fresh objects, so callers own what they get.
 */
import { CIMDateTime, CIMInstance, CIMap, ClassName, InstanceName, ciEq, ciKey } from '${cimModule}';
import type {
  CIMClass, CIMMethod, CIMParameter, CIMProperty, CIMScalar, CIMType, CIMTypeSpec, CIMValue, ClassRepository,
  KeyBinding, KeyType, KeyValue, PropertyValue, Qualifier, QualifierDecl, Scope,
} from '${cimModule}';

/** An encoded value: JSON scalars as themselves, other CIM values tagged. */
export type Enc =
  | null
  | boolean
  | number
  | string
  | Enc[]
  | { big: string }
  | { num: string }
  | { dt: string }
  | { ref: EncPath }
  | { cls: { c: string; ns?: string; h?: string } };
/** An instance path: class, keybindings [name, type, value], namespace, host. */
export interface EncPath {
  c: string;
  k: Array<[string, KeyType, Enc]>;
  ns?: string;
  h?: string;
}
/** A qualifier: [name, type, value, bits]; bits 1 overridable, 2 toSubclass, 4 translatable, 8 array, 16 propagated. */
export type EncQualifier = [string, CIMType, Enc, number];
/** Type fields shared by properties, parameters and values: a = array, z = array size, r = ref class, e = embedded. */
export interface EncSpec {
  t: CIMType;
  a?: 1;
  z?: number;
  r?: string;
  e?: 'object' | 'instance';
}
export interface EncProperty extends EncSpec {
  n: string;
  /** Default value (absent: NULL). */
  d?: Enc;
  /** Index into qualifierSets. */
  q: number;
  o: string;
  p?: 1;
  k?: 1;
}
export interface EncParameter extends EncSpec {
  n: string;
  q: number;
  /** 1 IN, 2 OUT, 3 both, 0 neither. */
  io: number;
}
export interface EncMethod {
  n: string;
  rt: CIMType;
  ps: EncParameter[];
  q: number;
  o: string;
  p?: 1;
}
export interface EncClass {
  n: string;
  s?: string;
  q: number;
  /** Indexes into properties / methods. */
  ps: number[];
  ms: number[];
  k: string[];
  /** 1 association, 2 indication, 4 abstract. */
  f?: number;
}
export interface EncQualifierDecl extends EncSpec {
  n: string;
  d: Enc;
  sc: Scope[];
  /** Flavor bits as in EncQualifier. */
  f: number;
}
export interface EncPropertyValue extends EncSpec {
  n: string;
  v: Enc;
  o?: string;
  p?: 0 | 1;
  q?: number;
}
export interface EncInstance {
  c: string;
  ps: EncPropertyValue[];
  path?: EncPath;
  q?: number;
}
export interface NamespaceData {
  namespace: string;
  qualifierSets: EncQualifier[][];
  properties: EncProperty[];
  methods: EncMethod[];
  qualifierDecls: EncQualifierDecl[];
  classes: EncClass[];
  instances: EncInstance[];
}

/** One namespace, decoded. */
export interface NamespaceContent {
  namespace: string;
  qualifierDecls: QualifierDecl[];
  /** In definition order (superclasses first). */
  classes: CIMClass[];
  instances: CIMInstance[];
}

function isTagged<K extends string>(e: Enc, tag: K): e is Extract<Enc, Record<K, unknown>> {
  return typeof e === 'object' && e !== null && !Array.isArray(e) && tag in e;
}

function scalar(e: Enc): CIMScalar | null {
  if (e === null || typeof e !== 'object') return e;
  if (Array.isArray(e)) throw new TypeError('nested array in descriptor value');
  if (isTagged(e, 'big')) return BigInt(e.big);
  if (isTagged(e, 'num')) return Number(e.num);
  if (isTagged(e, 'dt')) return CIMDateTime.parse(e.dt);
  if (isTagged(e, 'ref')) return decodePath(e.ref);
  if (isTagged(e, 'cls')) return new ClassName(e.cls.c, e.cls.ns, e.cls.h);
  throw new TypeError('unknown descriptor value tag');
}

export function decodeValue(e: Enc | undefined): CIMValue {
  if (e === undefined) return null;
  return Array.isArray(e) ? e.map(scalar) : scalar(e);
}

export function decodePath(p: EncPath): InstanceName {
  const keys: KeyBinding[] = p.k.map(([name, type, v]) => ({ name, type, value: scalar(v) as KeyValue }));
  return new InstanceName(p.c, keys, p.ns, p.h);
}

function spec(s: EncSpec): CIMTypeSpec {
  const out: CIMTypeSpec = { type: s.t, isArray: s.a === 1 };
  if (s.z !== undefined) out.arraySize = s.z;
  if (s.r !== undefined) out.refClass = s.r;
  if (s.e !== undefined) out.embedded = s.e;
  return out;
}

function flavor(bits: number) {
  return { overridable: (bits & 1) !== 0, toSubclass: (bits & 2) !== 0, translatable: (bits & 4) !== 0 };
}

function qualifiers(d: NamespaceData, index: number): CIMap<Qualifier> {
  const m = new CIMap<Qualifier>();
  for (const [name, type, value, bits] of d.qualifierSets[index]) {
    m.set(name, { name, type, isArray: (bits & 8) !== 0, value: decodeValue(value), flavor: flavor(bits), propagated: (bits & 16) !== 0 });
  }
  return m;
}

function property(d: NamespaceData, p: EncProperty): CIMProperty {
  return {
    name: p.n,
    ...spec(p),
    defaultValue: decodeValue(p.d),
    qualifiers: qualifiers(d, p.q),
    classOrigin: p.o,
    propagated: p.p === 1,
    isKey: p.k === 1,
  };
}

function parameter(d: NamespaceData, p: EncParameter): CIMParameter {
  return { name: p.n, ...spec(p), qualifiers: qualifiers(d, p.q), in: (p.io & 1) !== 0, out: (p.io & 2) !== 0 };
}

function method(d: NamespaceData, m: EncMethod): CIMMethod {
  return {
    name: m.n,
    returnType: m.rt,
    parameters: new CIMap<CIMParameter>(m.ps.map((p) => [p.n, parameter(d, p)])),
    qualifiers: qualifiers(d, m.q),
    classOrigin: m.o,
    propagated: m.p === 1,
  };
}

function decodeClass(d: NamespaceData, c: EncClass): CIMClass {
  const cls: CIMClass = {
    name: c.n,
    qualifiers: qualifiers(d, c.q),
    properties: new CIMap<CIMProperty>(c.ps.map((i) => [d.properties[i].n, property(d, d.properties[i])])),
    methods: new CIMap<CIMMethod>(c.ms.map((i) => [d.methods[i].n, method(d, d.methods[i])])),
    isAssociation: ((c.f ?? 0) & 1) !== 0,
    isIndication: ((c.f ?? 0) & 2) !== 0,
    isAbstract: ((c.f ?? 0) & 4) !== 0,
    keys: [...c.k],
  };
  if (c.s !== undefined) cls.superclass = c.s;
  return cls;
}

function decodeInstance(d: NamespaceData, i: EncInstance): CIMInstance {
  const values = i.ps.map((p) => {
    const v: PropertyValue = { name: p.n, ...spec(p), value: decodeValue(p.v) };
    if (p.o !== undefined) v.classOrigin = p.o;
    if (p.p !== undefined) v.propagated = p.p === 1;
    if (p.q !== undefined) v.qualifiers = qualifiers(d, p.q);
    return v;
  });
  const inst = new CIMInstance(i.c, values, i.path ? decodePath(i.path) : undefined);
  if (i.q !== undefined) inst.qualifiers = qualifiers(d, i.q);
  return inst;
}

export function decodeQualifierDecl(q: EncQualifierDecl): QualifierDecl {
  const s = spec(q);
  const out: QualifierDecl = { name: q.n, type: s.type, isArray: s.isArray, defaultValue: decodeValue(q.d), scopes: [...q.sc], flavor: flavor(q.f) };
  if (s.arraySize !== undefined) out.arraySize = s.arraySize;
  return out;
}

/** Rebuilds one namespace's objects from its descriptor. */
export function decodeNamespace(d: NamespaceData): NamespaceContent {
  return {
    namespace: d.namespace,
    qualifierDecls: d.qualifierDecls.map(decodeQualifierDecl),
    classes: d.classes.map((c) => decodeClass(d, c)),
    instances: d.instances.map((i) => decodeInstance(d, i)),
  };
}

function nsKey(ns: string): string {
  return ciKey(ns.replace(/\\\\/g, '/').replace(/^\\/+|\\/+$/g, ''));
}

interface Held {
  name: string;
  classes: CIMap<CIMClass>;
  decls: CIMap<QualifierDecl>;
  instances: CIMInstance[];
  /** Folded superclass name ('' for top level) -> direct subclass names in definition order. */
  children: Map<string, string[]>;
}

/** A read-only ClassRepository over decoded namespaces. */
export class DescriptorRepository implements ClassRepository {
  private readonly held = new Map<string, Held>();

  constructor(contents: Iterable<NamespaceContent>) {
    for (const c of contents) {
      const children = new Map<string, string[]>();
      for (const k of c.classes) {
        const parent = k.superclass === undefined ? '' : ciKey(k.superclass);
        children.set(parent, [...(children.get(parent) ?? []), k.name]);
      }
      this.held.set(nsKey(c.namespace), {
        name: c.namespace,
        classes: new CIMap(c.classes.map((k) => [k.name, k])),
        decls: new CIMap(c.qualifierDecls.map((q) => [q.name, q])),
        instances: c.instances,
        children,
      });
    }
  }
  namespaces(): string[] {
    return [...this.held.values()].map((h) => h.name);
  }
  hasNamespace(ns: string): boolean {
    return this.held.has(nsKey(ns));
  }
  getClass(ns: string, className: string): CIMClass | undefined {
    return this.held.get(nsKey(ns))?.classes.get(className);
  }
  classNames(ns: string): string[] {
    const h = this.held.get(nsKey(ns));
    return h ? [...h.classes.keys()] : [];
  }
  /** Direct subclasses in definition order; deep: depth-first, each parent before its children. */
  subclassNames(ns: string, className: string | undefined, deep: boolean): string[] {
    const h = this.held.get(nsKey(ns));
    if (!h) return [];
    const direct = (parent: string | undefined) => h.children.get(parent === undefined ? '' : ciKey(parent)) ?? [];
    if (!deep) return [...direct(className)];
    const out: string[] = [];
    const walk = (names: string[]): void => {
      for (const n of names) {
        out.push(n);
        walk(direct(n));
      }
    };
    walk(direct(className));
    return out;
  }
  isSubclassOf(ns: string, sub: string, sup: string): boolean {
    const h = this.held.get(nsKey(ns));
    let c = h?.classes.get(sub);
    for (let depth = 0; c && depth < 1000; depth++) {
      if (ciEq(c.name, sup)) return true;
      c = c.superclass === undefined ? undefined : h?.classes.get(c.superclass);
    }
    return false;
  }
  getQualifierDecl(ns: string, name: string): QualifierDecl | undefined {
    return this.held.get(nsKey(ns))?.decls.get(name);
  }
  qualifierDecls(ns: string): QualifierDecl[] {
    const h = this.held.get(nsKey(ns));
    return h ? [...h.decls.values()] : [];
  }
  instances(ns: string): CIMInstance[] {
    return [...(this.held.get(nsKey(ns))?.instances ?? [])];
  }
}
`;
}
