/**
 * Response documents: the CIM / MESSAGE / SIMPLERSP envelope, <ERROR> for CimErrors, and one
 * body encoder per intrinsic operation (a mapped type over the operation table, so each
 * operation's response shape is fixed and none is forgotten), plus METHODRESPONSE.
 * Multi-object results are walked lazily and flushed as they grow, so an enumeration is
 * written to the socket while it is produced (the writer's sink applies backpressure).
 */
import type { CIMClass } from '../cim/class.js';
import { statusName } from '../cim/errors.js';
import type { CIMInstance } from '../cim/instance.js';
import type { InstanceName } from '../cim/path.js';
import type { CIMTypeSpec } from '../cim/types.js';
import type {
  ClassWithPath, InstanceWithPath, IntrinsicName, InvokeMethodResponse, PullResult, Requests, Responses,
} from '../cimom/operations.js';
import {
  type Memo, type ObjectFlags, memoFor, memoisedBytes, writeClass, writeInstance, writeMemoised, writeQualifierDeclaration,
} from './encode-object.js';
import {
  type Location, writeAnyValue, writeClassName, writeClassPath, writeInstanceName, writeInstancePath, writeObjectPath,
  writeValue,
} from './encode-value.js';
import { escapeAttr, type XmlWriter } from './xml-writer.js';

const XML_DECL = '<?xml version="1.0" encoding="utf-8" ?>\n';

/** `<?xml ...?><CIM ...><MESSAGE ...><SIMPLERSP>` — the caller then writes the method response. */
export function writeEnvelopeStart(w: XmlWriter, id: string): void {
  w.raw(XML_DECL + '<CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="' + escapeAttr(id) + '" PROTOCOLVERSION="1.0"><SIMPLERSP>');
}

export function writeEnvelopeEnd(w: XmlWriter): void {
  w.raw('</SIMPLERSP></MESSAGE></CIM>\n');
}

/** The DESCRIPTION text: the symbolic status name, then the detail (OpenPegasus style). */
export function errorDescription(code: number, description: string): string {
  const sym = statusName(code);
  return description && description !== sym ? `${sym}: ${description}` : sym;
}

// <!ELEMENT ERROR (INSTANCE*)> CODE DESCRIPTION
export function writeError(w: XmlWriter, code: number, description: string): void {
  w.empty('ERROR', { CODE: String(code), DESCRIPTION: errorDescription(code, description) });
}

/** A whole error response document for an intrinsic (IMETHODRESPONSE) or extrinsic call. */
export function writeErrorResponse(w: XmlWriter, id: string, name: string, extrinsic: boolean, code: number, description: string): void {
  const el = extrinsic ? 'METHODRESPONSE' : 'IMETHODRESPONSE';
  writeEnvelopeStart(w, id);
  w.open(el, { NAME: name });
  writeError(w, code, description);
  w.close(el);
  writeEnvelopeEnd(w);
}

type BodyEncoder<K extends IntrinsicName> = (w: XmlWriter, res: Responses[K], req: Requests[K], loc: Location) => Promise<void> | void;

const NONE: ObjectFlags = { includeQualifiers: false, includeClassOrigin: false };
/** Pull batches: CLASSORIGIN goes out where the cimom filled it (it knows the open's flags). */
const AS_FILLED: ObjectFlags = { includeQualifiers: false, includeClassOrigin: true };

function flagsOf(req: { IncludeQualifiers?: boolean; IncludeClassOrigin: boolean }): ObjectFlags {
  return { includeQualifiers: req.IncludeQualifiers ?? false, includeClassOrigin: req.IncludeClassOrigin };
}

/** Writes each item of a lazy result, flushing as the buffer grows. */
async function each<T>(w: XmlWriter, items: Iterable<T>, fn: (item: T) => void): Promise<void> {
  for (const item of items) {
    fn(item);
    if (w.full) await w.flush();
  }
}

async function iret<T>(w: XmlWriter, items: Iterable<T>, fn: (item: T) => void): Promise<void> {
  w.raw('<IRETURNVALUE>');
  await each(w, items, fn);
  w.raw('</IRETURNVALUE>');
}

