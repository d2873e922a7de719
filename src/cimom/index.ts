/**
 * The cimom: `createCimom()` builds the dispatcher cimxml calls (the Cimom interface of
 * operations.ts) plus the provider registry main.ts fills. One typed, exhaustive table maps
 * each intrinsic operation to its handler; every call resolves the namespace first
 * (INVALID_NAMESPACE) and turns stray exceptions into CIM_ERR_FAILED. The cimom imports no
 * concrete provider.
 */
import { CimError } from '../cim/errors.js';
import type { ClassRepository } from '../cim/repository.js';
import { ClassName } from '../cim/path.js';
import * as assoc from './assoc.js';
import * as classes from './classes.js';
import { shapeInstance } from './filter.js';
import type { EmbeddedDecoder } from './convert.js';
import { Engine, type Caller, type Found, type NamedInstance } from './engine.js';
import { rejectSchemaChange } from './guards.js';
import * as instances from './instances.js';
import * as methods from './methods.js';
import { runQuery } from './query/exec.js';
import * as pull from './pull-ops.js';
import { DEFAULT_PULL_LIMITS, PullContexts, type PullLimits } from './pull.js';
import type { Cimom, IntrinsicName, InvokeMethodRequest, InvokeMethodResponse, Requests, RequestContext, Responses } from './operations.js';
import { Registry } from './registry.js';

export type { Cimom } from './operations.js';
export type * from './provider.js';
export { Registry } from './registry.js';

export interface CimomOptions {
  repository: ClassRepository;
  /** Parses embedded-object text (`<INSTANCE ...>`) in string values; cimxml provides it. */
  decodeEmbedded?: EmbeddedDecoder;
  /**
   * Extra names for served namespaces (alias -> served name). Default: `interop` for
   * `root/interop` (DSP1033's name, which clients probe first); aliases of unserved targets are ignored.
   */
  namespaceAliases?: Record<string, string>;
  /** Milliseconds clock for pull-context expiry (tests pass a fake). */
  clock?: () => number;
  /** Pull-enumeration limits (timeouts in seconds, context count, batch size). */
  pullLimits?: Partial<PullLimits>;
}

type Handler<K extends IntrinsicName> = (e: Engine, ns: string, req: Requests[K], c: Caller) => Promise<Responses[K]> | Responses[K];
type Table = { [K in IntrinsicName]: Handler<K> };

function shapeAll(found: Found[], r: { PropertyList: string[] | null; IncludeClassOrigin: boolean }): NamedInstance[] {
  return found.map((f) => shapeInstance(f.inst, f.cls, { propertyList: r.PropertyList, includeClassOrigin: r.IncludeClassOrigin }));
}

