import { expect } from 'chai';
import { CIMDateTime } from '../../../src/cim/datetime.js';
import { CimError, type CIMStatusName } from '../../../src/cim/errors.js';
import { CIMInstance } from '../../../src/cim/instance.js';
import { ClassName, InstanceName } from '../../../src/cim/path.js';
import type { CIMIntegerType, CIMScalar, CIMType, CIMTypeSpec, CIMValue } from '../../../src/cim/types.js';
import {
  INTEGER_RANGES, checkScalar, checkValue, coerceScalar, coerceValue, formatScalar, parseScalar, valuesEqual,
} from '../../../src/cim/values.js';

type Op = 'parse' | 'check' | 'coerce' | 'format';
type Err = [CIMStatusName, RegExp];
/** [description, operation, type, input, expected result | expected error]; check expects its input back. */
type Case = [string, Op, CIMType, unknown, unknown | Err];

const BAD = 'CIM_ERR_INVALID_PARAMETER';
const TYPE = 'CIM_ERR_TYPE_MISMATCH';
const err = (code: CIMStatusName, re: RegExp): Err => [code, re];
const isErr = (x: unknown): x is Err => Array.isArray(x) && x.length === 2 && x[1] instanceof RegExp;

function boundCases(): Case[] {
  const out: Case[] = [];
  for (const [t, [lo, hi]] of Object.entries(INTEGER_RANGES) as [CIMIntegerType, [bigint, bigint]][]) {
    const js = (b: bigint) => (t.endsWith('64') ? b : Number(b));
    out.push(
      [`${t} min`, 'parse', t, String(lo), js(lo)],
      [`${t} max`, 'parse', t, String(hi), js(hi)],
      [`${t} min-1`, 'parse', t, String(lo - 1n), err(BAD, t.startsWith('u') ? /no minus sign/ : /out of range/)],
      [`${t} max+1`, 'parse', t, String(hi + 1n), err(BAD, /out of range/)],
      [`${t} min`, 'check', t, js(lo), js(lo)],
      [`${t} max`, 'check', t, js(hi), js(hi)],
      [`${t} min-1`, 'check', t, js(lo - 1n), err(BAD, /out of range/)],
      [`${t} max+1`, 'check', t, js(hi + 1n), err(BAD, /out of range/)],
    );
  }
  return out;
}

const path = InstanceName.parse('root/virtualization:Msvm_ConcreteJob.InstanceID="J1"');
const dt = CIMDateTime.parse('20240131124502.123456+000');
const f32 = Math.fround(0.1);

