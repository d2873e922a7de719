/** Unit tables for the DSP0200 header rules (before the body) and the header/body agreement. */
import { expect } from 'chai';
import { InstanceName, ClassName } from '../../../src/cim/path.js';
import type { Envelope } from '../../../src/cimxml/decode-request.js';
import { ProtocolError } from '../../../src/cimxml/errors.js';
import { checkCimHeaders, checkContentType, checkHeadersAgainstBody, type CimHeaders } from '../../../src/cimxml/headers.js';

function request(headers: Record<string, string | string[]>, method = 'POST', version: '1.0' | '1.1' = '1.1') {
  const map = new Map<string, string[]>();
  for (const [k, v] of Object.entries(headers)) map.set(k.toLowerCase(), Array.isArray(v) ? v : [v]);
  return { method, version, headers: map };
}

const BASE = { Host: 'h', 'Content-Type': 'application/xml; charset=utf-8', CIMOperation: 'MethodCall', CIMMethod: 'GetClass', CIMObject: 'root%2Fcimv2' };

function result(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return `${e.status}${e.cimError ? ' ' + e.cimError : ''}`;
  }
}

describe('DSP0200 request header rules', () => {
  const rows: [string, Record<string, string | string[] | undefined>, string, string?][] = [
    ['a plain POST', {}, 'ok'],
    ['text/xml with a quoted charset', { 'Content-Type': 'text/xml; charset="UTF-8"' }, 'ok'],
    ['no charset', { 'Content-Type': 'application/xml' }, 'ok'],
    ['other content type', { 'Content-Type': 'application/json' }, '400'],
    ['other charset', { 'Content-Type': 'application/xml; charset=utf-16' }, '400'],
    ['no Content-Type', { 'Content-Type': undefined }, '400'],
    ['no Host on HTTP/1.1', { Host: undefined }, '400'],
    ['GET', {}, '405', 'GET'],
    ['PUT', {}, '405', 'PUT'],
    ['CIMOperation case-insensitive value', { CIMOperation: 'methodcall' }, 'ok'],
    ['CIMOperation other value', { CIMOperation: 'MethodRequest' }, '400 unsupported-operation'],
    ['CIMOperation missing', { CIMOperation: undefined }, '400'],
    ['CIMOperation repeated', { CIMOperation: ['MethodCall', 'MethodCall'] }, '400'],
    ['CIMExport (a listener request)', { CIMExport: 'MethodRequest' }, '400 unsupported-operation'],
    ['CIMMethod missing', { CIMMethod: undefined }, '400 header-mismatch'],
    ['CIMMethod empty', { CIMMethod: ' ' }, '400 header-mismatch'],
    ['CIMObject missing', { CIMObject: undefined }, '400 header-mismatch'],
    ['CIMObject bad escape', { CIMObject: 'root%zz' }, '400 header-mismatch'],
    ['CIMBatch', { CIMBatch: '' }, '501 multiple-requests-unsupported'],
    ['CIMProtocolVersion 1.4', { CIMProtocolVersion: '1.4' }, 'ok'],
    ['CIMProtocolVersion 2.0', { CIMProtocolVersion: '2.0' }, '501 unsupported-protocol-version'],
  ];
  for (const [desc, change, exp, method] of rows) {
    it(`${desc} -> ${exp}`, () => {
      const h: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries({ ...BASE, ...change })) if (v !== undefined) h[k] = v;
      expect(result(() => checkCimHeaders(request(h, method)))).to.equal(exp);
    });
  }

  const mpost: [string, Record<string, string>, string, string?][] = [
    ['M-POST with ns prefix', { Man: 'http://www.dmtf.org/cim/mapping/http/v1.0 ; ns=73', '73-CIMOperation': 'MethodCall', '73-CIMMethod': 'GetClass', '73-CIMObject': 'root/cimv2' }, 'ok 73-'],
    ['M-POST with quoted URI and no spaces', { Man: '"http://www.dmtf.org/cim/mapping/http/v1.0";ns=11', '11-CIMOperation': 'MethodCall', '11-CIMMethod': 'GetClass', '11-CIMObject': 'root/cimv2' }, 'ok 11-'],
    ['M-POST without Man', {}, '510'],
    ['M-POST naming another extension', { Man: 'http://example.com/ext; ns=1' }, '510'],
    ['M-POST on HTTP/1.0', { Man: 'http://www.dmtf.org/cim/mapping/http/v1.0; ns=1' }, '400', '1.0'],
  ];
  for (const [desc, h, exp, version] of mpost) {
    it(`${desc} -> ${exp}`, () => {
      let got: string;
      try {
        const r = checkCimHeaders(request({ Host: 'h', 'Content-Type': 'application/xml', ...h }, 'M-POST', (version ?? '1.1') as '1.0' | '1.1'));
        got = `ok ${r.prefix}`;
      } catch (e) {
        got = result(() => {
          throw e;
        });
      }
      expect(got).to.equal(exp);
    });
  }

  it('decodes the two-step encoded CIMMethod / CIMObject and sees TE: trailers', () => {
    const r = checkCimHeaders(request({ ...BASE, CIMObject: 'root%2Fcimv2%3AC.k%3D%22a%20b%22', TE: 'chunked, trailers' }));
    expect(r.cimObject).to.equal('root/cimv2:C.k="a b"');
    expect(r.trailers).to.equal(true);
    expect(checkCimHeaders(request({ ...BASE, TE: 'chunked' })).trailers).to.equal(false);
  });

  it('Content-Type parsing ignores other parameters', () => {
    expect(result(() => checkContentType('application/xml; foo=bar'))).to.equal('ok');
  });
});

