/**
 * A small HTTP/1.1 server connection, written here because Node's HTTP parser refuses the
 * M-POST method DSP0200 uses (RFC 2774). It reads requests one at a time from a socket
 * (plain or TLS): request line, headers (duplicates kept, so they can be refused), bodies by
 * Content-Length or chunked, `Expect: 100-continue`, keep-alive and pipelining; and writes
 * responses either whole (Content-Length) or chunked with trailers, awaiting 'drain' so a
 * slow client holds back a streamed enumeration. Limits: header bytes, body bytes, idle time.
 */
import type { Socket } from 'node:net';

export interface HttpLimits {
  maxHeaderBytes: number;
  maxBodyBytes: number;
  /** Idle time on a connection (between or inside requests) before it is closed. */
  idleTimeoutMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { maxHeaderBytes: 64 * 1024, maxBodyBytes: 16 * 1024 * 1024, idleTimeoutMs: 60_000 };

export interface HttpRequest {
  method: string;
  target: string;
  version: '1.0' | '1.1';
  /** Lower-cased names; every occurrence kept. */
  headers: Map<string, string[]>;
  body: Buffer;
  remoteAddress: string;
  secure: boolean;
  /**
   * The same object for every request of one connection (and only of it): lets the layers
   * above keep what one client repeats (its verified credentials, its last request body) for
   * as long as the connection lives. Absent for requests made without a connection.
   */
  connection?: object;
}

/** The first value of a header, or undefined. */
export function header(req: Pick<HttpRequest, 'headers'>, name: string): string | undefined {
  return req.headers.get(name.toLowerCase())?.[0];
}

export type HeaderList = [string, string][];

export interface HttpResponder {
  /** A complete response with Content-Length. */
  send(status: number, headers: HeaderList, body?: string | Buffer | readonly Buffer[]): Promise<void>;
  /** Starts a chunked response; then write() pieces and end() with trailers. */
  start(status: number, headers: HeaderList): void;
  /** One piece of a chunked body (given as several Buffers, it is still one chunk on the wire). */
  write(chunk: string | Buffer | readonly Buffer[]): Promise<void>;
  end(trailers?: HeaderList): Promise<void>;
  /** Whether start() or send() has put anything on the wire. */
  readonly started: boolean;
  /** Close the connection after this response. */
  closeAfter(): void;
}

export type HttpHandler = (req: HttpRequest, res: HttpResponder) => Promise<void>;

/** What the connection answers by itself (bad framing, over-size) before any handler runs. */
export interface EarlyReject {
  status: number;
  headers?: HeaderList;
}
export type HeadCheck = (head: Omit<HttpRequest, 'body'>, contentLength: number | undefined) => EarlyReject | undefined;

const REASONS: Record<number, string> = {
  100: 'Continue', 200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 408: 'Request Timeout', 411: 'Length Required', 413: 'Payload Too Large',
  431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 501: 'Not Implemented',
  503: 'Service Unavailable', 505: 'HTTP Version Not Supported', 510: 'Not Extended',
};

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Header names as sent -> lower case, for names seen before (clients repeat the same few). */
const NAMES = new Map<string, string>();

/** The lower-cased header name, or undefined when it is not an RFC 7230 token. */
function headerName(raw: string): string | undefined {
  const known = NAMES.get(raw);
  if (known !== undefined) return known;
  if (!TOKEN.test(raw)) return undefined;
  const lower = raw.toLowerCase();
  if (NAMES.size < 1024) NAMES.set(raw, lower);
  return lower;
}

type State = 'head' | 'length' | 'chunked' | 'busy' | 'closed';

/** Serves one socket until it closes. */
export class HttpConnection {
  private buf: Buffer = Buffer.alloc(0);
  private state: State = 'head';
  private head?: Omit<HttpRequest, 'body'>;
  private bodyParts: Buffer[] = [];
  private bodyLen = 0;
  private need = 0;
  private keepAlive = true;
  private shuttingDown = false;
  /** The client half-closed: answer what was asked, then close. */
  private peerEnded = false;
  /** HttpRequest.connection of this connection's requests. */
  private readonly identity = {};

