/**
 * Decoders for CIM-XML value and naming elements (DSP0201 / DSP0203 2.4): one function per
 * element, its DTD rule on the line above, each starting with checkNode. Values are read with
 * src/cim parseScalar. A VALUE/KEYVALUE whose text does not parse as its declared type is a
 * CIM-level error (CIM_ERR_INVALID_PARAMETER, HTTP 200 with ERROR); request-not-valid (400) is
 * kept for XML that breaks the DTD (DSP0200 4.3, cim-xml-protocol.md 1.5). Keys keep the
 * exact CIM type they arrived with (TYPE) in an extra `cimType` field so the encoder can echo it.
 */
import { CimError } from '../cim/errors.js';
import { parseNumber } from '../cim/path-parse.js';
import { ClassName, InstanceName, type KeyBinding } from '../cim/path.js';
import type { CIMScalar, CIMType } from '../cim/types.js';
import { parseScalar } from '../cim/values.js';
import { notValid } from './errors.js';
import { checkNode, onlyChild } from './xml-node.js';
import type { XNode } from './xml-parse.js';

/** A key binding that remembers the TYPE attribute of its KEYVALUE, when there was one. */
export type TypedKeyBinding = KeyBinding & { cimType?: CIMType };

export const CIM_TYPE_NAMES: readonly string[] = [
  'boolean', 'string', 'char16', 'uint8', 'sint8', 'uint16', 'sint16', 'uint32', 'sint32',
  'uint64', 'sint64', 'datetime', 'real32', 'real64',
];

/** A TYPE attribute value (%CIMType), checked. */
export function cimTypeAttr(n: XNode, attr = 'TYPE'): CIMType {
  const t = n.attrs[attr];
  if (t === undefined || !CIM_TYPE_NAMES.includes(t)) throw notValid(`<${n.name}> has a bad ${attr} "${t ?? ''}"`);
  return t as CIMType;
}

/**
 * VALUE text read as a scalar of the type. Text that is no value of the type is
 * CIM_ERR_INVALID_PARAMETER naming `where` and the text (DSP0200 4.3: the XML is valid, the
 * value is not), whatever status parseScalar chose.
 */
export function scalarFromText(type: CIMType, text: string, where: string): CIMScalar {
  try {
    return parseScalar(type, text);
  } catch (e) {
    if (e instanceof CimError) throw badValue(where, e.description);
    throw e;
  }
}

/** A value error as the CIM error the client sees. */
export function badValue(where: string, detail: string): CimError {
  return new CimError('CIM_ERR_INVALID_PARAMETER', `${where}: ${detail}`);
}

// <!ELEMENT VALUE (#PCDATA)>
export function decodeValueText(n: XNode): string {
  checkNode(n, 'VALUE', { text: true });
  return n.text;
}

// <!ELEMENT VALUE.ARRAY (VALUE | VALUE.NULL)*>
export function decodeValueArrayText(n: XNode): (string | null)[] {
  checkNode(n, 'VALUE.ARRAY', { children: ['VALUE', 'VALUE.NULL'] });
  return n.children.map((c) => (c.name === 'VALUE' ? decodeValueText(c) : decodeValueNull(c)));
}

// <!ELEMENT VALUE.NULL EMPTY>
export function decodeValueNull(n: XNode): null {
  checkNode(n, 'VALUE.NULL', {});
  return null;
}

// <!ELEMENT VALUE.REFERENCE (CLASSPATH | LOCALCLASSPATH | CLASSNAME | INSTANCEPATH | LOCALINSTANCEPATH | INSTANCENAME)>
export function decodeValueReference(n: XNode): InstanceName | ClassName {
  checkNode(n, 'VALUE.REFERENCE', {
    children: ['CLASSPATH', 'LOCALCLASSPATH', 'CLASSNAME', 'INSTANCEPATH', 'LOCALINSTANCEPATH', 'INSTANCENAME'],
  });
  const c = onlyChild(n);
  switch (c.name) {
    case 'CLASSPATH': return decodeClassPath(c);
    case 'LOCALCLASSPATH': return decodeLocalClassPath(c);
    case 'CLASSNAME': return new ClassName(decodeClassName(c));
    case 'INSTANCEPATH': return decodeInstancePath(c);
    case 'LOCALINSTANCEPATH': return decodeLocalInstancePath(c);
    default: return decodeInstanceName(c);
  }
}

