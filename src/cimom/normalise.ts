/**
 * Copies and checks instances and instance names crossing the provider boundary.
 * Input from clients: property and key names mapped to the declared spelling, values converted
 * to the declared types, unknown names rejected. Output from providers: same conversion (a
 * provider bug becomes CIM_ERR_FAILED, never a malformed response), every declared property
 * present in class order (NULL when the provider left it out), and the canonical path built
 * from the class's key list, so a path is byte-identical wherever the instance appears.
 * Output instances are frozen (freezeInstance).
 */
import type { CIMClass, CIMProperty } from '../cim/class.js';
import { CimError, type CIMStatusName } from '../cim/errors.js';
import { CIMInstance, type PropertyValue } from '../cim/instance.js';
import { ciEq } from '../cim/names.js';
import { ClassName, InstanceName, type KeyBinding, type KeyType, type KeyValue } from '../cim/path.js';
import type { CIMValue } from '../cim/types.js';
import { coerceValue, type EmbeddedDecoder } from './convert.js';

export function keyTypeFor(p: CIMProperty): KeyType {
  switch (p.type) {
    case 'boolean':
      return 'boolean';
    case 'string':
    case 'char16':
    case 'datetime':
      return 'string';
    case 'reference':
      return 'reference';
    default:
      return 'numeric';
  }
}

/** A PropertyValue carrying the declared shape of `p`. */
export function propertyValue(p: CIMProperty, value: CIMValue): PropertyValue {
  const pv: PropertyValue = { name: p.name, type: p.type, isArray: p.isArray, value };
  if (p.arraySize !== undefined) pv.arraySize = p.arraySize;
  if (p.refClass !== undefined) pv.refClass = p.refClass;
  if (p.embedded !== undefined) pv.embedded = p.embedded;
  return pv;
}

function keyValueOf(p: CIMProperty, v: CIMValue, fail: (why: string) => never): KeyValue {
  if (v === null || Array.isArray(v)) fail(`key property ${p.name} has no value`);
  if (p.type === 'reference') {
    if (v instanceof InstanceName) return v;
    if (v instanceof ClassName) fail(`key property ${p.name} must reference an instance`);
    fail(`key property ${p.name} is not a reference`);
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  return String(v);
}

/** The canonical instance name of `inst` (already normalised to `cls`). */
export function buildPath(cls: CIMClass, inst: CIMInstance, namespace: string, host: string, status: CIMStatusName = 'CIM_ERR_FAILED'): InstanceName {
  const fail = (why: string): never => {
    throw new CimError(status, `${cls.name}: ${why}`);
  };
  const keys: KeyBinding[] = cls.keys.map((k) => {
    const p = cls.properties.get(k)!;
    return { name: p.name, type: keyTypeFor(p), value: keyValueOf(p, inst.get(k) ?? null, fail) };
  });
  return new InstanceName(cls.name, keys, namespace, host);
}

/**
 * Provider output: a fresh instance of `cls` with every declared property in class order,
 * values converted to the declared types, and its canonical path.
 */
export function normaliseOutput(
  inst: CIMInstance,
  cls: CIMClass,
  namespace: string,
  host: string,
  decode?: EmbeddedDecoder,
): CIMInstance & { path: InstanceName } {
  const out = new CIMInstance(cls.name);
  for (const [, pv] of inst.properties) {
    if (pv.name.startsWith('__')) continue;
    if (!cls.properties.has(pv.name)) {
      throw new CimError('CIM_ERR_FAILED', `provider for ${cls.name} returned unknown property ${pv.name}`);
    }
  }
  for (const p of cls.properties.values()) {
    const pv = inst.properties.get(p.name);
    let v: CIMValue = null;
    if (pv) {
      try {
        v = coerceValue(pv.value, p, `property ${p.name}`, decode);
      } catch (e) {
        throw new CimError('CIM_ERR_FAILED', `provider for ${cls.name} returned a bad value: ${(e as Error).message}`);
      }
    }
    if (p.type === 'reference') v = locate(v, namespace, host);
    out.properties.set(p.name, propertyValue(p, v));
  }
  out.path = buildPath(cls, out, namespace, host);
  return freezeInstance(out as CIMInstance & { path: InstanceName });
}

/**
 * Freezes an output instance, its property records and array values (its property map cannot
 * be frozen: it is read-only by contract). Output is shared between calls and with the
 * encoder's per-object memos, so a stray write must fail loudly instead of changing a cache.
 */
export function freezeInstance<T extends CIMInstance>(inst: T): T {
  for (const pv of inst.properties.values()) {
    if (Array.isArray(pv.value)) Object.freeze(pv.value);
    Object.freeze(pv);
  }
  return Object.freeze(inst);
}

/**
 * References leave with a namespace and host (the request's when the provider gave none),
 * so association keys print the same full path wherever they appear.
 */
function locate(v: CIMValue, namespace: string, host: string): CIMValue {
  if (v instanceof InstanceName) {
    if (v.namespace && v.host) return v;
    return v.withLocation(v.namespace ?? namespace, v.host ?? host);
  }
  if (v instanceof ClassName && (!v.namespace || !v.host)) return new ClassName(v.className, v.namespace ?? namespace, v.host ?? host);
  return v;
}

/**
 * Client input (CreateInstance / ModifyInstance): properties mapped to declared names and
 * types; unknown properties are INVALID_PARAMETER. Only properties the client sent are kept.
 */
export function normaliseInput(inst: CIMInstance, cls: CIMClass, decode?: EmbeddedDecoder): CIMInstance {
  const out = new CIMInstance(cls.name);
  for (const [, pv] of inst.properties) {
    if (pv.name.startsWith('__')) continue; // WMI system properties in client text
    const p = cls.properties.get(pv.name);
    if (!p) throw new CimError('CIM_ERR_INVALID_PARAMETER', `class ${cls.name} has no property ${pv.name}`);
    out.properties.set(p.name, propertyValue(p, coerceValue(pv.value, p, `property ${p.name}`, decode)));
  }
  return out;
}

/**
 * Client instance name: class spelled as declared, exactly the declared keys (names
 * case-insensitive), values converted to the key types; text paths in reference keys parsed.
 */
export function normaliseName(name: InstanceName, cls: CIMClass, namespace: string, host: string): InstanceName {
  const fail = (why: string): never => {
    throw new CimError('CIM_ERR_INVALID_PARAMETER', `instance name ${name.toString('wbem')}: ${why}`);
  };
  for (const k of name.keys) {
    if (!cls.keys.some((d) => ciEq(d, k.name))) fail(`${k.name} is not a key of ${cls.name}`);
  }
  const keys: KeyBinding[] = cls.keys.map((kn) => {
    const p = cls.properties.get(kn)!;
    const given = name.keys.find((k) => ciEq(k.name, kn));
    if (!given) return fail(`key ${p.name} is missing`);
    let v: CIMValue;
    if (p.type === 'string' && typeof given.value === 'string') v = given.value; // the common case, already right
    else {
      try {
        v = coerceValue(given.value as CIMValue, p, `key ${p.name}`);
      } catch (e) {
        return fail((e as Error).message);
      }
    }
    return { name: p.name, type: keyTypeFor(p), value: keyValueOf(p, v, fail) };
  });
  return new InstanceName(cls.name, keys, namespace, host);
}

/** Sets the key properties of `inst` from `name` (values already converted). */
export function applyKeys(inst: CIMInstance, name: InstanceName, cls: CIMClass): void {
  for (const k of name.keys) {
    const p = cls.properties.get(k.name);
    if (p) inst.properties.set(p.name, propertyValue(p, k.value as CIMValue));
  }
}
