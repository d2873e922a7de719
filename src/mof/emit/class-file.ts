/**
 * One generated TypeScript module per CIM class: the property interface (flat: every own and
 * inherited property, because subclasses override qualifiers such as ValueMap), a namespace
 * merged with it holding ValueMap constants and per-method In/Out/ReturnValue types, the key
 * type, the instance-provider contract, the method contract (own methods required, inherited
 * ones optional, so a provider must answer what its class declares) and, for associations,
 * the association-provider contract.
 * It does not decide file layout or imports of other modules beyond runtime and cim.
 */
import type { CIMClass, CIMMethod, CIMParameter, CIMProperty } from '../../cim/class.js';
import { ciEq, ciKey } from '../../cim/names.js';
import type { CIMap } from '../../cim/names.js';
import type { Qualifier } from '../../cim/qualifier.js';
import type { CIMType, CIMTypeSpec } from '../../cim/types.js';
import { arrayOf, cimImportsOf, scalarTsType } from './ts-types.js';
import { valueMapOf } from './valuemap.js';
import { HEADER, bindingName, doc, propertyKey, typeAlias } from './print.js';

export interface ClassFileOptions {
  namespace: string;
  /** Module specifier of src/cim/index.js as seen from this file. */
  cimModule: string;
  /** Module specifier of the generated runtime.js as seen from this file. */
  runtimeModule: string;
  /**
   * Other classes of the namespace (their modules are siblings): inherited ValueMaps and
   * methods that the declaring class already emits are aliased to it instead of repeated.
   */
  lookup?: (className: string) => CIMClass | undefined;
}

/** Names a class file exports at top level (checked for collisions across a namespace). */
export function exportedNames(cls: CIMClass): string[] {
  const n = cls.name;
  const out = [n, `${n}Key`, `${n}InstanceProvider`];
  if (cls.methods.size > 0) out.push(`${n}Methods`);
  if (cls.isAssociation) out.push(`${n}AssociationProvider`);
  return out;
}

/** Member of a namespace block: lines to print; names used so far avoid clashes. */
class Scope {
  readonly lines: string[] = [];
  private readonly used = new Set<string>();
  constructor(reserved: string[] = []) {
    for (const r of reserved) this.used.add(r);
  }
  /** A unique binding name derived from a CIM name. */
  claim(name: string, suffix: string): string {
    let id = bindingName(name);
    if (this.used.has(id)) id += suffix;
    while (this.used.has(id)) id += '_';
    this.used.add(id);
    return id;
  }
}

/** Where an inherited element's types already live: `Origin.Id`, and whether it has constants. */
interface AliasTarget {
  path: string;
  hasConstants: boolean;
}

/**
 * Emits the ValueMap alias (and constants) for one typed element into scope; returns the
 * element type text to use (qualified with `prefix`), or the plain scalar type.
 * With `alias`, the constants and type are re-exported from the declaring class instead.
 */
function valueMapType(
  scope: Scope,
  indent: string,
  prefix: string,
  id: string | undefined,
  spec: { type: CIMType; embedded?: CIMTypeSpec['embedded'] },
  qualifiers: CIMap<Qualifier>,
  alias?: AliasTarget,
): string {
  const base = scalarTsType(spec);
  if (id === undefined) return base;
  if (alias) {
    if (alias.hasConstants) scope.lines.push(`${indent}export const ${id} = ${alias.path};`);
    scope.lines.push(`${indent}export type ${id} = ${alias.path};`);
    return `${prefix}.${id}`;
  }
  const vm = valueMapOf(spec.type, qualifiers);
  if (vm && vm.constants.length > 0) {
    scope.lines.push(`${indent}export const ${id} = {`);
    for (const c of vm.constants) scope.lines.push(`${indent}  ${propertyKey(c.name)}: ${c.literal},`);
    scope.lines.push(`${indent}} as const;`);
  }
  const members = vm && !vm.open && vm.literals.length > 0 ? vm.literals : [base];
  scope.lines.push(...typeAlias(indent, id, members));
  return `${prefix}.${id}`;
}

/** Binding names in a class's namespace: properties with a ValueMap, then methods. */
interface Names {
  props: Map<string, string>;
  methods: Map<string, string>;
}

function namesOf(cls: CIMClass): Names {
  const scope = new Scope();
  const props = new Map<string, string>();
  const methods = new Map<string, string>();
  for (const p of cls.properties.values()) if (valueMapOf(p.type, p.qualifiers)) props.set(ciKey(p.name), scope.claim(p.name, '_Property'));
  for (const m of cls.methods.values()) methods.set(ciKey(m.name), scope.claim(m.name, '_Method'));
  return { props, methods };
}