// <!ELEMENT VALUE.REFARRAY (VALUE.REFERENCE | VALUE.NULL)*>
export function decodeValueRefArray(n: XNode): (InstanceName | ClassName | null)[] {
  checkNode(n, 'VALUE.REFARRAY', { children: ['VALUE.REFERENCE', 'VALUE.NULL'] });
  return n.children.map((c) => (c.name === 'VALUE.REFERENCE' ? decodeValueReference(c) : decodeValueNull(c)));
}

// <!ELEMENT NAMESPACE EMPTY> NAME
export function decodeNamespace(n: XNode): string {
  checkNode(n, 'NAMESPACE', { required: ['NAME'] });
  return n.attrs.NAME;
}

// <!ELEMENT LOCALNAMESPACEPATH (NAMESPACE+)>
export function decodeLocalNamespacePath(n: XNode): string {
  checkNode(n, 'LOCALNAMESPACEPATH', { children: ['NAMESPACE'] });
  if (n.children.length === 0) throw notValid('<LOCALNAMESPACEPATH> needs at least one <NAMESPACE>');
  let ns = '';
  for (const c of n.children) {
    const part = decodeNamespace(c);
    if (part === '' || part.includes('\\') || part.includes('/')) return joinNamespaceParts(n.children.map(decodeNamespace));
    ns = ns ? ns + '/' + part : part;
  }
  return ns;
}

/** NAMESPACE NAMEs that themselves hold separators (`root/cimv2` in one element) or are empty. */
function joinNamespaceParts(names: string[]): string {
  const parts = names.flatMap((p) => p.split(/[\\/]/));
  if (parts.some((p) => p === '')) throw notValid('empty namespace name component');
  return parts.join('/');
}

// <!ELEMENT HOST (#PCDATA)>
export function decodeHost(n: XNode): string {
  checkNode(n, 'HOST', { text: true });
  const h = n.text.trim();
  if (!h) throw notValid('empty <HOST>');
  return h;
}

// <!ELEMENT NAMESPACEPATH (HOST, LOCALNAMESPACEPATH)>
export function decodeNamespacePath(n: XNode): { host: string; namespace: string } {
  checkNode(n, 'NAMESPACEPATH', { children: ['HOST', 'LOCALNAMESPACEPATH'] });
  const [h, ns] = pair(n, 'HOST', 'LOCALNAMESPACEPATH');
  return { host: decodeHost(h), namespace: decodeLocalNamespacePath(ns) };
}

// <!ELEMENT CLASSNAME EMPTY> NAME
export function decodeClassName(n: XNode): string {
  checkNode(n, 'CLASSNAME', { required: ['NAME'] });
  return n.attrs.NAME;
}

// <!ELEMENT CLASSPATH (NAMESPACEPATH, CLASSNAME)>
export function decodeClassPath(n: XNode): ClassName {
  checkNode(n, 'CLASSPATH', { children: ['NAMESPACEPATH', 'CLASSNAME'] });
  const [np, cn] = pair(n, 'NAMESPACEPATH', 'CLASSNAME');
  const { host, namespace } = decodeNamespacePath(np);
  return new ClassName(decodeClassName(cn), namespace, host);
}

// <!ELEMENT LOCALCLASSPATH (LOCALNAMESPACEPATH, CLASSNAME)>
export function decodeLocalClassPath(n: XNode): ClassName {
  checkNode(n, 'LOCALCLASSPATH', { children: ['LOCALNAMESPACEPATH', 'CLASSNAME'] });
  const [ns, cn] = pair(n, 'LOCALNAMESPACEPATH', 'CLASSNAME');
  return new ClassName(decodeClassName(cn), decodeLocalNamespacePath(ns));
}

// <!ELEMENT INSTANCEPATH (NAMESPACEPATH, INSTANCENAME)>
export function decodeInstancePath(n: XNode): InstanceName {
  checkNode(n, 'INSTANCEPATH', { children: ['NAMESPACEPATH', 'INSTANCENAME'] });
  const [np, inn] = pair(n, 'NAMESPACEPATH', 'INSTANCENAME');
  const { host, namespace } = decodeNamespacePath(np);
  return decodeInstanceName(inn).withLocation(namespace, host);
}