describe('CIM headers against the XML', () => {
  const h = (cimMethod: string, cimObject: string): CimHeaders => ({ prefix: '', cimMethod, cimObject, protocolVersion: undefined, trailers: false });
  const intrinsic = (name: string, namespace: string): Envelope => ({ kind: 'intrinsic', id: '1', name, op: undefined, namespace, params: [] });
  const method = (target: InstanceName | ClassName): Envelope => ({ kind: 'method', id: '1', name: 'Go', namespace: target.namespace ?? '', target, params: [] });
  const inst = InstanceName.of('C', { k: 'a b', n: 3 }, 'root/cimv2');
  const rows: [string, CimHeaders, Envelope, string][] = [
    ['same method and namespace', h('GetClass', 'root/cimv2'), intrinsic('GetClass', 'root/cimv2'), 'ok'],
    ['case and slashes differ', h('getclass', '/ROOT/CIMV2/'), intrinsic('GetClass', 'root/cimv2'), 'ok'],
    ['other method', h('GetInstance', 'root/cimv2'), intrinsic('GetClass', 'root/cimv2'), '400 header-mismatch'],
    ['other namespace', h('GetClass', 'root/interop'), intrinsic('GetClass', 'root/cimv2'), '400 header-mismatch'],
    ['extrinsic: same instance, keys in another order', h('Go', 'root/cimv2:C.n=3,k="a b"'), method(inst), 'ok'],
    ['extrinsic: leading slash', h('Go', '/root/cimv2:C.k="a b",n=3'), method(inst), 'ok'],
    ['extrinsic: other key value', h('Go', 'root/cimv2:C.k="a",n=3'), method(inst), '400 header-mismatch'],
    ['extrinsic: other namespace', h('Go', 'root/x:C.k="a b",n=3'), method(inst), '400 header-mismatch'],
    ['extrinsic: class for an instance', h('Go', 'root/cimv2:C'), method(inst), '400 header-mismatch'],
    ['extrinsic: class target', h('Go', 'root/cimv2:c'), method(new ClassName('C', 'root/cimv2')), 'ok'],
    ['extrinsic: not a path', h('Go', 'root/cimv2:C.k='), method(inst), '400 header-mismatch'],
    ['CIMProtocolVersion equal to PROTOCOLVERSION', { ...h('GetClass', 'root/cimv2'), protocolVersion: '1.0' }, { ...intrinsic('GetClass', 'root/cimv2'), protocolVersion: '1.0' }, 'ok'],
    ['CIMProtocolVersion differs from PROTOCOLVERSION', { ...h('GetClass', 'root/cimv2'), protocolVersion: '1.1' }, { ...intrinsic('GetClass', 'root/cimv2'), protocolVersion: '1.0' }, '400 header-mismatch'],
  ];
  for (const [desc, hh, env, exp] of rows) {
    it(`${desc} -> ${exp}`, () => {
      expect(result(() => checkHeadersAgainstBody(hh, env))).to.equal(exp);
    });
  }
});
