/**
 * Encodes one namespace of a compiled repository as descriptor data (the format is defined in
 * the generated repository.ts, see support-repository.ts) and prints it as a TS module.
 * Qualifier lists, properties and methods go into deduplicated tables keyed by their JSON
 * text, because inherited members repeat unchanged down a hierarchy. Values that cannot be
 * data (embedded CIMInstance/CIMClass) are rejected with a clear error.
 */
import type { CIMClass, CIMMethod, CIMParameter, CIMProperty } from '../../cim/class.js';
import { CIMDateTime } from '../../cim/datetime.js';
import { CIMInstance } from '../../cim/instance.js';
import type { CIMap } from '../../cim/names.js';
import { ClassName, InstanceName } from '../../cim/path.js';
import type { Flavor, Qualifier, QualifierDecl } from '../../cim/qualifier.js';
import type { ClassRepository } from '../../cim/repository.js';
import type { CIMScalar, CIMTypeSpec, CIMValue } from '../../cim/types.js';
import { HEADER } from './print.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };

/** Interning table: equal JSON text -> same index. */
class Table {
  readonly rows: string[] = [];
  private readonly index = new Map<string, number>();
  add(row: Json): number {
    const text = JSON.stringify(row);
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.rows.length;
      this.rows.push(text);
      this.index.set(text, i);
    }
    return i;
  }
}

function encScalar(v: CIMScalar | null, where: string): Json {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : { num: String(v) };
  if (typeof v === 'bigint') return { big: v.toString() };
  if (v instanceof CIMDateTime) return { dt: v.text };
  if (v instanceof InstanceName) return { ref: encPath(v, where) };
  if (v instanceof ClassName) return dropUndefined({ cls: dropUndefined({ c: v.className, ns: v.namespace, h: v.host }) });
  if (v instanceof CIMInstance) throw new Error(`${where}: an embedded instance value cannot be stored in a descriptor`);
  throw new Error(`${where}: an embedded class value cannot be stored in a descriptor`);
}

export function encValue(v: CIMValue, where: string): Json {
  return Array.isArray(v) ? v.map((e) => encScalar(e, where)) : encScalar(v, where);
}

function encPath(p: InstanceName, where: string): Json {
  return dropUndefined({
    c: p.className,
    k: p.keys.map((k) => [k.name, k.type, encScalar(k.value, where)]),
    ns: p.namespace,
    h: p.host,
  });
}

