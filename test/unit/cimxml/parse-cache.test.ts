/**
 * The parsed-document cache: a byte-identical request body (sblim wbemcli always sends
 * MESSAGE ID="4711") is answered from the frozen tree of its first parse. Checked: hits return
 * the same frozen tree, different text (one byte) misses, errors are not kept, size bounds
 * hold, and every golden request decodes twice from its frozen tree exactly as from a fresh
 * parse (no decoder writes into the tree).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { decodeEnvelope, decodeIntrinsicParams, decodeMethodRequest, EnvelopeCimError } from '../../../src/cimxml/decode-request.js';
import { ProtocolError } from '../../../src/cimxml/errors.js';
import { DEFAULT_XML_LIMITS, DocumentCache, parseRequestXml, parseXml, type XNode } from '../../../src/cimxml/xml-parse.js';
import { buildRequest, imethodBody, imethodHeaders, rawExchange, startTestServer, type TestServer } from '../../helpers/server.js';

const GOLDEN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'golden', 'cimxml');
const doc = (id: string) =>
  `<?xml version="1.0"?><CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="${id}" PROTOCOLVERSION="1.0"><SIMPLEREQ>` +
  '<IMETHODCALL NAME="EnumerateClassNames"><LOCALNAMESPACEPATH><NAMESPACE NAME="root"/></LOCALNAMESPACEPATH></IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>';

function frozenTree(n: XNode): boolean {
  return Object.isFrozen(n) && Object.isFrozen(n.attrs) && Object.isFrozen(n.children) && n.children.every(frozenTree);
}

/** Whatever decoding a document gives, as comparable text (errors included). */
function decoded(root: XNode): string {
  try {
    const env = decodeEnvelope(root);
    let req: unknown;
    try {
      req = env.kind === 'method' ? decodeMethodRequest(env) : env.op ? decodeIntrinsicParams(env.op, env.params) : undefined;
    } catch (e) {
      req = `error ${(e as Error).message}`;
    }
    return JSON.stringify({ env: { ...env, params: env.params.length }, req }, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch (e) {
    if (e instanceof ProtocolError || e instanceof EnvelopeCimError) return `error ${e.message}`;
    throw e;
  }
}

describe('parsed-document cache', () => {
  it('answers the same text with the same frozen tree, and other text (one byte off) with a fresh parse', () => {
    const cache = new DocumentCache();
    const a = parseXml(doc('4711'), DEFAULT_XML_LIMITS, cache);
    const b = parseXml(doc('4711'), DEFAULT_XML_LIMITS, cache);
    expect(b).to.equal(a);
    expect(frozenTree(a)).to.equal(true);
    const c = parseXml(doc('4712'), DEFAULT_XML_LIMITS, cache);
    expect(c).to.not.equal(a);
    expect(c.children[0].attrs.ID).to.equal('4712');
    expect(cache.size).to.equal(2);
  });

  it('keeps no errors: a malformed document fails every time', () => {
    const cache = new DocumentCache();
    const bad = doc('1').replace('</SIMPLEREQ>', '');
    for (let i = 0; i < 2; i++) expect(() => parseXml(bad, DEFAULT_XML_LIMITS, cache)).to.throw(ProtocolError);
    expect(cache.size).to.equal(0);
  });

  it('is bounded: oldest entry out first, large documents not kept, other limits not served', () => {
    const cache = new DocumentCache(3, 400);
    for (let i = 0; i < 5; i++) parseXml(doc(String(i)), DEFAULT_XML_LIMITS, cache);
    expect(cache.size).to.equal(3);
    expect(cache.get(doc('0'))).to.equal(undefined);
    expect(cache.get(doc('4'))).to.not.equal(undefined);
    const big = doc('x'.repeat(500));
    parseXml(big, DEFAULT_XML_LIMITS, cache);
    expect(cache.get(big)).to.equal(undefined);
    const tight = { maxDepth: 2, maxElements: 100 };
    expect(() => parseXml(doc('4'), tight, cache)).to.throw(/deeper than 2/); // the cached tree is for other limits
  });

  it('every golden request decodes from its cached (frozen) tree twice, as from a fresh parse', () => {
    const files = fs.readdirSync(GOLDEN).filter((f) => f.endsWith('.request'));
    expect(files.length).to.be.greaterThan(50);
    const cache = new DocumentCache(1024, 1 << 20);
    let trees = 0;
    for (const f of files) {
      const raw = fs.readFileSync(path.join(GOLDEN, f), 'utf8');
      const at = raw.search(/\r?\n\r?\n/);
      const body = raw.slice(raw.indexOf('\n', at + 1) + 1);
      let fresh: XNode;
      try {
        fresh = parseXml(body);
      } catch {
        continue; // bodies that are meant not to parse
      }
      const want = decoded(fresh);
      for (let i = 0; i < 2; i++) expect(decoded(parseXml(body, DEFAULT_XML_LIMITS, cache)), `${f} #${i}`).to.equal(want);
      trees++;
    }
    expect(trees).to.be.greaterThan(50);
  });

  it('requests that differ only in MESSAGE ID share one tree; each gets its own ID back', () => {
    const cache = new DocumentCache();
    const a = parseRequestXml(doc('1001'), DEFAULT_XML_LIMITS, cache);
    const b = parseRequestXml(doc('1002'), DEFAULT_XML_LIMITS, cache);
    expect(b.root).to.equal(a.root);
    expect([a.messageId, b.messageId]).to.deep.equal(['1001', '1002']);
    expect(cache.size).to.equal(1);
    // a fresh parse of the second text differs from the shared tree only in that attribute
    const fresh = parseXml(doc('1002'));
    expect(fresh.children[0].attrs.ID).to.equal('1002');
    expect(decoded(fresh)).to.equal(decoded(a.root).replace('"id":"1001"', '"id":"1002"'));
  });

  it('an ID with a reference, or anything before MESSAGE but the declaration and <CIM>, takes the exact-text key', () => {
    const cache = new DocumentCache();
    const amp = parseRequestXml(doc('a&amp;b'), DEFAULT_XML_LIMITS, cache);
    expect(amp.messageId).to.equal(undefined);
    expect(amp.root.children[0].attrs.ID).to.equal('a&b');
    const commented = doc('7').replace('<MESSAGE', '<!-- x --><MESSAGE');
    expect(parseRequestXml(commented, DEFAULT_XML_LIMITS, cache).messageId).to.equal(undefined);
    const later = doc('8').replace('<MESSAGE ID="8" PROTOCOLVERSION="1.0">', '<MESSAGE PROTOCOLVERSION="1.0" ID="8">');
    expect(parseRequestXml(later, DEFAULT_XML_LIMITS, cache).messageId).to.equal(undefined);
    expect(cache.size).to.equal(3);
    expect(parseRequestXml(doc('9')).messageId, 'no cache: plain parse').to.equal(undefined);
  });

  describe('through the server', function () {
    this.timeout(30_000);
    let srv: TestServer;
    before(async () => {
      srv = await startTestServer();
    });
    after(async () => {
      await srv?.close();
    });
    const send = (op: string, params: string, id: string) =>
      rawExchange(srv.httpPort, buildRequest({ body: imethodBody(op, 'root/cimv2', params, id), headers: imethodHeaders(op, 'root/cimv2') }));

    it('answers each of several IDs with its own ID, for results and for errors', async () => {
      for (const id of ['11', '12', '11', 'x-13']) {
        const ok = await send('EnumerateClassNames', '', id);
        expect(ok.body.toString()).to.include(`<MESSAGE ID="${id}" PROTOCOLVERSION="1.0"><SIMPLERSP><IMETHODRESPONSE NAME="EnumerateClassNames"><IRETURNVALUE>`);
        const bad = await send('GetClass', '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="No_Such_Class"/></IPARAMVALUE>', id);
        expect(bad.body.toString()).to.match(new RegExp(`<MESSAGE ID="${id}" PROTOCOLVERSION="1.0"><SIMPLERSP><IMETHODRESPONSE NAME="GetClass"><ERROR CODE="6"`));
        // a bad key in a METHODCALL target fails while the envelope is read: still this ID
        const body = '<?xml version="1.0" encoding="utf-8" ?>\n<CIM CIMVERSION="2.0" DTDVERSION="2.0">' +
          `<MESSAGE ID="${id}" PROTOCOLVERSION="1.0"><SIMPLEREQ><METHODCALL NAME="Go"><LOCALINSTANCEPATH>` +
          '<LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH><INSTANCENAME CLASSNAME="C">' +
          '<KEYBINDING NAME="k"><KEYVALUE TYPE="boolean">perhaps</KEYVALUE></KEYBINDING></INSTANCENAME></LOCALINSTANCEPATH></METHODCALL></SIMPLEREQ></MESSAGE></CIM>';
        const headers = { CIMOperation: 'MethodCall', CIMMethod: 'Go', CIMObject: encodeURIComponent('root/cimv2:C.k="perhaps"'), CIMProtocolVersion: '1.0' };
        const env = await rawExchange(srv.httpPort, buildRequest({ body, headers }));
        expect(env.body.toString()).to.match(new RegExp(`<MESSAGE ID="${id}" PROTOCOLVERSION="1.0"><SIMPLERSP><METHODRESPONSE NAME="Go"><ERROR CODE="4"`));
      }
    });
  });
});
