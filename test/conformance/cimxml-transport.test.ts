/**
 * HTTP transport behaviour of the CIM-XML server: keep-alive and pipelining on one
 * connection, chunked request bodies, Expect: 100-continue, streamed responses with status
 * trailers (TE: trailers) including a failure after streaming began, the buffered form of
 * the same failure, HTTPS with TLS 1.2 as the minimum, and a clean shutdown that lets a
 * request in progress finish.
 */
import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { CimXmlServer, loadOrCreateTls } from '../../src/cimxml/index.js';
import type { Cimom } from '../../src/cimom/operations.js';
import { buildRequest, imethodBody, imethodHeaders, parseResponse, rawExchange, type RawResponse } from '../helpers/server.js';
import { StubCimom } from '../unit/cimxml/stub-cimom.js';

const NS = 'root/cimv2';
const enumBig = (extra: Record<string, string> = {}) =>
  buildRequest({
    body: imethodBody('EnumerateInstances', NS, '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="TST_Big"/></IPARAMVALUE>'),
    headers: { ...imethodHeaders('EnumerateInstances', NS), ...extra }, auth: null,
  });
const names = () =>
  buildRequest({ body: imethodBody('EnumerateClassNames', NS), headers: imethodHeaders('EnumerateClassNames', NS), auth: null });

