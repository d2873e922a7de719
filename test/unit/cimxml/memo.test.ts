/**
 * Memoised instance encodings (encode-object.ts writeMemoised) are never served stale: the
 * real cimom with the default (store) provider replaces a changed instance with a new frozen
 * object, so GetInstance and EnumerateInstances after ModifyInstance / SetProperty /
 * DeleteInstance show the change; the same frozen object is encoded once per flag set and
 * location; objects that are not frozen are encoded afresh each time.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CIMInstance } from '../../../src/cim/instance.js';
import { createCimom } from '../../../src/cimom/index.js';
import { memoFor, writeInstance, writeMemoised } from '../../../src/cimxml/encode-object.js';
import type { HttpRequest, HttpResponder } from '../../../src/cimxml/http1.js';
import { createHandler, decodeEmbeddedObject } from '../../../src/cimxml/index.js';
import { XmlWriter } from '../../../src/cimxml/xml-writer.js';
import { buildRepository, defaultMofDir } from '../../../src/main.js';
import { registerProviders } from '../../../src/provider/index.js';
import { openDatabase } from '../../../src/store/db.js';

const NS = 'root/cimv2';
const MOF = 'class Memo_Item { [Key] string Id; string Name; uint32 Counter; };\n';
const NSXML = '<LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH>';

function call(op: string, params: string): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="utf-8" ?><CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" PROTOCOLVERSION="1.0">` +
    `<SIMPLEREQ><IMETHODCALL NAME="${op}">${NSXML}${params}</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>`);
}
const name = (id: string) => `<INSTANCENAME CLASSNAME="Memo_Item"><KEYBINDING NAME="Id"><KEYVALUE VALUETYPE="string">${id}</KEYVALUE></KEYBINDING></INSTANCENAME>`;
const inst = (id: string, n: string, c: number) => `<INSTANCE CLASSNAME="Memo_Item"><PROPERTY NAME="Id" TYPE="string"><VALUE>${id}</VALUE></PROPERTY>` +
  `<PROPERTY NAME="Name" TYPE="string"><VALUE>${n}</VALUE></PROPERTY><PROPERTY NAME="Counter" TYPE="uint32"><VALUE>${c}</VALUE></PROPERTY></INSTANCE>`;
const param = (n: string, body: string) => `<IPARAMVALUE NAME="${n}">${body}</IPARAMVALUE>`;
const CONNECTION = {};

describe('memoised instance encodings', () => {
  let dir: string;
  let db: ReturnType<typeof openDatabase>;
  let handler: (req: HttpRequest, res: HttpResponder) => Promise<void>;
  let close: () => void;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cimxml-memo-'));
    fs.writeFileSync(path.join(dir, 'memo.mof'), MOF);
    db = openDatabase(dir);
    const repository = buildRepository(defaultMofDir(), [{ namespace: NS, file: path.join(dir, 'memo.mof') }]);
    const cimom = createCimom({ repository, decodeEmbedded: decodeEmbeddedObject });
    registerProviders({ registry: cimom.registry, repository, db });
    handler = createHandler({ cimom, hostName: 'memo' });
    close = () => cimom.close();
  });
  after(() => {
    close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function send(op: string, params: string): Promise<string> {
    const body = call(op, params);
    const headers = new Map<string, string[]>([
      ['content-type', ['application/xml; charset="utf-8"']], ['cimprotocolversion', ['1.0']], ['cimoperation', ['MethodCall']],
      ['cimmethod', [op]], ['cimobject', ['root%2Fcimv2']], ['content-length', [String(body.length)]], ['host', ['x']],
    ]);
    let out = '';
    const res: HttpResponder = {
      started: false,
      async send(status, _h, b) {
        expect(status).to.equal(200);
        out = typeof b === 'string' || Buffer.isBuffer(b) ? b.toString() : b ? Buffer.concat(b).toString() : '';
      },
      start() {}, async write() {}, async end() {}, closeAfter() {},
    };
    // one connection throughout: repeated bodies also take the per-connection shortcut
    await handler({ method: 'POST', target: '/cimom', version: '1.1', headers, body, remoteAddress: '127.0.0.1', secure: false, connection: CONNECTION }, res);
    expect(out).not.to.include('<ERROR');
    return out;
  }
  const enumerate = (origin = false) =>
    send('EnumerateInstances', param('ClassName', '<CLASSNAME NAME="Memo_Item"/>') + param('IncludeClassOrigin', `<VALUE>${origin ? 'TRUE' : 'FALSE'}</VALUE>`));
  const get = () => send('GetInstance', param('InstanceName', name('a')));

  it('shows every change on the next GetInstance and EnumerateInstances', async () => {
    await send('CreateInstance', param('NewInstance', inst('a', 'first', 1)));
    await send('CreateInstance', param('NewInstance', inst('b', 'other', 2)));
    const steps: [string, () => Promise<unknown>, string][] = [
      ['created', async () => {}, 'first'],
      ['modified', () => send('ModifyInstance', param('ModifiedInstance', `<VALUE.NAMEDINSTANCE>${name('a')}${inst('a', 'second', 1)}</VALUE.NAMEDINSTANCE>`)), 'second'],
      ['property set', () => send('SetProperty', param('InstanceName', name('a')) + param('PropertyName', '<VALUE>Name</VALUE>') + param('NewValue', '<VALUE>third</VALUE>')), 'third'],
    ];
    for (const [what, change, value] of steps) {
      await change();
      for (let i = 0; i < 3; i++) { // later rounds are served from the memo
        for (const text of [await enumerate(), await enumerate(true), await get()]) {
          expect(text, what).to.match(new RegExp(`<PROPERTY NAME="Name" TYPE="string"[^>]*><VALUE>${value}</VALUE></PROPERTY>`));
        }
        expect(await enumerate(true), what).to.include('CLASSORIGIN="Memo_Item"');
        expect(await enumerate(), what).not.to.include('CLASSORIGIN');
      }
    }
    await send('DeleteInstance', param('InstanceName', name('a')));
    const left = await enumerate();
    expect(left).not.to.include('<VALUE>a</VALUE>');
    expect(left).to.include('<VALUE>b</VALUE>');
  });

  it('keeps the bytes of a frozen object (from its second use) per flag set and location, never those of other objects', () => {
    const flags = { includeQualifiers: false, includeClassOrigin: false };
    const encode = (w: XmlWriter, i: CIMInstance) => writeInstance(w, i, flags);
    const frozen = Object.freeze(new CIMInstance('X', [{ name: 'P', type: 'string', isArray: false, value: 'one' }]));
    const open = new CIMInstance('X', [{ name: 'P', type: 'string', isArray: false, value: 'one' }]);
    const memo = memoFor('test', flags, { namespace: 'n', host: 'h' });
    expect(memoFor('test', flags, { namespace: 'n', host: 'h' })).to.equal(memo);
    expect(memoFor('test', flags, { namespace: 'n', host: 'other' })).not.to.equal(memo);
    expect(memoFor('test', { ...flags, includeQualifiers: true }, { namespace: 'n', host: 'h' })).not.to.equal(memo);
    const text = (i: CIMInstance) => {
      const w = new XmlWriter();
      w.raw('[');
      writeMemoised(w, memo, i, encode);
      w.raw(']');
      return w.text();
    };
    const expected = '[<INSTANCE CLASSNAME="X"><PROPERTY NAME="P" TYPE="string"><VALUE>one</VALUE></PROPERTY></INSTANCE>]';
    expect(text(frozen)).to.equal(expected);
    expect(memo.bytes.has(frozen), 'kept from the second time').to.equal(false);
    expect(text(frozen)).to.equal(expected);
    expect(memo.bytes.has(frozen)).to.equal(true);
    expect(text(frozen)).to.equal(expected);
    for (let i = 0; i < 3; i++) expect(text(open)).to.equal(expected);
    open.set('P', 'two');
    expect(text(open)).to.include('<VALUE>two</VALUE>');
    expect(memo.bytes.has(open)).to.equal(false);
  });
});