  constructor(
    private readonly socket: Socket,
    private readonly handler: HttpHandler,
    private readonly limits: HttpLimits,
    private readonly secure: boolean,
    private readonly check?: HeadCheck,
  ) {
    socket.setNoDelay(true);
    socket.setTimeout(limits.idleTimeoutMs, () => socket.destroy());
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => (this.state = 'closed'));
    socket.on('end', () => {
      this.peerEnded = true;
      if (this.state === 'head' || this.state === 'length' || this.state === 'chunked') socket.end(); // nothing (complete) to answer
    });
  }

  /** True while a request is being handled. */
  get busy(): boolean {
    return this.state === 'busy';
  }

  /** Finish the request in progress (if any), then close; idle connections close at once. */
  shutdown(): void {
    this.shuttingDown = true;
    if (this.state === 'head' && this.buf.length === 0) this.socket.end();
  }

  private onData(d: Buffer): void {
    if (this.state === 'closed') return;
    if (this.state === 'length') return this.takeBody(d);
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    if (this.state === 'busy') {
      if (this.buf.length > this.limits.maxHeaderBytes + this.limits.maxBodyBytes) this.socket.pause();
      return;
    }
    this.pump();
  }

  private pump(): void {
    while (this.state === 'head' || this.state === 'chunked') {
      if (this.state === 'head' && !this.parseHead()) break;
      if (this.state === 'chunked' && !this.parseChunks()) break;
    }
    if (this.state === 'length' && this.buf.length) {
      const rest = this.buf;
      this.buf = Buffer.alloc(0);
      this.takeBody(rest);
    }
  }

  private parseHead(): boolean {
    let end = this.buf.indexOf('\r\n\r\n');
    let sepLen = 4;
    if (end === -1) {
      end = this.buf.indexOf('\n\n'); // tolerate bare LF line ends
      sepLen = 2;
    }
    if (end === -1) {
      if (this.buf.length > this.limits.maxHeaderBytes) this.reject({ status: 431 });
      return false;
    }
    if (end > this.limits.maxHeaderBytes) return this.reject({ status: 431 }), false;
    const text = this.buf.subarray(0, end).toString('latin1');
    this.buf = this.buf.subarray(end + sepLen);
    const head = this.parseHeadText(text.replace(/^(\r?\n)+/, ''));
    if (!head) return this.reject({ status: 400 }), false;
    this.head = head;
    return this.startBody(head);
  }