const noBody = (): void => {};

// <!ELEMENT VALUE.OBJECTWITHPATH ((CLASSPATH, CLASS) | (INSTANCEPATH, INSTANCE))>
function writeObjectWithPath(w: XmlWriter, o: InstanceWithPath | ClassWithPath, flags: ObjectFlags, loc: Location): void {
  w.raw('<VALUE.OBJECTWITHPATH>');
  if ('cls' in o) {
    writeClassPath(w, o.path, loc);
    writeClass(w, o.cls, flags);
  } else {
    writeInstancePath(w, o.path, loc, o);
    writeInstance(w, o, flags, loc);
  }
  w.raw('</VALUE.OBJECTWITHPATH>');
}

// <!ELEMENT VALUE.INSTANCEWITHPATH (INSTANCEPATH, INSTANCE)>
function writeInstanceWithPath(w: XmlWriter, o: InstanceWithPath, flags: ObjectFlags, loc: Location): void {
  w.raw('<VALUE.INSTANCEWITHPATH>');
  writeInstancePath(w, o.path, loc, o);
  writeInstance(w, o, flags, loc);
  w.raw('</VALUE.INSTANCEWITHPATH>');
}

// <!ELEMENT VALUE.NAMEDINSTANCE (INSTANCENAME, INSTANCE)>
function writeNamedInstance(w: XmlWriter, o: InstanceWithPath, flags: ObjectFlags, loc: Location): void {
  w.raw('<VALUE.NAMEDINSTANCE>');
  writeInstanceName(w, o.path, o);
  writeInstance(w, o, flags, loc);
  w.raw('</VALUE.NAMEDINSTANCE>');
}

/**
 * The last encoded run of named instances per memo table and requested class: when an
 * enumeration returns exactly the same frozen objects in the same order again, their joined
 * bytes are reused (a comparison of object identities, no per-instance work).
 */
interface Run {
  items: readonly InstanceWithPath[];
  bytes: Buffer;
}
const runs = new WeakMap<Memo, Map<string, Run>>(); // the items are frozen: identical objects, identical bytes
const MAX_RUNS = 32;
const RUN_PIECE = 64 * 1024;

