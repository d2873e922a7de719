/**
 * The dispatcher's core shared by every operation handler: namespace and class resolution,
 * provider lookup per (namespace, class), subclass fan-out with the deepest-class rule (each
 * class of the tree is asked of the one provider serving it, so each instance is reported
 * once), provider calls wrapped so a provider's crash becomes CIM_ERR_FAILED, and output
 * normalisation. Handlers (classes.ts, instances.ts, assoc.ts, ...) stay short on top of it.
 */
import type { CIMClass } from '../cim/class.js';
import { CimError, type CIMStatusName } from '../cim/errors.js';
import type { CIMInstance } from '../cim/instance.js';
import { ciKey } from '../cim/names.js';
import { InstanceName } from '../cim/path.js';
import type { ClassRepository } from '../cim/repository.js';
import type { EmbeddedDecoder } from './convert.js';
import { normaliseName, normaliseOutput } from './normalise.js';
import type { RequestContext } from './operations.js';
import type { Provider, ProviderContext } from './provider.js';
import type { PullContexts } from './pull.js';
import { normaliseNamespace, type Registry } from './registry.js';

export type Caller = RequestContext | { user: string; role: 'internal'; host: string };
export type NamedInstance = CIMInstance & { path: InstanceName };

export interface Found {
  inst: NamedInstance;
  cls: CIMClass;
}

