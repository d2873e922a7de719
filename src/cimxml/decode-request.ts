/**
 * Decodes a CIM-XML request document (CIM / MESSAGE / SIMPLEREQ) into a typed request:
 * first the envelope (versions, message ID, operation name, target), which is enough to
 * answer with an <ERROR> in the right IMETHODRESPONSE/METHODRESPONSE, then the parameters
 * (IPARAMVALUE by the operation table with DSP0200 defaults, or PARAMVALUE for extrinsic
 * methods). Structural problems are ProtocolErrors (HTTP 400/501); parameter problems and
 * value texts that do not parse as their declared type are CimErrors (HTTP 200 with ERROR),
 * as OpenPegasus does (DSP0200 4.3, cim-xml-protocol.md 1.5).
 */
import { CimError } from '../cim/errors.js';
import { CIMInstance } from '../cim/instance.js';
import { ClassName, InstanceName } from '../cim/path.js';
import type { CIMScalar, CIMType, CIMTypeSpec } from '../cim/types.js';
import type { IntrinsicName, InvokeMethodRequest, ParamValue, Requests } from '../cimom/operations.js';
import {
  decodeClass, decodeEmbeddedObject, decodeInstance, decodeQualifierDeclaration, decodeValueNamedInstance,
} from './decode-object.js';
import {
  CIM_TYPE_NAMES, decodeClassName, decodeInstanceName, decodeLocalClassPath, decodeLocalInstancePath,
  decodeLocalNamespacePath, decodeValueArrayText, decodeValueRefArray, decodeValueReference, decodeValueText,
  scalarFromText,
} from './decode-value.js';
import { ProtocolError, notValid } from './errors.js';
import { OPERATIONS, findOperation, type ParamKind, type ParamSpec } from './params.js';
import { attrAnyCase, checkNode, optionalChild } from './xml-node.js';
import type { XNode } from './xml-parse.js';

export interface IntrinsicEnvelope {
  kind: 'intrinsic';
  id: string;
  /** MESSAGE PROTOCOLVERSION. */
  protocolVersion?: string;
  /** The IMETHODCALL NAME as sent. */
  name: string;
  /** Undefined for a name that is no intrinsic operation (answered with CIM_ERR_NOT_SUPPORTED). */
  op: IntrinsicName | undefined;
  namespace: string;
  params: XNode[];
}

export interface MethodEnvelope {
  kind: 'method';
  id: string;
  protocolVersion?: string;
  name: string;
  namespace: string;
  target: InstanceName | ClassName;
  params: XNode[];
}

export type Envelope = IntrinsicEnvelope | MethodEnvelope;

/** What an ERROR response needs to know of the call it answers. */
export type CallId = Pick<Envelope, 'kind' | 'id' | 'name'>;

/**
 * A CIM error met while reading the envelope itself (a bad key value in a METHODCALL target):
 * the XML is valid, so it is answered as an ERROR of that call, not as HTTP 400.
 */
export class EnvelopeCimError extends Error {
  constructor(
    readonly call: CallId,
    readonly error: CimError,
  ) {
    super(error.description);
    this.name = 'EnvelopeCimError';
  }
}

// <!ELEMENT CIM (MESSAGE | DECLARATION)> CIMVERSION DTDVERSION
export function decodeEnvelope(root: XNode): Envelope {
  if (root.name !== 'CIM') throw notValid(`the root element is <${root.name}>, not <CIM>`);
  checkNode(root, 'CIM', { required: ['CIMVERSION', 'DTDVERSION'], children: ['MESSAGE', 'DECLARATION'] });
  // DSP0200: only the major version is checked (2.x)
  if (!/^2\.\d+$/.test(root.attrs.CIMVERSION.trim())) throw new ProtocolError(501, 'unsupported-cim-version', `CIMVERSION ${root.attrs.CIMVERSION}`);
  if (!/^2\.\d+(\.\d+)?$/.test(root.attrs.DTDVERSION.trim())) throw new ProtocolError(501, 'unsupported-dtd-version', `DTDVERSION ${root.attrs.DTDVERSION}`);
  const msg = optionalChild(root);
  if (!msg || msg.name !== 'MESSAGE') throw notValid('<CIM> must hold a <MESSAGE>');
  return decodeMessage(msg);
}

