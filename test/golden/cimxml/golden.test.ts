/**
 * Golden wire pairs: each NN-name.request in this directory is sent, in name order, to one
 * real server (fresh state, the test classes of test/fixtures/cimxml-test.mof) and the whole
 * response (status line, headers, body, chunk framing and trailers) must equal
 * NN-name.response byte for byte. `npm run golden:accept:cimxml` (GOLDEN_ACCEPT=1) rewrites
 * the response files; nothing else does. Generated values (pull contexts, GUIDs) are compared
 * as placeholders and fed back into later requests (session.ts).
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { goldenCases, rawExchange, startTestServer, type TestServer } from '../../helpers/server.js';
import { GoldenSession } from './session.js';

const DIR = path.dirname(fileURLToPath(import.meta.url));
/** Reads whose answer does not change when sent twice in a row. */
const REPEATABLE = new Set([
  'GetClass', 'EnumerateClasses', 'EnumerateClassNames', 'GetQualifier', 'EnumerateQualifiers', 'GetInstance', 'EnumerateInstances',
  'EnumerateInstanceNames', 'GetProperty', 'Associators', 'AssociatorNames', 'References', 'ReferenceNames', 'ExecQuery',
]);
const ACCEPT = process.env.GOLDEN_ACCEPT === '1';

describe('cimxml golden request/response pairs', function () {
  this.timeout(60_000);
  let srv: TestServer;
  const session = new GoldenSession();
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => {
    await srv?.close();
  });

  for (const c of goldenCases(DIR)) {
    it(c.name, async () => {
      const res = await rawExchange(srv.httpPort, session.request(c.request));
      const got = session.normalise(Buffer.from(res.raw, 'latin1').toString('utf8'));
      if (ACCEPT) {
        fs.writeFileSync(c.responseFile, got);
        return;
      }
      expect(fs.existsSync(c.responseFile), `${c.responseFile} missing: run npm run golden:accept:cimxml`).to.equal(true);
      expect(got).to.equal(fs.readFileSync(c.responseFile, 'utf8'));
      // a byte-identical repeat of a read is answered from the parsed-document cache (and its
      // kept decoded parameters): same answer
      const op = /<IMETHODCALL NAME="(\w+)"/.exec(c.request)?.[1];
      if (op && REPEATABLE.has(op)) {
        const again = await rawExchange(srv.httpPort, session.request(c.request));
        expect(session.normalise(Buffer.from(again.raw, 'latin1').toString('utf8')), 'repeat').to.equal(got);
      }
    });
  }

  it('covers every intrinsic operation of the cimom contract, and InvokeMethod', () => {
    const contract = fs.readFileSync(path.join(DIR, '..', '..', '..', 'src', 'cimom', 'operations.ts'), 'utf8');
    const block = /export interface Requests \{([\s\S]*?)\n\}/.exec(contract)![1];
    const ops = [...block.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]);
    expect(ops.length).to.be.greaterThan(30);
    const sent = new Set(goldenCases(DIR).map((c) => /<I?METHODCALL NAME="(\w+)"/.exec(c.request)?.[1]));
    const extrinsic = goldenCases(DIR).some((c) => c.request.includes('<METHODCALL '));
    expect(ops.filter((op) => !sent.has(op)), 'operations without a golden pair').to.deep.equal([]);
    expect(extrinsic, 'an InvokeMethod pair').to.equal(true);
  });
});
