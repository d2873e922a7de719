/**
 * Hand-built test schema for the cimom tests (no MOF compiler needed): a small class tree
 * with keys of several types, an association, methods with IN/OUT, reference and embedded
 * parameters, and an in-memory instance provider to serve as the default provider.
 */
import type { CIMClass, CIMMethod, CIMParameter, CIMProperty } from '../../../src/cim/class.js';
import { CimError } from '../../../src/cim/errors.js';
import { CIMInstance } from '../../../src/cim/instance.js';
import { CIMap, ciKey } from '../../../src/cim/names.js';
import { InstanceName, type KeyValue } from '../../../src/cim/path.js';
import type { Qualifier, QualifierDecl } from '../../../src/cim/qualifier.js';
import type { ClassRepository } from '../../../src/cim/repository.js';
import type { CIMType, CIMTypeSpec, CIMValue } from '../../../src/cim/types.js';
import type { Provider, ProviderContext } from '../../../src/cimom/provider.js';

export const NS = 'root/test';

type PropDef = Partial<CIMTypeSpec> & { name: string; key?: boolean; def?: CIMValue; quals?: Record<string, CIMValue> };
type ParamDef = Partial<CIMTypeSpec> & { name: string; in?: boolean; out?: boolean };
interface MethodDef {
  name: string;
  returnType?: CIMType;
  params?: ParamDef[];
  isStatic?: boolean;
}
interface ClassDef {
  name: string;
  superclass?: string;
  props?: PropDef[];
  methods?: MethodDef[];
  association?: boolean;
  abstract?: boolean;
  /** Extra class qualifiers (boolean true). */
  classQuals?: string[];
}

const q = (name: string, value: CIMValue, propagated = false): Qualifier => ({
  name,
  type: typeof value === 'boolean' ? 'boolean' : 'string',
  isArray: false,
  value,
  flavor: { overridable: true, toSubclass: true, translatable: false },
  propagated,
});

export class TestRepo implements ClassRepository {
  private readonly classes = new Map<string, Map<string, CIMClass>>();
  private readonly quals = new Map<string, QualifierDecl[]>();

  add(ns: string, d: ClassDef): this {
    const m = this.classes.get(ciKey(ns)) ?? new Map<string, CIMClass>();
    this.classes.set(ciKey(ns), m);
    const sup = d.superclass ? m.get(ciKey(d.superclass)) : undefined;
    if (d.superclass && !sup) throw new Error(`no superclass ${d.superclass}`);
    const properties = new CIMap<CIMProperty>();
    if (sup) for (const [n, p] of sup.properties) properties.set(n, { ...p, propagated: true });
    for (const p of d.props ?? []) {
      const qualifiers = new CIMap<Qualifier>();
      if (p.key) qualifiers.set('Key', q('Key', true));
      for (const [n, v] of Object.entries(p.quals ?? {})) qualifiers.set(n, q(n, v));
      const inherited = properties.get(p.name);
      properties.set(p.name, {
        name: p.name, type: p.type ?? 'string', isArray: p.isArray ?? false, arraySize: p.arraySize,
        refClass: p.refClass, embedded: p.embedded, defaultValue: p.def ?? null, qualifiers,
        classOrigin: inherited?.classOrigin ?? d.name, propagated: false, isKey: p.key ?? inherited?.isKey ?? false,
      });
    }
    const methods = new CIMap<CIMMethod>();
    if (sup) for (const [n, mm] of sup.methods) methods.set(n, { ...mm, propagated: true });
    for (const md of d.methods ?? []) {
      const parameters = new CIMap<CIMParameter>();
      for (const p of md.params ?? []) {
        parameters.set(p.name, {
          name: p.name, type: p.type ?? 'string', isArray: p.isArray ?? false, refClass: p.refClass,
          embedded: p.embedded, qualifiers: new CIMap(), in: p.in ?? true, out: p.out ?? false,
        });
      }
      const mq = new CIMap<Qualifier>();
      if (md.isStatic) mq.set('Static', q('Static', true));
      methods.set(md.name, { name: md.name, returnType: md.returnType ?? 'uint32', parameters, qualifiers: mq, classOrigin: d.name, propagated: false });
    }
    const qualifiers = new CIMap<Qualifier>();
    if (sup) for (const [n, v] of sup.qualifiers) if (!ciKey(n).startsWith('abstract')) qualifiers.set(n, { ...v, propagated: true });
    qualifiers.set('Description', q('Description', `class ${d.name}`));
    if (d.association) qualifiers.set('Association', q('Association', true));
    if (d.abstract) qualifiers.set('Abstract', q('Abstract', true));
    for (const n of d.classQuals ?? []) qualifiers.set(n, q(n, true));
    m.set(ciKey(d.name), {
      name: d.name, superclass: sup?.name, qualifiers, properties, methods,
      isAssociation: d.association ?? sup?.isAssociation ?? false, isIndication: false, isAbstract: d.abstract ?? false,
      keys: [...properties.values()].filter((p) => p.isKey).map((p) => p.name),
    });
    return this;
  }
  addQualifier(ns: string, decl: QualifierDecl): this {
    const l = this.quals.get(ciKey(ns)) ?? [];
    l.push(decl);
    this.quals.set(ciKey(ns), l);
    return this;
  }
  namespaces(): string[] {
    return [...this.classes.keys()].map((k) => (k === 'root/test' ? NS : k));
  }
  hasNamespace(ns: string): boolean {
    return this.classes.has(ciKey(ns));
  }
  getClass(ns: string, name: string): CIMClass | undefined {
    return this.classes.get(ciKey(ns))?.get(ciKey(name));
  }
  classNames(ns: string): string[] {
    return [...(this.classes.get(ciKey(ns))?.values() ?? [])].map((c) => c.name);
  }
  subclassNames(ns: string, className: string | undefined, deep: boolean): string[] {
    const all = [...(this.classes.get(ciKey(ns))?.values() ?? [])];
    const direct = (p: string | undefined) => all.filter((c) => (p === undefined ? !c.superclass : ciKey(c.superclass ?? '') === ciKey(p)));
    if (!deep) return direct(className).map((c) => c.name);
    const out: string[] = [];
    const walk = (p: string | undefined) => {
      for (const c of direct(p)) {
        out.push(c.name);
        walk(c.name);
      }
    };
    walk(className);
    return out;
  }
  isSubclassOf(ns: string, sub: string, sup: string): boolean {
    let c = this.getClass(ns, sub);
    while (c) {
      if (ciKey(c.name) === ciKey(sup)) return true;
      c = c.superclass ? this.getClass(ns, c.superclass) : undefined;
    }
    return false;
  }
  getQualifierDecl(ns: string, name: string): QualifierDecl | undefined {
    return this.quals.get(ciKey(ns))?.find((d) => ciKey(d.name) === ciKey(name));
  }
  qualifierDecls(ns: string): QualifierDecl[] {
    return this.quals.get(ciKey(ns)) ?? [];
  }
  instances(): CIMInstance[] {
    return [];
  }
}