async function withServer<T>(cimom: Cimom, fn: (s: CimXmlServer) => Promise<T>, extra: Partial<ConstructorParameters<typeof CimXmlServer>[0]> = {}): Promise<T> {
  const s = new CimXmlServer({ cimom, hostName: 'testhost', httpPort: 0, httpsPort: null, ...extra });
  await s.start();
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

describe('cimxml transport', function () {
  this.timeout(60_000);

  it('serves several requests on one keep-alive connection, pipelined', async () => {
    await withServer(new StubCimom(), async (s) => {
      const sock = net.connect(s.port('http')!, '127.0.0.1');
      await new Promise((r) => sock.once('connect', r));
      sock.write(names() + names() + names());
      let buf = Buffer.alloc(0);
      const got: RawResponse[] = [];
      await new Promise<void>((resolve, reject) => {
        sock.on('data', (d) => {
          buf = Buffer.concat([buf, d]);
          for (;;) {
            const r = parseResponse(buf, false);
            if (!r) return;
            got.push(r);
            const len = r.raw.indexOf('\r\n\r\n') + 4 + r.body.length;
            buf = buf.subarray(len);
            if (got.length === 3) return resolve();
          }
        });
        sock.on('error', reject);
      });
      sock.destroy();
      expect(got.map((r) => r.status)).to.deep.equal([200, 200, 200]);
      for (const r of got) expect(r.body.toString()).to.include('<CLASSNAME NAME="TST_Sub"/>');
    });
  });

  it('accepts a chunked request body and Expect: 100-continue', async () => {
    await withServer(new StubCimom(), async (s) => {
      const body = imethodBody('EnumerateClassNames', NS);
      const chunked = `${(20).toString(16)}\r\n${body.slice(0, 20)}\r\n${Buffer.byteLength(body.slice(20)).toString(16)};ext=1\r\n${body.slice(20)}\r\n0\r\nX-Trailer: y\r\n\r\n`;
      const r = await rawExchange(s.port('http')!, buildRequest({ body: chunked, headers: { ...imethodHeaders('EnumerateClassNames', NS), 'Transfer-Encoding': 'chunked' }, auth: null }));
      expect(r.status).to.equal(200);
      expect(r.body.toString()).to.include('TST_Item');
      const e = await rawExchange(s.port('http')!, buildRequest({ body: imethodBody('EnumerateClassNames', NS), headers: { ...imethodHeaders('EnumerateClassNames', NS), Expect: '100-continue' }, auth: null }));
      expect(e.raw.startsWith('HTTP/1.1 100 Continue\r\n\r\n')).to.equal(true);
      expect(e.status).to.equal(200);
    });
  });

  it('streams a large enumeration in chunks with CIMStatusCode trailers (TE: trailers)', async () => {
    await withServer(new StubCimom({ big: 3000 }), async (s) => {
      const r = await rawExchange(s.port('http')!, enumBig({ TE: 'trailers' }));
      expect(r.headers.get('transfer-encoding')).to.equal('chunked');
      expect(r.headers.get('trailer')).to.equal('CIMStatusCode, CIMStatusCodeDescription');
      expect(r.trailers.get('cimstatuscode')).to.equal('0');
      const chunks = r.raw.split('\r\n').filter((l) => /^[0-9a-f]+$/.test(l) && parseInt(l, 16) > 1000).length;
      expect(chunks).to.be.greaterThan(10); // written as produced, not as one piece
      expect(r.body.toString().match(/<VALUE.NAMEDINSTANCE>/g)?.length).to.equal(3000);
    });
  });

  it('reports a failure after streaming began only in the trailers', async () => {
    await withServer(new StubCimom({ big: 3000, failAt: 2000 }), async (s) => {
      const r = await rawExchange(s.port('http')!, enumBig({ TE: 'trailers' }));
      expect(r.status).to.equal(200);
      expect(r.trailers.get('cimstatuscode')).to.equal('1');
      expect(decodeURIComponent(r.trailers.get('cimstatuscodedescription') ?? '')).to.equal('CIM_ERR_FAILED: provider gave up');
      expect(r.body.toString()).to.not.include('</CIM>');
    });
  });

  it('answers the same failure with a whole ERROR document when not streaming', async () => {
    await withServer(new StubCimom({ big: 3000, failAt: 2000 }), async (s) => {
      const r = await rawExchange(s.port('http')!, enumBig());
      expect(r.status).to.equal(200);
      expect(r.headers.get('content-length')).to.equal(String(r.body.length));
      expect(r.body.toString()).to.match(/<IMETHODRESPONSE NAME="EnumerateInstances"><ERROR CODE="1" DESCRIPTION="CIM_ERR_FAILED: provider gave up"><\/ERROR><\/IMETHODRESPONSE>/);
      expect(r.body.toString()).to.not.include('VALUE.NAMEDINSTANCE');
    });
  });

  it('keeps serving when clients go away in the middle of a response', async () => {
    await withServer(new StubCimom({ big: 5000 }), async (s) => {
      const port = s.port('http')!;
      for (const te of [{ TE: 'trailers' }, {}] as Record<string, string>[]) {
        await new Promise<void>((resolve) => {
          const sock = net.connect(port, '127.0.0.1', () => sock.write(enumBig(te)));
          sock.once('data', () => {
            sock.destroy(); // gone after the first bytes of a large streamed (or buffered) response
            resolve();
          });
          sock.on('error', () => resolve());
          sock.on('close', () => resolve());
        });
      }
      // and a client that disconnects before the cimom has answered
      const early = net.connect(port, '127.0.0.1', () => early.end(enumBig()));
      early.resume(); // read (and drop) the answer, so its end and the close arrive
      await new Promise((r) => early.on('close', r));
      const r = await rawExchange(port, names());
      expect(r.status).to.equal(200);
    });
  });

  it('answers M-POST with the prefixed headers and Ext', async () => {
    await withServer(new StubCimom(), async (s) => {
      const r = await rawExchange(
        s.port('http')!,
        buildRequest({
          method: 'M-POST', body: imethodBody('EnumerateClassNames', NS), auth: null,
          headers: { Man: 'http://www.dmtf.org/cim/mapping/http/v1.0;ns=42', '42-CIMOperation': 'MethodCall', '42-CIMMethod': 'EnumerateClassNames', '42-CIMObject': 'root/cimv2' },
        }),
      );
      expect(r.status).to.equal(200);
      expect(r.headers.get('42-cimoperation')).to.equal('MethodResponse');
      expect(r.headers.has('ext')).to.equal(true);
      expect(r.headers.get('man')).to.equal('http://www.dmtf.org/cim/mapping/http/v1.0; ns=42');
    });
  });

  it('serves HTTPS with TLS 1.2 or newer and a certificate for localhost and loopback', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cimxml-tls-'));
    try {
      const material = loadOrCreateTls({ certDir: dir, hostName: 'testhost' });
      expect(material.generated).to.equal(true);
      expect(fs.statSync(path.join(dir, 'server-key.pem')).mode & 0o777).to.equal(0o600);
      expect(fs.statSync(path.join(dir, 'ca-key.pem')).mode & 0o777).to.equal(0o600);
      const x = new X509Certificate(material.cert);
      expect(x.subjectAltName).to.include('DNS:localhost').and.include('IP Address:127.0.0.1').and.include('DNS:testhost');
      expect(x.checkIssued(new X509Certificate(fs.readFileSync(path.join(dir, 'ca.pem'))))).to.equal(true);
      expect(loadOrCreateTls({ certDir: dir }).generated).to.equal(false); // reused on the next start
      // --cert / --key: the user's files as given, nothing generated
      const own = loadOrCreateTls({ certDir: path.join(dir, 'unused'), certFile: path.join(dir, 'ca.pem'), keyFile: path.join(dir, 'ca-key.pem') });
      expect(own.generated).to.equal(false);
      expect(own.cert).to.equal(fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8'));
      expect(fs.existsSync(path.join(dir, 'unused'))).to.equal(false);
      expect(() => loadOrCreateTls({ certDir: dir, certFile: path.join(dir, 'ca.pem') })).to.throw('--cert and --key go together');
      await withServer(new StubCimom(), async (s) => {
        const port = s.port('https')!;
        const r = await rawExchange(port, names(), { secure: true });
        expect(r.status).to.equal(200);
        const old = await new Promise<string>((resolve) => {
          const c = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' });
          c.on('secureConnect', () => (c.destroy(), resolve('connected')));
          c.on('error', () => resolve('refused'));
        });
        expect(old).to.equal('refused');
        const ca = fs.readFileSync(path.join(dir, 'ca.pem'));
        const verified = await new Promise<boolean>((resolve) => {
          const c = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca }, () => (c.destroy(), resolve(c.authorized)));
          c.on('error', () => resolve(false));
        });
        expect(verified).to.equal(true);
      }, { httpPort: null, httpsPort: 0, tls: material });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets a request in progress finish when it shuts down', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inCimom = new Promise<void>((r) => (entered = r));
    const slow: Cimom = {
      hasNamespace: () => true,
      async intrinsic() {
        entered();
        await gate;
        return ['TST_Slow'] as never;
      },
      async invokeMethod() {
        throw new Error('unused');
      },
    };
    const s = new CimXmlServer({ cimom: slow, hostName: 'testhost', httpPort: 0, httpsPort: null });
    await s.start();
    const port = s.port('http')!;
    const pending = rawExchange(port, names());
    await inCimom;
    const closed = s.close();
    release();
    const r = await pending;
    await closed;
    expect(r.status).to.equal(200);
    expect(r.body.toString()).to.include('TST_Slow');
    expect(r.headers.get('connection')).to.equal('close');
    const refused = await rawExchange(port, names()).then(() => false, () => true);
    expect(refused).to.equal(true);
  });
});

