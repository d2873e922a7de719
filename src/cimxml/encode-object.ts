/**
 * Encoders for CIM-XML object elements: INSTANCE, CLASS (properties, methods, parameters),
 * QUALIFIER and QUALIFIER.DECLARATION, and the text form of embedded objects. Flags decide
 * what optional parts go out (qualifiers, CLASSORIGIN); the cimom has already filtered which
 * properties exist. Attributes with DTD defaults are written only when they differ.
 */
import type { CIMClass, CIMMethod, CIMParameter, CIMProperty } from '../cim/class.js';
import { CIMInstance, type PropertyValue } from '../cim/instance.js';
import type { CIMap } from '../cim/names.js';
import { DEFAULT_FLAVOR, type Flavor, type Qualifier, type QualifierDecl, type Scope } from '../cim/qualifier.js';
import type { CIMScalar, CIMTypeSpec, CIMValue } from '../cim/types.js';
import { type Location, scalarText, setEmbeddedSerializer, writeAnyValue } from './encode-value.js';
import { XmlWriter, escapeAttr, escapeText } from './xml-writer.js';

export interface ObjectFlags {
  includeQualifiers: boolean;
  includeClassOrigin: boolean;
}

const NO_FLAGS: ObjectFlags = { includeQualifiers: false, includeClassOrigin: false };
const ALL_QUALIFIERS: ObjectFlags = { includeQualifiers: true, includeClassOrigin: false };

/** The text of an embedded object, as it goes (escaped once more) into a VALUE. */
export function embeddedObjectText(obj: CIMInstance | CIMClass): string {
  const w = new XmlWriter();
  if (obj instanceof CIMInstance) writeInstance(w, obj, NO_FLAGS);
  else writeClass(w, obj, ALL_QUALIFIERS);
  return w.text();
}
setEmbeddedSerializer(embeddedObjectText);

/**
 * Memoised encodings of frozen instances. The cimom returns an unchanged instance as the
 * same frozen object between calls with the same flags, and a changed one as a new object
 * (src/cimom/filter.ts shapeInstance), so an object's bytes for one element kind, flag set
 * and default location never change and can be kept until the object is collected. Bytes
 * are kept from the second time an object is written (providers that build fresh objects
 * per call pay only a WeakSet entry); objects that are not frozen are always encoded afresh.
 */
export interface Memo {
  bytes: WeakMap<CIMInstance, Buffer>;
  seen: WeakSet<CIMInstance>;
}
const memos = new Map<string, Memo>();
const MAX_MEMOS = 256;

/** The memo table for one element kind (e.g. INSTANCE, VALUE.NAMEDINSTANCE), flag set and location. */
export function memoFor(kind: string, flags: ObjectFlags, loc?: Location): Memo {
  const key = kind + '|' + (flags.includeQualifiers ? 'Q' : '') + (flags.includeClassOrigin ? 'O' : '') + '|' +
    (loc ? loc.namespace + '|' + loc.host : '');
  let m = memos.get(key);
  if (!m) {
    if (memos.size >= MAX_MEMOS) memos.clear(); // many namespaces or host names: start over
    memos.set(key, (m = { bytes: new WeakMap(), seen: new WeakSet() }));
  }
  return m;
}

/** The bytes `encode` writes for a frozen `inst` seen before (kept in `memo`); undefined: write it directly. */
export function memoisedBytes<T extends CIMInstance>(memo: Memo, inst: T, encode: (w: XmlWriter, inst: T) => void): Buffer | undefined {
  const b = memo.bytes.get(inst);
  if (b || !Object.isFrozen(inst)) return b;
  if (!memo.seen.has(inst)) {
    memo.seen.add(inst);
    return undefined;
  }
  const own = new XmlWriter();
  encode(own, inst);
  const made = own.take();
  memo.bytes.set(inst, made);
  return made;
}

/** Writes `inst` through `encode`, reusing the bytes of an earlier call for the same frozen object. */
export function writeMemoised<T extends CIMInstance>(w: XmlWriter, memo: Memo, inst: T, encode: (w: XmlWriter, inst: T) => void): void {
  const b = memoisedBytes(memo, inst, encode);
  if (b) w.bytes(b);
  else encode(w, inst);
}

// <!ELEMENT INSTANCE (QUALIFIER*, (PROPERTY | PROPERTY.ARRAY | PROPERTY.REFERENCE)*)> CLASSNAME
export function writeInstance(w: XmlWriter, inst: CIMInstance, flags: ObjectFlags, loc?: Location): void {
  w.open('INSTANCE', { CLASSNAME: inst.className });
  if (flags.includeQualifiers && inst.qualifiers) writeQualifiers(w, inst.qualifiers);
  for (const p of inst.properties.values()) writePropertyValue(w, p, flags, loc);
  w.raw('</INSTANCE>');
}

