/**
 * The pull operations (cim-xml-protocol.md 4.4) on top of the classic handlers: each Open
 * checks its common parameters first (ContinueOnError 26, OperationTimeout 22, filter 4/14/15),
 * computes the whole result with the same code as EnumerateInstances / References /
 * Associators / ExecQuery, applies the DMTF:FQL filter, and parks the rest in a context.
 */
import { CimError } from '../cim/errors.js';
import type { CIMInstance } from '../cim/instance.js';
import type { InstanceName } from '../cim/path.js';
import * as assoc from './assoc.js';
import type { Caller, Engine, Found } from './engine.js';
import { shapeInstance } from './filter.js';
import type { InstanceWithPath, PullResult, Requests, Responses } from './operations.js';
import { compileFilter, runQuery } from './query/exec.js';

type Open = { FilterQueryLanguage: string | null; FilterQuery: string | null; OperationTimeout: number | null; ContinueOnError: boolean; MaxObjectCount: number };

function begin(e: Engine, r: Open): number {
  return e.pulls.checkOpen(r.OperationTimeout, r.ContinueOnError, r.MaxObjectCount);
}

function filtered(e: Engine, ns: string, found: readonly Found[], r: Open, cls: string | null): readonly Found[] {
  const f = compileFilter(e, ns, cls ? e.repo.getClass(ns, cls) ?? null : null, r.FilterQueryLanguage, r.FilterQuery);
  return f ? found.filter(f) : found;
}

function withPaths(found: readonly Found[], r: { PropertyList: string[] | null; IncludeClassOrigin: boolean }, limitTo?: Found['cls']): InstanceWithPath[] {
  return found.map((f) => shapeInstance(f.inst, f.cls, { propertyList: r.PropertyList, includeClassOrigin: r.IncludeClassOrigin, limitTo }));
}

export async function openEnumerateInstances(e: Engine, ns: string, r: Requests['OpenEnumerateInstances'], c: Caller): Promise<PullResult<InstanceWithPath>> {
  const timeout = begin(e, r);
  const cls = e.cls(ns, r.ClassName);
  const found = filtered(e, ns, await e.instancesOf(ns, cls, c), r, cls.name);
  return e.pulls.open('withPath', ns, withPaths(found, r, r.DeepInheritance ? undefined : cls), r.MaxObjectCount, timeout);
}

export async function openEnumerateInstancePaths(e: Engine, ns: string, r: Requests['OpenEnumerateInstancePaths'], c: Caller): Promise<PullResult<InstanceName>> {
  const timeout = begin(e, r);
  const cls = e.cls(ns, r.ClassName);
  const found = filtered(e, ns, await e.instancesOf(ns, cls, c), r, cls.name);
  return e.pulls.open('paths', ns, found.map((f) => f.inst.path), r.MaxObjectCount, timeout);
}

async function refs(e: Engine, ns: string, r: Requests['OpenReferenceInstancePaths'], c: Caller): Promise<readonly Found[]> {
  const found = await assoc.referenceInstances(e, ns, r.InstanceName, r, c);
  return filtered(e, ns, found, r, r.ResultClass);
}

export async function openReferenceInstances(e: Engine, ns: string, r: Requests['OpenReferenceInstances'], c: Caller): Promise<PullResult<InstanceWithPath>> {
  const timeout = begin(e, r);
  return e.pulls.open('withPath', ns, withPaths(await refs(e, ns, r, c), r), r.MaxObjectCount, timeout);
}

export async function openReferenceInstancePaths(e: Engine, ns: string, r: Requests['OpenReferenceInstancePaths'], c: Caller): Promise<PullResult<InstanceName>> {
  const timeout = begin(e, r);
  return e.pulls.open('paths', ns, (await refs(e, ns, r, c)).map((f) => f.inst.path), r.MaxObjectCount, timeout);
}

async function assocs(e: Engine, ns: string, r: Requests['OpenAssociatorInstancePaths'], c: Caller): Promise<readonly Found[]> {
  const found = await assoc.associatorInstances(e, ns, r.InstanceName, r, c);
  return filtered(e, ns, found, r, r.ResultClass);
}

export async function openAssociatorInstances(e: Engine, ns: string, r: Requests['OpenAssociatorInstances'], c: Caller): Promise<PullResult<InstanceWithPath>> {
  const timeout = begin(e, r);
  return e.pulls.open('withPath', ns, withPaths(await assocs(e, ns, r, c), r), r.MaxObjectCount, timeout);
}

export async function openAssociatorInstancePaths(e: Engine, ns: string, r: Requests['OpenAssociatorInstancePaths'], c: Caller): Promise<PullResult<InstanceName>> {
  const timeout = begin(e, r);
  return e.pulls.open('paths', ns, (await assocs(e, ns, r, c)).map((f) => f.inst.path), r.MaxObjectCount, timeout);
}

export async function openQueryInstances(e: Engine, ns: string, r: Requests['OpenQueryInstances'], c: Caller): Promise<Responses['OpenQueryInstances']> {
  const timeout = e.pulls.checkOpen(r.OperationTimeout, r.ContinueOnError, r.MaxObjectCount);
  const res = await runQuery(e, ns, r.FilterQueryLanguage, r.FilterQuery, c);
  const items: CIMInstance[] = [];
  for (const o of res.items) {
    if ('cls' in o) throw new CimError('CIM_ERR_NOT_SUPPORTED', 'OpenQueryInstances returns instances only; class results (ClassDefsOnly, class paths) are not supported');
    items.push(o);
  }
  const out: Responses['OpenQueryInstances'] = e.pulls.open('instances', ns, items, r.MaxObjectCount, timeout);
  if (r.ReturnQueryResultClass) {
    if (!res.resultClass) throw new CimError('CIM_ERR_INVALID_QUERY', 'only SELECT queries have a query result class');
    out.QueryResultClass = res.resultClass;
  }
  return out;
}