function table(): Table {
  return {
    GetClass: (e, ns, r) => classes.getClass(e, ns, r),
    EnumerateClasses: (e, ns, r) => classes.enumerateClasses(e, ns, r),
    EnumerateClassNames: (e, ns, r) => classes.enumerateClassNames(e, ns, r),
    CreateClass: () => rejectSchemaChange('CreateClass'),
    ModifyClass: () => rejectSchemaChange('ModifyClass'),
    DeleteClass: () => rejectSchemaChange('DeleteClass'),
    GetQualifier: (e, ns, r) => classes.getQualifier(e, ns, r),
    SetQualifier: () => rejectSchemaChange('SetQualifier'),
    DeleteQualifier: () => rejectSchemaChange('DeleteQualifier'),
    EnumerateQualifiers: (e, ns) => classes.enumerateQualifiers(e, ns),
    GetInstance: instances.getInstance,
    EnumerateInstances: instances.enumerateInstances,
    EnumerateInstanceNames: instances.enumerateInstanceNames,
    CreateInstance: instances.createInstance,
    ModifyInstance: instances.modifyInstance,
    DeleteInstance: instances.deleteInstance,
    GetProperty: instances.getProperty,
    SetProperty: instances.setProperty,
    Associators: async (e, ns, r, c) => {
      if (r.ObjectName instanceof ClassName) return assoc.associatorClasses(e, ns, r.ObjectName, r).map((k) => assoc.classWithPath(k, ns, c.host, r));
      return shapeAll(await assoc.associatorInstances(e, ns, r.ObjectName, r, c), r);
    },
    AssociatorNames: async (e, ns, r, c) => {
      if (r.ObjectName instanceof ClassName) return assoc.associatorClasses(e, ns, r.ObjectName, r).map((k) => new ClassName(k.name, ns, c.host));
      return (await assoc.associatorInstances(e, ns, r.ObjectName, r, c)).map((f) => f.inst.path);
    },
    References: async (e, ns, r, c) => {
      if (r.ObjectName instanceof ClassName) return assoc.referenceClasses(e, ns, r.ObjectName, r).map((k) => assoc.classWithPath(k, ns, c.host, r));
      return shapeAll(await assoc.referenceInstances(e, ns, r.ObjectName, r, c), r);
    },
    ReferenceNames: async (e, ns, r, c) => {
      if (r.ObjectName instanceof ClassName) return assoc.referenceClasses(e, ns, r.ObjectName, r).map((k) => new ClassName(k.name, ns, c.host));
      return (await assoc.referenceInstances(e, ns, r.ObjectName, r, c)).map((f) => f.inst.path);
    },
    ExecQuery: async (e, ns, r, c) => (await runQuery(e, ns, r.QueryLanguage, r.Query, c)).items,
    OpenEnumerateInstances: pull.openEnumerateInstances,
    OpenEnumerateInstancePaths: pull.openEnumerateInstancePaths,
    OpenReferenceInstances: pull.openReferenceInstances,
    OpenReferenceInstancePaths: pull.openReferenceInstancePaths,
    OpenAssociatorInstances: pull.openAssociatorInstances,
    OpenAssociatorInstancePaths: pull.openAssociatorInstancePaths,
    OpenQueryInstances: pull.openQueryInstances,
    PullInstancesWithPath: (e, ns, r) => e.pulls.pull('withPath', ns, r.EnumerationContext, r.MaxObjectCount),
    PullInstancePaths: (e, ns, r) => e.pulls.pull('paths', ns, r.EnumerationContext, r.MaxObjectCount),
    PullInstances: (e, ns, r) => e.pulls.pull('instances', ns, r.EnumerationContext, r.MaxObjectCount),
    CloseEnumeration: (e, ns, r) => e.pulls.close(ns, r.EnumerationContext),
    EnumerationCount: (e, ns, r) => BigInt(e.pulls.remaining(ns, r.EnumerationContext)),
  };
}

export interface CimomServer extends Cimom {
  readonly registry: Registry;
  readonly repository: ClassRepository;
  /** Releases timers and pull contexts. */
  close(): void;
  /** Open pull contexts (for tests and diagnostics). */
  readonly pulls: PullContexts;
}

function failed(e: unknown): CimError {
  if (e instanceof CimError) return e;
  return new CimError('CIM_ERR_FAILED', e instanceof Error ? e.message : String(e));
}

export function createCimom(opts: CimomOptions): CimomServer {
  const registry = new Registry(opts.repository);
  const engine = new Engine(opts.repository, registry, opts.decodeEmbedded, opts.namespaceAliases ?? { interop: 'root/interop' });
  engine.pulls = new PullContexts(opts.clock ?? Date.now, { ...DEFAULT_PULL_LIMITS, ...opts.pullLimits });
  const ops = table();
  return {
    registry,
    repository: opts.repository,
    async intrinsic<K extends IntrinsicName>(op: K, namespace: string, req: Requests[K], ctx: RequestContext): Promise<Responses[K]> {
      try {
        const handler = ops[op] as Handler<K> | undefined;
        if (!handler) throw new CimError('CIM_ERR_NOT_SUPPORTED', `unknown operation ${String(op)}`);
        const ns = engine.namespace(namespace);
        return await handler(engine, ns, req, ctx);
      } catch (e) {
        throw failed(e);
      }
    },
    async invokeMethod(namespace: string, req: InvokeMethodRequest, ctx: RequestContext): Promise<InvokeMethodResponse> {
      try {
        return await methods.invokeMethod(engine, namespace, req, ctx);
      } catch (e) {
        throw failed(e);
      }
    },
    hasNamespace: (ns: string) => engine.hasNamespace(ns),
    pulls: engine.pulls,
    close: () => engine.pulls.dispose(),
  };
}

/** Helpers providers may use: the canonical name of an instance of a resolved class. */
export { buildPath as instanceNameOf, propertyValue } from './normalise.js';
