/**
 * Decoders for CIM-XML object elements: INSTANCE and its PROPERTY forms, QUALIFIER, CLASS
 * with METHOD and PARAMETER forms, QUALIFIER.DECLARATION, VALUE.NAMEDINSTANCE, and embedded
 * objects (an INSTANCE or CLASS serialised inside VALUE text). One function per element,
 * DTD rule above each. Instances keep what the client sent; CLASSORIGIN / PROPAGATED and
 * WMI's `__` system properties on incoming instances are ignored.
 */
import type { CIMClass, CIMMethod, CIMParameter, CIMProperty } from '../cim/class.js';
import { CIMInstance, type PropertyValue } from '../cim/instance.js';
import { CIMap, ciEq } from '../cim/names.js';
import type { InstanceName } from '../cim/path.js';
import { DEFAULT_FLAVOR, type Flavor, type Qualifier, type QualifierDecl, type Scope } from '../cim/qualifier.js';
import type { CIMScalar, CIMType, CIMValue } from '../cim/types.js';
import {
  cimTypeAttr, decodeInstanceName, decodeValueArrayText, decodeValueReference, decodeValueText, pair, scalarFromText,
} from './decode-value.js';
import { notValid } from './errors.js';
import { attrAnyCase, boolAttr, checkNode, optionalChild, splitLeading } from './xml-node.js';
import { DEFAULT_XML_LIMITS, parseXml, type XNode } from './xml-parse.js';

type Embedded = 'object' | 'instance' | undefined;

function embeddedAttr(n: XNode): Embedded {
  const v = attrAnyCase(n, 'EmbeddedObject');
  if (v === undefined) return undefined;
  if (v === 'object' || v === 'instance') return v;
  throw notValid(`bad EmbeddedObject="${v}" on <${n.name}>`);
}

function arraySizeAttr(n: XNode): number | undefined {
  const v = n.attrs.ARRAYSIZE;
  if (v === undefined) return undefined;
  if (!/^\s*[0-9]+\s*$/.test(v)) throw notValid(`bad ARRAYSIZE="${v}" on <${n.name}>`);
  return Number(v);
}

/** Text of a VALUE read as a scalar, or as an embedded object when the element says so. */
function scalarOf(type: CIMType, text: string, embedded: Embedded, where: string): CIMScalar {
  if (embedded && type === 'string') return decodeEmbeddedObject(text);
  return scalarFromText(type, text, where);
}

/**
 * An embedded object: the text of a VALUE holding `<INSTANCE ...>` or `<CLASS ...>` (already
 * unescaped once by the outer parse). Exported for the cimom's value conversion.
 */
export function decodeEmbeddedObject(text: string): CIMInstance | CIMClass {
  const root = parseXml(text.trim(), DEFAULT_XML_LIMITS);
  if (root.name === 'INSTANCE') return decodeInstance(root);
  if (root.name === 'CLASS') return decodeClass(root);
  throw notValid(`an embedded object must be <INSTANCE> or <CLASS>, not <${root.name}>`);
}

// <!ELEMENT INSTANCE (QUALIFIER*, (PROPERTY | PROPERTY.ARRAY | PROPERTY.REFERENCE)*)> CLASSNAME
export function decodeInstance(n: XNode): CIMInstance {
  checkNode(n, 'INSTANCE', { required: ['CLASSNAME'], children: ['QUALIFIER', 'PROPERTY', 'PROPERTY.ARRAY', 'PROPERTY.REFERENCE'] });
  const [quals, props] = splitLeading(n, 'QUALIFIER');
  const inst = new CIMInstance(n.attrs.CLASSNAME);
  for (const p of props) {
    const pv = decodeAnyProperty(p);
    if (pv.name.startsWith('__')) continue; // WMI system properties (__PATH, __CLASS, ...)
    if (inst.properties.has(pv.name)) throw notValid(`property ${pv.name} appears twice in <INSTANCE CLASSNAME="${n.attrs.CLASSNAME}">`);
    inst.properties.set(pv.name, pv);
  }
  if (quals.length) inst.qualifiers = qualifierMap(quals);
  return inst;
}

function decodeAnyProperty(p: XNode): PropertyValue & { qualifiers?: CIMap<Qualifier> } {
  const [spec, value, quals] =
    p.name === 'PROPERTY' ? decodeProperty(p) : p.name === 'PROPERTY.ARRAY' ? decodePropertyArray(p) : decodePropertyReference(p);
  const pv: PropertyValue = { name: p.attrs.NAME, ...spec, value };
  if (quals.length) pv.qualifiers = qualifierMap(quals);
  return pv;
}

