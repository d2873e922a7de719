/**
 * Encoders for CIM-XML values and names (DSP0201 / DSP0203 2.4). Writes straight into an
 * XmlWriter, no intermediate tree. Paths take a default location (the request namespace and
 * the server host) for the parts a returned name leaves out. KEYVALUE always carries TYPE
 * (required by DTD 2.4): the type a key arrived with, the key property's type when the
 * instance is at hand, else one inferred from the value.
 */
import type { CIMClass } from '../cim/class.js';
import { CIMDateTime } from '../cim/datetime.js';
import { CIMInstance } from '../cim/instance.js';
import { ClassName, InstanceName, type KeyBinding } from '../cim/path.js';
import type { CIMScalar, CIMType, CIMTypeSpec, CIMValue } from '../cim/types.js';
import { formatScalar } from '../cim/values.js';
import { escapeAttr, escapeText, type XmlWriter } from './xml-writer.js';

/** Where returned names live when they do not say: the request namespace and this host. */
export interface Location {
  namespace: string;
  host: string;
}

/** Serialises an embedded object for a VALUE (the caller escapes it); set by encode-object. */
let embeddedText: (obj: CIMInstance | CIMClass) => string = () => '';
export function setEmbeddedSerializer(fn: (obj: CIMInstance | CIMClass) => string): void {
  embeddedText = fn;
}

/**
 * The VALUE text of a scalar of the given spec (embedded objects serialised). The common
 * shapes take a fast path (the cimom has checked provider output); anything unusual goes
 * through formatScalar, which checks the value against the type.
 */
export function scalarText(spec: CIMTypeSpec, v: CIMScalar): string {
  const t = spec.type;
  switch (typeof v) {
    case 'string':
      if (t === 'string') return v; // escapeText replaces what XML cannot carry
      break;
    case 'number':
      if (INTEGER_TYPES.has(t) && Number.isInteger(v)) return String(v);
      break;
    case 'bigint':
      if (t === 'uint64' || t === 'sint64') return String(v);
      break;
    case 'boolean':
      if (t === 'boolean') return v ? 'TRUE' : 'FALSE';
      break;
    case 'object':
      if (t === 'datetime' && v instanceof CIMDateTime) return v.text;
      if (t === 'string' && !(v instanceof ClassName) && !(v instanceof InstanceName)) return embeddedText(v as CIMInstance | CIMClass);
  }
  return formatScalar(t, v);
}

const INTEGER_TYPES: ReadonlySet<string> = new Set(['uint8', 'sint8', 'uint16', 'sint16', 'uint32', 'sint32']);

// <!ELEMENT VALUE (#PCDATA)>
export function writeValue(w: XmlWriter, spec: CIMTypeSpec, v: CIMScalar): void {
  w.raw('<VALUE>' + escapeText(scalarText(spec, v)) + '</VALUE>');
}

// <!ELEMENT VALUE.ARRAY (VALUE | VALUE.NULL)*>
export function writeValueArray(w: XmlWriter, spec: CIMTypeSpec, arr: (CIMScalar | null)[]): void {
  w.raw('<VALUE.ARRAY>');
  for (const v of arr) {
    if (v === null) w.raw('<VALUE.NULL/>');
    else writeValue(w, spec, v);
  }
  w.raw('</VALUE.ARRAY>');
}

// <!ELEMENT VALUE.REFARRAY (VALUE.REFERENCE | VALUE.NULL)*>
export function writeValueRefArray(w: XmlWriter, arr: (CIMScalar | null)[], loc?: Location): void {
  w.raw('<VALUE.REFARRAY>');
  for (const v of arr) {
    if (v === null) w.raw('<VALUE.NULL/>');
    else writeValueReference(w, v as InstanceName | ClassName, loc);
  }
  w.raw('</VALUE.REFARRAY>');
}

/** Any non-NULL value by its spec: VALUE, VALUE.ARRAY, VALUE.REFERENCE or VALUE.REFARRAY. */
export function writeAnyValue(w: XmlWriter, spec: CIMTypeSpec, v: CIMValue, loc?: Location): void {
  if (v === null) return;
  if (spec.type === 'reference') {
    if (Array.isArray(v)) writeValueRefArray(w, v, loc);
    else writeValueReference(w, v as InstanceName | ClassName, loc);
  } else if (Array.isArray(v)) writeValueArray(w, spec, v);
  else writeValue(w, spec, v);
}

// <!ELEMENT VALUE.REFERENCE (CLASSPATH | LOCALCLASSPATH | CLASSNAME | INSTANCEPATH | LOCALINSTANCEPATH | INSTANCENAME)>
export function writeValueReference(w: XmlWriter, ref: InstanceName | ClassName, loc?: Location): void {
  w.raw('<VALUE.REFERENCE>');
  const ns = ref.namespace;
  if (ref instanceof InstanceName) {
    if (ref.host || (ns && loc)) writeInstancePath(w, ref, loc ?? { namespace: ns ?? '', host: ref.host ?? '' });
    else if (ns) writeLocalInstancePath(w, ref, ns);
    else writeInstanceName(w, ref);
  } else if (ref.host || (ns && loc)) writeClassPath(w, ref, loc ?? { namespace: ns ?? '', host: ref.host ?? '' });
  else if (ns) {
    w.raw('<LOCALCLASSPATH>');
    writeLocalNamespacePath(w, ns);
    writeClassName(w, ref.className);
    w.raw('</LOCALCLASSPATH>');
  } else writeClassName(w, ref.className);
  w.raw('</VALUE.REFERENCE>');
}

