/**
 * Malformed and hostile requests: each is answered with the right HTTP status and CIMError
 * header (protocol failures, DSP0200 / cim-xml-protocol.md 1.5) or with an <ERROR> of the
 * right CIM status in a 200 (parameter and access failures), and the server keeps serving.
 * Runs against the real pipeline (headers, auth, XML limits) with a stub cimom and a small
 * body limit.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CimXmlServer, BasicAuthenticator } from '../../src/cimxml/index.js';
import { openDatabase } from '../../src/store/db.js';
import { UserStore } from '../../src/store/users.js';
import { REPO_ROOT, type RawResponse, basic, buildRequest, imethodBody, imethodHeaders, rawExchange } from '../helpers/server.js';
import { StubCimom } from '../unit/cimxml/stub-cimom.js';

const NS = 'root/cimv2';
const INST = '<INSTANCENAME CLASSNAME="TST_Item"><KEYBINDING NAME="Id"><KEYVALUE VALUETYPE="string">a</KEYVALUE></KEYBINDING></INSTANCENAME>';
const GI = `<IPARAMVALUE NAME="InstanceName">${INST}</IPARAMVALUE>`;
const ADMIN = { user: 'admin', password: 'adm-pw' };
const READER = { user: 'reader', password: 'rd-pw' };
const BODY_LIMIT = 64 * 1024;

const gi = (params = GI, op = 'GetInstance') => imethodBody(op, NS, params);
const hdr = (op = 'GetInstance', ns = NS) => imethodHeaders(op, ns);
/** A GetInstance request with changed headers/body. */
const req = (o: { body?: string; headers?: Record<string, string | undefined>; method?: string; auth?: typeof ADMIN | null } = {}) =>
  buildRequest({ body: o.body ?? gi(), headers: { ...hdr(), ...o.headers }, method: o.method, auth: o.auth === undefined ? ADMIN : o.auth });
const withEnvelope = (inner: string) =>
  `<?xml version="1.0" encoding="utf-8" ?>\n<CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="7" PROTOCOLVERSION="1.0">${inner}</MESSAGE></CIM>`;
const methodCall = (obj: string) =>
  withEnvelope(`<SIMPLEREQ><METHODCALL NAME="Go"><LOCALINSTANCEPATH><LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH>${obj}</LOCALINSTANCEPATH></METHODCALL></SIMPLEREQ>`);
const methodHeaders = { CIMOperation: 'MethodCall', CIMMethod: 'Go', CIMObject: 'root%2Fcimv2%3ATST_Item.Id%3D%22a%22' };
const laughs =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><CIM CIMVERSION="2.0" DTDVERSION="2.0">&lol3;</CIM>';
const xxe = '<?xml version="1.0"?><!DOCTYPE CIM [<!ENTITY x SYSTEM "file:///etc/passwd">]><CIM CIMVERSION="2.0" DTDVERSION="2.0">&x;</CIM>';
const deep = withEnvelope('<SIMPLEREQ>' + '<VALUE.ARRAY>'.repeat(1000) + '</VALUE.ARRAY>'.repeat(1000) + '</SIMPLEREQ>');
const gib = (params: string) => req({ body: gi(params) });
/** A CreateInstance of TST_Item with the given properties. */
const create = (props: string) =>
  req({ body: gi(`<IPARAMVALUE NAME="NewInstance"><INSTANCE CLASSNAME="TST_Item">${props}</INSTANCE></IPARAMVALUE>`, 'CreateInstance'), headers: hdr('CreateInstance') });
/** The InstanceName parameter with one key Id holding the given KEYVALUE. */
const keyed = (keyValue: string) => `<IPARAMVALUE NAME="InstanceName"><INSTANCENAME CLASSNAME="TST_Item"><KEYBINDING NAME="Id">${keyValue}</KEYBINDING></INSTANCENAME></IPARAMVALUE>`;

