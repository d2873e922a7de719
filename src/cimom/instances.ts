/**
 * Instance operations (cim-xml-protocol.md 4.1 / 4.2): reads fan out over subclasses through
 * the engine; writes check the target, the caller's role and the input, then hand the
 * provider a normalised copy. Keys are immutable; ModifyInstance follows the PropertyList
 * rules of 4.2 (NULL = every property sent, listed-but-absent = NULL, unknown name = 4).
 */
import type { CIMClass } from '../cim/class.js';
import { CimError } from '../cim/errors.js';
import type { CIMInstance, PropertyValue } from '../cim/instance.js';
import { ciEq } from '../cim/names.js';
import { InstanceName, type KeyValue } from '../cim/path.js';
import type { CIMScalar } from '../cim/types.js';
import { coerceValue } from './convert.js';
import { guarded, type Caller, type Engine, type Found, type NamedInstance } from './engine.js';
import { shapeInstance } from './filter.js';
import { rejectAbstract, rejectReader, rejectUnknownProperties } from './guards.js';
import { applyKeys, buildPath, keyTypeFor, normaliseInput, normaliseName, propertyValue } from './normalise.js';
import type { Requests } from './operations.js';

export async function getInstance(e: Engine, ns: string, r: Requests['GetInstance'], c: Caller): Promise<CIMInstance> {
  const f = await e.mustGet(ns, r.InstanceName, c);
  return shapeInstance(f.inst, f.cls, { propertyList: r.PropertyList, includeClassOrigin: r.IncludeClassOrigin });
}

export async function enumerateInstances(e: Engine, ns: string, r: Requests['EnumerateInstances'], c: Caller): Promise<NamedInstance[]> {
  const cls = e.cls(ns, r.ClassName);
  const found = await e.instancesOf(ns, cls, c);
  // DSP0200 4.2: DeepInheritance=false limits properties to those of ClassName.
  const limitTo = r.DeepInheritance ? undefined : cls;
  const shape = (f: Found) => shapeInstance(f.inst, f.cls, { propertyList: r.PropertyList, includeClassOrigin: r.IncludeClassOrigin, limitTo });
  if (r.PropertyList || r.IncludeClassOrigin || !Object.isFrozen(found)) return found.map(shape);
  // an unchanged (frozen) run, unfiltered: the same frozen answer as last time
  const hit = plainRuns.get(found);
  if (hit && hit.limitTo === limitTo) return hit.out as NamedInstance[];
  const out = Object.freeze(found.map(shape));
  plainRuns.set(found, { limitTo, out });
  return out as NamedInstance[];
}

/** Unfiltered EnumerateInstances answers per frozen engine run (read-only: they are shared). */
const plainRuns = new WeakMap<readonly Found[], { limitTo: CIMClass | undefined; out: readonly NamedInstance[] }>();

export async function enumerateInstanceNames(e: Engine, ns: string, r: Requests['EnumerateInstanceNames'], c: Caller): Promise<InstanceName[]> {
  return e.instanceNamesOf(ns, e.cls(ns, r.ClassName), c);
}

function withDefaults(inst: CIMInstance, cls: CIMClass): void {
  for (const p of cls.properties.values()) {
    if (!inst.has(p.name) && p.defaultValue !== null && p.defaultValue !== undefined) {
      inst.properties.set(p.name, propertyValue(p, p.defaultValue));
    }
  }
}

export async function createInstance(e: Engine, ns: string, r: Requests['CreateInstance'], c: Caller): Promise<InstanceName> {
  rejectReader(c, 'CreateInstance');
  const cls = e.cls(ns, r.NewInstance.className);
  rejectAbstract(cls);
  const p = e.provider(ns, cls.name);
  if (!p?.createInstance) throw new CimError('CIM_ERR_NOT_SUPPORTED', `instances of ${cls.name} cannot be created`);
  const input = normaliseInput(r.NewInstance, cls, e.decode);
  withDefaults(input, cls);
  if (cls.keys.every((k) => input.get(k) != null)) {
    const name = buildPath(cls, input, ns, c.host, 'CIM_ERR_INVALID_PARAMETER');
    if (await e.getInstance(ns, name, c)) throw new CimError('CIM_ERR_ALREADY_EXISTS', `${name.toString('wbem')} already exists`);
  }
  const made = await guarded(`creating ${cls.name}`, () => p.createInstance!(e.pctx(ns, cls, c), input));
  if (made instanceof InstanceName) {
    try {
      return normaliseName(made, cls, ns, c.host);
    } catch (err) {
      throw new CimError('CIM_ERR_FAILED', `provider for ${cls.name} returned a bad name: ${(err as Error).message}`);
    }
  }
  // Cached like an enumerated one: the next enumeration reuses this normalised form.
  return e.output(ns, made, cls, c, p.immutableInstances === true).inst.path;
}

