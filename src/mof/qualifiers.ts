/**
 * Qualifier declarations and qualifier lists (mof-language.md 5, DSP0004 5.6): declaring a
 * qualifier in a namespace, and turning the qualifier list written on an element into the
 * element's effective qualifiers: declared?, allowed in this scope?, value of the declared
 * type?, flavor from the declaration or the per-use flavor list, then merged over what the
 * element inherits (ToSubclass qualifiers propagate; DisableOverride ones cannot change).
 */
import type { FlavorNode, QualifierDeclNode, QualifierNode } from './ast.js';
import { MOF, type MofCode, type SourceFile } from './diagnostics.js';
import type { Repository } from './repository.js';
import { BAD, sameValue, typeValue, type ValueReport } from './values.js';
import { CIMap, ciKey, type CIMType, type CIMValue, type Flavor, type Qualifier, type QualifierDecl, type Scope } from '../cim/index.js';

/**
 * Memo tables of one compile (plain Maps keyed by object identity: WeakMaps cost far more
 * in GC at this scale). Inherited forms are built once and shared by all descendants.
 */
export class ResolveCache {
  /** Qualifier map of a resolved element -> the qualifiers an inheritor gets from it. */
  readonly inheritable = new Map<CIMap<Qualifier>, Qualifier[]>();
  readonly members = new Map<object, { props: unknown[]; methods: unknown[] }>();
  readonly inherited = new Map<object, unknown>();
}

/** What every resolver step needs: where to look things up and where to report. */
export interface ResolveContext {
  repo: Repository;
  ns: string;
  file: SourceFile;
  cache: ResolveCache;
  report(at: number, code: MofCode, message: string): void;
  /** report() for qualifier values: type mismatches carry the qualifier-type code. */
  qualifierReport?: ValueReport;
}

/** The element a qualifier list is written on. */
export type ElementKind = Exclude<Scope, 'any' | 'schema' | 'qualifier'> | 'instance';

const SCOPES = new Set<string>(['class', 'association', 'indication', 'property', 'reference', 'method', 'parameter', 'any', 'schema', 'qualifier']);

/** Applies flavor keywords to a base flavor; reports unknown and conflicting ones. */
function applyFlavors(base: Flavor, flavors: FlavorNode[], ctx: ResolveContext): Flavor {
  const f = { ...base };
  const seen = new Map<string, string>();
  for (const fl of flavors) {
    const k = ciKey(fl.name);
    let axis: string;
    switch (k) {
      case 'enableoverride': f.overridable = true; axis = 'override'; break;
      case 'disableoverride': f.overridable = false; axis = 'override'; break;
      case 'tosubclass': f.toSubclass = true; axis = 'propagation'; break;
      case 'restricted': f.toSubclass = false; axis = 'propagation'; break;
      case 'translatable': f.translatable = true; axis = 'translatable'; break;
      case 'toinstance': continue; // deprecated, no effect (DSP0004 5.6.1.3)
      default:
        ctx.report(fl.at, MOF.BAD_FLAVOR, `unknown flavor '${fl.name}'`);
        continue;
    }
    const prev = seen.get(axis);
    if (prev && prev !== k) ctx.report(fl.at, MOF.BAD_FLAVOR, `flavor '${fl.name}' conflicts with '${prev}'`);
    seen.set(axis, k);
  }
  return f;
}

/** `Qualifier Name : type = default, Scope(...), Flavor(...);` into the current namespace. */
export function declareQualifier(node: QualifierDeclNode, ctx: ResolveContext): boolean {
  const { repo, ns } = ctx;
  const t = node.type;
  if (t.type === 'reference' || !isBuiltin(t.type)) {
    ctx.report(t.at, MOF.UNKNOWN_TYPE, `'${t.refClass ?? t.type}' is not a qualifier type`);
    return false;
  }
  const scopes: Scope[] = [];
  for (const s of node.scopes) {
    const k = ciKey(s.name);
    if (!SCOPES.has(k)) ctx.report(s.at, MOF.BAD_SCOPE, `unknown scope '${s.name}'`);
    else scopes.push(k as Scope);
  }
  const flavor = applyFlavors({ overridable: true, toSubclass: true, translatable: false }, node.flavors, ctx);
  let defaultValue: CIMValue = null;
  if (node.defaultValue) {
    const v = typeValue(node.defaultValue, t.type as CIMType, t.isArray, t.arraySize, ctx.report, `default of qualifier ${node.name}`);
    if (v === BAD) return false;
    defaultValue = v;
  }
  const decl: QualifierDecl = {
    name: node.name, type: t.type as CIMType, isArray: t.isArray, arraySize: t.arraySize, defaultValue, scopes, flavor,
  };
  const prev = repo.getQualifierDecl(ns, node.name);
  if (prev) {
    // re-reading the same declaration (a second copy of qualifiers.mof) is harmless; a different one is not
    if (!sameDecl(prev, decl)) {
      ctx.report(node.nameAt, MOF.DUPLICATE_QUALIFIER_DECL, `qualifier ${node.name} is already declared differently in namespace ${ns}`);
    }
    return false;
  }
  repo.addQualifierDecl(ns, decl);
  return true;
}