function writePropertyValue(w: XmlWriter, p: PropertyValue, flags: ObjectFlags, loc?: Location): void {
  const origin = flags.includeClassOrigin ? p.classOrigin : undefined;
  const propagated = flags.includeClassOrigin && p.propagated ? 'true' : undefined;
  const quals = flags.includeQualifiers ? p.qualifiers : undefined;
  if (origin === undefined && propagated === undefined && !quals && !p.isArray && !p.embedded && p.type !== 'reference') {
    // the common case, written without building an attribute map
    const start = '<PROPERTY NAME="' + escapeAttr(p.name) + '" TYPE="' + p.type + '">';
    if (p.value === null) w.raw(start + '</PROPERTY>');
    else w.raw(start + '<VALUE>' + escapeText(scalarText(p, p.value as CIMScalar)) + '</VALUE></PROPERTY>');
    return;
  }
  writePropertyElement(w, p.name, p, p.value, origin, propagated, quals, loc);
}

// <!ELEMENT PROPERTY (QUALIFIER*, VALUE?)> NAME TYPE CLASSORIGIN PROPAGATED EmbeddedObject
// <!ELEMENT PROPERTY.ARRAY (QUALIFIER*, VALUE.ARRAY?)> NAME TYPE ARRAYSIZE CLASSORIGIN PROPAGATED EmbeddedObject
// <!ELEMENT PROPERTY.REFERENCE (QUALIFIER*, VALUE.REFERENCE?)> NAME REFERENCECLASS CLASSORIGIN PROPAGATED
function writePropertyElement(
  w: XmlWriter, name: string, spec: CIMTypeSpec, value: CIMValue, origin: string | undefined,
  propagated: string | undefined, quals: CIMap<Qualifier> | undefined, loc?: Location,
): void {
  let el: string;
  let attrs: Record<string, string | undefined>;
  if (spec.type === 'reference') {
    el = 'PROPERTY.REFERENCE';
    attrs = { NAME: name, REFERENCECLASS: spec.refClass, CLASSORIGIN: origin, PROPAGATED: propagated };
  } else {
    el = spec.isArray ? 'PROPERTY.ARRAY' : 'PROPERTY';
    attrs = {
      NAME: name, TYPE: spec.type, ARRAYSIZE: spec.isArray && spec.arraySize !== undefined ? String(spec.arraySize) : undefined,
      CLASSORIGIN: origin, PROPAGATED: propagated, EmbeddedObject: spec.embedded,
    };
  }
  if (value === null && !(quals && quals.size)) {
    // sblim wbemcli 1.6 rejects EmbeddedObject on PROPERTY.ARRAY (so `wbemcli mi/gi/ei` failed on
    // every CIM_SettingData instance, whose ComponentSetting is one); a NULL value has nothing to decode
    if (el === 'PROPERTY.ARRAY') attrs.EmbeddedObject = undefined;
    w.empty(el, attrs);
    return;
  }
  w.open(el, attrs);
  if (quals) writeQualifiers(w, quals);
  writeAnyValue(w, spec, value, loc);
  w.close(el);
}

function writeQualifiers(w: XmlWriter, quals: CIMap<Qualifier>): void {
  for (const q of quals.values()) writeQualifier(w, q);
}

function flavorAttrs(f: Flavor): Record<string, string | undefined> {
  return {
    OVERRIDABLE: f.overridable === DEFAULT_FLAVOR.overridable ? undefined : String(f.overridable),
    TOSUBCLASS: f.toSubclass === DEFAULT_FLAVOR.toSubclass ? undefined : String(f.toSubclass),
    TRANSLATABLE: f.translatable === DEFAULT_FLAVOR.translatable ? undefined : String(f.translatable),
  };
}

// <!ELEMENT QUALIFIER ((VALUE | VALUE.ARRAY)?)> NAME TYPE PROPAGATED %QualifierFlavor;
export function writeQualifier(w: XmlWriter, q: Qualifier): void {
  const attrs = { NAME: q.name, TYPE: q.type, PROPAGATED: q.propagated ? 'true' : undefined, ...flavorAttrs(q.flavor) };
  if (q.value === null) {
    w.empty('QUALIFIER', attrs);
    return;
  }
  w.open('QUALIFIER', attrs);
  writeAnyValue(w, { type: q.type, isArray: Array.isArray(q.value) }, q.value);
  w.raw('</QUALIFIER>');
}