// <!ELEMENT LOCALNAMESPACEPATH (NAMESPACE+)>
export function writeLocalNamespacePath(w: XmlWriter, ns: string): void {
  w.raw('<LOCALNAMESPACEPATH>');
  for (const part of ns.split(/[\\/]/)) if (part) w.empty('NAMESPACE', { NAME: part });
  w.raw('</LOCALNAMESPACEPATH>');
}

// <!ELEMENT NAMESPACEPATH (HOST, LOCALNAMESPACEPATH)>
export function writeNamespacePath(w: XmlWriter, host: string, ns: string): void {
  w.raw('<NAMESPACEPATH><HOST>' + escapeText(host) + '</HOST>');
  writeLocalNamespacePath(w, ns);
  w.raw('</NAMESPACEPATH>');
}

// <!ELEMENT CLASSNAME EMPTY> NAME
export function writeClassName(w: XmlWriter, name: string): void {
  w.empty('CLASSNAME', { NAME: name });
}

// <!ELEMENT CLASSPATH (NAMESPACEPATH, CLASSNAME)>
export function writeClassPath(w: XmlWriter, cn: ClassName, loc: Location): void {
  w.raw('<CLASSPATH>');
  writeNamespacePath(w, cn.host ?? loc.host, cn.namespace ?? loc.namespace);
  writeClassName(w, cn.className);
  w.raw('</CLASSPATH>');
}

// <!ELEMENT INSTANCEPATH (NAMESPACEPATH, INSTANCENAME)>
export function writeInstancePath(w: XmlWriter, name: InstanceName, loc: Location, inst?: CIMInstance): void {
  w.raw('<INSTANCEPATH>');
  writeNamespacePath(w, name.host ?? loc.host, name.namespace ?? loc.namespace);
  writeInstanceName(w, name, inst);
  w.raw('</INSTANCEPATH>');
}

// <!ELEMENT LOCALINSTANCEPATH (LOCALNAMESPACEPATH, INSTANCENAME)>
export function writeLocalInstancePath(w: XmlWriter, name: InstanceName, ns: string): void {
  w.raw('<LOCALINSTANCEPATH>');
  writeLocalNamespacePath(w, ns);
  writeInstanceName(w, name);
  w.raw('</LOCALINSTANCEPATH>');
}

// <!ELEMENT OBJECTPATH (INSTANCEPATH | CLASSPATH)>
export function writeObjectPath(w: XmlWriter, p: InstanceName | ClassName, loc: Location): void {
  w.raw('<OBJECTPATH>');
  if (p instanceof InstanceName) writeInstancePath(w, p, loc);
  else writeClassPath(w, p, loc);
  w.raw('</OBJECTPATH>');
}

// <!ELEMENT INSTANCENAME (KEYBINDING* | KEYVALUE? | VALUE.REFERENCE?)> CLASSNAME; always the KEYBINDING form
export function writeInstanceName(w: XmlWriter, name: InstanceName, inst?: CIMInstance): void {
  if (name.keys.length === 0) {
    w.empty('INSTANCENAME', { CLASSNAME: name.className });
    return;
  }
  w.open('INSTANCENAME', { CLASSNAME: name.className });
  for (const k of name.keys) writeKeyBinding(w, k, inst);
  w.raw('</INSTANCENAME>');
}

// <!ELEMENT KEYBINDING (KEYVALUE | VALUE.REFERENCE)> NAME
export function writeKeyBinding(w: XmlWriter, k: KeyBinding, inst?: CIMInstance): void {
  if (k.value instanceof InstanceName) {
    w.raw('<KEYBINDING NAME="' + escapeAttr(k.name) + '">');
    writeValueReference(w, k.value);
    w.raw('</KEYBINDING>');
  } else w.raw('<KEYBINDING NAME="' + escapeAttr(k.name) + '">' + keyValueText(k, inst) + '</KEYBINDING>');
}

// <!ELEMENT KEYVALUE (#PCDATA)> VALUETYPE TYPE
function keyValueText(k: KeyBinding, inst?: CIMInstance): string {
  const v = k.value as string | number | bigint | boolean;
  if (typeof v === 'string') {
    const type = keyCimType(k, inst);
    return '<KEYVALUE VALUETYPE="string" TYPE="' + type + '">' + escapeText(v) + '</KEYVALUE>';
  }
  if (typeof v === 'boolean') return '<KEYVALUE VALUETYPE="boolean" TYPE="boolean">' + (v ? 'TRUE' : 'FALSE') + '</KEYVALUE>';
  const text = typeof v === 'bigint' || Number.isInteger(v) ? String(v) : formatScalar('real64', v);
  return '<KEYVALUE VALUETYPE="numeric" TYPE="' + keyCimType(k, inst) + '">' + text + '</KEYVALUE>';
}

/** The CIM type of a key: as it arrived, from the instance's property, or inferred from the value. */
export function keyCimType(k: KeyBinding, inst?: CIMInstance): CIMType {
  const arrived = (k as KeyBinding & { cimType?: CIMType }).cimType;
  if (arrived) return arrived;
  const prop = inst?.properties.get(k.name);
  if (prop && prop.type !== 'reference' && !prop.isArray && keyFits(prop.type, k)) return prop.type;
  const v = k.value;
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' && !Number.isInteger(v)) return 'real64';
  const b = BigInt(v as number | bigint);
  if (b >= 0n) return b <= 0xffffffffn ? 'uint32' : 'uint64';
  return b >= -0x80000000n ? 'sint32' : 'sint64';
}

function keyFits(type: CIMType, k: KeyBinding): boolean {
  if (typeof k.value === 'boolean') return type === 'boolean';
  if (typeof k.value === 'string') return type === 'string' || type === 'char16' || type === 'datetime';
  return type !== 'boolean' && type !== 'string' && type !== 'char16' && type !== 'datetime';
}
