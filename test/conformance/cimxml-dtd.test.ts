/**
 * Every CIM-XML response the wire produces is valid against DSP0203 2.4.0: the golden
 * requests against the real server, and one request per operation (plus InvokeMethod with
 * references and embedded instances) against a stub cimom whose answers cover every response
 * shape (pull batches, query results, class-level association results, qualifier
 * declarations). Validated with `xmllint --noout --dtdvalid` in one run.
 * Skips when ../shared (the DTD) is absent; fails when xmllint (libxml2-utils) is missing.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CimXmlServer } from '../../src/cimxml/index.js';
import {
  REPO_ROOT, buildRequest, goldenCases, imethodBody, imethodHeaders, rawExchange, startTestServer,
} from '../helpers/server.js';
import { StubCimom } from '../unit/cimxml/stub-cimom.js';
import { GoldenSession } from '../golden/cimxml/session.js';
import { requireTool } from '../helpers/require.js';

const DTD = path.join(REPO_ROOT, '..', 'shared', 'dmtf', 'dtd', 'DSP0203_2.4.0.dtd');

const INST = '<INSTANCENAME CLASSNAME="TST_Item"><KEYBINDING NAME="Id"><KEYVALUE VALUETYPE="string" TYPE="string">a</KEYVALUE></KEYBINDING></INSTANCENAME>';
const p = (n: string, inner: string) => `<IPARAMVALUE NAME="${n}">${inner}</IPARAMVALUE>`;
const cls = (n: string) => `<CLASSNAME NAME="${n}"/>`;
const v = (x: string) => `<VALUE>${x}</VALUE>`;
const NEW = '<INSTANCE CLASSNAME="TST_Item"><PROPERTY NAME="Id" TYPE="string"><VALUE>n</VALUE></PROPERTY></INSTANCE>';
const CLASS = '<CLASS NAME="TST_New"><PROPERTY NAME="Id" TYPE="string"><QUALIFIER NAME="Key" TYPE="boolean"><VALUE>true</VALUE></QUALIFIER></PROPERTY></CLASS>';
const QD = '<QUALIFIER.DECLARATION NAME="Foo" TYPE="string" ISARRAY="false"><SCOPE CLASS="true"/></QUALIFIER.DECLARATION>';

/** One request per intrinsic operation, with its required parameters. */
export const STUB_CALLS: [string, string][] = [
  ['GetClass', p('ClassName', cls('TST_Item')) + p('IncludeClassOrigin', v('TRUE'))],
  ['EnumerateClasses', p('DeepInheritance', v('TRUE'))],
  ['EnumerateClassNames', ''],
  ['CreateClass', p('NewClass', CLASS)],
  ['ModifyClass', p('ModifiedClass', CLASS)],
  ['DeleteClass', p('ClassName', cls('TST_New'))],
  ['GetQualifier', p('QualifierName', v('Key'))],
  ['SetQualifier', p('QualifierDeclaration', QD)],
  ['DeleteQualifier', p('QualifierName', v('Foo'))],
  ['EnumerateQualifiers', ''],
  ['GetInstance', p('InstanceName', INST) + p('IncludeClassOrigin', v('TRUE'))],
  ['EnumerateInstances', p('ClassName', cls('TST_Item'))],
  ['EnumerateInstanceNames', p('ClassName', cls('TST_Item'))],
  ['CreateInstance', p('NewInstance', NEW)],
  ['ModifyInstance', p('ModifiedInstance', `<VALUE.NAMEDINSTANCE>${INST}${NEW.replace('>n<', '>a<')}</VALUE.NAMEDINSTANCE>`)],
  ['DeleteInstance', p('InstanceName', INST)],
  ['GetProperty', p('InstanceName', INST) + p('PropertyName', v('Name'))],
  ['GetProperty', p('InstanceName', INST) + p('PropertyName', v('Tags'))],
  ['GetProperty', p('InstanceName', INST) + p('PropertyName', v('Ref'))],
  ['GetProperty', p('InstanceName', INST) + p('PropertyName', v('Nothing'))],
  ['SetProperty', p('InstanceName', INST) + p('PropertyName', v('Name')) + p('NewValue', v('x'))],
  ['Associators', p('ObjectName', INST)],
  ['Associators', p('ObjectName', cls('TST_Item')) + p('IncludeQualifiers', v('TRUE'))],
  ['AssociatorNames', p('ObjectName', INST)],
  ['AssociatorNames', p('ObjectName', cls('TST_Item'))],
  ['References', p('ObjectName', INST)],
  ['ReferenceNames', p('ObjectName', INST)],
  ['ExecQuery', p('QueryLanguage', v('WQL')) + p('Query', v('SELECT * FROM TST_Item'))],
  ['OpenEnumerateInstances', p('ClassName', cls('TST_Item')) + p('MaxObjectCount', v('1'))],
  ['OpenEnumerateInstancePaths', p('ClassName', cls('TST_Item'))],
  ['OpenReferenceInstances', p('InstanceName', INST)],
  ['OpenReferenceInstancePaths', p('InstanceName', INST)],
  ['OpenAssociatorInstances', p('InstanceName', INST)],
  ['OpenAssociatorInstancePaths', p('InstanceName', INST)],
  ['OpenQueryInstances', p('FilterQueryLanguage', v('DMTF:CQL')) + p('FilterQuery', v('SELECT * FROM TST_Item')) + p('ReturnQueryResultClass', v('TRUE'))],
  ['PullInstancesWithPath', p('EnumerationContext', v('ctx-1')) + p('MaxObjectCount', v('10'))],
  ['PullInstancesWithPath', p('EnumerationContext', v('bogus')) + p('MaxObjectCount', v('10'))],
  ['PullInstancePaths', p('EnumerationContext', v('ctx-1')) + p('MaxObjectCount', v('10'))],
  ['PullInstances', p('EnumerationContext', v('ctx-1')) + p('MaxObjectCount', v('10'))],
  ['CloseEnumeration', p('EnumerationContext', v('ctx-1'))],
  ['EnumerationCount', p('EnumerationContext', v('ctx-1'))],
];

