/**
 * The CIM-XML request pipeline, transport-independent: path and method -> authentication ->
 * DSP0200 headers -> UTF-8 and XML -> envelope -> headers against body -> parameters -> role
 * check -> cimom -> encoded response. Protocol failures become an HTTP status with CIMError;
 * CIM failures an <ERROR> in a 200. With `TE: trailers` the response is chunked and streamed
 * as it is produced, ending with CIMStatusCode trailers (an error after the first bytes went
 * out is reported only there, DSP0200); otherwise it is collected and sent with a length.
 */
import { CimError } from '../cim/errors.js';
import type { Cimom, IntrinsicName, RequestContext, Requests } from '../cimom/operations.js';
import type { AuthUser, BasicAuthenticator } from './auth.js';
import {
  type CallId, type Envelope, EnvelopeCimError, type IntrinsicEnvelope, decodeEnvelope, decodeIntrinsicParams, decodeMethodRequest,
} from './decode-request.js';
import type { Location } from './encode-value.js';
import { errorDescription, writeErrorResponse, writeIntrinsicResponse, writeMethodResponse } from './encode-response.js';
import { ProtocolError, notValid } from './errors.js';
import { CIM_MAPPING_URI, type CimHeaders, checkCimHeaders, checkHeadersAgainstBody, checkMethod } from './headers.js';
import { type HeaderList, type HttpRequest, type HttpResponder, header } from './http1.js';
import { WRITE_OPERATIONS } from './params.js';
import { DEFAULT_XML_LIMITS, DocumentCache, type ParsedRequest, type XNode, type XmlLimits, parseRequestXml } from './xml-parse.js';
import { type Sink, XmlWriter } from './xml-writer.js';

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /** False when debug lines are dropped: the per-request line is then not even built. */
  readonly debugEnabled?: boolean;
}

export interface HandlerOptions {
  cimom: Cimom;
  /** Undefined: no authentication (every caller is an anonymous admin; tests only). */
  auth?: BasicAuthenticator;
  /** Host name printed in returned paths. */
  hostName: string;
  xmlLimits?: XmlLimits;
  log?: Logger;
  /** Paths served (default `/cimom` and `/`). */
  paths?: readonly string[];
  /** Parsed request documents kept for byte-identical repeats (default 256; 0: none). */
  parseCacheEntries?: number;
}

const DEFAULT_PATHS = ['/cimom', '/'];
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** What one request did, for the log line. */
interface Outcome {
  op: string;
  user: string;
  status: number;
  cimStatus: number;
}

export function createHandler(opts: HandlerOptions): (req: HttpRequest, res: HttpResponder) => Promise<void> {
  const paths = opts.paths ?? DEFAULT_PATHS;
  const logRequests = opts.log !== undefined && opts.log.debugEnabled !== false;
  const limits = opts.xmlLimits ?? DEFAULT_XML_LIMITS;
  const entries = opts.parseCacheEntries ?? 256;
  const docs = entries > 0 ? new DocumentCache(entries, 8 * 1024, limits) : undefined;
  const lastBody: LastBodies = new WeakMap();
  return async (req, res) => {
    const t0 = logRequests ? process.hrtime.bigint() : 0n;
    const out: Outcome = { op: '-', user: '-', status: 200, cimStatus: 0 };
    let prefix = '';
    try {
      const path = req.target.split('?')[0];
      if (!paths.includes(path)) throw new ProtocolError(404, undefined, `no CIM service at ${path}`);
      checkMethod(req);
      const user = opts.auth ? await opts.auth.authenticate(header(req, 'authorization'), req.remoteAddress, req.connection) : ANONYMOUS;
      out.user = user.name;
      const h = checkCimHeaders(req);
      prefix = h.prefix;
      await serve(opts, req, res, h, user, out, docs, lastBody);
    } catch (e) {
      await sendProtocolError(res, e, prefix, out, opts.log);
    } finally {
      if (logRequests) {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        opts.log!.debug(
          `${req.remoteAddress} ${req.method} ${req.target} ${out.op} user=${out.user} http=${out.status} cim=${out.cimStatus} ${ms.toFixed(1)}ms`,
        );
      }
    }
  };
}

const ANONYMOUS: AuthUser = { name: 'anonymous', role: 'admin' };

