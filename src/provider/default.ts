/**
 * The default provider: serves every class that has no provider of its own from the SQLite
 * store (src/store/instances.ts), so CreateInstance / ModifyInstance / DeleteInstance work on
 * plain classes (a test class, Bench_Item) and survive restarts. Instances declared in MOF
 * (`instance of`) are served read-through: visible until a stored instance with the same
 * name replaces them; they cannot be deleted.
 * Keys: a string key the client leaves NULL gets a fresh upper-case GUID (the server computes
 * keys, DSP0200 CreateInstance); any other missing key is INVALID_PARAMETER.
 */
import { randomUUID } from 'node:crypto';
import { CimError } from '../cim/errors.js';
import type { CIMInstance } from '../cim/instance.js';
import { ciKey } from '../cim/names.js';
import type { InstanceName } from '../cim/path.js';
import type { ClassRepository } from '../cim/repository.js';
import { instanceNameOf, propertyValue } from '../cimom/index.js';
import type { InstanceProvider, ProviderContext } from '../cimom/provider.js';
import type { InstanceStore } from '../store/instances.js';

export class DefaultProvider implements InstanceProvider {
  /** Stored instances are replaced, never changed in place (InstanceStore.replace). */
  readonly immutableInstances = true;
  /** MOF-declared instances by namespace, then class, then identity. */
  private readonly declared = new Map<string, Map<string, Map<string, CIMInstance>>>();

  constructor(
    private readonly store: InstanceStore,
    private readonly repository?: ClassRepository,
  ) {}

  private mofInstances(ctx: ProviderContext): Map<string, CIMInstance> {
    const nk = ciKey(ctx.namespace);
    let byClass = this.declared.get(nk);
    if (!byClass) {
      byClass = new Map();
      for (const inst of this.repository?.instances(ctx.namespace) ?? []) {
        const cls = this.repository!.getClass(ctx.namespace, inst.className);
        if (!cls) continue;
        let name: InstanceName;
        try {
          name = instanceNameOf(cls, inst, ctx.namespace, ctx.host);
        } catch {
          continue; // keyless declarations are not addressable
        }
        let m = byClass.get(ciKey(cls.name));
        if (!m) byClass.set(ciKey(cls.name), (m = new Map()));
        m.set(name.identity(), inst);
      }
      this.declared.set(nk, byClass);
    }
    return byClass.get(ciKey(ctx.cls.name)) ?? new Map();
  }

  /** The store's frozen list itself when no MOF instances mix in (unchanged = same array). */
  enumerateInstances(ctx: ProviderContext): readonly CIMInstance[] {
    const stored = this.store.list(ctx.namespace, ctx.cls.name);
    const mof = this.mofInstances(ctx);
    if (mof.size === 0) return stored;
    const out = [...stored];
    for (const [id, inst] of mof) {
      if (!this.store.get(ctx.namespace, this.nameFromId(ctx, inst, id))) out.push(inst);
    }
    return out;
  }

  private nameFromId(ctx: ProviderContext, inst: CIMInstance, _id: string): InstanceName {
    return instanceNameOf(ctx.cls, inst, ctx.namespace, ctx.host);
  }

  getInstance(ctx: ProviderContext, name: InstanceName): CIMInstance | undefined {
    return this.store.get(ctx.namespace, name) ?? this.mofInstances(ctx).get(name.identity());
  }

  createInstance(ctx: ProviderContext, inst: CIMInstance): CIMInstance {
    for (const k of ctx.cls.keys) {
      if (inst.get(k) != null) continue;
      const p = ctx.cls.properties.get(k)!;
      if (p.type !== 'string' || p.isArray) throw new CimError('CIM_ERR_INVALID_PARAMETER', `key property ${p.name} of ${ctx.cls.name} needs a value`);
      inst.properties.set(p.name, propertyValue(p, randomUUID().toUpperCase()));
    }
    const name = instanceNameOf(ctx.cls, inst, ctx.namespace, ctx.host, 'CIM_ERR_INVALID_PARAMETER');
    if (this.mofInstances(ctx).has(name.identity())) throw new CimError('CIM_ERR_ALREADY_EXISTS', `${name.toString('wbem')} already exists`);
    this.store.insert(ctx.namespace, name, inst);
    return inst;
  }

  modifyInstance(ctx: ProviderContext, inst: CIMInstance & { path: InstanceName }, properties: string[]): void {
    const cur = this.getInstance(ctx, inst.path);
    if (!cur) throw new CimError('CIM_ERR_NOT_FOUND', `no instance ${inst.path.toString('wbem')}`);
    const next = cur.clone();
    next.path = undefined;
    for (const n of properties) {
      const p = ctx.cls.properties.get(n);
      if (!p) continue;
      next.properties.set(p.name, propertyValue(p, inst.get(n) ?? null));
    }
    if (this.store.get(ctx.namespace, inst.path)) this.store.replace(ctx.namespace, inst.path, next);
    else this.store.insert(ctx.namespace, inst.path, next); // first change of a MOF-declared instance
  }

  deleteInstance(ctx: ProviderContext, name: InstanceName): void {
    if (this.store.delete(ctx.namespace, name)) return;
    if (this.mofInstances(ctx).has(name.identity())) {
      throw new CimError('CIM_ERR_NOT_SUPPORTED', `${name.toString('wbem')} is declared in MOF and cannot be deleted`);
    }
    throw new CimError('CIM_ERR_NOT_FOUND', `no instance ${name.toString('wbem')}`);
  }
}