/** DSP0200 4.2: which properties ModifyInstance changes. */
function propertiesToModify(cls: CIMClass, inst: CIMInstance, list: string[] | null): string[] {
  if (list) {
    rejectUnknownProperties(cls, list);
    const names = list.map((n) => cls.properties.nameOf(n)!);
    return names.filter((n, i) => names.findIndex((m) => ciEq(m, n)) === i);
  }
  return [...inst.properties.keys()];
}

export async function modifyInstance(e: Engine, ns: string, r: Requests['ModifyInstance'], c: Caller): Promise<void> {
  rejectReader(c, 'ModifyInstance');
  const mi = r.ModifiedInstance;
  const cls = e.cls(ns, mi.path.className);
  if (!ciEq(mi.className, cls.name) && !e.repo.isSubclassOf(ns, cls.name, mi.className)) {
    throw new CimError('CIM_ERR_INVALID_PARAMETER', `instance of ${mi.className} does not match its name ${mi.path.toString('wbem')}`);
  }
  const target = await e.mustGet(ns, mi.path, c);
  const input = normaliseInput(mi, target.cls, e.decode);
  const props = propertiesToModify(target.cls, input, r.PropertyList);
  rejectKeyChange(target, input, props);
  await modify(e, ns, target, input, props.filter((n) => !target.cls.keys.some((k) => ciEq(k, n))), c);
}

/** Keys are immutable: a key in the list (or the instance) must keep its value. */
function rejectKeyChange(target: Found, input: CIMInstance, props: string[]): void {
  for (const k of target.cls.keys) {
    if (!props.some((n) => ciEq(n, k))) continue;
    const decl = target.cls.properties.get(k)!;
    const given = input.get(k);
    const same =
      given != null &&
      !Array.isArray(given) &&
      new InstanceName(decl.name, [{ name: k, type: keyTypeFor(decl), value: asKey(given) }]).equals(
        new InstanceName(decl.name, [{ name: k, type: keyTypeFor(decl), value: target.inst.path.key(k)! }]),
      );
    if (!same) throw new CimError('CIM_ERR_INVALID_PARAMETER', `key property ${decl.name} of ${target.cls.name} cannot be modified`);
  }
}

function asKey(v: CIMScalar): KeyValue {
  if (v instanceof InstanceName || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  return String(v);
}

async function modify(e: Engine, ns: string, target: Found, input: CIMInstance, props: string[], c: Caller): Promise<void> {
  const p = e.provider(ns, target.cls.name);
  if (!p?.modifyInstance) throw new CimError('CIM_ERR_NOT_SUPPORTED', `instances of ${target.cls.name} cannot be modified`);
  const inst = input.clone() as NamedInstance;
  inst.path = target.inst.path;
  applyKeys(inst, target.inst.path, target.cls);
  await guarded(`modifying ${target.cls.name}`, () => p.modifyInstance!(e.pctx(ns, target.cls, c), inst, props));
}

export async function deleteInstance(e: Engine, ns: string, r: Requests['DeleteInstance'], c: Caller): Promise<void> {
  rejectReader(c, 'DeleteInstance');
  const target = await e.mustGet(ns, r.InstanceName, c);
  const p = e.provider(ns, target.cls.name);
  if (!p?.deleteInstance) throw new CimError('CIM_ERR_NOT_SUPPORTED', `instances of ${target.cls.name} cannot be deleted`);
  await guarded(`deleting ${target.cls.name}`, () => p.deleteInstance!(e.pctx(ns, target.cls, c), target.inst.path));
}

export async function getProperty(e: Engine, ns: string, r: Requests['GetProperty'], c: Caller): Promise<PropertyValue | null> {
  const f = await e.mustGet(ns, r.InstanceName, c);
  const pv = f.inst.properties.get(r.PropertyName);
  if (!pv) throw new CimError('CIM_ERR_NO_SUCH_PROPERTY', `class ${f.cls.name} has no property ${r.PropertyName}`);
  return pv.value === null ? null : pv;
}

export async function setProperty(e: Engine, ns: string, r: Requests['SetProperty'], c: Caller): Promise<void> {
  rejectReader(c, 'SetProperty');
  const f = await e.mustGet(ns, r.InstanceName, c);
  const decl = f.cls.properties.get(r.PropertyName);
  if (!decl) throw new CimError('CIM_ERR_NO_SUCH_PROPERTY', `class ${f.cls.name} has no property ${r.PropertyName}`);
  if (decl.isKey) throw new CimError('CIM_ERR_INVALID_PARAMETER', `key property ${decl.name} cannot be modified`);
  const input = f.inst.clone();
  input.properties.set(decl.name, propertyValue(decl, coerceValue(r.NewValue, decl, `property ${decl.name}`, e.decode)));
  await modify(e, ns, f, input, [decl.name], c);
}