// <!ELEMENT LOCALINSTANCEPATH (LOCALNAMESPACEPATH, INSTANCENAME)>
export function decodeLocalInstancePath(n: XNode): InstanceName {
  checkNode(n, 'LOCALINSTANCEPATH', { children: ['LOCALNAMESPACEPATH', 'INSTANCENAME'] });
  const [ns, inn] = pair(n, 'LOCALNAMESPACEPATH', 'INSTANCENAME');
  return decodeInstanceName(inn).withLocation(decodeLocalNamespacePath(ns));
}

// <!ELEMENT OBJECTPATH (INSTANCEPATH | CLASSPATH)>
export function decodeObjectPath(n: XNode): InstanceName | ClassName {
  checkNode(n, 'OBJECTPATH', { children: ['INSTANCEPATH', 'CLASSPATH'] });
  const c = onlyChild(n);
  return c.name === 'INSTANCEPATH' ? decodeInstancePath(c) : decodeClassPath(c);
}

// <!ELEMENT INSTANCENAME (KEYBINDING* | KEYVALUE? | VALUE.REFERENCE?)> CLASSNAME
export function decodeInstanceName(n: XNode): InstanceName {
  checkNode(n, 'INSTANCENAME', { required: ['CLASSNAME'], children: ['KEYBINDING'] });
  const keys = n.children.map(decodeKeyBinding);
  const seen = new Set<string>();
  for (const k of keys) {
    const lk = k.name.toLowerCase();
    if (seen.has(lk)) throw notValid(`key ${k.name} appears twice in <INSTANCENAME CLASSNAME="${n.attrs.CLASSNAME}">`);
    seen.add(lk);
  }
  return new InstanceName(n.attrs.CLASSNAME, keys);
}

// <!ELEMENT KEYBINDING (KEYVALUE | VALUE.REFERENCE)> NAME
export function decodeKeyBinding(n: XNode): TypedKeyBinding {
  checkNode(n, 'KEYBINDING', { required: ['NAME'], children: ['KEYVALUE', 'VALUE.REFERENCE'] });
  const c = onlyChild(n);
  if (c.name === 'VALUE.REFERENCE') {
    const ref = decodeValueReference(c);
    if (!(ref instanceof InstanceName)) throw notValid(`key ${n.attrs.NAME} refers to a class, not an instance`);
    return { name: n.attrs.NAME, type: 'reference', value: ref };
  }
  return { name: n.attrs.NAME, ...decodeKeyValue(c, `key ${n.attrs.NAME}`) };
}

// <!ELEMENT KEYVALUE (#PCDATA)> VALUETYPE (string|boolean|numeric) "string", TYPE (required in 2.4, often absent)
export function decodeKeyValue(n: XNode, where = 'key value'): Omit<TypedKeyBinding, 'name'> {
  checkNode(n, 'KEYVALUE', { text: true });
  const vt = n.attrs.VALUETYPE ?? 'string';
  if (n.attrs.TYPE !== undefined) {
    const t = cimTypeAttr(n);
    const v = scalarFromText(t, n.text, where);
    if (t === 'boolean') return { type: 'boolean', value: v as boolean, cimType: t };
    if (t === 'string' || t === 'char16' || t === 'datetime') return { type: 'string', value: n.text, cimType: t };
    return { type: 'numeric', value: v as number | bigint, cimType: t };
  }
  switch (vt) {
    case 'string':
      return { type: 'string', value: n.text };
    case 'boolean':
      return { type: 'boolean', value: scalarFromText('boolean', n.text, where) as boolean };
    case 'numeric': {
      const v = parseNumber(n.text.trim());
      if (v === undefined) throw badValue(where, `${JSON.stringify(n.text)} is not a number`);
      return { type: 'numeric', value: v };
    }
  }
  throw notValid(`bad VALUETYPE "${vt}" on <KEYVALUE>`);
}

/** The two children a `(A, B)` rule requires, in order. */
export function pair(n: XNode, a: string, b: string): [XNode, XNode] {
  if (n.children.length !== 2 || n.children[0].name !== a || n.children[1].name !== b) {
    throw notValid(`<${n.name}> needs <${a}> then <${b}>`);
  }
  return [n.children[0], n.children[1]];
}