// <!ELEMENT MESSAGE (SIMPLEREQ | MULTIREQ | ...)> ID PROTOCOLVERSION
function decodeMessage(n: XNode): Envelope {
  checkNode(n, 'MESSAGE', {
    required: ['ID', 'PROTOCOLVERSION'],
    children: ['SIMPLEREQ', 'MULTIREQ', 'SIMPLERSP', 'MULTIRSP', 'SIMPLEEXPREQ', 'MULTIEXPREQ', 'SIMPLEEXPRSP', 'MULTIEXPRSP'],
  });
  if (!/^1\.\d+$/.test(n.attrs.PROTOCOLVERSION.trim())) {
    throw new ProtocolError(501, 'unsupported-protocol-version', `PROTOCOLVERSION ${n.attrs.PROTOCOLVERSION}`);
  }
  const body = optionalChild(n);
  if (!body) throw notValid('empty <MESSAGE>');
  if (body.name === 'MULTIREQ') throw new ProtocolError(501, 'multiple-requests-unsupported', 'MULTIREQ is not supported');
  if (body.name !== 'SIMPLEREQ') throw notValid(`<${body.name}> is not an operation request`);
  const env = decodeSimpleReq(body, n.attrs.ID);
  env.protocolVersion = n.attrs.PROTOCOLVERSION.trim();
  return env;
}

// <!ELEMENT SIMPLEREQ (CORRELATOR*, (METHODCALL | IMETHODCALL))>
function decodeSimpleReq(n: XNode, id: string): Envelope {
  checkNode(n, 'SIMPLEREQ', { children: ['CORRELATOR', 'METHODCALL', 'IMETHODCALL'] });
  const calls = n.children.filter((c) => c.name !== 'CORRELATOR'); // operation correlators are ignored
  if (calls.length !== 1 || n.children[n.children.length - 1] !== calls[0]) throw notValid('<SIMPLEREQ> needs one call after its correlators');
  const call = calls[0];
  return call.name === 'IMETHODCALL' ? decodeIMethodCall(call, id) : decodeMethodCall(call, id);
}

// <!ELEMENT IMETHODCALL (LOCALNAMESPACEPATH, IPARAMVALUE*)> NAME
function decodeIMethodCall(n: XNode, id: string): IntrinsicEnvelope {
  checkNode(n, 'IMETHODCALL', { required: ['NAME'], children: ['LOCALNAMESPACEPATH', 'IPARAMVALUE'] });
  const [ns, ...params] = n.children;
  if (!ns || ns.name !== 'LOCALNAMESPACEPATH') throw notValid('<IMETHODCALL> must start with <LOCALNAMESPACEPATH>');
  if (params.some((p) => p.name !== 'IPARAMVALUE')) throw notValid('<LOCALNAMESPACEPATH> appears twice in <IMETHODCALL>');
  for (const p of params) checkNode(p, 'IPARAMVALUE', { required: ['NAME'], children: IPARAM_CHILDREN });
  const name = n.attrs.NAME;
  return { kind: 'intrinsic', id, name, op: findOperation(name), namespace: decodeLocalNamespacePath(ns), params };
}

// <!ELEMENT METHODCALL ((LOCALCLASSPATH | LOCALINSTANCEPATH), PARAMVALUE*)> NAME
function decodeMethodCall(n: XNode, id: string): MethodEnvelope {
  checkNode(n, 'METHODCALL', { required: ['NAME'], children: ['LOCALCLASSPATH', 'LOCALINSTANCEPATH', 'PARAMVALUE'] });
  const [path, ...params] = n.children;
  if (!path || path.name === 'PARAMVALUE') throw notValid('<METHODCALL> must start with a local class or instance path');
  if (params.some((p) => p.name !== 'PARAMVALUE')) throw notValid('more than one target path in <METHODCALL>');
  for (const p of params) checkNode(p, 'PARAMVALUE', { required: ['NAME'], children: PARAM_CHILDREN });
  const target = methodTarget(path, { kind: 'method', id, name: n.attrs.NAME });
  return { kind: 'method', id, name: n.attrs.NAME, namespace: target.namespace ?? '', target, params };
}

function methodTarget(path: XNode, call: CallId): InstanceName | ClassName {
  try {
    return path.name === 'LOCALCLASSPATH' ? decodeLocalClassPath(path) : decodeLocalInstancePath(path);
  } catch (e) {
    if (e instanceof CimError) throw new EnvelopeCimError(call, e);
    throw e;
  }
}

const IPARAM_CHILDREN = [
  'VALUE', 'VALUE.ARRAY', 'VALUE.REFERENCE', 'CLASSNAME', 'INSTANCENAME', 'QUALIFIER.DECLARATION', 'CLASS', 'INSTANCE', 'VALUE.NAMEDINSTANCE',
];
const PARAM_CHILDREN = [
  'VALUE', 'VALUE.REFERENCE', 'VALUE.ARRAY', 'VALUE.REFARRAY', 'CLASSNAME', 'INSTANCENAME', 'CLASS', 'INSTANCE', 'VALUE.NAMEDINSTANCE',
];

