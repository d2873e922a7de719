/**
 * Test helpers for the CIM-XML server: start the real server (compiled MOF, state database,
 * providers, TLS) on ephemeral loopback ports with a fresh state directory and a known admin
 * password, plus a raw HTTP/1.1 client that shows exactly what went over the wire (status,
 * headers in order, body, trailers) so tests can check framing and headers byte for byte.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { type RunningServer, type ServeConfig, makeLogger, startServer } from '../../src/main.js';
import { UserStore } from '../../src/store/users.js';
import { openDatabase } from '../../src/store/db.js';

export const ADMIN_PASSWORD = 'test-admin-pw';
export const READER = { name: 'reader', password: 'test-reader-pw' };
export const TEST_HOST = 'testhost';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURE_MOF = path.join(REPO_ROOT, 'test', 'fixtures', 'cimxml-test.mof');

export interface TestServer {
  running: RunningServer;
  httpPort: number;
  httpsPort: number;
  stateDir: string;
  close(): Promise<void>;
}

/** Starts the real server on 127.0.0.1 with ephemeral ports; also adds the READER user. */
export async function startTestServer(opts: Partial<ServeConfig> = {}): Promise<TestServer> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cimswitch-test-'));
  // the reader exists before the server starts (its store is opened by the server too)
  const db = openDatabase(path.join(stateDir, 'var'));
  await new UserStore(db).add(READER.name, READER.password, 'reader');
  db.close();
  const running = await startServer({
    httpPort: 0, httpsPort: 0, listen: '127.0.0.1', stateDir: path.join(stateDir, 'var'), certDir: path.join(stateDir, 'certs'),
    extraMof: [{ namespace: 'root/cimv2', file: FIXTURE_MOF }], hostName: TEST_HOST, mofDir: path.join(REPO_ROOT, 'mof'),
    adminPassword: ADMIN_PASSWORD, log: makeLogger(process.env.LOG_LEVEL ?? 'error'), announce: () => {},
    ...opts,
  });
  return {
    running, stateDir,
    httpPort: running.server.port('http') ?? 0,
    httpsPort: running.server.port('https') ?? 0,
    async close() {
      await running.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  statusLine: string;
  /** Header lines in order, as received. */
  headerLines: string[];
  headers: Map<string, string>;
  body: Buffer;
  trailers: Map<string, string>;
  /** Everything received, as latin1 text. */
  raw: string;
  /** The server closed the connection after this response. */
  closed: boolean;
}

/** Sends raw bytes on a fresh connection and reads one response (or until the server closes). */
export function rawExchange(port: number, data: string | Buffer, o: { secure?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const sock: net.Socket = o.secure
      ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => sock.write(data))
      : net.connect(port, '127.0.0.1', () => sock.write(data));
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      const r = parseResponse(buf, closed);
      if (!r) return;
      done = true;
      sock.destroy();
      resolve(r);
    };
    sock.setTimeout(o.timeoutMs ?? 10_000, () => {
      sock.destroy();
      if (!done) reject(new Error('timeout waiting for a response: ' + buf.toString('latin1').slice(0, 200)));
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      finish(false);
    });
    sock.on('error', (e) => (done ? undefined : buf.length ? finish(true) : reject(e)));
    sock.on('close', () => {
      finish(true);
      if (!done) reject(new Error('connection closed before a complete response: ' + buf.toString('latin1').slice(0, 200)));
    });
  });
}

/** A complete response in buf, or undefined when more bytes are needed. */
export function parseResponse(buf: Buffer, closed: boolean): RawResponse | undefined {
  let start = 0;
  // skip interim 1xx responses
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', start);
    if (end === -1) return undefined;
    const head = buf.subarray(start, end).toString('latin1');
    if (/^HTTP\/1\.1 1\d\d /.test(head)) {
      start = end + 4;
      continue;
    }
    const lines = head.split('\r\n');
    const headers = new Map<string, string>();
    for (const l of lines.slice(1)) headers.set(l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim());
    const status = Number(lines[0].split(' ')[1]);
    const rest = buf.subarray(end + 4);
    const base = { status, statusLine: lines[0], headerLines: lines.slice(1), headers, raw: buf.toString('latin1'), closed };
    if (headers.get('transfer-encoding') === 'chunked') {
      const c = dechunk(rest);
      if (!c) return undefined;
      return { ...base, body: c.body, trailers: c.trailers };
    }
    const len = Number(headers.get('content-length') ?? (closed ? rest.length : 0));
    if (rest.length < len) return closed ? { ...base, body: rest, trailers: new Map() } : undefined;
    return { ...base, body: rest.subarray(0, len), trailers: new Map() };
  }
}