const cases: Case[] = [
  ...boundCases(),
  // integers: text forms
  ['hex', 'parse', 'uint32', '0xFFFFFFFF', 0xffffffff],
  ['hex lower-case prefix and digits', 'parse', 'uint8', '0x7f', 127],
  ['negative hex for signed', 'parse', 'sint8', '-0x80', -128],
  ['negative hex overflow', 'parse', 'sint8', '-0x81', err(BAD, /out of range -128..127/)],
  ['plus sign', 'parse', 'uint16', '+12', 12],
  ['leading zeros are decimal', 'parse', 'uint16', '0077', 77],
  ['surrounding whitespace', 'parse', 'sint32', ' -5\n', -5],
  ['minus zero on unsigned', 'parse', 'uint32', '-0', err(BAD, /no minus sign/)],
  ['decimal point in an integer', 'parse', 'uint32', '1.0', err(BAD, /decimal or 0x-hex integer/)],
  ['no text at all', 'parse', 'uint8', undefined, err(TYPE, /expected VALUE text/)],
  ['empty integer text', 'parse', 'sint64', '', err(BAD, /decimal or 0x-hex integer/)],
  ['uint64 held as bigint', 'parse', 'uint64', '0xFFFFFFFFFFFFFFFF', 18446744073709551615n],
  // integers: JS values
  ['fraction for uint8', 'check', 'uint8', 1.5, err(BAD, /not an integer/)],
  ['number for uint64', 'check', 'uint64', 5, err(TYPE, /expected a bigint/)],
  ['bigint for uint32', 'check', 'uint32', 5n, err(TYPE, /not a uint32/)],
  ['string for sint16', 'check', 'sint16', '5', err(TYPE, /not a sint16/)],
  ['coerce "5" to uint32', 'coerce', 'uint32', '5', 5],
  ['coerce number to uint64', 'coerce', 'uint64', 7, 7n],
  ['coerce bigint to uint16', 'coerce', 'uint16', 7n, 7],
  ['coerce bigint out of range', 'coerce', 'uint16', 70000n, err(BAD, /out of range 0..65535/)],
  ['coerce boolean to integer', 'coerce', 'uint8', true, err(TYPE, /not a uint8/)],
  ['coerce NULL', 'coerce', 'uint8', null, err(TYPE, /NULL is not a scalar/)],
  ['format bigint', 'format', 'sint64', -9223372036854775808n, '-9223372036854775808'],
  ['format out of range', 'format', 'uint8', 256, err(BAD, /out of range/)],
  // reals
  ['real64 exponent', 'parse', 'real64', '-2.0E10', -2e10],
  ['real64 no leading digit', 'parse', 'real64', '.5', 0.5],
  ['real64 integer text', 'parse', 'real64', '3', 3],
  ['real64 INF', 'parse', 'real64', 'INF', Infinity],
  ['real64 -INF', 'parse', 'real64', '-INF', -Infinity],
  ['real64 NaN', 'parse', 'real64', 'NaN', NaN],
  ['real64 digit required after the point', 'parse', 'real64', '1.', err(BAD, /exponent real/)],
  ['real64 overflow', 'parse', 'real64', '1e400', err(BAD, /out of the real64 range/)],
  ['real64 junk', 'parse', 'real64', '1.5x', err(BAD, /exponent real/)],
  ['real32 held as float32', 'parse', 'real32', '0.1', f32],
  ['real32 overflow', 'parse', 'real32', '1e39', err(BAD, /out of the real32 range/)],
  ['real32 max', 'parse', 'real32', '3.4028234663852886e38', 3.4028234663852886e38],
  ['real32 check too large', 'check', 'real32', 1e39, err(BAD, /real32 range/)],
  ['real32 shortest text', 'format', 'real32', f32, '0.1'],
  ['real32 shortest text 2', 'format', 'real32', Math.fround(16777217), '16777216.0'],
  ['real32 shortest text 3', 'format', 'real32', Math.fround(3.14159), '3.14159'],
  ['real32 negative zero', 'format', 'real32', -0, '-0.0'],
  ['real32 small exponent', 'format', 'real32', Math.fround(1.5e-10), '1.5E-10'],
  ['real64 round trip text', 'format', 'real64', 0.1 + 0.2, '0.30000000000000004'],
  ['real64 big exponent', 'format', 'real64', 1e21, '1.0E+21'],
  ['real64 NaN text', 'format', 'real64', NaN, 'NaN'],
  ['real64 -INF text', 'format', 'real64', -Infinity, '-INF'],
  ['coerce "1.5" to real32', 'coerce', 'real32', '1.5', 1.5],
  ['coerce bigint to real64', 'coerce', 'real64', 3n, 3],
  ['string for real64', 'check', 'real64', '1', err(TYPE, /not a real64/)],
  // booleans
  ['TRUE', 'parse', 'boolean', 'TRUE', true],
  ['false any case and spaces', 'parse', 'boolean', ' fAlSe ', false],
  ['yes is not a boolean', 'parse', 'boolean', 'yes', err(BAD, /expected TRUE or FALSE/)],
  ['1 is not boolean text', 'parse', 'boolean', '1', err(BAD, /expected TRUE or FALSE/)],
  ['coerce "true"', 'coerce', 'boolean', 'true', true],
  ['coerce WMI 0', 'coerce', 'boolean', 0, false],
  ['coerce 2', 'coerce', 'boolean', 2, err(TYPE, /not a boolean/)],
  ['format boolean', 'format', 'boolean', false, 'FALSE'],
  ['number for boolean', 'check', 'boolean', 1, err(TYPE, /not a boolean/)],
  // char16 and string
  ['char16 one unit', 'parse', 'char16', 'x', 'x'],
  ['char16 a space is a character', 'parse', 'char16', ' ', ' '],
  ['char16 two units', 'parse', 'char16', 'xy', err(BAD, /exactly one UTF-16 unit, got 2/)],
  ['char16 empty', 'parse', 'char16', '', err(BAD, /exactly one UTF-16 unit, got 0/)],
  ['char16 astral (surrogate pair)', 'parse', 'char16', '😀', err(BAD, /got 2/)],
  ['char16 lone surrogate', 'check', 'char16', '\uD800', err(BAD, /lone surrogate/)],
  ['string with NUL', 'check', 'string', 'a\u0000b', err(BAD, /U\+0000 at index 1/)],
  ['string with tab and astral', 'check', 'string', 'a\tb😀', 'a\tb😀'],
  ['string with lone low surrogate', 'parse', 'string', 'a\uDC00', err(BAD, /U\+DC00/)],
  ['coerce number to string', 'coerce', 'string', 42, '42'],
  ['coerce path to string (RASD Connection)', 'coerce', 'string', path, 'root\\virtualization:Msvm_ConcreteJob.InstanceID="J1"'],
  ['instance for a plain string', 'check', 'string', new CIMInstance('X'), err(TYPE, /not a string/)],
  // datetime
  ['datetime text', 'parse', 'datetime', '20240131124502.123456+000', dt],
  ['datetime bad text', 'parse', 'datetime', '2024-01-31', err(BAD, /datetime/)],
  ['coerce text to datetime', 'coerce', 'datetime', ' 00000000000500.000000:000 ', CIMDateTime.parse('00000000000500.000000:000')],
  ['coerce Date to datetime', 'coerce', 'datetime', new Date(Date.UTC(2024, 0, 31, 12, 45, 2, 123)), CIMDateTime.parse('20240131124502.123000+000')],
  ['string for datetime', 'check', 'datetime', '20240131124502.123456+000', err(TYPE, /not a datetime/)],
  ['format datetime', 'format', 'datetime', dt, '20240131124502.123456+000'],
  // reference
  ['coerce text to reference', 'coerce', 'reference', '//h/root/virtualization:Msvm_ConcreteJob.InstanceID="J1"', path],
  ['coerce class path text', 'coerce', 'reference', 'root/cimv2:CIM_Foo', new ClassName('CIM_Foo', 'root/cimv2')],
  ['parse instance path text', 'parse', 'reference', 'Msvm_ConcreteJob.InstanceID="J1"', path],
  ['coerce bad path text', 'coerce', 'reference', 'Msvm_ConcreteJob.InstanceID=', err(BAD, /bad object path/)],
  ['class name is a reference', 'check', 'reference', new ClassName('CIM_Foo'), new ClassName('CIM_Foo')],
  ['string for reference', 'check', 'reference', 'X.k=1', err(TYPE, /not a reference/)],
  ['format reference', 'format', 'reference', path, 'root\\virtualization:Msvm_ConcreteJob.InstanceID="J1"'],
];