export const METHOD_CALL = {
  headers: { CIMOperation: 'MethodCall', CIMMethod: 'Go', CIMObject: 'root%2Fcimv2%3ATST_Item.Id%3D%22a%22' },
  body:
    '<?xml version="1.0" encoding="utf-8" ?>\n<CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="9" PROTOCOLVERSION="1.0"><SIMPLEREQ>' +
    '<METHODCALL NAME="Go"><LOCALINSTANCEPATH><LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH>' +
    INST + '</LOCALINSTANCEPATH><PARAMVALUE NAME="Level" PARAMTYPE="uint16"><VALUE>3</VALUE></PARAMVALUE></METHODCALL></SIMPLEREQ></MESSAGE></CIM>',
};

describe('cimxml responses are valid against DSP0203 2.4.0', function () {
  this.timeout(120_000);
  const bodies: { name: string; xml: string }[] = [];

  before(function () {
    if (!fs.existsSync(DTD)) this.skip(); // ../shared is absent: no DTD to validate against
    requireTool('xmllint', ['--version'], 'libxml2-utils', true);
  });

  it('collects the golden responses of the real server', async () => {
    const srv = await startTestServer();
    const session = new GoldenSession(); // pulls reuse the contexts their opens returned
    try {
      for (const c of goldenCases(path.join(REPO_ROOT, 'test', 'golden', 'cimxml'))) {
        const r = await rawExchange(srv.httpPort, session.request(c.request));
        session.normalise(r.raw);
        if (r.status === 200) bodies.push({ name: c.name, xml: r.body.toString('utf8') });
      }
    } finally {
      await srv.close();
    }
    expect(bodies.length).to.be.greaterThan(25);
  });

  it('collects one response per operation shape from a stub cimom', async () => {
    const server = new CimXmlServer({ cimom: new StubCimom(), hostName: 'testhost', httpPort: 0, httpsPort: null });
    await server.start();
    try {
      const port = server.port('http')!;
      for (const [op, params] of STUB_CALLS) {
        const r = await rawExchange(port, buildRequest({ body: imethodBody(op, 'root/cimv2', params), headers: imethodHeaders(op, 'root/cimv2'), auth: null }));
        expect(r.status, `${op}: ${r.raw.slice(0, 300)}`).to.equal(200);
        bodies.push({ name: `stub-${op}-${bodies.length}`, xml: r.body.toString('utf8') });
      }
      const m = await rawExchange(port, buildRequest({ ...METHOD_CALL, auth: null }));
      expect(m.status).to.equal(200);
      bodies.push({ name: 'stub-InvokeMethod', xml: m.body.toString('utf8') });
    } finally {
      await server.close();
    }
  });

  it('validates every collected response with xmllint --dtdvalid', () => {
    if (bodies.length === 0) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cimxml-dtd-'));
    try {
      const files = bodies.map((b, i) => {
        const f = path.join(dir, `${String(i).padStart(3, '0')}-${b.name}.xml`);
        fs.writeFileSync(f, b.xml);
        return f;
      });
      let out = '';
      try {
        execFileSync('xmllint', ['--noout', '--dtdvalid', DTD, ...files], { stdio: 'pipe' });
      } catch (e) {
        out = String((e as { stderr?: Buffer }).stderr ?? e);
      }
      expect(out, out).to.equal('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