const flavor = { overridable: true, toSubclass: true, translatable: false };

export function testRepo(): TestRepo {
  const r = new TestRepo();
  r.addQualifier(NS, { name: 'Key', type: 'boolean', isArray: false, defaultValue: false, scopes: ['property', 'reference'], flavor: { ...flavor, overridable: false } });
  r.addQualifier(NS, { name: 'Description', type: 'string', isArray: false, defaultValue: null, scopes: ['any'], flavor: { ...flavor, translatable: true } });
  r.add(NS, { name: 'Test_Abstract', abstract: true, props: [{ name: 'InstanceID', key: true }, { name: 'Caption' }] });
  r.add(NS, {
    name: 'Test_Base', superclass: 'Test_Abstract',
    props: [
      { name: 'Name' }, { name: 'Count', type: 'uint32', def: 7 }, { name: 'Big', type: 'uint64' },
      { name: 'Flag', type: 'boolean' }, { name: 'When', type: 'datetime' }, { name: 'Tags', type: 'string', isArray: true },
      { name: 'Ratio', type: 'real64' }, { name: 'Other', type: 'reference', refClass: 'Test_Other' },
      { name: 'Blob', type: 'string', embedded: 'instance' },
    ],
    methods: [
      { name: 'Ping', params: [{ name: 'Msg' }, { name: 'Times', type: 'uint16' }, { name: 'Echo', out: true, in: false }] },
      { name: 'Make', isStatic: true, returnType: 'uint32', params: [
        { name: 'Target', type: 'reference', refClass: 'Test_Other' }, { name: 'Data', embedded: 'instance' },
        { name: 'List', type: 'uint8', isArray: true }, { name: 'Created', type: 'reference', refClass: 'Test_Other', in: false, out: true },
        { name: 'Copy', embedded: 'instance', in: false, out: true } ] },
      { name: 'Broken' },
    ],
  });
  r.add(NS, { name: 'Test_Sub', superclass: 'Test_Base', props: [{ name: 'Extra' }] });
  r.add(NS, { name: 'Test_Other', classQuals: ['Special'], props: [{ name: 'Id', type: 'uint32', key: true }, { name: 'Label' }] });
  r.add(NS, { name: 'Test_Assoc', association: true, props: [
    { name: 'Left', type: 'reference', refClass: 'Test_Base', key: true },
    { name: 'Right', type: 'reference', refClass: 'Test_Other', key: true }, { name: 'Weight', type: 'uint8' } ] });
  r.add(NS, { name: 'Test_SubAssoc', superclass: 'Test_Assoc' });
  r.add(NS, { name: 'Test_Peer', association: true, classQuals: ['Composition'], props: [
    { name: 'A', type: 'reference', refClass: 'Test_Other', key: true },
    { name: 'B', type: 'reference', refClass: 'Test_Other', key: true } ] });
  r.add('interop', { name: 'Test_Lone', props: [{ name: 'Id', key: true }] });
  return r;
}