function run(op: Op, type: CIMType, input: unknown): unknown {
  switch (op) {
    case 'parse':
      return parseScalar(type, input as string);
    case 'check':
      checkScalar(type, input as CIMScalar);
      return input;
    case 'coerce':
      return coerceScalar(type, input);
    case 'format':
      return formatScalar(type, input as CIMScalar);
  }
}

function same(got: unknown, want: unknown): void {
  if (typeof want === 'number' && Number.isNaN(want)) expect(Number.isNaN(got)).to.equal(true);
  else if (want instanceof CIMDateTime || want instanceof InstanceName || want instanceof ClassName)
    expect(valuesEqual(got as CIMValue, want), `${String(got)} equals ${String(want)}`).to.equal(true);
  else {
    expect(typeof got).to.equal(typeof want);
    expect(got).to.deep.equal(want);
  }
}

describe('cim/values scalars', () => {
  for (const [desc, op, type, input, want] of cases) {
    it(`${op} ${type}: ${desc}`, () => {
      if (!isErr(want)) return same(run(op, type, input), want);
      let e: unknown;
      try {
        run(op, type, input);
      } catch (x) {
        e = x;
      }
      expect(e, 'expected a CimError').to.be.instanceOf(CimError);
      expect((e as CimError).statusName).to.equal(want[0]);
      expect((e as CimError).description).to.match(want[1]);
    });
  }
  it('formatScalar output parses back to the same value for every case that formats', () => {
    for (const [, op, type, input, want] of cases) {
      if (op !== 'format' || isErr(want)) continue;
      same(parseScalar(type, want as string), type === 'real32' ? Math.fround(input as number) : input);
    }
  });
});