async function sendProtocolError(res: HttpResponder, e: unknown, prefix: string, out: Outcome, log?: Logger): Promise<void> {
  const pe = e instanceof ProtocolError ? e : new ProtocolError(500, undefined, e instanceof Error ? e.message : String(e));
  if (!(e instanceof ProtocolError)) log?.error(`internal error: ${e instanceof Error ? e.stack : String(e)}`);
  out.status = pe.status;
  if (res.started) return; // nothing more can be said on this response
  const headers: HeaderList = Object.entries(pe.headers);
  if (pe.cimError) headers.push([prefix + 'CIMError', pe.cimError]);
  if (pe.message) headers.push(['CIMErrorDetails', encodeURIComponent(pe.message)]);
  if (pe.status === 400 || pe.status === 413 || pe.status >= 500) res.closeAfter();
  await res.send(pe.status, headers);
}

async function serve(
  opts: HandlerOptions, req: HttpRequest, res: HttpResponder, h: CimHeaders, user: AuthUser, out: Outcome,
  docs: DocumentCache | undefined, lastBody: LastBodies,
): Promise<void> {
  let env: Envelope;
  let doc: ParsedRequest | undefined;
  try {
    doc = documentOf(req, opts.xmlLimits ?? DEFAULT_XML_LIMITS, docs, lastBody);
    env = envelopeOf(doc);
  } catch (e) {
    if (!(e instanceof EnvelopeCimError)) throw e;
    out.op = e.call.name; // a bad value in the call's target: valid XML, so a CIM error (DSP0200 4.3)
    const call = doc?.messageId !== undefined ? { ...e.call, id: doc.messageId } : e.call;
    return new Reply(res, h, out).fail(call, e.error);
  }
  checkHeadersAgainstBody(h, env);
  out.op = env.name;
  const ctx: RequestContext = { user: user.name, role: user.role, host: opts.hostName };
  const loc: Location = { namespace: env.namespace, host: opts.hostName };
  const reply = new Reply(res, h, out);
  try {
    await answer(opts.cimom, env, ctx, loc, reply.writer);
    await reply.finish(0, '');
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    const ce = e instanceof CimError ? e : new CimError('CIM_ERR_FAILED', e instanceof Error ? e.message : String(e));
    if (!(e instanceof CimError)) opts.log?.error(`operation ${env.name} failed: ${e instanceof Error ? e.stack : String(e)}`);
    await reply.fail(env, ce);
  }
}

/**
 * Decoded forms of cached (frozen) request trees: a byte-identical repeat of a read-only
 * request skips decoding too. Only what no one changes is kept, frozen: the envelope of any
 * request, and the parameters of the operations below (names, flags, property lists).
 */
interface Decoded {
  env: Envelope;
  params?: unknown;
}
const byTree = new WeakMap<XNode, Decoded>();
const byEnvelope = new WeakMap<Envelope, Decoded>();
const KEEP_PARAMS: ReadonlySet<IntrinsicName> = new Set<IntrinsicName>([
  'GetClass', 'EnumerateClasses', 'EnumerateClassNames', 'GetQualifier', 'EnumerateQualifiers', 'GetInstance',
  'EnumerateInstances', 'EnumerateInstanceNames', 'GetProperty', 'Associators', 'AssociatorNames', 'References',
  'ReferenceNames', 'ExecQuery',
]);

function envelopeOf({ root, messageId }: ParsedRequest): Envelope {
  if (!Object.isFrozen(root)) return decodeEnvelope(root); // not from the document cache
  let d = byTree.get(root);
  if (!d) {
    const env = decodeEnvelope(root);
    Object.freeze(env.params);
    d = { env: Object.freeze(env) };
    byTree.set(root, d);
    byEnvelope.set(env, d);
  }
  if (messageId === undefined || messageId === d.env.id) return d.env;
  // the tree was parsed from a text with another MESSAGE ID: this request's own ID, same decoding
  const own = Object.freeze({ ...d.env, id: messageId });
  byEnvelope.set(own, d);
  return own;
}

function paramsOf<K extends IntrinsicName>(op: K, env: IntrinsicEnvelope): Requests[K] {
  const d = KEEP_PARAMS.has(op) ? byEnvelope.get(env) : undefined;
  if (d?.params !== undefined) return d.params as Requests[K];
  const req = decodeIntrinsicParams(op, env.params);
  if (d) {
    for (const v of Object.values(req as object)) if (Array.isArray(v)) Object.freeze(v);
    d.params = Object.freeze(req);
  }
  return req;
}

/** Per connection: its last request body whose tree came from the document cache. */
type LastBodies = WeakMap<object, { body: Buffer; doc: ParsedRequest }>;

/**
 * The request body as an XML tree: the connection's last one again when the bytes are the
 * same (no text decoding or cache lookup), else UTF-8 decoding and parseRequestXml (cached).
 */