/** Runs a provider call; anything but a CimError becomes CIM_ERR_FAILED with its message. */
export async function guarded<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CimError) throw e;
    throw new CimError('CIM_ERR_FAILED', `${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

interface Memo {
  ns: string;
  host: string;
  expected: CIMClass;
  found: Found;
}

/**
 * A subclass whose provider cannot enumerate (NOT_SUPPORTED) contributes nothing to an
 * enumeration of its superclass instead of failing it; the class asked for still fails.
 */
async function skipUnsupported<T>(skip: boolean, fn: () => Promise<Iterable<T>>): Promise<Iterable<T>> {
  try {
    return await fn();
  } catch (e) {
    if (skip && e instanceof CimError && e.statusName === 'CIM_ERR_NOT_SUPPORTED') return [];
    throw e;
  }
}

/** A subclass provider asked during a superclass-path GetInstance that cannot answer has nothing. */
async function absentIfUnable(fn: () => Promise<Found | undefined>): Promise<Found | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CimError && (e.statusName === 'CIM_ERR_NOT_SUPPORTED' || e.statusName === 'CIM_ERR_NOT_FOUND')) return undefined;
    throw e;
  }
}

export class Engine {
  private nsMap: Map<string, string> | undefined;
  /** Normalised forms of instances from providers that promise not to mutate them. */
  private readonly memo = new WeakMap<CIMInstance, Memo>();
  private readonly names = new WeakMap<InstanceName, { cls: CIMClass; ns: string; host: string; norm: InstanceName }>();
  /** Per class object and namespace (a class object may be shared by namespaces with other subclasses). */
  private readonly sameKeySubclasses = new WeakMap<CIMClass, Map<string, readonly CIMClass[]>>();
  /** Frozen provider answers -> their frozen normalised form (see instancesOfExactly). */
  private readonly runs = new WeakMap<object, { ns: string; host: string; cls: CIMClass; out: readonly Found[] }>();
  /** Open pull enumerations (set by createCimom). */
  pulls!: PullContexts;

  constructor(
    readonly repo: ClassRepository,
    readonly registry: Registry,
    readonly decode: EmbeddedDecoder | undefined,
    private readonly aliases: Record<string, string> = {},
  ) {}

  /** The served spelling of a namespace; INVALID_NAMESPACE when not served. */
  namespace(ns: string): string {
    if (!this.nsMap) {
      this.nsMap = new Map();
      for (const n of this.repo.namespaces()) this.nsMap.set(ciKey(normaliseNamespace(n)), n);
      for (const [a, t] of Object.entries(this.aliases)) {
        const target = this.nsMap.get(ciKey(normaliseNamespace(t)));
        if (target) this.nsMap.set(ciKey(normaliseNamespace(a)), target);
      }
    }
    const hit = this.nsMap.get(ciKey(normaliseNamespace(ns ?? '')));
    if (!hit) throw new CimError('CIM_ERR_INVALID_NAMESPACE', `namespace ${JSON.stringify(ns)} is not served`);
    return hit;
  }

  hasNamespace(ns: string): boolean {
    try {
      this.namespace(ns);
      return true;
    } catch {
      return false;
    }
  }

  /** The class or a CimError with `status` (INVALID_CLASS, NOT_FOUND or INVALID_PARAMETER). */
  cls(ns: string, name: string | null | undefined, status: CIMStatusName = 'CIM_ERR_INVALID_CLASS'): CIMClass {
    const c = name ? this.repo.getClass(ns, name) : undefined;
    if (!c) throw new CimError(status, `class ${JSON.stringify(name ?? '')} does not exist in ${ns}`);
    return c;
  }

  pctx(ns: string, cls: CIMClass, caller: Caller): ProviderContext {
    return { namespace: ns, cls, repository: this.repo, user: caller.user, role: caller.role, host: caller.host, decodeEmbedded: this.decode };
  }

  provider(ns: string, className: string): Provider | undefined {
    return this.registry.lookup(ns, className);
  }

  /** `cls` and all its subclasses that can have instances (non-abstract), parents first. */
  concreteTree(ns: string, cls: CIMClass): CIMClass[] {
    const out: CIMClass[] = [];
    if (!cls.isAbstract) out.push(cls);
    for (const n of this.repo.subclassNames(ns, cls.name, true)) {
      const c = this.repo.getClass(ns, n);
      if (c && !c.isAbstract) out.push(c);
    }
    return out;
  }

  /**
   * Normalised instances of exactly `cls`, from its provider. A provider of immutable
   * instances that answers with the very same frozen array as before (nothing changed) gets
   * the same frozen result back, without a pass over its instances.
   */
  async instancesOfExactly(ns: string, cls: CIMClass, caller: Caller): Promise<readonly Found[]> {
    const p = this.provider(ns, cls.name);
    if (!p?.enumerateInstances) return [];
    const ctx = this.pctx(ns, cls, caller);
    const raw = await guarded(`enumerating ${cls.name}`, () => p.enumerateInstances!(ctx));
    const memo = p.immutableInstances === true;
    const reuse = memo && Array.isArray(raw) && Object.isFrozen(raw);
    if (reuse) {
      const r = this.runs.get(raw);
      if (r && r.ns === ns && r.host === caller.host && r.cls === cls) return r.out;
    }
    const out: Found[] = [];
    for (const i of raw) out.push(this.output(ns, i, cls, caller, memo));
    if (reuse) this.runs.set(raw, { ns, host: caller.host, cls, out: Object.freeze(out) });
    return out;
  }

  /** Normalised instances of `cls` and its subclasses (each from its own provider). */
  async instancesOf(ns: string, cls: CIMClass, caller: Caller): Promise<readonly Found[]> {
    const tree = this.concreteTree(ns, cls);
    if (tree.length === 1 && tree[0] === cls) return this.instancesOfExactly(ns, cls, caller);
    const all: Found[] = [];
    for (const c of tree) {
      all.push(...(await skipUnsupported(c !== cls, () => this.instancesOfExactly(ns, c, caller))));
    }
    return all;
  }

  async instanceNamesOf(ns: string, cls: CIMClass, caller: Caller): Promise<InstanceName[]> {
    const all: InstanceName[] = [];
    for (const c of this.concreteTree(ns, cls)) {
      const p = this.provider(ns, c.name);
      if (!p?.enumerateInstances) continue;
      if (p.enumerateInstanceNames) {
        const ctx = this.pctx(ns, c, caller);
        const names = await skipUnsupported(c !== cls, () => guarded(`enumerating ${c.name}`, () => p.enumerateInstanceNames!(ctx)));
        for (const n of names) all.push(this.checkName(ns, n, c, caller));
      } else for (const f of await skipUnsupported(c !== cls, () => this.instancesOfExactly(ns, c, caller))) all.push(f.inst.path);
    }
    return all;
  }

  /**
   * Provider output -> a checked, normalised instance of `expected` or a subclass. With
   * `memo` (the provider never mutates what it returned) the result is cached per object.
   */
  output(ns: string, raw: CIMInstance, expected: CIMClass, caller: Caller, memo = false): Found {
    if (memo) {
      const m = this.memo.get(raw);
      if (m && m.ns === ns && m.host === caller.host && m.expected === expected) return m.found;
      const found = this.output(ns, raw, expected, caller, false);
      this.memo.set(raw, { ns, host: caller.host, expected, found });
      return found;
    }
    let cls = expected;
    if (!ciEqName(raw.className, expected.name)) {
      const c = this.repo.getClass(ns, raw.className);
      if (!c || !this.repo.isSubclassOf(ns, c.name, expected.name)) {
        throw new CimError('CIM_ERR_FAILED', `provider for ${expected.name} returned an instance of ${raw.className}`);
      }
      cls = c;
    }
    return { inst: normaliseOutput(raw, cls, ns, caller.host, this.decode), cls };
  }

  private checkName(ns: string, n: InstanceName, cls: CIMClass, caller: Caller): InstanceName {
    try {
      return normaliseName(n, cls, ns, caller.host);
    } catch (e) {
      throw new CimError('CIM_ERR_FAILED', `provider for ${cls.name} returned a bad name: ${(e as Error).message}`);
    }
  }

  /**
   * The instance named, looked up at the named class and then at its subclasses with the
   * same keys (a client may name an instance by a superclass). Undefined when none has it.
   * INVALID_CLASS when the class is unknown, INVALID_PARAMETER for bad keys.
   * Chosen rule (WMI, Pegasus and pywbem's mock answer NOT_FOUND for a superclass path): the
   * instance is found through a superclass path only when the provider of a subclass answers
   * for it; a subclass provider that cannot answer (NOT_SUPPORTED, or NOT_FOUND thrown) is
   * "not there", so the caller still gets NOT_FOUND. Errors of the named class's own provider
   * propagate.
   */
  async getInstance(ns: string, name: InstanceName, caller: Caller): Promise<Found | undefined> {
    const cls = this.cls(ns, name.className);
    const norm = this.normalisedName(name, cls, ns, caller.host);
    for (const c of [cls, ...this.subclassesWithSameKeys(ns, cls)]) {
      if (c.isAbstract) continue;
      const found =
        c === cls
          ? await this.getExactly(ns, c, norm, caller)
          : await absentIfUnable(() => this.getExactly(ns, c, new InstanceName(c.name, norm.keys, norm.namespace, norm.host), caller));
      if (found) return found;
    }
    return undefined;
  }

  /**
   * normaliseName, kept per name object: a request repeated byte for byte (its decoded,
   * frozen parameters reused) looks up the same normalised name, whose identity is computed.
   */
  private normalisedName(name: InstanceName, cls: CIMClass, ns: string, host: string): InstanceName {
    const hit = this.names.get(name);
    if (hit && hit.cls === cls && hit.ns === ns && hit.host === host) return hit.norm;
    const norm = normaliseName(name, cls, ns, host);
    this.names.set(name, { cls, ns, host, norm });
    return norm;
  }

  /** Subclasses of `cls` with as many keys (the schema does not change at run time). */
  private subclassesWithSameKeys(ns: string, cls: CIMClass): readonly CIMClass[] {
    let byNs = this.sameKeySubclasses.get(cls);
    if (!byNs) this.sameKeySubclasses.set(cls, (byNs = new Map()));
    const known = byNs.get(ns);
    if (known) return known;
    const out: CIMClass[] = [];
    for (const n of this.repo.subclassNames(ns, cls.name, true)) {
      const c = this.repo.getClass(ns, n);
      if (c && c.keys.length === cls.keys.length) out.push(c);
    }
    byNs.set(ns, out);
    return out;
  }

  private async getExactly(ns: string, cls: CIMClass, name: InstanceName, caller: Caller): Promise<Found | undefined> {
    const p = this.provider(ns, cls.name);
    if (!p?.enumerateInstances) return undefined;
    const ctx = this.pctx(ns, cls, caller);
    if (p.getInstance) {
      const raw = await guarded(`getting ${cls.name}`, () => p.getInstance!(ctx, name));
      if (!raw) return undefined;
      const f = this.output(ns, raw, cls, caller, p.immutableInstances === true);
      return f.inst.path.equals(name) ? f : undefined;
    }
    for (const f of await this.instancesOfExactly(ns, cls, caller)) if (f.inst.path.equals(name)) return f;
    return undefined;
  }

  /** Like getInstance but NOT_FOUND when absent. */
  async mustGet(ns: string, name: InstanceName, caller: Caller): Promise<Found> {
    const f = await this.getInstance(ns, name, caller);
    if (!f) throw new CimError('CIM_ERR_NOT_FOUND', `no instance ${name.toString('wbem')}`);
    return f;
  }
}

function ciEqName(a: string, b: string): boolean {
  return ciKey(a) === ciKey(b);
}