const SCOPE_ATTRS: [Scope, string][] = [
  ['class', 'CLASS'], ['association', 'ASSOCIATION'], ['reference', 'REFERENCE'], ['property', 'PROPERTY'],
  ['method', 'METHOD'], ['parameter', 'PARAMETER'], ['indication', 'INDICATION'],
];

// <!ELEMENT QUALIFIER.DECLARATION (SCOPE?, (VALUE | VALUE.ARRAY)?)> NAME TYPE ISARRAY ARRAYSIZE %QualifierFlavor;
export function writeQualifierDeclaration(w: XmlWriter, d: QualifierDecl): void {
  w.open('QUALIFIER.DECLARATION', {
    NAME: d.name, TYPE: d.type, ISARRAY: String(d.isArray), ARRAYSIZE: d.arraySize !== undefined ? String(d.arraySize) : undefined,
    ...flavorAttrs(d.flavor),
  });
  // <!ELEMENT SCOPE EMPTY>: "any" sets every scope attribute
  const any = d.scopes.includes('any');
  const scope: Record<string, string | undefined> = {};
  for (const [s, a] of SCOPE_ATTRS) scope[a] = any || d.scopes.includes(s) ? 'true' : undefined;
  w.empty('SCOPE', scope);
  writeAnyValue(w, { type: d.type, isArray: d.isArray }, d.defaultValue);
  w.raw('</QUALIFIER.DECLARATION>');
}

// <!ELEMENT CLASS (QUALIFIER*, (PROPERTY | PROPERTY.ARRAY | PROPERTY.REFERENCE)*, METHOD*)> NAME SUPERCLASS
export function writeClass(w: XmlWriter, cls: CIMClass, flags: ObjectFlags): void {
  w.open('CLASS', { NAME: cls.name, SUPERCLASS: cls.superclass });
  if (flags.includeQualifiers) writeQualifiers(w, cls.qualifiers);
  for (const p of cls.properties.values()) writeClassProperty(w, p, flags);
  for (const m of cls.methods.values()) writeMethod(w, m, flags);
  w.raw('</CLASS>');
}

function writeClassProperty(w: XmlWriter, p: CIMProperty, flags: ObjectFlags): void {
  const origin = flags.includeClassOrigin ? p.classOrigin : undefined;
  writePropertyElement(w, p.name, p, p.defaultValue, origin, p.propagated ? 'true' : undefined, flags.includeQualifiers ? p.qualifiers : undefined);
}

// <!ELEMENT METHOD (QUALIFIER*, (PARAMETER | PARAMETER.REFERENCE | PARAMETER.ARRAY | PARAMETER.REFARRAY)*)> NAME TYPE CLASSORIGIN PROPAGATED
export function writeMethod(w: XmlWriter, m: CIMMethod, flags: ObjectFlags): void {
  const attrs = {
    NAME: m.name, TYPE: m.returnType === 'reference' ? undefined : m.returnType,
    CLASSORIGIN: flags.includeClassOrigin ? m.classOrigin : undefined, PROPAGATED: m.propagated ? 'true' : undefined,
  };
  w.open('METHOD', attrs);
  if (flags.includeQualifiers) writeQualifiers(w, m.qualifiers);
  for (const p of m.parameters.values()) writeParameter(w, p, flags);
  w.raw('</METHOD>');
}

// <!ELEMENT PARAMETER (QUALIFIER*)> NAME TYPE, and the .REFERENCE / .ARRAY / .REFARRAY forms
export function writeParameter(w: XmlWriter, p: CIMParameter, flags: ObjectFlags): void {
  const size = p.isArray && p.arraySize !== undefined ? String(p.arraySize) : undefined;
  let el: string;
  let attrs: Record<string, string | undefined>;
  if (p.type === 'reference') {
    el = p.isArray ? 'PARAMETER.REFARRAY' : 'PARAMETER.REFERENCE';
    attrs = { NAME: p.name, REFERENCECLASS: p.refClass, ARRAYSIZE: size };
  } else {
    el = p.isArray ? 'PARAMETER.ARRAY' : 'PARAMETER';
    attrs = { NAME: p.name, TYPE: p.type, ARRAYSIZE: size };
  }
  if (!flags.includeQualifiers || p.qualifiers.size === 0) {
    w.empty(el, attrs);
    return;
  }
  w.open(el, attrs);
  writeQualifiers(w, p.qualifiers);
  w.close(el);
}