/** A simple in-memory instance provider, keyed by path identity. */
export class MemoryProvider implements Provider {
  readonly data = new Map<string, CIMInstance>();
  constructor(private readonly repo: ClassRepository, private readonly ns = NS) {}
  enumerateInstances(ctx: ProviderContext): CIMInstance[] {
    return [...this.data.values()].filter((i) => ciKey(i.className) === ciKey(ctx.cls.name));
  }
  getInstance(_ctx: ProviderContext, name: InstanceName): CIMInstance | undefined {
    return this.data.get(name.identity());
  }
  createInstance(ctx: ProviderContext, inst: CIMInstance): CIMInstance {
    if (ctx.cls.keys.some((k) => inst.get(k) == null)) throw new CimError('CIM_ERR_INVALID_PARAMETER', 'keys missing');
    this.put(inst);
    return inst;
  }
  modifyInstance(_ctx: ProviderContext, inst: CIMInstance & { path: InstanceName }, props: string[]): void {
    const cur = this.data.get(inst.path.identity());
    if (!cur) throw new CimError('CIM_ERR_NOT_FOUND');
    for (const p of props) {
      const pv = inst.properties.get(p);
      if (pv) cur.properties.set(p, pv);
      else cur.properties.delete(p);
    }
  }
  deleteInstance(_ctx: ProviderContext, name: InstanceName): void {
    if (!this.data.delete(name.identity())) throw new CimError('CIM_ERR_NOT_FOUND');
  }
  /** Stores an instance under its key identity (keys from the class's key list). */
  put(inst: CIMInstance): this {
    const keys = this.repo.getClass(this.ns, inst.className)!.keys;
    const name = new InstanceName(inst.className, keys.map((k) => ({ name: k, type: 'string' as const, value: inst.get(k) as KeyValue })));
    this.data.set(name.identity(), inst);
    return this;
  }
}

export const caller = { user: 'admin', role: 'admin' as const, host: 'testhost' };
export const reader = { user: 'bob', role: 'reader' as const, host: 'testhost' };

/** An instance of `className` with values typed from the class declaration. */
export function inst(repo: ClassRepository, className: string, values: Record<string, CIMValue>, ns = NS): CIMInstance {
  const cls = repo.getClass(ns, className);
  if (!cls) throw new Error(`no class ${className}`);
  const i = new CIMInstance(cls.name);
  for (const [n, v] of Object.entries(values)) {
    const p = cls.properties.get(n);
    i.set(p?.name ?? n, v, p ?? { type: 'string', isArray: false });
  }
  return i;
}

export const other1 = InstanceName.of('Test_Other', { Id: 1 });
export const other2 = InstanceName.of('Test_Other', { Id: 2 });
export const base1 = InstanceName.of('Test_Base', { InstanceID: 'b1' });
export const sub1 = InstanceName.of('Test_Sub', { InstanceID: 's1' });

/** The standard data set: two Test_Other, a Test_Base, a Test_Sub, and associations between them. */
export function seed(repo: ClassRepository, mem: MemoryProvider): void {
  mem.put(inst(repo, 'Test_Other', { Id: 1, Label: 'one' }));
  mem.put(inst(repo, 'Test_Other', { Id: 2, Label: 'Two' }));
  mem.put(inst(repo, 'Test_Base', { InstanceID: 'b1', Name: 'alpha', Count: 3, Big: 1n << 40n, Flag: true, Tags: ['x', 'y'], Ratio: 0.5, Other: other1 }));
  mem.put(inst(repo, 'Test_Sub', { InstanceID: 's1', Name: 'Beta', Count: 10, Flag: false, Extra: 'e' }));
  mem.put(inst(repo, 'Test_Assoc', { Left: base1, Right: other1, Weight: 5 }));
  mem.put(inst(repo, 'Test_SubAssoc', { Left: sub1, Right: other2, Weight: 9 }));
  mem.put(inst(repo, 'Test_Peer', { A: other1, B: other2 }));
}