interface ParamTable {
  table: Record<string, ParamSpec>;
  /** Lower-cased parameter name -> declared spelling. */
  byLower: Map<string, string>;
  entries: [string, ParamSpec][];
}
const PARAM_TABLES = new Map<IntrinsicName, ParamTable>();

function paramTable(op: IntrinsicName): ParamTable {
  let t = PARAM_TABLES.get(op);
  if (!t) {
    const table = OPERATIONS[op] as Record<string, ParamSpec>;
    t = { table, byLower: new Map(Object.keys(table).map((k) => [k.toLowerCase(), k])), entries: Object.entries(table) };
    PARAM_TABLES.set(op, t);
  }
  return t;
}

/** The IPARAMVALUEs of an intrinsic call as its typed request, defaults applied. */
export function decodeIntrinsicParams<K extends IntrinsicName>(op: K, params: XNode[]): Requests[K] {
  const { table, byLower, entries } = paramTable(op);
  const out: Record<string, unknown> = {};
  for (const p of params) {
    const key = byLower.get(p.attrs.NAME.toLowerCase());
    if (!key) throw new CimError('CIM_ERR_INVALID_PARAMETER', `${op} has no parameter ${p.attrs.NAME}`);
    if (key in out) throw new CimError('CIM_ERR_INVALID_PARAMETER', `parameter ${key} given twice`);
    out[key] = iparamValue(table[key], p, key);
  }
  for (const [key, spec] of entries) {
    if (out[key] === undefined || (out[key] === null && spec.required)) {
      if (spec.required) throw new CimError('CIM_ERR_INVALID_PARAMETER', `${op} needs the parameter ${key}`);
      out[key] = spec.dflt;
    }
  }
  return out as Requests[K];
}

const KIND_ELEMENT: Record<ParamKind, readonly string[]> = {
  className: ['CLASSNAME'], instanceName: ['INSTANCENAME'], objectName: ['CLASSNAME', 'INSTANCENAME'],
  boolean: ['VALUE'], string: ['VALUE'], uint32: ['VALUE'], stringArray: ['VALUE.ARRAY'], instance: ['INSTANCE'],
  namedInstance: ['VALUE.NAMEDINSTANCE'], class: ['CLASS'], qualifierDecl: ['QUALIFIER.DECLARATION'],
  propertyValue: ['VALUE', 'VALUE.ARRAY', 'VALUE.REFERENCE'],
};

// <!ELEMENT IPARAMVALUE (VALUE | VALUE.ARRAY | VALUE.REFERENCE | CLASSNAME | INSTANCENAME | QUALIFIER.DECLARATION | CLASS | INSTANCE | VALUE.NAMEDINSTANCE)?> NAME
function iparamValue(spec: ParamSpec, p: XNode, key: string): unknown {
  const v = optionalChild(p);
  if (!v) return spec.kind === 'boolean' ? undefined : null; // present but empty = NULL (DSP0200); a NULL flag takes its default
  if (!KIND_ELEMENT[spec.kind].includes(v.name)) throw notValid(`parameter ${key} cannot be a <${v.name}>`);
  switch (spec.kind) {
    case 'className': return decodeClassName(v);
    case 'instanceName': return decodeInstanceName(v);
    case 'objectName': return v.name === 'CLASSNAME' ? new ClassName(decodeClassName(v)) : decodeInstanceName(v);
    case 'boolean': return scalarFromText('boolean', decodeValueText(v), `parameter ${key}`);
    case 'string': return decodeValueText(v);
    case 'uint32': return scalarFromText('uint32', decodeValueText(v), `parameter ${key}`);
    case 'stringArray': return stringArray(v, key);
    case 'instance': return decodeInstance(v);
    case 'namedInstance': return decodeValueNamedInstance(v);
    case 'class': return decodeClass(v);
    case 'qualifierDecl': return decodeQualifierDeclaration(v);
    case 'propertyValue':
      if (v.name === 'VALUE') return decodeValueText(v);
      if (v.name === 'VALUE.ARRAY') return decodeValueArrayText(v);
      return decodeValueReference(v);
  }
}

function stringArray(v: XNode, key: string): string[] {
  const items = decodeValueArrayText(v);
  if (items.some((s) => s === null)) throw new CimError('CIM_ERR_INVALID_PARAMETER', `parameter ${key} holds a NULL element`);
  return items as string[];
}