function documentOf(req: HttpRequest, limits: XmlLimits, docs: DocumentCache | undefined, lastBody: LastBodies): ParsedRequest {
  const last = docs && req.connection ? lastBody.get(req.connection) : undefined;
  if (last && last.body.equals(req.body)) return last.doc;
  let text: string;
  try {
    text = utf8.decode(req.body);
  } catch {
    throw notValid('the body is not valid UTF-8');
  }
  const doc = parseRequestXml(text, limits, docs);
  if (req.connection && Object.isFrozen(doc.root)) lastBody.set(req.connection, { body: Buffer.from(req.body), doc });
  return doc;
}

/** Decodes the parameters, applies the role rule, calls the cimom and encodes its answer. */
async function answer(cimom: Cimom, env: Envelope, ctx: RequestContext, loc: Location, w: XmlWriter): Promise<void> {
  if (env.kind === 'method') {
    const req = decodeMethodRequest(env);
    if (ctx.role !== 'admin') throw new CimError('CIM_ERR_ACCESS_DENIED', `user ${ctx.user} may not invoke methods`);
    const res = await cimom.invokeMethod(env.namespace, req, ctx);
    writeMethodResponse(w, env.id, env.name, res, loc);
    return;
  }
  if (!env.op) throw new CimError('CIM_ERR_NOT_SUPPORTED', `no intrinsic operation ${env.name}`);
  const op = env.op;
  const req = paramsOf(op, env);
  if (ctx.role !== 'admin' && WRITE_OPERATIONS.has(op)) throw new CimError('CIM_ERR_ACCESS_DENIED', `user ${ctx.user} may not use ${op}`);
  const res = await cimom.intrinsic(op, env.namespace, req, ctx);
  await writeIntrinsicResponse(w, env.id, op, res, req, loc);
}

/**
 * The response body in progress: collected (Content-Length) or streamed in chunks (TE:
 * trailers). The writer's flushes (pieces of about 64 KB) arrive here; collected bodies are
 * kept as that list of pieces and sent in one go, streamed ones start with the first flush.
 */
/** The headers of a POST answered with a Content-Length (the common case), built once. */
const PLAIN_HEADERS: HeaderList = [['Content-Type', 'application/xml; charset=utf-8'], ['CIMOperation', 'MethodResponse']];

class Reply implements Sink {
  readonly writer = new XmlWriter(this);
  private readonly pieces: Buffer[] = [];
  constructor(
    private readonly res: HttpResponder,
    private readonly h: CimHeaders,
    private readonly out: Outcome,
  ) {}

  private headers(): HeaderList {
    const p = this.h.prefix;
    if (!p && !this.h.trailers) return PLAIN_HEADERS;
    const list: HeaderList = [['Content-Type', 'application/xml; charset=utf-8'], [p + 'CIMOperation', 'MethodResponse']];
    if (p) list.push(['Ext', ''], ['Cache-Control', 'no-cache'], ['Man', `${CIM_MAPPING_URI}; ns=${p.slice(0, -1)}`]);
    if (this.h.trailers) list.push(['Trailer', `${p}CIMStatusCode, ${p}CIMStatusCodeDescription`]);
    return list;
  }

  /** Pieces of the body (whole UTF-8 sequences: the writer cuts only between strings). */
  async write(chunks: Buffer[]): Promise<void> {
    if (!this.h.trailers) {
      for (const c of chunks) this.pieces.push(c);
      return;
    }
    if (!this.res.started) this.res.start(200, this.headers());
    await this.res.write(chunks);
  }

  /** Sends what is left; trailers carry the status when streaming. */
  async finish(code: number, description: string): Promise<void> {
    await this.writer.flush();
    this.out.cimStatus = code;
    if (!this.h.trailers) {
      const p = this.pieces;
      await this.res.send(200, this.headers(), p.length === 1 ? p[0] : p);
      return;
    }
    if (!this.res.started) this.res.start(200, this.headers());
    const p = this.h.prefix;
    const trailers: HeaderList = [[p + 'CIMStatusCode', String(code)]];
    if (code) trailers.push([p + 'CIMStatusCodeDescription', encodeURIComponent(errorDescription(code, description))]);
    await this.res.end(trailers);
  }

  /** A CIM error: a fresh ERROR document, or (mid-stream) only the trailers. */
  async fail(env: CallId, e: CimError): Promise<void> {
    this.writer.discard();
    this.pieces.length = 0;
    if (!this.res.started) writeErrorResponse(this.writer, env.id, env.name, env.kind === 'method', e.code, e.description);
    return this.finish(e.code, e.description);
  }
}
