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
import type { ClassName, InstanceName } from '${cimModule}';

/** A value or a promise of it: providers may answer synchronously or not. */
export type Awaitable<T> = T | Promise<T>;

/** Who is asking and in which namespace; cimom fills it for every provider call. */
export interface ProviderContext {
  namespace: string;
  user: string;
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
`;
}
