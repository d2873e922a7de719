/**
 * Converts values that arrive from clients or providers to the declared type of a property,
 * parameter or key: the scalar rules (text to numbers/booleans/datetimes/paths, number <->
 * bigint, ranges) are src/cim/values.ts's; here are arrays, fixed array sizes and
 * embedded-instance text through an injected decoder (the XML parser lives in cimxml, which
 * the cimom must not import). Failures are CimErrors naming
 * the element (`property X`, `parameter Y`) so the client learns which value was wrong.
 */
import type { CIMClass } from '../cim/class.js';
import { CimError, type CIMStatusName } from '../cim/errors.js';
import { CIMInstance } from '../cim/instance.js';
import { ClassName, InstanceName } from '../cim/path.js';
import type { CIMScalar, CIMTypeSpec, CIMValue } from '../cim/types.js';
import { coerceScalar as coerceCim } from '../cim/values.js';

/** Parses the text of an embedded object (`<INSTANCE ...>` or `<CLASS ...>`); injected by main. */
export type EmbeddedDecoder = (text: string) => CIMInstance | CIMClass;

function bad(where: string, why: string): never {
  throw new CimError('CIM_ERR_INVALID_PARAMETER', `${where}: ${why}`);
}

/**
 * Returns `value` converted to `spec` (a new array for arrays); NULL stays NULL.
 * `where` names the element for error messages.
 */
export function coerceValue(value: CIMValue | undefined, spec: CIMTypeSpec, where: string, decode?: EmbeddedDecoder): CIMValue {
  if (value === null || value === undefined) return null;
  if (spec.isArray) {
    const arr = Array.isArray(value) ? value : typeof value === 'string' && value === '' ? [] : null;
    if (!arr) bad(where, `expected an array of ${spec.type}`);
    if (spec.arraySize !== undefined && arr.length > spec.arraySize) bad(where, `at most ${spec.arraySize} elements allowed`);
    return arr.map((v, i) => (v === null ? null : coerceScalar(v, spec, `${where}[${i}]`, decode)));
  }
  if (Array.isArray(value)) bad(where, `expected a single ${spec.type}, got an array`);
  return coerceScalar(value, spec, where, decode);
}

export function coerceScalar(v: CIMScalar, spec: CIMTypeSpec, where: string, decode?: EmbeddedDecoder): CIMScalar {
  if (spec.type === 'string' && spec.embedded) return toEmbedded(v, spec.embedded, where, decode);
  if (spec.type === 'string' && v instanceof CIMInstance) return v; // embedded without the qualifier
  if (spec.type === 'string' && (v instanceof InstanceName || v instanceof ClassName)) return v.toString('wmi');
  try {
    // src/cim/values.ts owns the lexical forms and ranges of every type.
    return coerceCim(spec.type, v);
  } catch (e) {
    if (e instanceof CimError) throw new CimError(e.statusName as CIMStatusName, `${where}: ${e.message}`);
    throw e;
  }
}

function toEmbedded(v: CIMScalar, kind: 'object' | 'instance', where: string, decode?: EmbeddedDecoder): CIMScalar {
  if (v instanceof CIMInstance) return v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (!s.startsWith('<')) bad(where, 'expected an embedded instance (<INSTANCE ...>)');
    if (!decode) bad(where, 'embedded object text cannot be decoded here');
    let obj: CIMInstance | CIMClass;
    try {
      obj = decode(s);
    } catch (e) {
      return bad(where, `bad embedded ${kind}: ${(e as Error).message}`);
    }
    if (kind === 'instance' && !(obj instanceof CIMInstance)) bad(where, 'expected an embedded instance, got a class');
    return obj;
  }
  if (kind === 'object' && typeof v === 'object' && v !== null && 'methods' in v) return v;
  return bad(where, `expected an embedded ${kind}`);
}
