import { expect } from 'chai';
import { CIMDateTime } from '../../../src/cim/datetime.js';
import { CimError } from '../../../src/cim/errors.js';

type U = undefined;
/** Timestamp fields: year, month, day, hour, minute, second, microsecond, utcOffset. */
type TS = [number | U, number | U, number | U, number | U, number | U, number | U, number | U, number];
/** Interval fields: days, hours, minutes, seconds, microseconds. */
type IV = [number, number | U, number | U, number | U, number | U];
const u = undefined;

// [description, text, expected fields | expected error]
const cases: [string, string, TS | IV | RegExp][] = [
  ['UTC timestamp', '20240131124502.123456+000', [2024, 1, 31, 12, 45, 2, 123456, 0]],
  ['positive offset', '20240131134502.123456+060', [2024, 1, 31, 13, 45, 2, 123456, 60]],
  ['negative offset', '20240131074502.000000-300', [2024, 1, 31, 7, 45, 2, 0, -300]],
  ['leap day', '20240229000000.000000+000', [2024, 2, 29, 0, 0, 0, 0, 0]],
  ['leap day in 2000', '20000229235959.999999+000', [2000, 2, 29, 23, 59, 59, 999999, 0]],
  ['year 0000 (infinite past)', '00000101000000.000000+000', [0, 1, 1, 0, 0, 0, 0, 0]],
  ['year 9999 (infinite future)', '99991231235959.999999+999', [9999, 12, 31, 23, 59, 59, 999999, 999]],
  ['date only (wildcard time)', '20240131******.******+000', [2024, 1, 31, u, u, u, u, 0]],
  ['to the hour', '2024013112****.******+000', [2024, 1, 31, 12, u, u, u, 0]],
  ['to the second', '20240131124502.******+000', [2024, 1, 31, 12, 45, 2, u, 0]],
  ['to 1/100 s (partial microseconds)', '20240131124502.12****+000', [2024, 1, 31, 12, 45, 2, u, 0]],
  ['last microsecond digit only', '20240131124502.12345*-060', [2024, 1, 31, 12, 45, 2, u, -60]],
  ['year only', '2024**********.******+000', [2024, u, u, u, u, u, u, 0]],
  ['all wildcards', '**************.******+000', [u, u, u, u, u, u, u, 0]],
  ['job ElapsedTime interval', '00000000000001.479367:000', [0, 0, 0, 1, 479367]],
  ['TimeBeforeRemoval 5 min', '00000000000500.000000:000', [0, 0, 5, 0, 0]],
  ['1 d 2 h 3 min 4 s 5 us', '00000001020304.000005:000', [1, 2, 3, 4, 5]],
  ['maximum interval', '99999999235959.999999:000', [99999999, 23, 59, 59, 999999]],
  ['interval wildcard hours', '00000010******.******:000', [10, u, u, u, u]],
  ['interval wildcard seconds', '0000001002****.******:000', [10, 2, u, u, u]],
  // bad ones
  ['too short', '20240131124502.123456+00', /expected yyyymmddHHMMSS/],
  ['ISO text', '2024-01-31T12:45:02Z', /expected yyyymmddHHMMSS/],
  ['missing dot', '20240131124502x123456+000', /expected yyyymmddHHMMSS/],
  ['bad sign', '20240131124502.123456*000', /expected yyyymmddHHMMSS/],
  ['month 13', '20241331124502.000000+000', /month 13 is outside 1..12/],
  ['month 0', '20240001000000.000000+000', /month 0 is outside 1..12/],
  ['day 0', '20240100000000.000000+000', /day 0 is outside 1..31/],
  ['31 April', '20240431000000.000000+000', /day 31 does not exist in 2024-04/],
  ['29 Feb 2023', '20230229000000.000000+000', /day 29 does not exist in 2023-02/],
  ['29 Feb 1900', '19000229000000.000000+000', /day 29 does not exist in 1900-02/],
  ['hour 24', '20240131240000.000000+000', /hour 24 is outside 0..23/],
  ['minute 60', '20240131126000.000000+000', /minute 60 is outside 0..59/],
  ['second 60', '20240131125960.000000+000', /second 60 is outside 0..59/],
  ['interval hour 24', '00000001240000.000000:000', /hours 24 is outside 0..23/],
  ['interval minute 60', '00000001006000.000000:000', /minutes 60 is outside 0..59/],
  ['interval offset not 000', '00000001000000.000000:001', /an interval ends in ":000"/],
  ['wildcard offset', '20240131******.******+***', /UTC offset cannot be a wildcard/],
  ['wildcard not running to the right', '20240131**4502.******+000', /from the right/],
  ['wildcard leaving microseconds', '20240131******.123456+000', /from the right/],
  ['wildcard inside the microseconds', '20240131124502.1**456+000', /from the right/],
  ['wildcard splitting the minutes', '2024013112450*.******+000', /replace whole fields/],
  ['wildcard splitting the year', '20************.******+000', /replace whole fields/],
  ['wildcard splitting the hour', '202401311*****.******+000', /replace whole fields/],
  ['interval days wildcard', '********000000.000000:000', /from the right/],
  ['interval all wildcards', '**************.******:000', /days of an interval cannot be a wildcard/],
  ['interval days partly wildcard', '0000****000000.000000:000', /from the right/],
];
describe('cim/datetime parse', () => {
  for (const [desc, text, want] of cases) {
    it(`${desc}: ${text}`, () => {
      if (want instanceof RegExp) {
        let e: unknown;
        try {
          CIMDateTime.parse(text);
        } catch (x) {
          e = x;
        }
        expect(e, 'expected a CimError').to.be.instanceOf(CimError);
        expect((e as CimError).statusName).to.equal('CIM_ERR_INVALID_PARAMETER');
        expect((e as CimError).description).to.match(want);
        return;
      }
      const d = CIMDateTime.parse(text);
      expect(d.toString()).to.equal(text);
      expect(d.hasWildcards).to.equal(text.includes('*'));
      if (want.length === 8) {
        expect(d.isInterval).to.equal(false);
        expect([d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, d.utcOffset]).to.deep.equal(want);
        expect(d.days).to.equal(undefined);
      } else {
        expect(d.isInterval).to.equal(true);
        expect([d.days, d.hours, d.minutes, d.seconds, d.microseconds]).to.deep.equal(want);
        expect([d.year, d.utcOffset]).to.deep.equal([u, u]);
      }
    });
  }
});