function dechunk(b: Buffer): { body: Buffer; trailers: Map<string, string> } | undefined {
  const parts: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', i);
    if (eol === -1) return undefined;
    const size = parseInt(b.subarray(i, eol).toString('latin1'), 16);
    if (size === 0) {
      const end = b.indexOf('\r\n\r\n', eol);
      const noTrailers = b.subarray(eol, eol + 4).toString('latin1') === '\r\n\r\n';
      if (!noTrailers && end === -1) return undefined;
      const trailers = new Map<string, string>();
      if (!noTrailers) {
        for (const l of b.subarray(eol + 2, end).toString('latin1').split('\r\n')) {
          trailers.set(l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim());
        }
      }
      return { body: Buffer.concat(parts), trailers };
    }
    if (b.length < eol + 2 + size + 2) return undefined;
    parts.push(b.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
}

export function basic(user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}

export interface CimCall {
  method?: string;
  headers?: Record<string, string | undefined>;
  body: string;
  /** Default: admin. null: no Authorization header. */
  auth?: { user: string; password: string } | null;
}

/** An HTTP request text with Host, Content-Type, CIM headers and Content-Length filled in. */
export function buildRequest(c: CimCall): string {
  const h: Record<string, string | undefined> = {
    Host: '127.0.0.1',
    'Content-Type': 'application/xml; charset=utf-8',
    Authorization: c.auth === null ? undefined : basic(c.auth?.user ?? 'admin', c.auth?.password ?? ADMIN_PASSWORD),
    ...c.headers,
  };
  if (h['Content-Length'] === undefined && h['Transfer-Encoding'] === undefined) h['Content-Length'] = String(Buffer.byteLength(c.body));
  let s = `${c.method ?? 'POST'} /cimom HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(h)) if (v !== undefined) s += `${k}: ${v}\r\n`;
  return s + '\r\n' + c.body;
}

/** CIM-XML intrinsic call body. */
export function imethodBody(op: string, ns: string, params = '', id = '1001'): string {
  const nsx = ns.split('/').map((n) => `<NAMESPACE NAME="${n}"/>`).join('');
  return `<?xml version="1.0" encoding="utf-8" ?>\n<CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="${id}" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="${op}"><LOCALNAMESPACEPATH>${nsx}</LOCALNAMESPACEPATH>${params}</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>`;
}

/** Headers of a simple intrinsic request. */
export function imethodHeaders(op: string, ns: string): Record<string, string> {
  return { CIMOperation: 'MethodCall', CIMMethod: op, CIMObject: encodeURIComponent(ns), CIMProtocolVersion: '1.0' };
}

/** Sends one intrinsic call over plain HTTP as admin (unless auth says otherwise). */
export function callIntrinsic(port: number, op: string, ns: string, params = '', extra: Partial<CimCall> = {}): Promise<RawResponse> {
  return rawExchange(port, buildRequest({ body: imethodBody(op, ns, params), headers: imethodHeaders(op, ns), ...extra }));
}

/**
 * Completes a golden request file: adds Host, Content-Length (unless framing is given) and
 * Authorization (admin; `Authorization: reader` means the reader, `Authorization: none` none).
 */
export function completeGoldenRequest(text: string): string {
  const sep = text.indexOf('\r\n\r\n');
  const headLines = text.slice(0, sep).split('\r\n');
  const body = text.slice(sep + 4);
  const out: string[] = [headLines[0], 'Host: 127.0.0.1'];
  let auth = basic('admin', ADMIN_PASSWORD);
  let framed = false;
  for (const l of headLines.slice(1)) {
    const m = /^Authorization:\s*(reader|none)$/i.exec(l);
    if (m) {
      auth = m[1].toLowerCase() === 'reader' ? basic(READER.name, READER.password) : '';
      continue;
    }
    if (/^(content-length|transfer-encoding):/i.test(l)) framed = true;
    out.push(l);
  }
  if (auth) out.push(`Authorization: ${auth}`);
  if (!framed) out.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return out.join('\r\n') + '\r\n\r\n' + body;
}

/** The golden request files of a directory, in name order. */
export function goldenCases(dir: string): { name: string; request: string; responseFile: string }[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.request')).sort().map((f) => ({
    name: f.replace(/\.request$/, ''),
    request: completeGoldenRequest(fs.readFileSync(path.join(dir, f), 'utf8')),
    responseFile: path.join(dir, f.replace(/\.request$/, '.response')),
  }));
}