describe('cim/values arrays and specs', () => {
  const spec = (type: CIMType, extra: Partial<CIMTypeSpec> = {}): CIMTypeSpec => ({ type, isArray: true, ...extra });
  const arrayCases: [string, CIMTypeSpec, CIMValue, Err | null][] = [
    ['NULL array', spec('uint8'), null, null],
    ['NULL elements', spec('uint8'), [1, null, 3], null],
    ['empty array', spec('string'), [], null],
    ['bad element names its index', spec('uint8'), [1, 2, 300], err(BAD, /array element 2: bad uint8 value 300/)],
    ['scalar for an array', spec('uint8'), 5, err(TYPE, /expected an array of uint8/)],
    ['array for a scalar', { type: 'uint8', isArray: false }, [5], err(TYPE, /array given for a scalar/)],
    ['fixed size matches', spec('uint8', { arraySize: 2 }), [1, 2], null],
    ['fixed size too short', spec('uint8', { arraySize: 4 }), [1, 2], err(BAD, /fixed-size array needs 4 elements, got 2/)],
    ['embedded instance in a string', { type: 'string', isArray: false, embedded: 'instance' }, new CIMInstance('Msvm_X'), null],
    ['embedded instance array', spec('string', { embedded: 'instance' }), [new CIMInstance('A'), null], null],
  ];
  for (const [desc, s, v, want] of arrayCases) {
    it(desc, () => {
      if (!want) return checkValue(s, v);
      expect(() => checkValue(s, v)).to.throw(CimError, want[1]).with.property('statusName', want[0]);
    });
  }
  it('coerceValue converts element by element and keeps NULLs', () => {
    expect(coerceValue(spec('uint64'), ['1', 2, null, 0x10n])).to.deep.equal([1n, 2n, null, 16n]);
    expect(coerceValue(spec('boolean'), undefined)).to.equal(null);
    expect(() => coerceValue(spec('uint8'), ['1', 'x'])).to.throw(CimError, /array element 1/);
  });
});

describe('cim/values equality', () => {
  const i1 = new CIMInstance('Msvm_X', [{ name: 'A', type: 'uint64', isArray: false, value: 5n }]);
  const i2 = new CIMInstance('MSVM_x', [{ name: 'a', type: 'uint64', isArray: false, value: 5n }]);
  const eq: [string, CIMValue, CIMValue, boolean][] = [
    ['5 and 5n', 5, 5n, true],
    ['5.5 and 5n', 5.5, 5n, false],
    ['NaN and NaN', NaN, NaN, true],
    ['NULL and NULL', null, null, true],
    ['NULL and 0', null, 0, false],
    ['arrays', [1, null, 'a'], [1n, null, 'a'], true],
    ['arrays of different length', [1], [1, 2], false],
    ['strings are case-sensitive', 'a', 'A', false],
    ['datetimes by text', dt, CIMDateTime.parse(dt.text), true],
    ['paths ignoring location', path, InstanceName.parse('Msvm_ConcreteJob.instanceid="J1"'), true],
    ['embedded instances by value', i1, i2, true],
    ['scalar and array', 1, [1], false],
  ];
  for (const [desc, a, b, want] of eq) it(desc, () => expect(valuesEqual(a, b)).to.equal(want));
});