type Spec = Omit<CIMProperty, 'name' | 'defaultValue' | 'qualifiers' | 'classOrigin' | 'propagated' | 'isKey'>;

// <!ELEMENT PROPERTY (QUALIFIER*, VALUE?)> NAME TYPE CLASSORIGIN PROPAGATED EmbeddedObject
export function decodeProperty(n: XNode): [Spec, CIMValue, XNode[]] {
  checkNode(n, 'PROPERTY', { required: ['NAME', 'TYPE'], children: ['QUALIFIER', 'VALUE'] });
  const type = cimTypeAttr(n);
  const embedded = embeddedAttr(n);
  const [quals, rest] = splitLeading(n, 'QUALIFIER');
  const v = optionalOf(n, rest);
  const value = v ? scalarOf(type, decodeValueText(v), embedded, `property ${n.attrs.NAME}`) : null;
  return [{ type, isArray: false, ...(embedded ? { embedded } : {}) }, value, quals];
}

// <!ELEMENT PROPERTY.ARRAY (QUALIFIER*, VALUE.ARRAY?)> NAME TYPE ARRAYSIZE CLASSORIGIN PROPAGATED EmbeddedObject
export function decodePropertyArray(n: XNode): [Spec, CIMValue, XNode[]] {
  checkNode(n, 'PROPERTY.ARRAY', { required: ['NAME', 'TYPE'], children: ['QUALIFIER', 'VALUE.ARRAY'] });
  const type = cimTypeAttr(n);
  const embedded = embeddedAttr(n);
  const arraySize = arraySizeAttr(n);
  const [quals, rest] = splitLeading(n, 'QUALIFIER');
  const v = optionalOf(n, rest);
  const value = v ? arrayOf(type, v, embedded, `property ${n.attrs.NAME}`) : null;
  const spec: Spec = { type, isArray: true, ...(arraySize !== undefined ? { arraySize } : {}), ...(embedded ? { embedded } : {}) };
  return [spec, value, quals];
}

// <!ELEMENT PROPERTY.REFERENCE (QUALIFIER*, VALUE.REFERENCE?)> NAME REFERENCECLASS CLASSORIGIN PROPAGATED
export function decodePropertyReference(n: XNode): [Spec, CIMValue, XNode[]] {
  checkNode(n, 'PROPERTY.REFERENCE', { required: ['NAME'], children: ['QUALIFIER', 'VALUE.REFERENCE'] });
  const [quals, rest] = splitLeading(n, 'QUALIFIER');
  const v = optionalOf(n, rest);
  const spec: Spec = { type: 'reference', isArray: false, ...(n.attrs.REFERENCECLASS ? { refClass: n.attrs.REFERENCECLASS } : {}) };
  return [spec, v ? decodeValueReference(v) : null, quals];
}

function optionalOf(n: XNode, rest: XNode[]): XNode | undefined {
  if (rest.length > 1) throw notValid(`<${n.name} NAME="${n.attrs.NAME}"> has more than one value`);
  return rest[0];
}

function arrayOf(type: CIMType, n: XNode, embedded: Embedded, where: string): (CIMScalar | null)[] {
  return decodeValueArrayText(n).map((t, i) => (t === null ? null : scalarOf(type, t, embedded, `${where}[${i}]`)));
}

/** A VALUE or VALUE.ARRAY child (qualifier values, declaration defaults). */
function qualifierValue(type: CIMType, v: XNode | undefined, where: string): [CIMValue, boolean | undefined] {
  if (!v) return [null, undefined];
  if (v.name === 'VALUE') return [scalarFromText(type, decodeValueText(v), where), false];
  return [arrayOf(type, v, undefined, where), true];
}

function flavorOf(n: XNode): Flavor {
  return {
    overridable: boolAttr(n, 'OVERRIDABLE', DEFAULT_FLAVOR.overridable),
    toSubclass: boolAttr(n, 'TOSUBCLASS', DEFAULT_FLAVOR.toSubclass),
    translatable: boolAttr(n, 'TRANSLATABLE', DEFAULT_FLAVOR.translatable),
  };
}