  private parseHeadText(text: string): Omit<HttpRequest, 'body'> | undefined {
    const lines = text.split(/\r?\n/);
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0]);
    if (!m) return undefined;
    const headers = new Map<string, string[]>();
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      const c = line.indexOf(':');
      if (c <= 0) return undefined; // also refuses obsolete line folding
      const name = headerName(line.slice(0, c));
      if (name === undefined) return undefined;
      const value = line.slice(c + 1).trim();
      const list = headers.get(name);
      if (list) list.push(value);
      else headers.set(name, [value]);
    }
    return {
      method: m[1], target: m[2], version: m[3] === '1' ? '1.1' : '1.0', headers,
      remoteAddress: this.socket.remoteAddress ?? '', secure: this.secure,
    };
  }

  private startBody(head: Omit<HttpRequest, 'body'>): boolean {
    const conn = (head.headers.get('connection') ?? []).join(',').toLowerCase();
    this.keepAlive = head.version === '1.1' ? !/\bclose\b/.test(conn) : /\bkeep-alive\b/.test(conn);
    const te = head.headers.get('transfer-encoding');
    const cl = head.headers.get('content-length');
    // RFC 7230 3.3.3: both, repeated or malformed framing headers are refused
    if ((te && cl) || (te && te.length > 1) || (cl && cl.length > 1)) return this.reject({ status: 400 }), false;
    if (te && te[0].toLowerCase() !== 'chunked') return this.reject({ status: 501 }), false;
    let length: number | undefined;
    if (cl) {
      if (!/^[0-9]{1,15}$/.test(cl[0])) return this.reject({ status: 400 }), false;
      length = Number(cl[0]);
    }
    if (length !== undefined && length > this.limits.maxBodyBytes) return this.reject({ status: 413 }), false;
    const early = this.check?.(head, length);
    if (early) return this.reject(early), false;
    if (/^100-continue$/i.test((head.headers.get('expect') ?? [''])[0]) && head.version === '1.1') {
      this.socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    }
    this.bodyParts = [];
    this.bodyLen = 0;
    if (te) {
      this.state = 'chunked';
      return true;
    }
    this.need = length ?? 0;
    if (this.need === 0) {
      this.dispatch();
      return false;
    }
    this.state = 'length';
    return false;
  }

  private takeBody(d: Buffer): void {
    const take = Math.min(d.length, this.need - this.bodyLen);
    this.bodyParts.push(take === d.length ? d : d.subarray(0, take));
    this.bodyLen += take;
    if (this.bodyLen < this.need) return;
    this.buf = take < d.length ? d.subarray(take) : Buffer.alloc(0);
    this.dispatch();
  }

  /** Consumes complete chunks; true when the last chunk and trailers were read. */
  private parseChunks(): boolean {
    for (;;) {
      const eol = this.buf.indexOf('\r\n');
      if (eol === -1) {
        if (this.buf.length > 1024) this.reject({ status: 400 });
        return false;
      }
      const sizeText = this.buf.subarray(0, eol).toString('latin1').split(';')[0].trim();
      if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) return this.reject({ status: 400 }), false;
      const size = parseInt(sizeText, 16);
      if (size === 0) {
        const end = this.buf.indexOf('\r\n\r\n', eol); // trailers (ignored) and the final CRLF
        const endAt = this.buf.subarray(eol, eol + 4).toString('latin1') === '\r\n\r\n' ? eol : end;
        if (endAt === -1) return false;
        this.buf = this.buf.subarray(endAt + 4);
        this.dispatch();
        return false;
      }
      if (this.bodyLen + size > this.limits.maxBodyBytes) return this.reject({ status: 413 }), false;
      if (this.buf.length < eol + 2 + size + 2) return false;
      this.bodyParts.push(this.buf.subarray(eol + 2, eol + 2 + size));
      this.bodyLen += size;
      this.buf = this.buf.subarray(eol + 2 + size + 2);
    }
  }

  private dispatch(): void {
    const head = this.head!;
    this.state = 'busy';
    const req: HttpRequest = {
      method: head.method, target: head.target, version: head.version, headers: head.headers,
      body: this.bodyParts.length === 1 ? this.bodyParts[0] : Buffer.concat(this.bodyParts),
      remoteAddress: head.remoteAddress, secure: head.secure, connection: this.identity,
    };
    this.bodyParts = [];
    const res = new Responder(this.socket, req.version, () => this.keepAlive && !this.shuttingDown && !this.peerEnded, () => (this.keepAlive = false));
    this.run(req, res).catch(() => this.socket.destroy()); // never an unhandled rejection: the process serves others
  }

  /** Runs the handler; a failure it did not answer becomes a 500 (or a cut stream), then the next request. */
  private async run(req: HttpRequest, res: Responder): Promise<void> {
    try {
      await this.handler(req, res);
    } catch {
      if (res.started) this.socket.destroy(); // a broken stream must not look complete
      else await res.send(500, []).catch(() => this.socket.destroy());
    }
    this.next();
  }

  private next(): void {
    if (this.state === 'closed') return;
    if (!this.keepAlive || this.shuttingDown || (this.peerEnded && this.buf.length === 0)) {
      this.state = 'closed';
      this.socket.end();
      return;
    }
    this.state = 'head';
    this.head = undefined;
    this.socket.resume();
    if (this.buf.length) this.pump();
  }

  /** Answers without a handler and closes (the rest of the stream cannot be trusted). */
  private reject(r: EarlyReject): void {
    this.state = 'closed';
    const res = new Responder(this.socket, this.head?.version ?? '1.1', () => false, () => {});
    res.send(r.status, r.headers ?? []).then(
      () => this.socket.end(),
      () => this.socket.destroy(),
    );
  }
}

/** Bodies up to this size are joined to their head for one write; larger ones go out as they are. */
const JOIN_LIMIT = 16 * 1024;