/** The PARAMVALUEs of an extrinsic call; duplicates are CIM_ERR_INVALID_PARAMETER. */
export function decodeMethodRequest(env: MethodEnvelope): InvokeMethodRequest {
  const seen = new Set<string>();
  const Params = env.params.map((p) => {
    const lk = p.attrs.NAME.toLowerCase();
    if (seen.has(lk)) throw new CimError('CIM_ERR_INVALID_PARAMETER', `parameter ${p.attrs.NAME} given twice`);
    seen.add(lk);
    return decodeParamValue(p);
  });
  return { ObjectName: env.target, MethodName: env.name, Params };
}

// <!ELEMENT PARAMVALUE (VALUE | VALUE.REFERENCE | VALUE.ARRAY | VALUE.REFARRAY | CLASSNAME | INSTANCENAME | CLASS | INSTANCE | VALUE.NAMEDINSTANCE)?> NAME PARAMTYPE EmbeddedObject
export function decodeParamValue(p: XNode): ParamValue {
  checkNode(p, 'PARAMVALUE', { required: ['NAME'], children: PARAM_CHILDREN });
  const name = p.attrs.NAME;
  const paramType = p.attrs.PARAMTYPE;
  if (paramType !== undefined && !CIM_TYPE_NAMES.includes(paramType) && !['reference', 'object', 'instance'].includes(paramType)) {
    throw notValid(`bad PARAMTYPE "${paramType}" on parameter ${name}`);
  }
  let embedded = attrAnyCase(p, 'EmbeddedObject') as 'object' | 'instance' | undefined;
  if (embedded !== undefined && embedded !== 'object' && embedded !== 'instance') throw notValid(`bad EmbeddedObject on parameter ${name}`);
  if (paramType === 'object' || paramType === 'instance') embedded = paramType;
  const v = optionalChild(p);
  const where = `parameter ${name}`;
  const typed = paramType !== undefined && CIM_TYPE_NAMES.includes(paramType) ? (paramType as CIMType) : undefined;
  const spec = (isArray: boolean): Partial<CIMTypeSpec> | undefined => {
    const t = typed ?? (embedded ? 'string' : undefined);
    if (!t && paramType !== 'reference') return undefined;
    return { type: t ?? 'reference', isArray, ...(embedded ? { embedded } : {}) };
  };
  if (!v) return { name, value: null, ...withSpec(spec(false)) };
  switch (v.name) {
    case 'VALUE': {
      const value = paramScalar(decodeValueText(v), typed, embedded, where);
      if (!embedded && typeof value === 'object') embedded = value instanceof CIMInstance ? 'instance' : 'object'; // sniffed
      return { name, value, ...withSpec(spec(false)) };
    }
    case 'VALUE.ARRAY': {
      const items = decodeValueArrayText(v).map((t, i) => (t === null ? null : paramScalar(t, typed, embedded, `${where}[${i}]`)));
      return { name, value: items, ...withSpec(spec(true)) };
    }
    case 'VALUE.REFERENCE':
      return { name, value: decodeValueReference(v), spec: { type: 'reference', isArray: false } };
    case 'VALUE.REFARRAY':
      return { name, value: decodeValueRefArray(v), spec: { type: 'reference', isArray: true } };
    case 'CLASSNAME':
      return { name, value: new ClassName(decodeClassName(v)), spec: { type: 'reference', isArray: false } };
    case 'INSTANCENAME':
      return { name, value: decodeInstanceName(v), spec: { type: 'reference', isArray: false } };
    case 'CLASS':
      return { name, value: decodeClass(v), spec: { type: 'string', isArray: false, embedded: 'object' } };
    case 'INSTANCE':
      return { name, value: decodeInstance(v), spec: { type: 'string', isArray: false, embedded: embedded ?? 'instance' } };
    default:
      return { name, value: decodeValueNamedInstance(v), spec: { type: 'string', isArray: false, embedded: embedded ?? 'instance' } };
  }
}

function withSpec(spec: Partial<CIMTypeSpec> | undefined): { spec?: Partial<CIMTypeSpec> } {
  return spec ? { spec } : {};
}

/** Untyped VALUE text that is plainly an embedded instance (WMI clients send those untagged). */
function looksEmbedded(text: string): boolean {
  return /^\s*<(INSTANCE|CLASS)[\s>]/.test(text);
}

/** A PARAMVALUE's VALUE text: typed when PARAMTYPE says, an object when embedded, else the raw text. */
function paramScalar(text: string, typed: CIMType | undefined, embedded: string | undefined, where: string): CIMScalar {
  if (embedded || (!typed && looksEmbedded(text))) return decodeEmbeddedObject(text);
  if (typed) return scalarFromText(typed, text, where);
  return text;
}