function sameDecl(a: QualifierDecl, b: QualifierDecl): boolean {
  return a.type === b.type && a.isArray === b.isArray && a.arraySize === b.arraySize &&
    sameValue(a.defaultValue, b.defaultValue) &&
    a.scopes.length === b.scopes.length && a.scopes.every((x) => b.scopes.includes(x)) &&
    a.flavor.overridable === b.flavor.overridable && a.flavor.toSubclass === b.flavor.toSubclass &&
    a.flavor.translatable === b.flavor.translatable;
}

export function isBuiltin(type: string): boolean {
  return type !== 'reference' && BUILTIN.has(type);
}
const BUILTIN = new Set(['boolean', 'string', 'char16', 'datetime', 'uint8', 'sint8', 'uint16', 'sint16', 'uint32', 'sint32', 'uint64', 'sint64', 'real32', 'real64']);

/** The ToSubclass qualifiers of an inherited element, marked propagated. */
export function inheritQualifiers(from: CIMap<Qualifier>, cache: ResolveCache): CIMap<Qualifier> {
  let list = cache.inheritable.get(from);
  if (!list) {
    list = [];
    for (const q of from.values()) if (q.flavor.toSubclass) list.push(q.propagated ? q : { ...q, propagated: true });
    cache.inheritable.set(from, list);
  }
  const out = new CIMap<Qualifier>();
  for (let i = 0; i < list.length; i++) out.set(list[i].name, list[i]);
  return out;
}


function scopeAllows(scopes: Scope[], kind: ElementKind): boolean {
  if (kind === 'instance') return true;
  return scopes.includes('any') || scopes.includes(kind);
}

/** Value errors in qualifier values carry the qualifier-type code (one closure per context). */
function qualifierValueReport(ctx: ResolveContext): ValueReport {
  return (ctx.qualifierReport ??= (at, code, msg) =>
    ctx.report(at, code === MOF.VALUE_TYPE ? MOF.QUALIFIER_TYPE : code, `qualifier ${msg}`));
}

/**
 * The effective qualifiers of an element: the inherited ToSubclass ones, overlaid by the
 * ones written on it. Bad qualifiers are reported and left out.
 */
export function resolveQualifiers(
  nodes: QualifierNode[], kind: ElementKind, ctx: ResolveContext, inherited?: CIMap<Qualifier>, what = kind as string,
): CIMap<Qualifier> {
  const out = inherited ? inheritQualifiers(inherited, ctx.cache) : new CIMap<Qualifier>();
  if (nodes.length === 0) return out;
  const seen = new Set<string>();
  for (const n of nodes) {
    const decl = ctx.repo.getQualifierDecl(ctx.ns, n.name);
    if (!decl) {
      ctx.report(n.at, MOF.UNKNOWN_QUALIFIER, `qualifier ${n.name} is not declared in namespace ${ctx.ns}`);
      continue;
    }
    const key = ciKey(n.name);
    if (seen.has(key)) {
      ctx.report(n.at, MOF.DUPLICATE_QUALIFIER, `qualifier ${decl.name} is given twice on this ${what}`);
      continue;
    }
    seen.add(key);
    if (!scopeAllows(decl.scopes, kind)) {
      ctx.report(n.at, MOF.QUALIFIER_SCOPE, `qualifier ${decl.name} is not allowed on a ${kind} (scope: ${decl.scopes.join(', ')})`);
      continue;
    }
    let value: CIMValue;
    if (n.value === undefined) {
      if (decl.type !== 'boolean' || decl.isArray) {
        ctx.report(n.at, MOF.QUALIFIER_NEEDS_VALUE, `qualifier ${decl.name} of type ${decl.type}${decl.isArray ? '[]' : ''} needs a value`);
        continue;
      }
      value = true; // DSP0004 5.6.1.5: a bare boolean qualifier means TRUE
    } else {
      const v = typeValue(n.value, decl.type, decl.isArray, decl.arraySize, qualifierValueReport(ctx), decl.name);
      if (v === BAD) continue;
      value = v;
    }
    const flavor = n.flavors.length ? applyFlavors(decl.flavor, n.flavors, ctx) : decl.flavor;
    const prev = inherited?.get(decl.name);
    if (prev && !prev.flavor.overridable && prev.flavor.toSubclass && !sameValue(prev.value, value)) {
      ctx.report(n.at, MOF.DISABLE_OVERRIDE,
        `qualifier ${decl.name} is DisableOverride; it cannot change from ${show(prev.value)} to ${show(value)}`);
      continue;
    }
    out.set(decl.name, { name: decl.name, type: decl.type, isArray: decl.isArray, value, flavor, propagated: false });
  }
  return out;
}

function show(v: CIMValue): string {
  if (Array.isArray(v)) return `{${v.map((x) => show(x)).join(', ')}}`;
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** True when the qualifier is present with value TRUE. */
export function qualTrue(qs: CIMap<Qualifier>, name: string): boolean {
  return qs.get(name)?.value === true;
}