class Responder implements HttpResponder {
  started = false;
  private chunked = false;
  constructor(
    private readonly socket: Socket,
    private readonly version: '1.0' | '1.1',
    private readonly keepAlive: () => boolean,
    private readonly stopKeepAlive: () => void,
  ) {}

  closeAfter(): void {
    this.stopKeepAlive();
  }

  private headText(status: number, headers: HeaderList, extra: string): string {
    let s = `HTTP/1.1 ${status} ${REASONS[status] ?? 'Status'}\r\n`;
    for (const [k, v] of headers) s += `${k}: ${v}\r\n`;
    if (!this.keepAlive()) s += 'Connection: close\r\n';
    else if (this.version === '1.0') s += 'Connection: keep-alive\r\n';
    return s + extra + '\r\n';
  }

  async send(status: number, headers: HeaderList, body: string | Buffer | readonly Buffer[] = ''): Promise<void> {
    this.started = true;
    if (typeof body !== 'string' && !Buffer.isBuffer(body)) return this.sendPieces(status, headers, body);
    const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (b.length > JOIN_LIMIT) return this.sendPieces(status, headers, [b]); // not copied for one write
    const head = this.headText(status, headers, `Content-Length: ${b.length}\r\n`);
    await this.out(b.length ? Buffer.concat([Buffer.from(head, 'latin1'), b]) : head);
  }

  /** A body in pieces (a large response), written without joining them: one corked writev. */
  private async sendPieces(status: number, headers: HeaderList, pieces: readonly Buffer[]): Promise<void> {
    let n = 0;
    for (const p of pieces) n += p.length;
    const head = this.headText(status, headers, `Content-Length: ${n}\r\n`);
    if (this.socket.destroyed || pieces.length === 0) return this.out(head);
    if (n <= JOIN_LIMIT) return this.out(Buffer.concat([Buffer.from(head, 'latin1'), ...pieces])); // one plain write
    this.socket.cork();
    this.socket.write(head, 'latin1');
    for (let i = 0; i < pieces.length - 1; i++) this.socket.write(pieces[i]);
    const done = this.out(pieces[pieces.length - 1]);
    this.socket.uncork();
    await done;
  }

  start(status: number, headers: HeaderList): void {
    this.started = true;
    if (this.version === '1.0') this.stopKeepAlive(); // no chunking in HTTP/1.0: the close ends the body
    this.chunked = this.version === '1.1';
    this.socket.write(this.headText(status, headers, this.chunked ? 'Transfer-Encoding: chunked\r\n' : ''), 'latin1');
  }

  async write(chunk: string | Buffer | readonly Buffer[]): Promise<void> {
    const pieces = typeof chunk === 'string' ? [Buffer.from(chunk, 'utf8')] : Buffer.isBuffer(chunk) ? [chunk] : chunk;
    let n = 0;
    for (const p of pieces) n += p.length;
    if (n === 0) return;
    if (this.socket.destroyed) throw new Error('connection closed');
    // one corked writev: the chunk-size line, the pieces as they are, the chunk's CRLF
    this.socket.cork();
    if (this.chunked) this.socket.write(n.toString(16) + '\r\n', 'latin1');
    for (let i = 0; i < pieces.length - 1; i++) this.socket.write(pieces[i]);
    const done = this.chunked ? (this.socket.write(pieces[pieces.length - 1]), this.out('\r\n')) : this.out(pieces[pieces.length - 1]);
    this.socket.uncork();
    await done;
  }

  async end(trailers: HeaderList = []): Promise<void> {
    if (!this.chunked) return;
    let s = '0\r\n';
    for (const [k, v] of trailers) s += `${k}: ${v}\r\n`;
    await this.out(s + '\r\n');
  }

  /** Writes and waits for 'drain' when the socket buffer is full (backpressure). */
  private out(data: string | Buffer): Promise<void> {
    if (this.socket.destroyed) return Promise.reject(new Error('connection closed'));
    if (this.socket.write(data)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        this.socket.off('drain', ok);
        this.socket.off('close', closed);
        if (err) reject(err);
        else resolve();
      };
      const ok = () => done();
      const closed = () => done(new Error('connection closed'));
      this.socket.once('drain', ok);
      this.socket.once('close', closed);
    });
  }
}