// <!ELEMENT QUALIFIER ((VALUE | VALUE.ARRAY)?)> NAME TYPE PROPAGATED %QualifierFlavor;
export function decodeQualifier(n: XNode): Qualifier {
  checkNode(n, 'QUALIFIER', { required: ['NAME', 'TYPE'], children: ['VALUE', 'VALUE.ARRAY'] });
  const type = cimTypeAttr(n);
  const [value, isArray] = qualifierValue(type, optionalChild(n), `qualifier ${n.attrs.NAME}`);
  return { name: n.attrs.NAME, type, isArray: isArray ?? false, value, flavor: flavorOf(n), propagated: boolAttr(n, 'PROPAGATED', false) };
}

function qualifierMap(nodes: XNode[]): CIMap<Qualifier> {
  const m = new CIMap<Qualifier>();
  for (const q of nodes.map(decodeQualifier)) {
    if (m.has(q.name)) throw notValid(`qualifier ${q.name} appears twice`);
    m.set(q.name, q);
  }
  return m;
}

// <!ELEMENT SCOPE EMPTY> CLASS ASSOCIATION REFERENCE PROPERTY METHOD PARAMETER INDICATION
export function decodeScope(n: XNode): Scope[] {
  checkNode(n, 'SCOPE', {});
  const all: [string, Scope][] = [
    ['CLASS', 'class'], ['ASSOCIATION', 'association'], ['REFERENCE', 'reference'], ['PROPERTY', 'property'],
    ['METHOD', 'method'], ['PARAMETER', 'parameter'], ['INDICATION', 'indication'],
  ];
  const on = all.filter(([a]) => boolAttr(n, a, false)).map(([, s]) => s);
  return on.length === all.length ? ['any'] : on;
}

// <!ELEMENT QUALIFIER.DECLARATION (SCOPE?, (VALUE | VALUE.ARRAY)?)> NAME TYPE ISARRAY ARRAYSIZE %QualifierFlavor;
export function decodeQualifierDeclaration(n: XNode): QualifierDecl {
  checkNode(n, 'QUALIFIER.DECLARATION', { required: ['NAME', 'TYPE'], children: ['SCOPE', 'VALUE', 'VALUE.ARRAY'] });
  const type = cimTypeAttr(n);
  const [scopeNodes, rest] = splitLeading(n, 'SCOPE');
  if (scopeNodes.length > 1) throw notValid('<QUALIFIER.DECLARATION> has more than one <SCOPE>');
  if (rest.length > 1) throw notValid('<QUALIFIER.DECLARATION> has more than one value');
  const [defaultValue, valueIsArray] = qualifierValue(type, rest[0], `qualifier declaration ${n.attrs.NAME}`);
  const isArray = boolAttr(n, 'ISARRAY', valueIsArray ?? false);
  if (valueIsArray !== undefined && valueIsArray !== isArray) throw notValid(`ISARRAY disagrees with the default value of ${n.attrs.NAME}`);
  const arraySize = arraySizeAttr(n);
  return {
    name: n.attrs.NAME, type, isArray, ...(arraySize !== undefined ? { arraySize } : {}), defaultValue,
    scopes: scopeNodes.length ? decodeScope(scopeNodes[0]) : [], flavor: flavorOf(n),
  };
}

// <!ELEMENT VALUE.NAMEDINSTANCE (INSTANCENAME, INSTANCE)>
export function decodeValueNamedInstance(n: XNode): CIMInstance & { path: InstanceName } {
  checkNode(n, 'VALUE.NAMEDINSTANCE', { children: ['INSTANCENAME', 'INSTANCE'] });
  const [nameNode, instNode] = pair(n, 'INSTANCENAME', 'INSTANCE');
  const inst = decodeInstance(instNode);
  inst.path = decodeInstanceName(nameNode);
  if (!ciEq(inst.path.className, inst.className)) throw notValid('<VALUE.NAMEDINSTANCE> name and instance differ in class');
  return inst as CIMInstance & { path: InstanceName };
}