/** What the generated types of a property or method depend on, for "same as the declaring class" checks. */
function typeShape(spec: CIMTypeSpec, q: CIMap<Qualifier>): string {
  const vals = (n: string) => q.get(n)?.value ?? null;
  return JSON.stringify([spec.type, spec.isArray, spec.embedded ?? null, spec.refClass ?? null, vals('ValueMap'), vals('Values'), vals('Required')]);
}

function methodShape(m: CIMMethod): string {
  const params = [...m.parameters.values()].map((p) => [p.name, p.in, p.out, typeShape(p, p.qualifiers)]);
  return JSON.stringify([m.returnType, typeShape({ type: m.returnType, isArray: false }, m.qualifiers), params]);
}

/** Resolves inherited elements to the declaring class when their generated types are identical. */
class Inheritance {
  readonly used = new Set<string>();
  private readonly names = new Map<string, Names>();
  constructor(
    private readonly cls: CIMClass,
    private readonly lookup?: (className: string) => CIMClass | undefined,
  ) {}

  private origin(classOrigin: string): { cls: CIMClass; names: Names } | undefined {
    if (!this.lookup || ciEq(classOrigin, this.cls.name)) return undefined;
    const o = this.lookup(classOrigin);
    if (!o) return undefined;
    let n = this.names.get(ciKey(o.name));
    if (!n) this.names.set(ciKey(o.name), (n = namesOf(o)));
    return { cls: o, names: n };
  }

  property(p: CIMProperty): AliasTarget | undefined {
    const o = this.origin(p.classOrigin);
    const op = o?.cls.properties.get(p.name);
    const id = o?.names.props.get(ciKey(p.name));
    if (!o || !op || !id || typeShape(p, p.qualifiers) !== typeShape(op, op.qualifiers)) return undefined;
    this.used.add(o.cls.name);
    const vm = valueMapOf(op.type, op.qualifiers);
    return { path: `${o.cls.name}.${id}`, hasConstants: (vm?.constants.length ?? 0) > 0 };
  }

  method(m: CIMMethod): string | undefined {
    const o = this.origin(m.classOrigin);
    const om = o?.cls.methods.get(m.name);
    const id = o?.names.methods.get(ciKey(m.name));
    if (!o || !om || !id || methodShape(m) !== methodShape(om)) return undefined;
    this.used.add(o.cls.name);
    return `${o.cls.name}.${id}`;
  }
}

function describe(spec: CIMTypeSpec): string {
  const t = spec.type === 'reference' ? `${spec.refClass ?? 'object'} REF` : spec.type;
  const arr = spec.isArray ? (spec.arraySize !== undefined ? `[${spec.arraySize}]` : '[]') : '';
  const emb = spec.embedded ? ` (embedded ${spec.embedded})` : '';
  return t + arr + emb;
}

function isRequired(q: CIMap<Qualifier>): boolean {
  const r = q.get('Required');
  return r !== undefined && r.value === true;
}

function propertyLine(p: CIMProperty, elem: string): string[] {
  const required = p.isKey || isRequired(p.qualifiers);
  const tags = [describe(p), `from ${p.classOrigin}`];
  if (p.isKey) tags.push('key');
  else if (required) tags.push('required');
  const type = arrayOf(elem, p.isArray);
  return [doc('  ', tags.join(', ')), `  ${propertyKey(p.name)}${required ? '' : '?'}: ${required ? type : `${type} | null`};`];
}

function paramLine(indent: string, p: CIMParameter, elem: string): string[] {
  const required = isRequired(p.qualifiers);
  const type = arrayOf(elem, p.isArray);
  return [
    doc(indent, describe(p) + (required ? ', required' : '')),
    `${indent}${propertyKey(p.name)}${required ? '' : '?'}: ${required ? type : `${type} | null`};`,
  ];
}