/** A request whose body holds the bytes FF FE (never valid UTF-8). */
function invalidUtf8(): Buffer {
  const b = Buffer.from(req({ body: gi().replace('>a<', '>##<') }), 'utf8');
  const at = b.indexOf('>##<');
  b[at + 1] = 0xff;
  b[at + 2] = 0xfe;
  return b;
}

interface Case {
  name: string;
  request: string | Buffer;
  status: number;
  cimError?: string;
  /** CIM status in the <ERROR> of a 200 response. */
  code?: number;
  /** What the ERROR's DESCRIPTION must say. */
  description?: RegExp;
  header?: [string, RegExp];
}

const CASES: Case[] = [
  // XML that is not well-formed
  { name: 'unclosed element', request: req({ body: gi().replace('</CIM>', '') }), status: 400, cimError: 'request-not-well-formed' },
  { name: 'mismatched end tag', request: req({ body: gi().replace('</SIMPLEREQ>', '</SIMPLERSP>') }), status: 400, cimError: 'request-not-well-formed' },
  { name: 'two root elements', request: req({ body: gi() + '<CIM/>' }), status: 400, cimError: 'request-not-well-formed' },
  { name: 'undeclared entity', request: req({ body: gi().replace('>a<', '>&nope;<') }), status: 400, cimError: 'request-not-well-formed' },
  { name: 'duplicate attribute', request: req({ body: gi().replace('ID="1001"', 'ID="1" ID="2"') }), status: 400, cimError: 'request-not-well-formed' },
  // hostile XML
  { name: 'XXE external entity', request: req({ body: xxe }), status: 400, cimError: 'request-not-valid' },
  { name: 'billion laughs', request: req({ body: laughs }), status: 400, cimError: 'request-not-valid' },
  { name: 'deep nesting', request: req({ body: deep }), status: 400, cimError: 'request-not-valid' },
  { name: 'oversized body (Content-Length)', request: req({ body: gi(GI + `<!--${'x'.repeat(BODY_LIMIT)}-->`) }), status: 413 },
  {
    name: 'oversized chunked body',
    request: buildRequest({ body: `10000\r\n${'x'.repeat(0x10000)}\r\n10000\r\n${'x'.repeat(0x10000)}\r\n0\r\n\r\n`, headers: { ...hdr(), 'Transfer-Encoding': 'chunked' }, auth: ADMIN }),
    status: 413,
  },
  { name: 'invalid UTF-8', request: invalidUtf8(), status: 400, cimError: 'request-not-valid' },
  { name: 'lone surrogate character reference', request: req({ body: gi().replace('>a<', '>&#xD800;<') }), status: 400, cimError: 'request-not-valid' },
  // DTD structure and value syntax
  { name: 'root element is not CIM', request: req({ body: '<?xml version="1.0"?><FOO/>' }), status: 400, cimError: 'request-not-valid' },
  { name: 'MESSAGE without ID', request: req({ body: gi().replace(' ID="1001"', '') }), status: 400, cimError: 'request-not-valid' },
  { name: 'stray text in an element', request: req({ body: gi().replace('<LOCALNAMESPACEPATH>', '<LOCALNAMESPACEPATH>junk') }), status: 400, cimError: 'request-not-valid' },
  { name: 'KEYBINDING without value', request: gib('<IPARAMVALUE NAME="InstanceName"><INSTANCENAME CLASSNAME="X"><KEYBINDING NAME="Id"/></INSTANCENAME></IPARAMVALUE>'), status: 400, cimError: 'request-not-valid' },
  { name: 'duplicate key binding', request: gib(GI.replace('</INSTANCENAME>', '<KEYBINDING NAME="ID"><KEYVALUE>b</KEYVALUE></KEYBINDING></INSTANCENAME>')), status: 400, cimError: 'request-not-valid' },
  { name: 'wrong element for a class name', request: req({ body: gi('<IPARAMVALUE NAME="ClassName"><VALUE>TST_Item</VALUE></IPARAMVALUE>', 'EnumerateInstanceNames'), headers: hdr('EnumerateInstanceNames') }), status: 400, cimError: 'request-not-valid' },
  // versions and batches
  { name: 'CIMVERSION 3.0', request: req({ body: gi().replace('CIMVERSION="2.0"', 'CIMVERSION="3.0"') }), status: 501, cimError: 'unsupported-cim-version' },
  { name: 'DTDVERSION 1.1', request: req({ body: gi().replace('DTDVERSION="2.0"', 'DTDVERSION="1.1"') }), status: 501, cimError: 'unsupported-dtd-version' },
  { name: 'PROTOCOLVERSION 2.0', request: req({ body: gi().replace('PROTOCOLVERSION="1.0"', 'PROTOCOLVERSION="2.0"') }), status: 501, cimError: 'unsupported-protocol-version' },
  { name: 'CIMProtocolVersion header 2.0', request: req({ headers: { CIMProtocolVersion: '2.0' } }), status: 501, cimError: 'unsupported-protocol-version' },
  { name: 'MULTIREQ', request: req({ body: withEnvelope('<MULTIREQ><SIMPLEREQ/><SIMPLEREQ/></MULTIREQ>') }), status: 501, cimError: 'multiple-requests-unsupported' },
  { name: 'CIMBatch header', request: req({ headers: { CIMBatch: 'CIMBatch' } }), status: 501, cimError: 'multiple-requests-unsupported' },
  // DSP0200 headers
  { name: 'CIMOperation MethodResponse', request: req({ headers: { CIMOperation: 'MethodResponse' } }), status: 400, cimError: 'unsupported-operation' },
  { name: 'no CIMOperation', request: req({ headers: { CIMOperation: undefined } }), status: 400 },
  { name: 'no CIMMethod', request: req({ headers: { CIMMethod: undefined } }), status: 400, cimError: 'header-mismatch' },
  { name: 'CIMMethod differs from the XML', request: req({ headers: { CIMMethod: 'GetClass' } }), status: 400, cimError: 'header-mismatch' },
  { name: 'CIMObject names another namespace', request: req({ headers: { CIMObject: 'root%2Finterop' } }), status: 400, cimError: 'header-mismatch' },
  { name: 'CIMObject not decodable', request: req({ headers: { CIMObject: 'root%2' } }), status: 400, cimError: 'header-mismatch' },
  { name: 'extrinsic CIMObject names another instance', request: req({ body: methodCall(INST), headers: { ...methodHeaders, CIMObject: 'root%2Fcimv2%3ATST_Item.Id%3D%22b%22' } }), status: 400, cimError: 'header-mismatch' },
  { name: 'Content-Type text/plain', request: req({ headers: { 'Content-Type': 'text/plain' } }), status: 400 },
  { name: 'charset latin1', request: req({ headers: { 'Content-Type': 'application/xml; charset=iso-8859-1' } }), status: 400 },
  { name: 'GET', request: req({ method: 'GET' }), status: 405, header: ['allow', /POST, M-POST/] },
  { name: 'M-POST without Man', request: req({ method: 'M-POST' }), status: 510 },
  { name: 'unknown path', request: req().replace('POST /cimom', 'POST /elsewhere'), status: 404 },
  { name: 'duplicate Content-Length', request: req().replace('Content-Length:', 'Content-Length: 5\r\nContent-Length:'), status: 400 },
  { name: 'Content-Length and chunked', request: req().replace('Content-Length:', 'Transfer-Encoding: chunked\r\nContent-Length:'), status: 400 },
  { name: 'HTTP/1.1 without Host', request: req().replace('Host: 127.0.0.1\r\n', ''), status: 400 },
  { name: 'garbage request line', request: 'HELLO\r\n\r\n', status: 400 },
  // authentication and roles
  { name: 'no credentials', request: req({ auth: null }), status: 401, header: ['www-authenticate', /^Basic realm="/] },
  { name: 'wrong password', request: req({ auth: { user: 'admin', password: 'nope' } }), status: 401, header: ['www-authenticate', /^Basic/] },
  { name: 'unknown user', request: req({ auth: { user: 'mallory', password: 'x' } }), status: 401 },
  { name: 'malformed Authorization', request: req({ headers: { Authorization: 'Basic !!!' }, auth: null }), status: 401 },
  { name: 'reader deletes', request: req({ body: gi(GI, 'DeleteInstance'), headers: hdr('DeleteInstance'), auth: READER }), status: 200, code: 2 },
  { name: 'reader invokes a method', request: req({ body: methodCall(INST), headers: methodHeaders, auth: READER }), status: 200, code: 2 },
  // parameter problems: CIM errors in a 200
  { name: 'unknown intrinsic operation', request: req({ body: gi(GI, 'GetEverything'), headers: hdr('GetEverything') }), status: 200, code: 7 },
  { name: 'missing required parameter', request: gib(''), status: 200, code: 4 },
  { name: 'duplicate parameter', request: gib(GI + GI), status: 200, code: 4 },
  { name: 'unknown parameter', request: gib(GI + '<IPARAMVALUE NAME="Colour"><VALUE>red</VALUE></IPARAMVALUE>'), status: 200, code: 4 },
  { name: 'duplicate method parameter', request: req({ body: methodCall(INST).replace('</LOCALINSTANCEPATH>', '</LOCALINSTANCEPATH><PARAMVALUE NAME="A"/><PARAMVALUE NAME="a"/>'), headers: methodHeaders }), status: 200, code: 4 },
  // value texts that are no value of their declared TYPE: valid CIM-XML, so CIM_ERR_INVALID_PARAMETER in a 200 (DSP0200 4.3)
  { name: 'bad uint16 in PROPERTY.ARRAY', request: create('<PROPERTY.ARRAY NAME="Ports" TYPE="uint16"><VALUE.ARRAY><VALUE>1</VALUE><VALUE>{1</VALUE></VALUE.ARRAY></PROPERTY.ARRAY>'), status: 200, code: 4, description: /^CIM_ERR_INVALID_PARAMETER: property Ports\[1\]: .*"\{1"/ },
  { name: 'uint8 property out of range', request: create('<PROPERTY NAME="Small" TYPE="uint8"><VALUE>300</VALUE></PROPERTY>'), status: 200, code: 4, description: /^CIM_ERR_INVALID_PARAMETER: property Small: .*300/ },
  { name: 'bad boolean property', request: create('<PROPERTY NAME="On" TYPE="boolean"><VALUE>yes</VALUE></PROPERTY>'), status: 200, code: 4, description: /^CIM_ERR_INVALID_PARAMETER: property On: .*"yes"/ },
  { name: 'bad datetime property', request: create('<PROPERTY NAME="When" TYPE="datetime"><VALUE>tomorrow</VALUE></PROPERTY>'), status: 200, code: 4, description: /^CIM_ERR_INVALID_PARAMETER: property When: .*tomorrow/ },
  { name: 'bad uint32 PARAMVALUE', request: req({ body: methodCall(INST).replace('</LOCALINSTANCEPATH>', '</LOCALINSTANCEPATH><PARAMVALUE NAME="Count" PARAMTYPE="uint32"><VALUE>many</VALUE></PARAMVALUE>'), headers: methodHeaders }), status: 200, code: 4, description: /^CIM_ERR_INVALID_PARAMETER: parameter Count: .*"many"/ },
  { name: 'non-boolean flag', request: gib(GI + '<IPARAMVALUE NAME="LocalOnly"><VALUE>maybe</VALUE></IPARAMVALUE>'), status: 200, code: 4, description: /^CIM_ERR_INVALID_PARAMETER: parameter LocalOnly: .*"maybe"/ },
  { name: 'uint8 KEYVALUE out of range', request: gib(keyed('<KEYVALUE VALUETYPE="numeric" TYPE="uint8">256</KEYVALUE>')), status: 200, code: 4, description: /^CIM_ERR_INVALID_PARAMETER: key Id: .*256/ },
  { name: 'bad datetime key', request: gib(keyed('<KEYVALUE TYPE="datetime">yesterday</KEYVALUE>')), status: 200, code: 4, description: /^CIM_ERR_INVALID_PARAMETER: key Id: .*yesterday/ },
  { name: 'bad boolean key in a METHODCALL target', request: req({ body: methodCall(INST.replace('<KEYVALUE VALUETYPE="string">a</KEYVALUE>', '<KEYVALUE TYPE="boolean">perhaps</KEYVALUE>')), headers: methodHeaders }), status: 200, code: 4, description: /^CIM_ERR_INVALID_PARAMETER: key Id: .*"perhaps"/ },
  { name: 'unknown namespace', request: req({ body: imethodBody('GetInstance', 'root/nowhere', GI), headers: hdr('GetInstance', 'root/nowhere') }), status: 200, code: 3 },
];

function errorCode(r: RawResponse): number | undefined {
  const m = /<ERROR CODE="(\d+)"/.exec(r.body.toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

const DTD = path.join(REPO_ROOT, '..', 'shared', 'dmtf', 'dtd', 'DSP0203_2.4.0.dtd');
const canValidate = fs.existsSync(DTD) && spawnSync('xmllint', ['--version']).status === 0;

/** xmllint's complaints about a response body against DSP0203 (empty when valid). */
function dtdErrors(body: Buffer): string {
  const r = spawnSync('xmllint', ['--noout', '--dtdvalid', DTD, '-'], { input: body });
  return r.status === 0 ? '' : r.stderr.toString() || `xmllint exit ${r.status}`;
}

function errorDescription(r: RawResponse): string | undefined {
  const m = /<ERROR CODE="\d+" DESCRIPTION="([^"]*)"/.exec(r.body.toString('utf8'));
  return m ? m[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') : undefined;
}

describe('cimxml malformed and hostile requests', function () {
  this.timeout(60_000);
  let server: CimXmlServer;
  let port: number;
  let db: ReturnType<typeof openDatabase>;

  before(async () => {
    db = openDatabase(':memory:');
    const users = new UserStore(db);
    await users.add(ADMIN.user, ADMIN.password, 'admin');
    await users.add(READER.user, READER.password, 'reader');
    const auth = new BasicAuthenticator(users, { freeFailures: 1000 });
    server = new CimXmlServer({ cimom: new StubCimom(), auth, hostName: 'testhost', httpPort: 0, httpsPort: null, httpLimits: { maxBodyBytes: BODY_LIMIT } });
    await server.start();
    port = server.port('http')!;
  });
  after(async () => {
    await server?.close();
    db?.close();
  });

  it('has at least 30 cases', () => {
    expect(CASES.length).to.be.at.least(30);
  });

  for (const c of CASES) {
    it(`${c.name} -> ${c.status}${c.cimError ? ' ' + c.cimError : ''}${c.code !== undefined ? ' CIM ' + c.code : ''}`, async () => {
      const r = await rawExchange(port, c.request);
      expect(r.status, r.raw.slice(0, 400)).to.equal(c.status);
      expect(r.headers.get('cimerror')).to.equal(c.cimError);
      if (c.code !== undefined) expect(errorCode(r), r.body.toString()).to.equal(c.code);
      else if (c.status === 200) expect(errorCode(r)).to.equal(undefined);
      if (c.description) expect(errorDescription(r)).to.match(c.description);
      if (c.description && canValidate) expect(dtdErrors(r.body)).to.equal('');
      if (c.header) expect(r.headers.get(c.header[0])).to.match(c.header[1]);
      // the server is still there and healthy afterwards
      const ok = await rawExchange(port, req());
      expect(ok.status).to.equal(200);
      expect(errorCode(ok)).to.equal(undefined);
    });
  }

  it('never echoes credentials in a response', async () => {
    const r = await rawExchange(port, buildRequest({ body: gi(), headers: { ...hdr(), Authorization: basic('admin', 'secret-xyz') }, auth: null }));
    expect(r.status).to.equal(401);
    expect(r.raw).to.not.include('secret-xyz');
    expect(r.raw).to.not.include(Buffer.from('admin:secret-xyz').toString('base64'));
  });
});