// <!ELEMENT CLASS (QUALIFIER*, (PROPERTY | PROPERTY.ARRAY | PROPERTY.REFERENCE)*, METHOD*)> NAME SUPERCLASS
export function decodeClass(n: XNode): CIMClass {
  checkNode(n, 'CLASS', { required: ['NAME'], children: ['QUALIFIER', 'PROPERTY', 'PROPERTY.ARRAY', 'PROPERTY.REFERENCE', 'METHOD'] });
  const name = n.attrs.NAME;
  const [quals, rest] = splitLeading(n, 'QUALIFIER');
  const firstMethod = rest.findIndex((c) => c.name === 'METHOD');
  const propNodes = firstMethod < 0 ? rest : rest.slice(0, firstMethod);
  const methodNodes = firstMethod < 0 ? [] : rest.slice(firstMethod);
  if (methodNodes.some((m) => m.name !== 'METHOD')) throw notValid(`properties after methods in <CLASS NAME="${name}">`);
  const qualifiers = qualifierMap(quals);
  const properties = new CIMap<CIMProperty>();
  for (const p of propNodes) {
    const prop = classProperty(p, name);
    if (properties.has(prop.name)) throw notValid(`property ${prop.name} appears twice in class ${name}`);
    properties.set(prop.name, prop);
  }
  const methods = new CIMap<CIMMethod>();
  for (const m of methodNodes.map((x) => decodeMethod(x, name))) methods.set(m.name, m);
  const flag = (q: string) => qualifiers.get(q)?.value === true;
  return {
    name, ...(n.attrs.SUPERCLASS ? { superclass: n.attrs.SUPERCLASS } : {}), qualifiers, properties, methods,
    isAssociation: flag('Association'), isIndication: flag('Indication'), isAbstract: flag('Abstract'),
    keys: [...properties.values()].filter((p) => p.isKey).map((p) => p.name),
  };
}

function classProperty(p: XNode, className: string): CIMProperty {
  const pv = decodeAnyProperty(p);
  const qualifiers = pv.qualifiers ?? new CIMap<Qualifier>();
  const { value, ...spec } = pv;
  return {
    ...spec, defaultValue: value, qualifiers, classOrigin: p.attrs.CLASSORIGIN ?? className,
    propagated: boolAttr(p, 'PROPAGATED', false), isKey: qualifiers.get('Key')?.value === true,
  };
}

// <!ELEMENT METHOD (QUALIFIER*, (PARAMETER | PARAMETER.REFERENCE | PARAMETER.ARRAY | PARAMETER.REFARRAY)*)> NAME TYPE CLASSORIGIN PROPAGATED
export function decodeMethod(n: XNode, className: string): CIMMethod {
  checkNode(n, 'METHOD', {
    required: ['NAME'], children: ['QUALIFIER', 'PARAMETER', 'PARAMETER.REFERENCE', 'PARAMETER.ARRAY', 'PARAMETER.REFARRAY'],
  });
  const [quals, rest] = splitLeading(n, 'QUALIFIER');
  const parameters = new CIMap<CIMParameter>();
  for (const p of rest.map(decodeParameter)) parameters.set(p.name, p);
  return {
    name: n.attrs.NAME, returnType: n.attrs.TYPE !== undefined ? cimTypeAttr(n) : 'uint32', parameters,
    qualifiers: qualifierMap(quals), classOrigin: n.attrs.CLASSORIGIN ?? className, propagated: boolAttr(n, 'PROPAGATED', false),
  };
}

// <!ELEMENT PARAMETER (QUALIFIER*)> NAME TYPE; PARAMETER.REFERENCE NAME REFERENCECLASS;
// PARAMETER.ARRAY NAME TYPE ARRAYSIZE; PARAMETER.REFARRAY NAME REFERENCECLASS ARRAYSIZE
export function decodeParameter(n: XNode): CIMParameter {
  const isRef = n.name === 'PARAMETER.REFERENCE' || n.name === 'PARAMETER.REFARRAY';
  checkNode(n, n.name, { required: isRef ? ['NAME'] : ['NAME', 'TYPE'], children: ['QUALIFIER'] });
  const qualifiers = qualifierMap(n.children);
  const isArray = n.name === 'PARAMETER.ARRAY' || n.name === 'PARAMETER.REFARRAY';
  const arraySize = isArray ? arraySizeAttr(n) : undefined;
  const inQ = qualifiers.get('In')?.value;
  const outQ = qualifiers.get('Out')?.value;
  return {
    name: n.attrs.NAME, type: isRef ? 'reference' : cimTypeAttr(n), isArray,
    ...(arraySize !== undefined ? { arraySize } : {}), ...(isRef && n.attrs.REFERENCECLASS ? { refClass: n.attrs.REFERENCECLASS } : {}),
    qualifiers, in: inQ === undefined ? outQ !== true : inQ === true, out: outQ === true,
  };
}
