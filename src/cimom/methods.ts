/**
 * InvokeMethod (cim-xml-protocol.md 7): resolves the method on the target's class (17 when it
 * has none), checks the target (6 for a missing instance, 4 for a non-static method on a
 * class path), converts each IN parameter to its declared type (unknown or duplicate names
 * and bad values are 4; references may arrive as path text, embedded instances as
 * `<INSTANCE>` text), asks the class's method provider (16 when there is none), then types
 * the return value and OUT parameters from the declaration. References going out are made
 * canonical and full, so a path a method returns equals the one enumeration shows.
 */
import type { CIMClass, CIMMethod, CIMParameter } from '../cim/class.js';
import { CimError } from '../cim/errors.js';
import { CIMap } from '../cim/names.js';
import { ClassName, InstanceName } from '../cim/path.js';
import type { CIMTypeSpec, CIMValue } from '../cim/types.js';
import { coerceValue } from './convert.js';
import { guarded, type Caller, type Engine } from './engine.js';
import { rejectReader } from './guards.js';
import { normaliseName } from './normalise.js';
import type { InvokeMethodRequest, InvokeMethodResponse, ParamValue } from './operations.js';

function specOf(p: CIMTypeSpec): CIMTypeSpec {
  const s: CIMTypeSpec = { type: p.type, isArray: p.isArray };
  if (p.arraySize !== undefined) s.arraySize = p.arraySize;
  if (p.refClass !== undefined) s.refClass = p.refClass;
  if (p.embedded !== undefined) s.embedded = p.embedded;
  return s;
}

function isStatic(m: CIMMethod): boolean {
  return m.qualifiers.get('Static')?.value === true;
}

/** A reference made canonical (declared class and key spelling, key order) and full (namespace, host). */
function canonicalRef(e: Engine, ns: string, host: string, v: InstanceName | ClassName): InstanceName | ClassName {
  if (v instanceof ClassName) return new ClassName(v.className, v.namespace ?? ns, v.host ?? host);
  let tns = ns;
  if (v.namespace && e.hasNamespace(v.namespace)) tns = e.namespace(v.namespace);
  const cls = e.repo.getClass(tns, v.className);
  if (cls) {
    try {
      const n = normaliseName(v, cls, tns, v.host ?? host);
      return v.namespace ? n : n.withLocation(ns, v.host ?? host);
    } catch {
      /* keep it as given */
    }
  }
  return v.withLocation(v.namespace ?? ns, v.host ?? host);
}

function canonicalValue(e: Engine, ns: string, host: string, v: CIMValue): CIMValue {
  if (v instanceof InstanceName || v instanceof ClassName) return canonicalRef(e, ns, host, v);
  if (Array.isArray(v)) return v.map((x) => (x instanceof InstanceName || x instanceof ClassName ? canonicalRef(e, ns, host, x) : x));
  return v;
}

function convertParams(e: Engine, ns: string, host: string, m: CIMMethod, params: ParamValue[]): CIMap<CIMValue> {
  const out = new CIMap<CIMValue>();
  for (const p of params) {
    const decl: CIMParameter | undefined = m.parameters.get(p.name);
    if (!decl) throw new CimError('CIM_ERR_INVALID_PARAMETER', `method ${m.name} has no parameter ${p.name}`);
    if (out.has(decl.name)) throw new CimError('CIM_ERR_INVALID_PARAMETER', `parameter ${decl.name} given twice`);
    if (!decl.in) {
      if (p.value === null) continue; // some clients send OUT parameters as NULL placeholders
      throw new CimError('CIM_ERR_INVALID_PARAMETER', `parameter ${decl.name} of ${m.name} is an output parameter`);
    }
    if (p.spec?.isArray !== undefined && p.spec.isArray !== decl.isArray && p.value !== null) {
      throw new CimError('CIM_ERR_TYPE_MISMATCH', `parameter ${decl.name} is ${decl.isArray ? 'an array' : 'a scalar'} of ${decl.type}`);
    }
    const v = coerceValue(p.value, decl, `parameter ${decl.name}`, e.decode);
    out.set(decl.name, canonicalValue(e, ns, host, v));
  }
  return out;
}

function outParams(e: Engine, ns: string, host: string, cls: CIMClass, m: CIMMethod, out: Record<string, CIMValue> | CIMap<CIMValue> | undefined): InvokeMethodResponse['OutParams'] {
  if (!out) return [];
  const given = out instanceof CIMap ? out : new CIMap<CIMValue>(Object.entries(out));
  for (const name of given.keys()) {
    const decl = m.parameters.get(name);
    if (!decl?.out) throw new CimError('CIM_ERR_FAILED', `provider for ${cls.name}.${m.name} returned unknown output parameter ${name}`);
  }
  const res: InvokeMethodResponse['OutParams'] = [];
  for (const decl of m.parameters.values()) {
    if (!decl.out || !given.has(decl.name)) continue;
    let v: CIMValue;
    try {
      v = coerceValue(given.get(decl.name) ?? null, decl, `output parameter ${decl.name}`, e.decode);
    } catch (err) {
      throw new CimError('CIM_ERR_FAILED', `provider for ${cls.name}.${m.name}: ${(err as Error).message}`);
    }
    res.push({ name: decl.name, value: canonicalValue(e, ns, host, v), spec: specOf(decl) });
  }
  return res;
}

export async function invokeMethod(e: Engine, namespace: string, req: InvokeMethodRequest, c: Caller): Promise<InvokeMethodResponse> {
  const ns = e.namespace(namespace);
  rejectReader(c, `method ${req.MethodName}`);
  let cls = e.cls(ns, req.ObjectName.className);
  let target: InstanceName | ClassName;
  if (req.ObjectName instanceof InstanceName) {
    const f = await e.mustGet(ns, req.ObjectName, c);
    cls = f.cls;
    target = f.inst.path;
  } else target = new ClassName(cls.name, ns, c.host);
  const m = cls.methods.get(req.MethodName);
  if (!m) throw new CimError('CIM_ERR_METHOD_NOT_FOUND', `class ${cls.name} has no method ${req.MethodName}`);
  if (target instanceof ClassName && !isStatic(m)) {
    throw new CimError('CIM_ERR_INVALID_PARAMETER', `method ${cls.name}.${m.name} is not static: invoke it on an instance`);
  }
  const p = e.registry.lookup(ns, cls.name, 'method');
  if (!p?.invokeMethod) throw new CimError('CIM_ERR_METHOD_NOT_AVAILABLE', `no provider runs ${cls.name}.${m.name}`);
  const params = convertParams(e, ns, c.host, m, req.Params);
  const result = await guarded(`${cls.name}.${m.name}`, () => p.invokeMethod!(e.pctx(ns, cls, c), target, m, params));
  if (!result || typeof result !== 'object' || !('returnValue' in result)) {
    throw new CimError('CIM_ERR_FAILED', `provider for ${cls.name}.${m.name} returned no result`);
  }
  const retSpec: CIMTypeSpec = { type: m.returnType, isArray: false };
  let ret: CIMValue;
  try {
    ret = coerceValue(result.returnValue, retSpec, 'return value', e.decode);
  } catch (err) {
    throw new CimError('CIM_ERR_FAILED', `provider for ${cls.name}.${m.name}: ${(err as Error).message}`);
  }
  return { ReturnValue: { value: canonicalValue(e, ns, c.host, ret), spec: retSpec }, OutParams: outParams(e, ns, c.host, cls, m, result.out) };
}
