/** InvokeMethod: parameter checking and conversion, static methods, provider lookup, typed OUT parameters. */
import { expect } from 'chai';
import { CimError, type CIMStatusName } from '../../../src/cim/errors.js';
import { CIMInstance } from '../../../src/cim/instance.js';
import type { CIMap } from '../../../src/cim/names.js';
import { ClassName, InstanceName } from '../../../src/cim/path.js';
import type { CIMValue } from '../../../src/cim/types.js';
import { createCimom, type CimomServer } from '../../../src/cimom/index.js';
import type { InvokeMethodResponse, ParamValue, RequestContext } from '../../../src/cimom/operations.js';
import type { MethodResult } from '../../../src/cimom/provider.js';
import { base1, caller, MemoryProvider, NS, reader, seed, testRepo } from './fixture.js';

interface Call {
  target: string;
  method: string;
  params: CIMap<CIMValue>;
}

function setup(opts: { methods?: boolean; decode?: boolean } = {}) {
  const repo = testRepo();
  const cimom = createCimom({
    repository: repo,
    decodeEmbedded: opts.decode ? (t) => new CIMInstance(/CLASSNAME="(\w+)"/.exec(t)![1]) : undefined,
  });
  const mem = new MemoryProvider(repo);
  cimom.registry.setDefault(mem);
  seed(repo, mem);
  const calls: Call[] = [];
  let answer: (c: Call) => MethodResult = () => ({ returnValue: 0 });
  if (opts.methods !== false) {
    cimom.registry.register(NS, 'Test_Base', {
      enumerateInstances: (ctx) => mem.enumerateInstances(ctx),
      getInstance: (ctx, n) => mem.getInstance(ctx, n),
      invokeMethod: (_ctx, target, m, params) => {
        const c = { target: target.toString('wbem'), method: m.name, params };
        calls.push(c);
        return answer(c);
      },
    }, { subclasses: true });
  }
  return { cimom, calls, answer: (f: typeof answer) => (answer = f) };
}

const p = (name: string, value: CIMValue, spec?: ParamValue['spec']): ParamValue => ({ name, value, spec });
const cls = new ClassName('Test_Base');

interface Case {
  what: string;
  target?: InstanceName | ClassName;
  method: string;
  params?: ParamValue[];
  ctx?: RequestContext;
  ns?: string;
  answer?: (c: Call) => MethodResult;
  setup?: Parameters<typeof setup>[0];
  error?: CIMStatusName;
  check?: (res: InvokeMethodResponse, calls: Call[]) => void;
}