describe('cim/datetime conversions', () => {
  const toDate: [string, string][] = [
    ['20240131124502.123456+000', '2024-01-31T12:45:02.123Z'],
    ['20240131134502.123456+060', '2024-01-31T12:45:02.123Z'],
    ['20240131074502.000000-300', '2024-01-31T12:45:02.000Z'],
    ['20240101003000.000000+060', '2023-12-31T23:30:00.000Z'],
    ['19700101000000.000000+000', '1970-01-01T00:00:00.000Z'],
    ['20240131******.******+000', '2024-01-31T00:00:00.000Z'],
    ['00010101000000.000000+000', '0001-01-01T00:00:00.000Z'],
  ];
  for (const [text, iso] of toDate) it(`toDate ${text}`, () => expect(CIMDateTime.parse(text).toDate().toISOString()).to.equal(iso));

  it('toDate refuses intervals and unknown years', () => {
    expect(() => CIMDateTime.parse('00000000000500.000000:000').toDate()).to.throw(CimError, /is an interval/);
    expect(() => CIMDateTime.parse('**************.******+000').toDate()).to.throw(CimError, /has no year/);
  });

  const total: [string, bigint][] = [
    ['00000000000001.479367:000', 1479367n],
    ['00000000000500.000000:000', 300000000n],
    ['00000001020304.000005:000', 93784000005n],
    ['99999999235959.999999:000', 8639999999999999999n],
    ['00000010******.******:000', 864000000000n],
  ];
  for (const [text, us] of total) {
    it(`totalMicroseconds ${text}`, () => {
      expect(CIMDateTime.parse(text).totalMicroseconds()).to.equal(us);
      if (!text.includes('*')) expect(CIMDateTime.interval(us).text).to.equal(text);
    });
  }
  it('totalMicroseconds refuses timestamps', () => {
    expect(() => CIMDateTime.parse('20240131124502.123456+000').totalMicroseconds()).to.throw(CimError, /is a timestamp/);
  });

  it('fromDate prints local time for an offset and toDate gives the instant back', () => {
    const d = new Date('2024-01-31T12:45:02.123Z');
    expect(CIMDateTime.fromDate(d).text).to.equal('20240131124502.123000+000');
    expect(CIMDateTime.fromDate(d, 60).text).to.equal('20240131134502.123000+060');
    expect(CIMDateTime.fromDate(d, -300).text).to.equal('20240131074502.123000-300');
    for (const off of [0, 60, -300, 999, -999]) expect(CIMDateTime.fromDate(d, off).toDate().getTime()).to.equal(d.getTime());
    expect(() => CIMDateTime.fromDate(d, 1000)).to.throw(CimError, /within ±999/);
    expect(() => CIMDateTime.fromDate(new Date(NaN))).to.throw(CimError, /invalid Date/);
  });
});

describe('cim/datetime comparison', () => {
  const cmp: [string, string, string, number][] = [
    ['same instant, different offsets', '20240131134502.000000+060', '20240131124502.000000+000', 0],
    ['earlier', '20240131124501.999999+000', '20240131124502.000000+000', -1],
    ['offset makes it later', '20240131124502.000000-060', '20240131124502.000000+000', 1],
    ['across a year', '20231231235959.999999+000', '20240101000000.000000+000', -1],
    ['intervals by length', '00000001000000.000000:000', '00000000235959.999999:000', 1],
    ['equal intervals', '00000000000500.000000:000', '00000000000500.000000:000', 0],
    ['wildcards at their lowest', '20240131******.******+000', '20240131000000.000000+000', 0],
  ];
  for (const [desc, a, b, want] of cmp) {
    it(desc, () => {
      expect(CIMDateTime.parse(a).compare(CIMDateTime.parse(b))).to.equal(want);
      expect(CIMDateTime.parse(b).compare(CIMDateTime.parse(a))).to.equal(-want || 0);
    });
  }
  it('a timestamp and an interval do not compare', () => {
    const a = CIMDateTime.parse('20240131124502.000000+000');
    const b = CIMDateTime.parse('00000000000500.000000:000');
    expect(() => a.compare(b)).to.throw(CimError, /cannot compare timestamp/).with.property('statusName', 'CIM_ERR_TYPE_MISMATCH');
  });
  it('equals is exact text', () => {
    const a = CIMDateTime.parse('20240131134502.000000+060');
    expect(a.equals(CIMDateTime.parse('20240131134502.000000+060'))).to.equal(true);
    expect(a.equals(CIMDateTime.parse('20240131124502.000000+000'))).to.equal(false);
  });
});
