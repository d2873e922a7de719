/**
 * DSP0200 header rules for operation requests (cim-xml-protocol.md 1.2-1.5): method, M-POST
 * extension prefix, Content-Type, CIMOperation / CIMMethod / CIMObject / CIMProtocolVersion /
 * CIMBatch, and afterwards the agreement of CIMMethod and CIMObject with the decoded XML.
 * Each failure is a ProtocolError with the HTTP status and CIMError value DSP0200 assigns.
 */
import { ciEq } from '../cim/names.js';
import { parseObjectName } from '../cim/path.js';
import { ClassName, InstanceName } from '../cim/path.js';
import type { Envelope } from './decode-request.js';
import { ProtocolError } from './errors.js';
import { type HttpRequest, header } from './http1.js';

export const CIM_MAPPING_URI = 'http://www.dmtf.org/cim/mapping/http/v1.0';

export interface CimHeaders {
  /** `NN-` for M-POST (RFC 2774 namespace prefix), '' for POST. */
  prefix: string;
  cimMethod: string;
  cimObject: string;
  protocolVersion: string | undefined;
  /** The client accepts a chunked response with trailers (TE: trailers). */
  trailers: boolean;
}

function bad(cimError: ConstructorParameters<typeof ProtocolError>[1], detail: string, status = 400): ProtocolError {
  return new ProtocolError(status, cimError, detail);
}

/** 405 unless POST or M-POST (DSP0200 1.1); M-POST needs HTTP/1.1. */
export function checkMethod(req: Pick<HttpRequest, 'method' | 'version'>): void {
  if (req.method !== 'POST' && req.method !== 'M-POST') {
    throw new ProtocolError(405, undefined, `method ${req.method} is not allowed`, { Allow: 'POST, M-POST' });
  }
  if (req.method === 'M-POST' && req.version === '1.0') throw bad(undefined, 'M-POST needs HTTP/1.1');
}

/** The `NN-` prefix from `Man: http://www.dmtf.org/cim/mapping/http/v1.0 ; ns=NN` (RFC 2774). */
export function mpostPrefix(req: Pick<HttpRequest, 'headers'>): string {
  for (const man of req.headers.get('man') ?? []) {
    for (const ext of man.split(',')) {
      const m = /^\s*"?([^";\s]+)"?\s*;\s*ns\s*=\s*([0-9A-Za-z-]+)\s*$/.exec(ext);
      if (m && m[1] === CIM_MAPPING_URI) return m[2] + '-';
    }
  }
  throw new ProtocolError(510, undefined, `M-POST without a Man header naming ${CIM_MAPPING_URI}`);
}

/** Decodes a two-step encoded header value (UTF-8, then %XX escapes; DSP0200 4.3). */
export function decodeHeaderValue(v: string, name: string): string {
  if (v.indexOf('%') === -1) return v;
  const known = DECODED.get(v);
  if (known !== undefined) return known;
  let d: string;
  try {
    d = decodeURIComponent(v);
  } catch {
    throw bad('header-mismatch', `${name} header is not decodable`);
  }
  if (DECODED.size < 1024) DECODED.set(v, d);
  return d;
}
/** Escaped header values seen -> decoded (clients repeat the same few; bounded). */
const DECODED = new Map<string, string>();

