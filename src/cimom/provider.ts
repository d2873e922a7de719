/**
 * The implementer's contract for providers (what a provider writes), kept apart from the
 * caller's API (operations.ts, what cimxml calls). The cimom owns every CIM rule that does not
 * need the provider's knowledge: guards, subclass fan-out, property filtering, path building,
 * association traversal, queries and pull contexts. A provider only answers "what instances of
 * exactly this class exist" and carries out changes and methods.
 *
 * Sync or async: every provider function may return a value or a Promise of it; the cimom
 * awaits either. Store-backed providers answer synchronously (better-sqlite3), providers that
 * wait on the dataplane may be async.
 *
 * Ownership: every object the cimom passes in (instances, names, parameter values) is a
 * fresh copy the provider may keep or change. Every object a provider returns is read, copied
 * and checked by the cimom before it leaves, so a provider may return its own cached objects
 * (it must not change them while the call is in flight).
 *
 * Errors: throw CimError with the right status (NOT_FOUND, ALREADY_EXISTS, INVALID_PARAMETER,
 * NOT_SUPPORTED, FAILED with a description). Anything else thrown becomes CIM_ERR_FAILED with
 * the message as description; the process never dies because of a provider.
 */
import type { CIMClass, CIMMethod } from '../cim/class.js';
import type { CIMInstance } from '../cim/instance.js';
import type { CIMap } from '../cim/names.js';
import type { ClassName, InstanceName } from '../cim/path.js';
import type { ClassRepository } from '../cim/repository.js';
import type { CIMValue } from '../cim/types.js';

export type MaybePromise<T> = T | Promise<T>;

/** What a provider is told about the call it serves. */
export interface ProviderContext {
  /** The namespace of the request, in its served spelling (e.g. `root/virtualization`). */
  namespace: string;
  /** The class the call targets (exactly the registered or a subclass of it), resolved. */
  cls: CIMClass;
  repository: ClassRepository;
  /** Authenticated user name and role ('internal' for calls the server makes itself). */
  user: string;
  role: 'admin' | 'reader' | 'internal';
  /** Host name printed in paths. */
  host: string;
  /**
   * Parses embedded-instance text (`<INSTANCE CLASSNAME=...>`, WMI DTD 2.0 style included) for
   * plain string parameters that carry one without an EmbeddedInstance qualifier.
   * Undefined when the server was built without a decoder.
   */
  decodeEmbedded?: (text: string) => CIMInstance | CIMClass;
}

/** Instance operations for the instances of one class (exactly that class, not subclasses). */
export interface InstanceProvider {
  /**
   * Every instance whose class is exactly `ctx.cls` (the cimom asks once per class of a
   * subclass tree). Instances need their key properties; `path` may be left unset (the cimom
   * builds the canonical path from the keys). Required.
   */
  enumerateInstances(ctx: ProviderContext): MaybePromise<Iterable<CIMInstance>>;
  /** Optional fast path; default: the keys of enumerateInstances. */
  enumerateInstanceNames?(ctx: ProviderContext): MaybePromise<Iterable<InstanceName>>;
  /**
   * The instance named (keys already converted to the declared types, class = ctx.cls), or
   * undefined when it does not exist (the cimom answers NOT_FOUND). Optional; default: a scan
   * of enumerateInstances.
   */
  getInstance?(ctx: ProviderContext, name: InstanceName): MaybePromise<CIMInstance | undefined>;
  /**
   * Creates an instance from checked input (property names in declared spelling, values of
   * the declared types, class defaults NOT filled in). Returns the created instance (keys
   * filled in; the cimom builds its name) or its name. Throws ALREADY_EXISTS on duplicate keys.
   * Absent: CreateInstance answers NOT_SUPPORTED.
   */
  createInstance?(ctx: ProviderContext, instance: CIMInstance): MaybePromise<CIMInstance | InstanceName>;
  /**
   * Replaces the values of `properties` (declared spelling, never keys) of the instance named
   * by `instance.path` with those in `instance` (absent there = NULL). The cimom has checked
   * that the instance exists. Absent: ModifyInstance and SetProperty answer NOT_SUPPORTED.
   */
  modifyInstance?(ctx: ProviderContext, instance: CIMInstance & { path: InstanceName }, properties: string[]): MaybePromise<void>;
  /** Deletes the named instance; throws NOT_FOUND when it is gone. Absent: NOT_SUPPORTED. */
  deleteInstance?(ctx: ProviderContext, name: InstanceName): MaybePromise<void>;
}

/**
 * Optional fast path for association classes: the instances of exactly `ctx.cls` that
 * reference `target` through `role` (any reference property when role is null). Without it
 * the cimom filters enumerateInstances.
 */
export interface AssociationProvider {
  referencesTo(ctx: ProviderContext, target: InstanceName, role: string | null): MaybePromise<Iterable<CIMInstance>>;
}

/** The result of a method: the return value and OUT parameters by name (case-insensitive). */
export interface MethodResult {
  returnValue: CIMValue;
  out?: Record<string, CIMValue> | CIMap<CIMValue>;
}

export interface MethodProvider {
  /**
   * Runs `method` on `target` (an instance path, already checked to exist when the provider
   * has getInstance, or a class path for static methods). `params` holds IN parameters by
   * declared name, converted to their declared types (references as InstanceName, embedded
   * instances as CIMInstance, datetime as CIMDateTime); parameters the client left out are
   * absent. The cimom converts the return value and OUT parameters to their declared types.
   */
  invokeMethod(
    ctx: ProviderContext,
    target: InstanceName | ClassName,
    method: CIMMethod,
    params: CIMap<CIMValue>,
  ): MaybePromise<MethodResult>;
}

/** Optional promises a provider makes so the cimom can skip work. */
export interface ProviderHints {
  /**
   * True when an instance object, once returned, is never changed again (changes replace
   * it with a new object). The cimom then caches each object's checked, normalised form, and
   * promises its callers: an unchanged instance is returned as the same frozen object between
   * calls with the same flags (unless a PropertyList or DeepInheritance=false filters it), so
   * the encoder can memoise per object.
   */
  immutableInstances?: boolean;
}

/** A provider implements one or more of the three contracts. */
export type Provider = Partial<InstanceProvider & AssociationProvider & MethodProvider> & ProviderHints;

/** What a lookup asks for: instance operations (enumerateInstances and the rest) or methods. */
export type ProviderKind = 'instance' | 'method';

export interface RegisterOptions {
  /** Also serve subclasses that have no provider of their own (default false). */
  subclasses?: boolean;
}

/** Where providers are registered; main.ts (through src/provider/index.ts) fills it. */
export interface ProviderRegistry {
  /** Registers `provider` for (namespace, class). A second registration for the same pair throws. */
  register(namespace: string, className: string, provider: Provider, opts?: RegisterOptions): void;
  /**
   * The provider serving `kind` (default 'instance') for `className`: its own registration,
   * a superclass's registered with `subclasses`, or the default; each only if it implements
   * that kind (enumerateInstances / invokeMethod).
   */
  lookup(namespace: string, className: string, kind?: ProviderKind): Provider | undefined;
  /** Sets the provider used for classes nobody registered (the store-backed default provider). */
  setDefault(provider: Provider): void;
}
