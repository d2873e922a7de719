/** Value conversion to declared types (convert.ts) and the provider registry's lookup rules. */
import { expect } from 'chai';
import { CIMDateTime } from '../../../src/cim/datetime.js';
import { CimError } from '../../../src/cim/errors.js';
import { CIMInstance } from '../../../src/cim/instance.js';
import { ClassName, InstanceName } from '../../../src/cim/path.js';
import type { CIMTypeSpec, CIMValue } from '../../../src/cim/types.js';
import { coerceValue } from '../../../src/cimom/convert.js';
import type { Provider } from '../../../src/cimom/provider.js';
import { Registry } from '../../../src/cimom/registry.js';
import { NS, testRepo } from './fixture.js';

const s = (type: CIMTypeSpec['type'], extra: Partial<CIMTypeSpec> = {}): CIMTypeSpec => ({ type, isArray: false, ...extra });
const a = (type: CIMTypeSpec['type'], extra: Partial<CIMTypeSpec> = {}): CIMTypeSpec => ({ type, isArray: true, ...extra });

const ok: Array<[string, CIMValue, CIMTypeSpec, (v: CIMValue) => void]> = [
  ['NULL stays NULL', null, s('uint8'), (v) => expect(v).to.equal(null)],
  ['decimal text to uint32', ' 42 ', s('uint32'), (v) => expect(v).to.equal(42)],
  ['hex text to uint16', '0x1F', s('uint16'), (v) => expect(v).to.equal(31)],
  ['number to uint64 bigint', 5, s('uint64'), (v) => expect(v).to.equal(5n)],
  ['bigint to sint8 number', -3n, s('sint8'), (v) => expect(v).to.equal(-3)],
  ['uint64 max text', '18446744073709551615', s('uint64'), (v) => expect(v).to.equal(18446744073709551615n)],
  ['boolean text any case', 'tRuE', s('boolean'), (v) => expect(v).to.equal(true)],
  ['real text', '-2.5E3', s('real64'), (v) => expect(v).to.equal(-2500)],
  ['real INF', 'INF', s('real32'), (v) => expect(v).to.equal(Infinity)],
  ['datetime text', '20240131134502.123456+060', s('datetime'), (v) => expect((v as CIMDateTime).text).to.equal('20240131134502.123456+060')],
  ['char16', 'x', s('char16'), (v) => expect(v).to.equal('x')],
  ['number to string', 7, s('string'), (v) => expect(v).to.equal('7')],
  ['path text to reference', '//h/root/test:Test_Other.Id=1', s('reference'), (v) => expect((v as InstanceName).key('Id')).to.equal(1)],
  ['class path text to reference', 'root/test:Test_Other', s('reference'), (v) => expect(v).to.be.instanceOf(ClassName)],
  ['array with NULL', ['1', null, 3], a('uint8'), (v) => expect(v).to.deep.equal([1, null, 3])],
  ['empty text as empty array', '', a('uint8'), (v) => expect(v).to.deep.equal([])],
  ['embedded instance kept', new CIMInstance('X'), s('string', { embedded: 'instance' }), (v) => expect(v).to.be.instanceOf(CIMInstance)],
];

const bad: Array<[string, CIMValue, CIMTypeSpec, string]> = [
  ['uint8 overflow', 256, s('uint8'), 'CIM_ERR_INVALID_PARAMETER'],
  ['negative uint', '-1', s('uint32'), 'CIM_ERR_INVALID_PARAMETER'],
  ['fraction for integer', 1.5, s('sint32'), 'CIM_ERR_INVALID_PARAMETER'],
  ['word for integer', 'many', s('uint16'), 'CIM_ERR_INVALID_PARAMETER'],
  ['word for boolean', 'yes', s('boolean'), 'CIM_ERR_INVALID_PARAMETER'],
  ['bad datetime', '2024', s('datetime'), 'CIM_ERR_INVALID_PARAMETER'],
  ['two chars for char16', 'ab', s('char16'), 'CIM_ERR_INVALID_PARAMETER'],
  ['array for scalar', [1], s('uint8'), 'CIM_ERR_INVALID_PARAMETER'],
  ['scalar for array', 1, a('uint8'), 'CIM_ERR_INVALID_PARAMETER'],
  ['too many for fixed array', [1, 2, 3], a('uint8', { arraySize: 2 }), 'CIM_ERR_INVALID_PARAMETER'],
  ['bad path', 'Test_Other.Id=', s('reference'), 'CIM_ERR_INVALID_PARAMETER'],
  ['text for embedded without decoder', '<INSTANCE CLASSNAME="X"/>', s('string', { embedded: 'instance' }), 'CIM_ERR_INVALID_PARAMETER'],
];

describe('cimom: value conversion', () => {
  for (const [what, v, spec, check] of ok) it(what, () => check(coerceValue(v, spec, 'property P')));
  for (const [what, v, spec, code] of bad) {
    it(`rejects ${what}`, () => {
      try {
        coerceValue(v, spec, 'property P');
      } catch (e) {
        expect((e as CimError).statusName).to.equal(code);
        expect((e as Error).message).to.match(/^property P/);
        return;
      }
      expect.fail('no error');
    });
  }
});

describe('cimom: provider registry', () => {
  const inst: Provider = { enumerateInstances: () => [] };
  const meth: Provider = { invokeMethod: () => ({ returnValue: 0 }) };
  const fallback: Provider = { enumerateInstances: () => [] };

  it('looks up case-insensitively, in either namespace spelling', () => {
    const r = new Registry(testRepo());
    r.register(NS, 'Test_Base', inst);
    expect(r.lookup('ROOT\\TEST', 'test_base')).to.equal(inst);
    expect(r.lookup(NS, 'Test_Sub')).to.equal(undefined);
  });
  it('refuses a second registration for the same class', () => {
    const r = new Registry(testRepo());
    r.register(NS, 'Test_Base', inst);
    expect(() => r.register('root/TEST', 'TEST_BASE', meth)).to.throw(/already registered/);
  });
  it('serves subclasses only when asked to, else the default', () => {
    const r = new Registry(testRepo());
    r.setDefault(fallback);
    r.register(NS, 'Test_Abstract', inst, { subclasses: true });
    expect(r.lookup(NS, 'Test_Sub')).to.equal(inst);
    r.register(NS, 'Test_Other', meth);
    expect(r.lookup(NS, 'Test_Other')).to.equal(fallback);
    expect(r.lookup(NS, 'Test_Other', 'method')).to.equal(meth);
    expect(r.lookup(NS, 'Test_Base', 'method')).to.equal(undefined);
  });
  it('a registration made after a lookup takes effect', () => {
    const r = new Registry(testRepo());
    r.setDefault(fallback);
    expect(r.lookup(NS, 'Test_Other')).to.equal(fallback);
    r.register(NS, 'Test_Other', inst);
    expect(r.lookup(NS, 'Test_Other')).to.equal(inst);
  });
});
