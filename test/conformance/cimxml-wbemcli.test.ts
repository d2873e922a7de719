/**
 * The real server driven by sblim wbemcli over HTTPS (-noverify, user:password in the URL):
 * ecn, gc, ci, ei, ein, gi (with -nl and a property list), mi, ai, ain, ri, rin, cm, di, and
 * the authentication failures, checking the answers, not only exit codes. Fails when wbemcli
 * (Debian sblim-wbemcli, installed by .ci/run) is missing.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import {
  ADMIN_PASSWORD, READER, buildRequest, imethodBody, imethodHeaders, rawExchange, startTestServer, type TestServer,
} from '../helpers/server.js';
import { requireTool } from '../helpers/require.js';

function wbemcli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('wbemcli', ['-noverify', ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

describe('cimxml with wbemcli over HTTPS', function () {
  this.timeout(120_000);
  let srv: TestServer;
  let base: string;
  let reader: string;
  let wrong: string;

  before(async function () {
    requireTool('wbemcli', ['-h'], 'sblim-wbemcli');
    srv = await startTestServer({ httpPort: null });
    base = `https://admin:${ADMIN_PASSWORD}@127.0.0.1:${srv.httpsPort}/root/cimv2`;
    reader = `https://${READER.name}:${READER.password}@127.0.0.1:${srv.httpsPort}/root/cimv2`;
    wrong = `https://admin:wrong@127.0.0.1:${srv.httpsPort}/root/cimv2`;
  });
  after(async () => {
    await srv?.close();
  });

  const item = (id: string) => `${base}:TST_Item.Id="${id}"`;

  it('ecn lists the test classes', async () => {
    const r = await wbemcli(['ecn', base]);
    expect(r.code).to.equal(0);
    expect(r.out).to.include(':TST_Item').and.include(':TST_Link').and.include(':TST_SubItem');
  });

  it('gc shows the class with its properties', async () => {
    const r = await wbemcli(['gc', `${base}:TST_Item`]);
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/TST_Item .*Id=.*Name=.*Tags=/);
  });

  it('ci creates instances and an association', async () => {
    for (const [id, props] of [['a', 'Id="a",Name="first",Small=5,Enabled=true'], ['b', 'Id="b",Name="second"']]) {
      const r = await wbemcli(['ci', item(id), props]);
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.include(`TST_Item.Id="${id}"`);
    }
    // wbemcli cannot write reference keys on its command line: the link goes in as CIM-XML
    const ref = (id: string) =>
      `<VALUE.REFERENCE><LOCALINSTANCEPATH><LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH><INSTANCENAME CLASSNAME="TST_Item"><KEYBINDING NAME="Id"><KEYVALUE>${id}</KEYVALUE></KEYBINDING></INSTANCENAME></LOCALINSTANCEPATH></VALUE.REFERENCE>`;
    const inst = `<INSTANCE CLASSNAME="TST_Link"><PROPERTY.REFERENCE NAME="Parent">${ref('a')}</PROPERTY.REFERENCE><PROPERTY.REFERENCE NAME="Child">${ref('b')}</PROPERTY.REFERENCE></INSTANCE>`;
    const body = imethodBody('CreateInstance', 'root/cimv2', `<IPARAMVALUE NAME="NewInstance">${inst}</IPARAMVALUE>`);
    const link = await rawExchange(srv.httpsPort, buildRequest({ body, headers: imethodHeaders('CreateInstance', 'root/cimv2') }), { secure: true });
    expect(link.body.toString(), link.raw).to.include('<INSTANCENAME CLASSNAME="TST_Link">');
  });

  it('ein and ei enumerate them', async () => {
    const names = await wbemcli(['ein', `${base}:TST_Item`]);
    expect(names.out.trim().split('\n').sort()).to.deep.equal([`127.0.0.1:${srv.httpsPort}/root/cimv2:TST_Item.Id="a"`, `127.0.0.1:${srv.httpsPort}/root/cimv2:TST_Item.Id="b"`]);
    const all = await wbemcli(['ei', `${base}:TST_Item`]);
    expect(all.out).to.include('Name="first"').and.include('Small=5').and.include('Enabled=TRUE').and.include('Name="second"');
  });

  it('gi with -nl and a property list returns only those properties', async () => {
    const r = await wbemcli(['gi', '-nl', item('a'), 'Name,Small']);
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.include('-Name="first"').and.include('-Small=5');
    expect(r.out).to.not.include('Enabled');
  });

  it('mi changes a property', async () => {
    const r = await wbemcli(['mi', item('a'), 'Name="changed"']);
    expect(r.code, r.out).to.equal(0);
    const g = await wbemcli(['gi', item('a'), 'Name']);
    expect(g.out).to.include('Name="changed"');
  });

  it('ain / ai / rin / ri follow the association', async () => {
    const ain = await wbemcli(['ain', item('a')]);
    expect(ain.out).to.include('TST_Item.Id="b"');
    const ai = await wbemcli(['ai', item('a')]);
    expect(ai.out).to.include('Name="second"');
    const rin = await wbemcli(['rin', item('b')]);
    expect(rin.out).to.include('TST_Link.');
    const ri = await wbemcli(['ri', item('b')]);
    expect(ri.out).to.include('TST_Link.').and.include('Parent=');
  });

  it('cm reaches the method dispatch (no provider for the test class)', async () => {
    const r = await wbemcli(['cm', item('a'), 'Reset.Level=3,Force=true']);
    expect(r.out).to.include('CIM_ERR_METHOD_NOT_AVAILABLE');
  });

  it('a reader can read but not write', async () => {
    const g = await wbemcli(['gi', `${reader}:TST_Item.Id="a"`]);
    expect(g.code, g.out).to.equal(0);
    const d = await wbemcli(['di', `${reader}:TST_Item.Id="b"`]);
    expect(d.out).to.include('CIM_ERR_ACCESS_DENIED');
  });

  it('wrong credentials are refused', async () => {
    const r = await wbemcli(['ecn', wrong]);
    expect(r.code).to.not.equal(0);
    expect(r.out).to.match(/username\/password|401|Unauthorized/i);
  });

  it('di deletes', async () => {
    const before = await wbemcli(['ein', `${base}:TST_Link`]);
    const link = before.out.trim().split('\n')[0];
    if (link) await wbemcli(['di', `https://admin:${ADMIN_PASSWORD}@${link}`]);
    const r = await wbemcli(['di', item('b')]);
    expect(r.code, r.out).to.equal(0);
    const names = await wbemcli(['ein', `${base}:TST_Item`]);
    expect(names.out).to.not.include('Id="b"');
  });
});
