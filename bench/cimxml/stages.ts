/**
 * Where one CIM-XML request's time goes, without sockets or a load generator: builds the
 * server's pieces in-process (compiled MOF + Bench_Item, state database, providers, Basic
 * authenticator), creates N Bench_Item instances, then times each stage of the pipeline for
 * the cimload GetInstance and EnumerateInstances bodies: authentication (cached), XML parse,
 * envelope + parameter decode, the cimom call, response encoding, and the whole handler with
 * a do-nothing responder. Prints microseconds per call.
 *
 *   node --import tsx bench/cimxml/stages.ts [--items 1000] [--ms 1500]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestContext } from '../../src/cimom/operations.js';
import { createCimom } from '../../src/cimom/index.js';
import { BasicAuthenticator, createHandler, decodeEmbeddedObject } from '../../src/cimxml/index.js';
import { decodeEnvelope, decodeIntrinsicParams, type IntrinsicEnvelope } from '../../src/cimxml/decode-request.js';
import { writeIntrinsicResponse } from '../../src/cimxml/encode-response.js';
import type { HttpRequest, HttpResponder } from '../../src/cimxml/http1.js';
import { parseXml } from '../../src/cimxml/xml-parse.js';
import { XmlWriter } from '../../src/cimxml/xml-writer.js';
import { buildRepository, defaultMofDir } from '../../src/main.js';
import { registerProviders } from '../../src/provider/index.js';
import { openDatabase } from '../../src/store/db.js';
import { UserStore } from '../../src/store/users.js';
import { createItemBody, requestBody } from './wire.js';

const SHARED_BENCH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'bench');
const NS = 'root/cimv2';
const PASSWORD = 'stages-pw';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

/** Runs fn repeatedly for about `ms` milliseconds; microseconds per call. */
async function time(fn: () => unknown, ms: number): Promise<number> {
  for (let i = 0; i < 50; i++) await fn(); // warm up
  let n = 0;
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(ms) * 1_000_000n;
  let now = t0;
  while (now < end) {
    for (let i = 0; i < 10; i++) await fn();
    n += 10;
    now = process.hrtime.bigint();
  }
  return Number(now - t0) / 1000 / n;
}

function request(op: string, body: Buffer, auth: string): HttpRequest {
  const headers = new Map<string, string[]>([
    ['content-type', ['application/xml; charset="utf-8"']], ['cimprotocolversion', ['1.0']], ['cimoperation', ['MethodCall']],
    ['cimmethod', [op]], ['cimobject', [NS.replace('/', '%2F')]], ['content-length', [String(body.length)]],
    ['authorization', ['Basic ' + Buffer.from(auth).toString('base64')]], ['host', ['127.0.0.1']],
  ]);
  return { method: 'POST', target: '/cimom', version: '1.1', headers, body, remoteAddress: '127.0.0.1', secure: false };
}

/** A responder that keeps the last body (to check it) and writes nothing anywhere. */
function nullResponder(): HttpResponder & { last: string } {
  const r = {
    started: false, last: '',
    async send(_s: number, _h: unknown, body?: string | Buffer) {
      r.last = typeof body === 'string' ? body : body?.toString() ?? '';
    },
    start() {}, async write() {}, async end() {}, closeAfter() {},
  };
  return r;
}

async function main(): Promise<void> {
  const items = arg('--items', 1000);
  const ms = arg('--ms', 1500);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stages-'));
  const db = openDatabase(dir);
  try {
    const users = new UserStore(db);
    await users.add('admin', PASSWORD, 'admin');
    const repository = buildRepository(defaultMofDir(), [{ namespace: NS, file: path.join(SHARED_BENCH, 'Bench_Item.mof') }]);
    const cimom = createCimom({ repository, decodeEmbedded: decodeEmbeddedObject });
    registerProviders({ registry: cimom.registry, repository, db });
    const auth = new BasicAuthenticator(users);
    const handler = createHandler({ cimom, auth, hostName: 'bench' });
    const noAuth = createHandler({ cimom, hostName: 'bench' });
    const res = nullResponder();
    for (let i = 0; i < items; i++) await handler(request('CreateInstance', createItemBody(i, NS), `admin:${PASSWORD}`), res);
    const ctx: RequestContext = { user: 'admin', role: 'admin', host: 'bench' };
    const loc = { namespace: NS, host: 'bench' };
    const authHeader = 'Basic ' + Buffer.from(`admin:${PASSWORD}`).toString('base64');
    console.log(`stages: ${items} Bench_Item instances; microseconds per call (in-process, no sockets)`);
    console.log(`  authenticate (cached credentials)        ${(await time(() => auth.authenticate(authHeader, '127.0.0.1'), ms)).toFixed(1)}`);
    for (const op of ['GetInstance', 'EnumerateInstances'] as const) {
      const body = requestBody(path.join(SHARED_BENCH, 'requests'), op, NS);
      const text = body.toString('utf8');
      const env = decodeEnvelope(parseXml(text)) as IntrinsicEnvelope;
      const req = decodeIntrinsicParams(op, env.params);
      const rows: [string, () => unknown][] = [
        ['XML parse (parseXml)', () => parseXml(text)],
        ['decode envelope + parameters', () => decodeIntrinsicParams(op, (decodeEnvelope(parseXml(text)) as IntrinsicEnvelope).params)],
        ['cimom.intrinsic', () => cimom.intrinsic(op, NS, req, ctx)],
        ['encode response (XmlWriter, no sink)', async () => {
          const w = new XmlWriter();
          await writeIntrinsicResponse(w, '1001', op, await cimom.intrinsic(op, NS, req, ctx), req, loc);
          return w.text();
        }],
        ['whole handler, no auth', () => noAuth(request(op, body, ''), nullResponder())],
        ['whole handler, Basic auth', () => handler(request(op, body, `admin:${PASSWORD}`), nullResponder())],
      ];
      console.log(`${op}:`);
      for (const [name, fn] of rows) console.log(`  ${name.padEnd(40)} ${(await time(fn, ms)).toFixed(1)}`);
    }
    cimom.close();
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`stages: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