/** The method's nested namespace (types) and its line in the Methods interface. */
function methodBlock(cls: CIMClass, m: CIMMethod, id: string, inherit: Inheritance): { ns: string[]; sig: string[] } {
  const prefix = `${cls.name}.${id}`;
  const own = ciEq(m.classOrigin, cls.name);
  const params = [...m.parameters.values()].map((p) => `${p.in ? 'IN' : ''}${p.in && p.out ? '/' : ''}${p.out ? 'OUT' : ''} ${p.name}`);
  const sig = [
    doc('  ', `${m.returnType} ${m.name}(${params.join(', ')}), from ${m.classOrigin}${own ? '' : ' (inherited: optional)'}`),
    `  ${propertyKey(m.name)}${own ? '' : '?'}(params: ${prefix}.In, ctx: MethodContext): Awaitable<${prefix}.Result>;`,
  ];
  const alias = inherit.method(m);
  if (alias) return { ns: [`  export import ${id} = ${alias};`], sig };
  const inner = new Scope(['In', 'Out', 'Result']);
  const rv = valueMapType(inner, '    ', prefix, inner.claim('ReturnValue', '_'), { type: m.returnType }, m.qualifiers);
  const ins: string[] = [];
  const outs: string[] = [];
  for (const p of m.parameters.values()) {
    const pid = valueMapOf(p.type, p.qualifiers) ? inner.claim(p.name, '_Param') : undefined;
    const elem = valueMapType(inner, '    ', prefix, pid, p, p.qualifiers);
    if (p.in) ins.push(...paramLine('      ', p, elem));
    if (p.out) outs.push(...paramLine('      ', p, elem));
  }
  const ns = [`  export namespace ${id} {`, ...inner.lines];
  ns.push(ins.length ? '    export interface In {' : '    export interface In {}');
  if (ins.length) ns.push(...ins, '    }');
  ns.push(outs.length ? '    export interface Out {' : '    export type Out = Record<string, never>;');
  if (outs.length) ns.push(...outs, '    }');
  ns.push(`    export type Result = MethodResult<${rv}, Out>;`, '  }');
  return { ns, sig };
}

/** The text of the class module. */
export function emitClassFile(cls: CIMClass, opts: ClassFileOptions): string {
  const n = cls.name;
  const scope = new Scope();
  const names = namesOf(cls);
  const inherit = new Inheritance(cls, opts.lookup);
  const props: string[] = [];
  for (const p of cls.properties.values()) {
    const id = names.props.get(ciKey(p.name));
    const elem = valueMapType(scope, '  ', n, id, p, p.qualifiers, id ? inherit.property(p) : undefined);
    props.push(...propertyLine(p, elem));
  }
  const methodNs: string[] = [];
  const sigs: string[] = [];
  for (const m of cls.methods.values()) {
    const b = methodBlock(cls, m, names.methods.get(ciKey(m.name))!, inherit);
    methodNs.push(...b.ns);
    sigs.push(...b.sig);
  }
  const body: string[] = [];
  const kind = [cls.isAbstract && 'abstract', cls.isAssociation && 'association', cls.isIndication && 'indication'].filter(Boolean);
  body.push(
    `/** ${kind.length ? kind.join(' ') + ' ' : ''}class ${n}${cls.superclass ? ` : ${cls.superclass}` : ''} in ${opts.namespace}; keys: ${cls.keys.join(', ') || 'none'} */`,
    `export interface ${n} {`,
    ...props,
    '}',
  );
  const nsLines = [...scope.lines, ...methodNs];
  if (nsLines.length) body.push('', `export namespace ${n} {`, ...nsLines, '}');
  body.push('', ...keyType(cls));
  body.push('', `export interface ${n}InstanceProvider extends InstanceProvider<${n}, ${n}Key> {}`);
  if (sigs.length) body.push('', `export interface ${n}Methods {`, ...sigs, '}');
  if (cls.isAssociation) {
    const roles = [...cls.properties.values()].filter((p) => p.type === 'reference').map((p) => JSON.stringify(p.name));
    body.push('', `export interface ${n}AssociationProvider extends AssociationProvider<${n}, ${roles.join(' | ') || 'never'}> {}`);
  }
  return [HEADER, ...imports(body.join('\n'), opts, [...inherit.used].sort()), '', ...body, ''].join('\n');
}

function keyType(cls: CIMClass): string[] {
  const n = cls.name;
  const keys = cls.keys.map((k) => cls.properties.get(k)).filter((p): p is CIMProperty => p !== undefined);
  if (keys.length === 0) return [`export type ${n}Key = Record<string, never>;`];
  return [`export interface ${n}Key {`, ...keys.map((p) => `  ${propertyKey(p.name)}: ${n}[${JSON.stringify(p.name)}];`), '}'];
}

function imports(text: string, opts: ClassFileOptions, classes: string[]): string[] {
  const out: string[] = [];
  const cim = cimImportsOf(text);
  if (cim.length) out.push(`import type { ${cim.join(', ')} } from '${opts.cimModule}';`);
  const rt = ['AssociationProvider', 'Awaitable', 'InstanceProvider', 'MethodContext', 'MethodResult'].filter((t) =>
    new RegExp(`\\b${t}\\b`).test(text),
  );
  out.push(`import type { ${rt.join(', ')} } from '${opts.runtimeModule}';`);
  for (const c of classes) out.push(`import { ${c} } from './${c}.js';`);
  return out;
}