function dropUndefined<T extends Record<string, Json | undefined>>(o: T): Json {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

function flavorBits(f: Flavor): number {
  return (f.overridable ? 1 : 0) | (f.toSubclass ? 2 : 0) | (f.translatable ? 4 : 0);
}

function encSpec(s: CIMTypeSpec): Record<string, Json | undefined> {
  return { t: s.type, a: s.isArray ? 1 : undefined, z: s.arraySize, r: s.refClass, e: s.embedded };
}

class Encoder {
  readonly quals = new Table();
  readonly props = new Table();
  readonly methods = new Table();

  constructor() {
    this.quals.add([]);
  }

  qualifiers(q: CIMap<Qualifier>, where: string): number {
    return this.quals.add(
      [...q.values()].map((x) => [
        x.name,
        x.type,
        encValue(x.value, `${where} qualifier ${x.name}`),
        flavorBits(x.flavor) | (x.isArray ? 8 : 0) | (x.propagated ? 16 : 0),
      ]),
    );
  }

  property(p: CIMProperty, where: string): number {
    const w = `${where}.${p.name}`;
    return this.props.add(
      dropUndefined({
        n: p.name,
        ...encSpec(p),
        d: p.defaultValue === null || p.defaultValue === undefined ? undefined : encValue(p.defaultValue, w),
        q: this.qualifiers(p.qualifiers, w),
        o: p.classOrigin,
        p: p.propagated ? 1 : undefined,
        k: p.isKey ? 1 : undefined,
      }),
    );
  }

  parameter(p: CIMParameter, where: string): Json {
    return dropUndefined({ n: p.name, ...encSpec(p), q: this.qualifiers(p.qualifiers, `${where}.${p.name}`), io: (p.in ? 1 : 0) | (p.out ? 2 : 0) });
  }

  method(m: CIMMethod, where: string): number {
    const w = `${where}.${m.name}()`;
    return this.methods.add(
      dropUndefined({
        n: m.name,
        rt: m.returnType,
        ps: [...m.parameters.values()].map((p) => this.parameter(p, w)),
        q: this.qualifiers(m.qualifiers, w),
        o: m.classOrigin,
        p: m.propagated ? 1 : undefined,
      }),
    );
  }

  cls(c: CIMClass): Json {
    const flags = (c.isAssociation ? 1 : 0) | (c.isIndication ? 2 : 0) | (c.isAbstract ? 4 : 0);
    return dropUndefined({
      n: c.name,
      s: c.superclass,
      q: this.qualifiers(c.qualifiers, c.name),
      ps: [...c.properties.values()].map((p) => this.property(p, c.name)),
      ms: [...c.methods.values()].map((m) => this.method(m, c.name)),
      k: [...c.keys],
      f: flags || undefined,
    });
  }

  decl(q: QualifierDecl): Json {
    return dropUndefined({
      n: q.name,
      t: q.type,
      a: q.isArray ? 1 : undefined,
      z: q.arraySize,
      d: encValue(q.defaultValue, `qualifier ${q.name}`),
      sc: [...q.scopes],
      f: flavorBits(q.flavor),
    });
  }

  instance(i: CIMInstance, n: number): Json {
    const where = `instance #${n} of ${i.className}`;
    return dropUndefined({
      c: i.className,
      ps: [...i.properties.values()].map((p) =>
        dropUndefined({
          n: p.name,
          ...encSpec(p),
          v: encValue(p.value, `${where}.${p.name}`),
          o: p.classOrigin,
          p: p.propagated === undefined ? undefined : p.propagated ? 1 : 0,
          q: p.qualifiers ? this.qualifiers(p.qualifiers, `${where}.${p.name}`) : undefined,
        }),
      ),
      path: i.path ? encPath(i.path, where) : undefined,
      q: i.qualifiers ? this.qualifiers(i.qualifiers, where) : undefined,
    });
  }
}

function block(name: string, rows: string[]): string[] {
  if (rows.length === 0) return [`  ${name}: [],`];
  return [`  ${name}: [`, ...rows.map((r) => `    ${r},`), '  ],'];
}

/** The descriptor module text for one namespace. */
export function emitDescriptor(repo: ClassRepository, ns: string, repositoryModule: string): string {
  const e = new Encoder();
  const decls = repo.qualifierDecls(ns).map((q) => JSON.stringify(e.decl(q)));
  const classes: string[] = [];
  for (const name of repo.classNames(ns)) {
    const c = repo.getClass(ns, name);
    if (!c) throw new Error(`class ${name} listed in ${ns} but not found`);
    classes.push(JSON.stringify(e.cls(c)));
  }
  const instances = repo.instances(ns).map((i, n) => JSON.stringify(e.instance(i, n)));
  return [
    HEADER,
    `/** Descriptor data for ${ns}: ${classes.length} classes, ${decls.length} qualifier declarations, ${instances.length} instances. */`,
    `import type { NamespaceData } from '${repositoryModule}';`,
    '',
    'export const data: NamespaceData = {',
    `  namespace: ${JSON.stringify(ns)},`,
    ...block('qualifierSets', e.quals.rows),
    ...block('properties', e.props.rows),
    ...block('methods', e.methods.rows),
    ...block('qualifierDecls', decls),
    ...block('classes', classes),
    ...block('instances', instances),
    '};',
    '',
  ].join('\n');
}