const cases: Case[] = [
  { what: 'converts untyped text and types OUT parameters', method: 'ping', params: [p('msg', 'hi'), p('TIMES', '3')],
    answer: (c) => ({ returnValue: '0', out: { echo: `${c.params.get('Msg')} x${c.params.get('Times')}` } }),
    check: (res, calls) => {
      expect(calls[0].method).to.equal('Ping');
      expect(calls[0].target).to.equal('//testhost/root/test:Test_Base.InstanceID="b1"');
      expect(calls[0].params.get('Times')).to.equal(3);
      expect([...calls[0].params.keys()]).to.deep.equal(['Msg', 'Times']);
      expect(res.ReturnValue).to.deep.equal({ value: 0, spec: { type: 'uint32', isArray: false } });
      expect(res.OutParams).to.deep.equal([{ name: 'Echo', value: 'hi x3', spec: { type: 'string', isArray: false } }]);
    } },
  { what: 'missing parameters are absent, not NULL', method: 'Ping', params: [], check: (_r, calls) => expect(calls[0].params.size).to.equal(0) },
  { what: 'unknown parameter', method: 'Ping', params: [p('Bogus', 'x')], error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'duplicate parameter', method: 'Ping', params: [p('Msg', 'x'), p('msg', 'y')], error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'out of range', method: 'Ping', params: [p('Times', '70000')], error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'array for a scalar', method: 'Ping', params: [p('Times', [1], { type: 'uint16', isArray: true })], error: 'CIM_ERR_TYPE_MISMATCH' },
  { what: 'OUT parameter sent as NULL is ignored', method: 'Ping', params: [p('Echo', null)], check: (_r, calls) => expect(calls[0].params.size).to.equal(0) },
  { what: 'OUT parameter sent with a value', method: 'Ping', params: [p('Echo', 'x')], error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'missing method', method: 'Nope', error: 'CIM_ERR_METHOD_NOT_FOUND' },
  { what: 'missing instance', target: InstanceName.of('Test_Base', { InstanceID: 'zz' }), method: 'Ping', error: 'CIM_ERR_NOT_FOUND' },
  { what: 'unknown class', target: InstanceName.of('Nope', { InstanceID: 'zz' }), method: 'Ping', error: 'CIM_ERR_INVALID_CLASS' },
  { what: 'non-static method on a class path', target: cls, method: 'Ping', error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'no method provider', method: 'Ping', setup: { methods: false }, error: 'CIM_ERR_METHOD_NOT_AVAILABLE' },
  { what: 'reader may not invoke', method: 'Ping', ctx: reader, error: 'CIM_ERR_ACCESS_DENIED' },
  { what: 'unknown namespace', method: 'Ping', ns: 'root/none', error: 'CIM_ERR_INVALID_NAMESPACE' },
  { what: 'provider crash', method: 'Broken', answer: () => { throw new RangeError('kaput'); }, error: 'CIM_ERR_FAILED' },
  { what: 'provider CimError passes through', method: 'Broken', answer: () => { throw new CimError('CIM_ERR_NOT_SUPPORTED', 'later'); }, error: 'CIM_ERR_NOT_SUPPORTED' },
  { what: 'provider returns an unknown OUT parameter', method: 'Ping', answer: () => ({ returnValue: 0, out: { Msg: 'x' } }), error: 'CIM_ERR_FAILED' },
  { what: 'provider returns a bad return value', method: 'Ping', answer: () => ({ returnValue: 'lots' }), error: 'CIM_ERR_FAILED' },
  { what: 'static method: references as text, arrays, embedded instances both ways', target: cls, method: 'Make',
    params: [p('Target', '\\\\OTHER\\root\\test:Test_Other.id="1"'), p('Data', new CIMInstance('Test_Other')), p('List', ['1', 2])],
    answer: (c) => ({ returnValue: 4096, out: { created: InstanceName.of('test_other', { ID: '2' }), Copy: c.params.get('Data') ?? null } }),
    check: (res, calls) => {
      const params = calls[0].params;
      expect(calls[0].target).to.equal('//testhost/root/test:Test_Base');
      expect((params.get('Target') as InstanceName).toString()).to.equal('\\\\OTHER\\root\\test:Test_Other.Id=1');
      expect(params.get('List')).to.deep.equal([1, 2]);
      expect(params.get('Data')).to.be.instanceOf(CIMInstance);
      const created = res.OutParams.find((o) => o.name === 'Created')!;
      expect((created.value as InstanceName).toString()).to.equal('\\\\testhost\\root\\test:Test_Other.Id=2');
      expect(created.spec).to.deep.equal({ type: 'reference', isArray: false, refClass: 'Test_Other' });
      const copy = res.OutParams.find((o) => o.name === 'Copy')!;
      expect(copy.value).to.be.instanceOf(CIMInstance);
      expect(copy.spec.embedded).to.equal('instance');
      expect(res.OutParams.map((o) => o.name)).to.deep.equal(['Created', 'Copy']);
    } },
  { what: 'embedded instance as text with a decoder', target: cls, method: 'Make', setup: { decode: true }, params: [p('Data', '<INSTANCE CLASSNAME="Test_Other"></INSTANCE>')],
    check: (_r, calls) => expect((calls[0].params.get('Data') as CIMInstance).className).to.equal('Test_Other') },
  { what: 'embedded instance as text without a decoder', target: cls, method: 'Make', params: [p('Data', '<INSTANCE CLASSNAME="Test_Other"></INSTANCE>')], error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'embedded instance that is not one', target: cls, method: 'Make', params: [p('Data', 'plain text')], error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'bad reference text', target: cls, method: 'Make', params: [p('Target', 'Test_Other.Id=')], error: 'CIM_ERR_INVALID_PARAMETER' },
];

describe('cimom: InvokeMethod', () => {
  let server: CimomServer | undefined;
  afterEach(() => server?.close());
  for (const c of cases) {
    it(c.what, async () => {
      const s = setup(c.setup);
      server = s.cimom;
      if (c.answer) s.answer(c.answer);
      let res: InvokeMethodResponse;
      try {
        res = await s.cimom.invokeMethod(c.ns ?? NS, { ObjectName: c.target ?? base1, MethodName: c.method, Params: c.params ?? [] }, c.ctx ?? caller);
      } catch (e) {
        if (!c.error) throw e;
        expect((e as CimError).statusName, (e as Error).message).to.equal(c.error);
        return;
      }
      expect(c.error, 'expected an error').to.equal(undefined);
      c.check?.(res, s.calls);
    });
  }

  it('a method-only provider leaves the instances to the default provider', async () => {
    const s = setup({ methods: false });
    server = s.cimom;
    s.cimom.registry.register(NS, 'Test_Base', { invokeMethod: () => ({ returnValue: 7 }) });
    const res = await s.cimom.invokeMethod(NS, { ObjectName: base1, MethodName: 'Ping', Params: [] }, caller);
    expect(res.ReturnValue.value).to.equal(7);
    const names = [...(await s.cimom.intrinsic('EnumerateInstanceNames', NS, { ClassName: 'Test_Base' }, caller))];
    expect(names.map((n) => n.toString('relative'))).to.deep.equal(['Test_Base.InstanceID="b1"', 'Test_Sub.InstanceID="s1"']);
  });
});