/** The rules that can be checked before the body is parsed. */
export function checkCimHeaders(req: Pick<HttpRequest, 'method' | 'version' | 'headers'>): CimHeaders {
  checkMethod(req);
  const prefix = req.method === 'M-POST' ? mpostPrefix(req) : '';
  if (req.version === '1.1' && !header(req, 'host')) throw bad(undefined, 'HTTP/1.1 request without Host');
  checkContentType(header(req, 'content-type'));
  const get = (name: string): string[] | undefined =>
    prefix ? req.headers.get((prefix + name).toLowerCase()) ?? req.headers.get(name.toLowerCase()) : req.headers.get(name.toLowerCase());
  if (req.headers.has('cimexport') || get('CIMExport')) throw bad('unsupported-operation', 'this is not an export listener');
  const op = get('CIMOperation');
  if (!op) throw bad(undefined, 'no CIMOperation header: not a CIM operation request');
  if (op.length > 1) throw bad(undefined, 'CIMOperation header repeated');
  if (op[0].trim().toLowerCase() !== 'methodcall') throw bad('unsupported-operation', `CIMOperation: ${op[0]}`);
  if (get('CIMBatch')) throw bad('multiple-requests-unsupported', 'batched requests are not supported', 501);
  const pv = get('CIMProtocolVersion')?.[0]?.trim();
  if (pv !== undefined && !/^1\.\d+$/.test(pv)) throw bad('unsupported-protocol-version', `CIMProtocolVersion ${pv}`, 501);
  const method = single(get('CIMMethod'), 'CIMMethod');
  const object = single(get('CIMObject'), 'CIMObject');
  const te = (req.headers.get('te') ?? []).join(',');
  return {
    prefix, cimMethod: decodeHeaderValue(method, 'CIMMethod'), cimObject: decodeHeaderValue(object, 'CIMObject'),
    protocolVersion: pv, trailers: /(^|,)\s*trailers\s*(;|,|$)/i.test(te),
  };
}

function single(v: string[] | undefined, name: string): string {
  if (!v || v.length !== 1 || v[0].trim() === '') throw bad('header-mismatch', `${name} header missing, empty or repeated`);
  return v[0].trim();
}

/** DSP0200: application/xml or text/xml, charset utf-8 when given. Anything else is 400. */
export function checkContentType(ct: string | undefined): void {
  if (!ct) throw bad(undefined, 'no Content-Type');
  if (ct === lastGoodContentType) return; // clients send the same value on every request
  checkContentTypeText(ct);
  lastGoodContentType = ct;
}
let lastGoodContentType = '';

function checkContentTypeText(ct: string): void {
  const [type, ...params] = ct.split(';').map((s) => s.trim());
  if (!/^(application|text)\/xml$/i.test(type)) throw bad(undefined, `Content-Type ${type} is not XML`);
  for (const p of params) {
    const m = /^charset\s*=\s*"?([^"]*)"?$/i.exec(p);
    if (m && !/^utf-?8$/i.test(m[1])) throw bad(undefined, `charset ${m[1]} is not utf-8`);
  }
}

/** After decoding: CIMMethod and CIMObject must name what the XML names (else header-mismatch). */
export function checkHeadersAgainstBody(h: CimHeaders, env: Envelope): void {
  // DSP0200: CIMProtocolVersion, when sent, matches MESSAGE PROTOCOLVERSION
  if (h.protocolVersion !== undefined && env.protocolVersion !== undefined && h.protocolVersion !== env.protocolVersion) {
    throw bad('header-mismatch', `CIMProtocolVersion ${h.protocolVersion} but PROTOCOLVERSION ${env.protocolVersion}`);
  }
  if (!ciEq(h.cimMethod, env.name)) throw bad('header-mismatch', `CIMMethod ${h.cimMethod} but the XML calls ${env.name}`);
  if (env.kind === 'intrinsic') {
    if (!sameNamespace(h.cimObject, env.namespace)) throw bad('header-mismatch', `CIMObject ${h.cimObject} but the XML names ${env.namespace}`);
    return;
  }
  let target: InstanceName | ClassName;
  try {
    target = parseObjectName(h.cimObject.replace(/^\//, ''));
  } catch {
    throw bad('header-mismatch', `CIMObject ${h.cimObject} is not an object path`);
  }
  if (!sameTarget(target, env.target)) throw bad('header-mismatch', `CIMObject ${h.cimObject} names another object than the XML`);
}

function normNs(ns: string): string {
  return ns.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
}

function sameNamespace(a: string, b: string): boolean {
  return a === b || ciEq(normNs(a), normNs(b));
}

function sameTarget(h: InstanceName | ClassName, x: InstanceName | ClassName): boolean {
  if (!sameNamespace(h.namespace ?? '', x.namespace ?? '')) return false;
  if (h instanceof ClassName || x instanceof ClassName) {
    return h instanceof ClassName && x instanceof ClassName && ciEq(h.className, x.className);
  }
  return h.withLocation().equals(x.withLocation());
}
