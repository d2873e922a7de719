/**
 * Runs queries against the engine: ExecQuery / OpenQueryInstances (WQL and DMTF:CQL:
 * SELECT over a class and its subclasses, ASSOCIATORS OF / REFERENCES OF as WMI clients send
 * them) and DMTF:FQL filters of the pull operations. Unknown languages are
 * CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED; everything wrong in the text, including unknown
 * classes and properties, is CIM_ERR_INVALID_QUERY with the position (DSP0200 lists no
 * INVALID_CLASS for ExecQuery).
 */
import type { CIMClass } from '../../cim/class.js';
import { CimError } from '../../cim/errors.js';
import { ClassName, InstanceName, parseObjectName } from '../../cim/path.js';
import * as assoc from '../assoc.js';
import type { Caller, Engine, Found } from '../engine.js';
import { shapeClass, shapeInstance } from '../filter.js';
import type { ClassWithPath, InstanceWithPath } from '../operations.js';
import { checkExpr, isSystemProperty, matches, type EvalEnv } from './eval.js';
import { parseFilter, parseQuery, type Expr, type SelectQuery, type TraversalQuery } from './parse.js';

export type QueryDialect = 'WQL' | 'CQL';

/** The dialect of a query language name; QUERY_LANGUAGE_NOT_SUPPORTED for anything else. */
export function dialectOf(language: string): QueryDialect {
  const l = (language ?? '').trim().toUpperCase();
  if (l === 'WQL') return 'WQL';
  if (l === 'DMTF:CQL' || l === 'CQL') return 'CQL';
  throw new CimError('CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED', `query language ${JSON.stringify(language)} is not supported (use WQL or DMTF:CQL)`);
}

function env(e: Engine, ns: string, caseSensitive: boolean): EvalEnv {
  return { isSubclassOf: (a, b) => e.repo.isSubclassOf(ns, a, b), caseSensitive };
}

export interface QueryResult {
  items: Array<InstanceWithPath | ClassWithPath>;
  /** The FROM class, shaped to the SELECT list (OpenQueryInstances' QueryResultClass). */
  resultClass?: CIMClass;
}

export async function runQuery(e: Engine, ns: string, language: string, text: string, c: Caller): Promise<QueryResult> {
  const dialect = dialectOf(language);
  const q = parseQuery(text ?? '', dialect);
  if (q.kind === 'select') return runSelect(e, ns, q, dialect, c);
  return { items: await runTraversal(e, ns, q, c) };
}

function fromClass(e: Engine, ns: string, q: SelectQuery): CIMClass {
  const cls = e.repo.getClass(ns, q.from.name);
  if (!cls) throw new CimError('CIM_ERR_INVALID_QUERY', `class ${q.from.name} does not exist in ${ns} (at position ${q.from.pos + 1})`);
  return cls;
}

async function runSelect(e: Engine, ns: string, q: SelectQuery, dialect: QueryDialect, c: Caller): Promise<QueryResult> {
  const cls = fromClass(e, ns, q);
  for (const p of q.props ?? []) {
    if (!isSystemProperty(p.name) && !cls.properties.has(p.name)) {
      throw new CimError('CIM_ERR_INVALID_QUERY', `class ${cls.name} has no property ${p.name} (at position ${p.pos + 1})`);
    }
  }
  if (q.where) checkExpr(q.where, cls, (n) => !!e.repo.getClass(ns, n));
  const ev = env(e, ns, dialect === 'CQL');
  const propertyList = q.props ? q.props.filter((p) => !isSystemProperty(p.name)).map((p) => p.name) : null;
  const items: InstanceWithPath[] = [];
  for (const f of await e.instancesOf(ns, cls, c)) {
    if (q.where && !matches(q.where, { inst: f.inst, cls: f.cls, ns }, ev)) continue;
    items.push(shapeInstance(f.inst, f.cls, { propertyList, includeClassOrigin: false }));
  }
  const resultClass = shapeClass(cls, { localOnly: false, includeQualifiers: true, includeClassOrigin: false, propertyList });
  return { items, resultClass };
}