function sameItems(a: readonly object[], b: readonly object[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Named instances, each memoised, and the whole run memoised for an unchanged result. */
async function namedInstances(w: XmlWriter, res: Iterable<InstanceWithPath>, flags: ObjectFlags, loc: Location, cls: string): Promise<void> {
  const memo = memoFor('VALUE.NAMEDINSTANCE', flags, loc);
  const encode = (own: XmlWriter, o: InstanceWithPath) => writeNamedInstance(own, o, flags, loc);
  if (!Array.isArray(res)) return iret(w, res, (o) => writeMemoised(w, memo, o, encode));
  let byClass = runs.get(memo);
  if (!byClass) runs.set(memo, (byClass = new Map()));
  const key = cls.toLowerCase();
  const last = byClass.get(key);
  w.raw('<IRETURNVALUE>');
  if (last && (last.items === res || sameItems(last.items, res))) {
    for (let at = 0; at < last.bytes.length; at += RUN_PIECE) { // still streamed in pieces
      w.bytes(last.bytes.subarray(at, at + RUN_PIECE));
      if (w.full) await w.flush();
    }
  } else {
    const pieces: Buffer[] = [];
    let all = true; // every item has memoised bytes: the run can be kept
    for (const o of res as InstanceWithPath[]) {
      const b = memoisedBytes(memo, o, encode);
      if (b) {
        pieces.push(b);
        w.bytes(b);
      } else {
        all = false;
        encode(w, o);
      }
      if (w.full) await w.flush();
    }
    if (all) {
      if (byClass.size >= MAX_RUNS) byClass.clear();
      byClass.set(key, { items: Object.isFrozen(res) ? res : res.slice(), bytes: Buffer.concat(pieces) });
    } else byClass.delete(key);
  }
  w.raw('</IRETURNVALUE>');
}

/** One INSTANCE, memoised. */
function instance(w: XmlWriter, inst: CIMInstance, flags: ObjectFlags, loc: Location): void {
  writeMemoised(w, memoFor('INSTANCE', flags, loc), inst, (own, i) => writeInstance(own, i, flags, loc));
}

/** Pull output: IRETURNVALUE with the batch, then EndOfSequence and EnumerationContext (DSP0200 5.3). */
async function pullBody<T>(w: XmlWriter, res: PullResult<T>, fn: (item: T) => void, extra?: () => void): Promise<void> {
  await iret(w, res.items, fn);
  w.raw('<PARAMVALUE NAME="EndOfSequence" PARAMTYPE="boolean"><VALUE>' + (res.EndOfSequence ? 'TRUE' : 'FALSE') + '</VALUE></PARAMVALUE>');
  if (res.EnumerationContext === null || res.EndOfSequence) w.raw('<PARAMVALUE NAME="EnumerationContext" PARAMTYPE="string"></PARAMVALUE>');
  else w.raw('<PARAMVALUE NAME="EnumerationContext" PARAMTYPE="string"><VALUE>' + escapeAttr(res.EnumerationContext) + '</VALUE></PARAMVALUE>');
  extra?.();
}

const pathsPull = (w: XmlWriter, res: PullResult<InstanceName>, _req: unknown, loc: Location) =>
  pullBody(w, res, (p) => writeInstancePath(w, p, loc));
const withPathPull = (flags: (req: never) => ObjectFlags) =>
  (w: XmlWriter, res: PullResult<InstanceWithPath>, req: unknown, loc: Location) =>
    pullBody(w, res, (o) => writeInstanceWithPath(w, o, flags(req as never), loc));
const openFlags = (req: { IncludeClassOrigin: boolean }): ObjectFlags => ({ includeQualifiers: false, includeClassOrigin: req.IncludeClassOrigin });

export const BODY: { [K in IntrinsicName]: BodyEncoder<K> } = {
  GetClass: (w, cls, req) => {
    w.raw('<IRETURNVALUE>');
    writeClass(w, cls, flagsOf(req));
    w.raw('</IRETURNVALUE>');
  },
  EnumerateClasses: (w, res, req) => iret(w, res, (c) => writeClass(w, c, flagsOf(req))),
  EnumerateClassNames: (w, res) => iret(w, res, (n) => writeClassName(w, n)),
  CreateClass: noBody,
  ModifyClass: noBody,
  DeleteClass: noBody,
  GetQualifier: (w, d) => {
    w.raw('<IRETURNVALUE>');
    writeQualifierDeclaration(w, d);
    w.raw('</IRETURNVALUE>');
  },
  SetQualifier: noBody,
  DeleteQualifier: noBody,
  EnumerateQualifiers: (w, res) => iret(w, res, (d) => writeQualifierDeclaration(w, d)),
  GetInstance: (w, inst, req, loc) => {
    w.raw('<IRETURNVALUE>');
    instance(w, inst, flagsOf(req), loc);
    w.raw('</IRETURNVALUE>');
  },
  EnumerateInstances: (w, res, req, loc) => namedInstances(w, res, flagsOf(req), loc, req.ClassName),
  EnumerateInstanceNames: (w, res) => iret(w, res, (n) => writeInstanceName(w, n)),
  CreateInstance: (w, name) => {
    w.raw('<IRETURNVALUE>');
    writeInstanceName(w, name);
    w.raw('</IRETURNVALUE>');
  },
  ModifyInstance: noBody,
  DeleteInstance: noBody,
  GetProperty: (w, pv, _req, loc) => {
    w.raw('<IRETURNVALUE>');
    if (pv && pv.value !== null) writeAnyValue(w, pv, pv.value, loc);
    w.raw('</IRETURNVALUE>');
  },
  SetProperty: noBody,
  Associators: (w, res, req, loc) => iret(w, res, (o) => writeObjectWithPath(w, o, flagsOf(req), loc)),
  AssociatorNames: (w, res, _req, loc) => iret(w, res, (p) => writeObjectPath(w, p, loc)),
  References: (w, res, req, loc) => iret(w, res, (o) => writeObjectWithPath(w, o, flagsOf(req), loc)),
  ReferenceNames: (w, res, _req, loc) => iret(w, res, (p) => writeObjectPath(w, p, loc)),
  ExecQuery: (w, res, _req, loc) => iret(w, res, (o) => writeObjectWithPath(w, o, NONE, loc)),
  OpenEnumerateInstances: withPathPull(openFlags),
  OpenEnumerateInstancePaths: pathsPull,
  OpenReferenceInstances: withPathPull(openFlags),
  OpenReferenceInstancePaths: pathsPull,
  OpenAssociatorInstances: withPathPull(openFlags),
  OpenAssociatorInstancePaths: pathsPull,
  OpenQueryInstances: (w, res, _req, loc) =>
    pullBody(w, res, (i) => writeInstance(w, i, NONE, loc), () => {
      if (res.QueryResultClass) writeQueryResultClass(w, res.QueryResultClass);
    }),
  PullInstancesWithPath: withPathPull(() => AS_FILLED),
  PullInstancePaths: pathsPull,
  PullInstances: (w, res, _req, loc) => pullBody(w, res, (i: CIMInstance) => writeInstance(w, i, AS_FILLED, loc)),
  CloseEnumeration: noBody,
  EnumerationCount: (w, n) => {
    w.raw('<IRETURNVALUE>');
    if (n !== null) writeValue(w, { type: 'uint64', isArray: false }, n);
    w.raw('</IRETURNVALUE>');
  },
};

function writeQueryResultClass(w: XmlWriter, cls: CIMClass): void {
  w.raw('<PARAMVALUE NAME="QueryResultClass">');
  writeClass(w, cls, { includeQualifiers: true, includeClassOrigin: false });
  w.raw('</PARAMVALUE>');
}

/** The whole success document of an intrinsic operation. */
export async function writeIntrinsicResponse<K extends IntrinsicName>(
  w: XmlWriter, id: string, op: K, res: Responses[K], req: Requests[K], loc: Location,
): Promise<void> {
  writeEnvelopeStart(w, id);
  if (BODY[op] === noBody) {
    w.empty('IMETHODRESPONSE', { NAME: op });
  } else {
    w.open('IMETHODRESPONSE', { NAME: op });
    await (BODY[op] as BodyEncoder<K>)(w, res, req, loc);
    w.raw('</IMETHODRESPONSE>');
  }
  writeEnvelopeEnd(w);
}

/** PARAMTYPE for a spec (DTD %ParamType): the CIM type, or `reference`. */
function paramType(spec: CIMTypeSpec): string {
  return spec.type;
}

// <!ELEMENT METHODRESPONSE (ERROR | (RETURNVALUE?, PARAMVALUE*))> NAME
export function writeMethodResponse(w: XmlWriter, id: string, name: string, res: InvokeMethodResponse, loc: Location): void {
  writeEnvelopeStart(w, id);
  w.open('METHODRESPONSE', { NAME: name });
  const rv = res.ReturnValue;
  if (rv.value !== null) {
    // <!ELEMENT RETURNVALUE (VALUE | VALUE.REFERENCE)?> EmbeddedObject PARAMTYPE
    w.open('RETURNVALUE', { EmbeddedObject: rv.spec.embedded, PARAMTYPE: paramType(rv.spec) });
    writeAnyValue(w, rv.spec, rv.value, loc);
    w.raw('</RETURNVALUE>');
  }
  for (const p of res.OutParams) {
    // <!ELEMENT PARAMVALUE (VALUE | VALUE.REFERENCE | VALUE.ARRAY | VALUE.REFARRAY | ...)?> NAME PARAMTYPE EmbeddedObject
    // A NULL output parameter is left out (the DTD allows an empty PARAMVALUE, but sblim
    // wbemcli 1.6 `cm` crashes on an empty reference PARAMVALUE such as a NULL Job).
    if (p.value === null) continue;
    const attrs = { NAME: p.name, PARAMTYPE: paramType(p.spec), EmbeddedObject: p.spec.embedded };
    w.open('PARAMVALUE', attrs);
    writeAnyValue(w, p.spec, p.value, loc);
    w.raw('</PARAMVALUE>');
  }
  w.raw('</METHODRESPONSE>');
  writeEnvelopeEnd(w);
}

