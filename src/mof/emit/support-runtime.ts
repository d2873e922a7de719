/**
 * Text of src/generated/runtime.ts: the generic provider contracts every generated class
 * interface specialises. Kept as a template here (not a hand-written file in src/generated)
 * so everything under src/generated is reproducible from `npm run generate`.
 */
import { HEADER } from './print.js';

export function runtimeFile(cimModule: string): string {
  return `${HEADER}
/**
 * Provider contracts shared by the generated classes: what cimom calls on a provider and what
 * it expects back. Each generated class specialises them with its own property, key and
 * parameter types (e.g. Msvm_VirtualSwitchInstanceProvider, Msvm_...ServiceMethods), so a
 * provider that misses a method or returns the wrong shape does not compile.
 * Values are plain objects typed per class; cimom converts them to and from CIMInstance using
 * the descriptor table (see load.ts), checks keys, and applies property filtering itself.
 * Errors: providers throw CimError (src/cim/errors.ts); anything else becomes CIM_ERR_FAILED.
 */
import { CIMInstance, CimError, InstanceName } from '${cimModule}';
import type { CIMClass, CIMap, CIMMethod, CIMValue, ClassName, ClassRepository, KeyValue, PropertyValue } from '${cimModule}';

/** A value or a promise of it: providers may answer synchronously or not. */
export type Awaitable<T> = T | Promise<T>;

/**
 * What a provider is told about the call it serves: the fields of cimom's ProviderContext
 * (src/cimom/provider.ts), repeated here structurally because generated code must not import
 * cimom (the dependency points the other way).
 */
export interface ProviderContext {
  /** The namespace of the request, in its served spelling. */
  namespace: string;
  /** The class the call targets, resolved. */
  cls: CIMClass;
  repository: ClassRepository;
  user: string;
  role: 'admin' | 'reader' | 'internal';
  host: string;
}

/** Context of an extrinsic method call. */
export interface MethodContext extends ProviderContext {
  /** The object the method was invoked on: an instance path, or a class for static methods. */
  target: InstanceName | ClassName;
}

/**
 * What an extrinsic method answers: its return value and the OUT parameters it sets
 * (an OUT parameter left undefined is returned as NULL).
 */
export interface MethodResult<R, O> {
  ReturnValue: R;
  out: O;
}

/**
 * Instance operations for one class (T: its properties, K: its key properties).
 * The provider owns the objects it returns until the call completes; cimom copies them.
 */
export interface InstanceProvider<T, K> {
  /** Every instance of exactly this class, keys filled (cimom fans out over subclasses). */
  enumerate(ctx: ProviderContext): Awaitable<Iterable<T>>;
  /** The instance with these keys, or undefined when there is none (cimom answers CIM_ERR_NOT_FOUND). */
  get(key: K, ctx: ProviderContext): Awaitable<T | undefined>;
  /** Creates an instance and returns its keys; absent means CIM_ERR_NOT_SUPPORTED. */
  create?(instance: T, ctx: ProviderContext): Awaitable<K>;
  /** Applies the given properties (already filtered by PropertyList); absent means CIM_ERR_NOT_SUPPORTED. */
  modify?(key: K, changes: Partial<T>, ctx: ProviderContext): Awaitable<void>;
  /** Deletes the instance; absent means CIM_ERR_NOT_SUPPORTED. */
  delete?(key: K, ctx: ProviderContext): Awaitable<void>;
}

/**
 * Traversal for one association class (T: its properties, R: its reference property names).
 * cimom derives References/Associators (and their Names and pull forms) from this.
 */
export interface AssociationProvider<T, R extends string> {
  /** Association instances in which \`object\` is referenced by \`role\` (by any reference when null). */
  references(object: InstanceName, role: R | null, ctx: ProviderContext): Awaitable<Iterable<T>>;
}

// --- Adapter to cimom's CIMInstance-based provider contract -----------------------------

/** A typed provider for one class: any of its instance, method and association parts. */
export interface TypedProvider<T, K> {
  instances?: InstanceProvider<T, K>;
  /** An object implementing the class's generated Methods interface. */
  methods?: object;
  associations?: AssociationProvider<T, string>;
}

type CimomMethodResult = { returnValue: CIMValue; out?: Record<string, CIMValue> };

/**
 * cimom's Provider shape (src/cimom/provider.ts: InstanceProvider & AssociationProvider &
 * MethodProvider, all optional), repeated structurally.
 */
export interface UntypedProvider {
  enumerateInstances?(ctx: ProviderContext): Promise<Iterable<CIMInstance>>;
  getInstance?(ctx: ProviderContext, name: InstanceName): Promise<CIMInstance | undefined>;
  createInstance?(ctx: ProviderContext, instance: CIMInstance): Promise<InstanceName>;
  modifyInstance?(ctx: ProviderContext, instance: CIMInstance & { path: InstanceName }, properties: string[]): Promise<void>;
  deleteInstance?(ctx: ProviderContext, name: InstanceName): Promise<void>;
  referencesTo?(ctx: ProviderContext, target: InstanceName, role: string | null): Promise<Iterable<CIMInstance>>;
  invokeMethod?(ctx: ProviderContext, target: InstanceName | ClassName, method: CIMMethod, params: CIMap<CIMValue>): Promise<CimomMethodResult>;
}

/** A typed object (declared property names) as a CIMInstance of cls; unknown names are a provider bug. */
export function toInstance(cls: CIMClass, obj: object): CIMInstance {
  const values: PropertyValue[] = [];
  for (const [name, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    const p = cls.properties.get(name);
    if (!p) throw new CimError('CIM_ERR_FAILED', \`provider returned property \${name}, which class \${cls.name} does not have\`);
    const v: PropertyValue = { name: p.name, type: p.type, isArray: p.isArray, value: value as CIMValue };
    if (p.arraySize !== undefined) v.arraySize = p.arraySize;
    if (p.refClass !== undefined) v.refClass = p.refClass;
    if (p.embedded !== undefined) v.embedded = p.embedded;
    values.push(v);
  }
  return new CIMInstance(cls.name, values);
}

/** A CIMInstance as a typed object with the declared property names. */
export function fromInstance<T>(cls: CIMClass, inst: CIMInstance): T {
  const out: Record<string, CIMValue> = {};
  for (const p of inst.properties.values()) out[cls.properties.nameOf(p.name) ?? p.name] = p.value;
  return out as T;
}

/** The key object of an instance name (declared key names; absent keys are a cimom bug). */
export function keyOf<K>(cls: CIMClass, name: InstanceName): K {
  const out: Record<string, KeyValue> = {};
  for (const k of cls.keys) {
    const v = name.key(k);
    if (v === undefined) throw new CimError('CIM_ERR_INVALID_PARAMETER', \`instance name lacks key \${k} of \${cls.name}\`);
    out[k] = v;
  }
  return out as K;
}

async function all<T>(items: Awaitable<Iterable<T>>, map: (t: T) => CIMInstance): Promise<CIMInstance[]> {
  return Array.from(await items, map);
}

function withInstances<T, K>(p: InstanceProvider<T, K>, out: UntypedProvider): void {
  out.enumerateInstances = async (ctx) => all(p.enumerate(ctx), (t) => toInstance(ctx.cls, t as object));
  out.getInstance = async (ctx, name) => {
    const t = await p.get(keyOf<K>(ctx.cls, name), ctx);
    return t === undefined ? undefined : toInstance(ctx.cls, t as object);
  };
  const { create, modify } = p;
  if (create) {
    out.createInstance = async (ctx, inst) => {
      const key = await create.call(p, fromInstance<T>(ctx.cls, inst), ctx);
      return InstanceName.of(ctx.cls.name, key as Record<string, KeyValue>);
    };
  }
  if (modify) {
    out.modifyInstance = async (ctx, inst, properties) => {
      const changes: Record<string, CIMValue> = {};
      for (const name of properties) changes[ctx.cls.properties.nameOf(name) ?? name] = inst.get(name) ?? null;
      await modify.call(p, keyOf<K>(ctx.cls, inst.path), changes as Partial<T>, ctx);
    };
  }
  const del = p.delete;
  if (del) out.deleteInstance = async (ctx, name) => del.call(p, keyOf<K>(ctx.cls, name), ctx);
}

function withMethods(methods: object, out: UntypedProvider): void {
  out.invokeMethod = async (ctx, target, method, params) => {
    const fn = (methods as Record<string, unknown>)[method.name];
    if (typeof fn !== 'function') throw new CimError('CIM_ERR_NOT_SUPPORTED', \`method \${method.name} of \${ctx.cls.name} is not supported\`);
    const input: Record<string, CIMValue> = {};
    for (const [name, value] of params) input[method.parameters.nameOf(name) ?? name] = value;
    const r = (await fn.call(methods, input, { ...ctx, target })) as MethodResult<CIMValue, Record<string, CIMValue | undefined>>;
    const outParams: Record<string, CIMValue> = {};
    for (const [name, value] of Object.entries(r.out ?? {})) if (value !== undefined) outParams[name] = value;
    return { returnValue: r.ReturnValue, out: outParams };
  };
}

/**
 * Wraps a typed provider into cimom's CIMInstance-based contract: typed objects become
 * instances of ctx.cls, instance names become key objects, method parameters an In object.
 * Register the result with cimom's ProviderRegistry.
 */
export function untypedProvider<T, K>(typed: TypedProvider<T, K>): UntypedProvider {
  const out: UntypedProvider = {};
  if (typed.instances) withInstances(typed.instances, out);
  if (typed.methods) withMethods(typed.methods, out);
  const assoc = typed.associations;
  if (assoc) out.referencesTo = async (ctx, target, role) => all(assoc.references(target, role, ctx), (t) => toInstance(ctx.cls, t as object));
  return out;
}
`;
}