async function runTraversal(e: Engine, ns: string, q: TraversalQuery, c: Caller): Promise<Array<InstanceWithPath | ClassWithPath>> {
  let target: InstanceName | ClassName;
  try {
    target = parseObjectName(q.path);
  } catch (err) {
    throw new CimError('CIM_ERR_INVALID_QUERY', `object path at position ${q.pathPos + 1}: ${(err as Error).message}`);
  }
  let tns = ns;
  if (target.namespace && e.hasNamespace(target.namespace)) tns = e.namespace(target.namespace);
  const filters = { AssocClass: q.AssocClass, ResultClass: q.ResultClass, Role: q.Role, ResultRole: q.ResultRole };
  const shape = { IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null };
  try {
    if (!e.repo.getClass(tns, target.className)) {
      throw new CimError('CIM_ERR_INVALID_QUERY', `class ${target.className} does not exist (at position ${q.pathPos + 1})`);
    }
    let classes: CIMClass[];
    if (target instanceof ClassName) {
      classes = q.kind === 'associators' ? assoc.associatorClasses(e, tns, target, filters, assocQualifier(q)) : assoc.referenceClasses(e, tns, target, filters);
      if (q.RequiredQualifier) classes = classes.filter((k) => k.qualifiers.has(q.RequiredQualifier!));
      return classes.map((k) => assoc.classWithPath(k, tns, c.host, { ...shape, IncludeQualifiers: true }));
    }
    let found: Found[] = q.kind === 'associators'
      ? await assoc.associatorInstances(e, tns, target, filters, c, assocQualifier(q))
      : await assoc.referenceInstances(e, tns, target, filters, c);
    if (q.RequiredQualifier) found = found.filter((f) => f.cls.qualifiers.has(q.RequiredQualifier!));
    if (q.ClassDefsOnly) {
      const seen = new Map<string, CIMClass>();
      for (const f of found) seen.set(f.cls.name.toLowerCase(), f.cls);
      return [...seen.values()].map((k) => assoc.classWithPath(k, tns, c.host, { ...shape, IncludeQualifiers: true }));
    }
    return found.map((f) => f.inst);
  } catch (err) {
    if (err instanceof CimError && err.statusName === 'CIM_ERR_INVALID_PARAMETER') throw new CimError('CIM_ERR_INVALID_QUERY', err.message);
    throw err;
  }
}

/** WQL RequiredAssocQualifier: a test on association classes. */
function assocQualifier(q: TraversalQuery): ((cls: CIMClass) => boolean) | undefined {
  const name = q.RequiredAssocQualifier;
  return name ? (cls) => cls.qualifiers.has(name) : undefined;
}

/**
 * A pull operation's filter (DSP0212 DMTF:FQL subset, same expression grammar as WHERE):
 * both language and query or neither (INVALID_PARAMETER), language FQL only (14), parsed and
 * checked against `cls` (15). Returns null when there is no filter.
 */
export function compileFilter(e: Engine, ns: string, cls: CIMClass | null, language: string | null, query: string | null): ((f: Found) => boolean) | null {
  if (language == null && query == null) return null;
  if (language == null || query == null) {
    throw new CimError('CIM_ERR_INVALID_PARAMETER', 'FilterQueryLanguage and FilterQuery must be given together');
  }
  if (language.trim().toUpperCase() !== 'DMTF:FQL') {
    throw new CimError('CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED', `filter query language ${JSON.stringify(language)} is not supported (use DMTF:FQL)`);
  }
  const expr: Expr = parseFilter(query);
  if (cls) checkExpr(expr, cls, (n) => !!e.repo.getClass(ns, n), 'filter');
  const ev = env(e, ns, true);
  return (f) => {
    for (const o of operandsOf(expr)) if (!isSystemProperty(o) && !f.cls.properties.has(o)) return false;
    return matches(expr, { inst: f.inst, cls: f.cls, ns }, ev);
  };
}

function operandsOf(e: Expr): string[] {
  switch (e.k) {
    case 'and':
    case 'or':
      return [...operandsOf(e.a), ...operandsOf(e.b)];
    case 'not':
      return operandsOf(e.e);
    case 'cmp':
      return [e.l, e.r].flatMap((o) => (o.k === 'prop' ? [o.name] : []));
    case 'like':
      return e.l.k === 'prop' ? [e.l.name] : [];
    case 'isnull':
    case 'isa':
      return e.o.k === 'prop' ? [e.o.name] : [];
  }
}
