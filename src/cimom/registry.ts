/**
 * The provider registry: providers keyed by (namespace, class), both case-insensitive.
 * Lookup walks up the superclass chain for registrations made with `subclasses: true`, then
 * falls back to the default provider, so each class has at most one provider and each
 * instance is reported by exactly one (the deepest-class rule of the dispatcher).
 */
import { ciKey } from '../cim/names.js';
import type { ClassRepository } from '../cim/repository.js';
import type { Provider, ProviderKind, ProviderRegistry, RegisterOptions } from './provider.js';

interface Entry {
  provider: Provider;
  subclasses: boolean;
}

export function normaliseNamespace(ns: string): string {
  return ns.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
}

/** Namespace spellings seen -> their key (a handful in practice; bounded). */
const NS_KEYS = new Map<string, string>();

function nsKey(ns: string): string {
  let k = NS_KEYS.get(ns);
  if (k === undefined) {
    k = ciKey(normaliseNamespace(ns));
    if (NS_KEYS.size < 1024) NS_KEYS.set(ns, k);
  }
  return k;
}

export class Registry implements ProviderRegistry {
  private readonly entries = new Map<string, Entry>();
  private fallback: Provider | undefined;
  private readonly cache = new Map<string, Provider | null>();
  /** lookup() answers by kind, namespace and class name exactly as spelled; cleared with `cache`. */
  private readonly raw: Record<ProviderKind, Map<string, Map<string, Provider | null>>> = { instance: new Map(), method: new Map() };

  constructor(private readonly repository: ClassRepository) {}

  register(namespace: string, className: string, provider: Provider, opts: RegisterOptions = {}): void {
    const k = nsKey(namespace) + ':' + ciKey(className);
    if (this.entries.has(k)) throw new Error(`a provider is already registered for ${namespace}:${className}`);
    this.entries.set(k, { provider, subclasses: opts.subclasses ?? false });
    this.clearCaches();
  }

  setDefault(provider: Provider): void {
    this.fallback = provider;
    this.clearCaches();
  }

  lookup(namespace: string, className: string, kind: ProviderKind = 'instance'): Provider | undefined {
    // by the spellings as given first (no key strings built), then by the normalised key
    let byNs = this.raw[kind].get(namespace);
    if (!byNs) this.raw[kind].set(namespace, (byNs = new Map()));
    const seen = byNs.get(className);
    if (seen !== undefined) return seen ?? undefined;
    const p = this.lookupByKey(namespace, className, kind);
    if (byNs.size < 4096) byNs.set(className, p ?? null);
    return p;
  }

  private lookupByKey(namespace: string, className: string, kind: ProviderKind): Provider | undefined {
    const ck = kind + ':' + nsKey(namespace) + ':' + ciKey(className);
    const hit = this.cache.get(ck);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.resolve(namespace, className, kind);
    this.cache.set(ck, found ?? null);
    return found;
  }

  private clearCaches(): void {
    this.cache.clear();
    this.raw.instance.clear();
    this.raw.method.clear();
  }

  /** True when a provider was registered for this exact class (not inherited or default). */
  hasOwn(namespace: string, className: string): boolean {
    return this.entries.has(nsKey(namespace) + ':' + ciKey(className));
  }

  /**
   * The nearest provider that implements `kind`: the class's own registration, then those
   * of superclasses registered with `subclasses`, then the default. A method-only provider
   * thus leaves a class's instances to the default provider, and the other way round.
   */
  private resolve(namespace: string, className: string, kind: ProviderKind): Provider | undefined {
    const serves = (p: Provider | undefined) => !!p && (kind === 'instance' ? !!p.enumerateInstances : !!p.invokeMethod);
    const own = this.entries.get(nsKey(namespace) + ':' + ciKey(className));
    if (serves(own?.provider)) return own!.provider;
    let cls = this.repository.getClass(namespace, className);
    while (cls?.superclass) {
      const e = this.entries.get(nsKey(namespace) + ':' + ciKey(cls.superclass));
      if (e?.subclasses && serves(e.provider)) return e.provider;
      cls = this.repository.getClass(namespace, cls.superclass);
    }
    return serves(this.fallback) ? this.fallback : undefined;
  }
}
