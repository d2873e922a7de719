/**
 * CIM datetime values (DSP0004 5.2.4): timestamps `yyyymmddHHMMSS.mmmmmmsUUU` and intervals
 * `ddddddddHHMMSS.mmmmmm:000`, including the `*` wildcard (unknown digits) forms.
 * Held as the parsed fields plus the exact canonical text, so printing round-trips.
 *
 * Wildcards (DSP0004 5.2.4, cim-xml-protocol.md 6): one run of asterisks replacing fields from
 * the right, ending at the last microsecond digit (the `.` stays). The microseconds field may
 * be partly replaced (precision below a second); any other field is replaced whole. Every
 * timestamp field may be replaced, never the UTC offset; in intervals the days never are.
 * A field holding a wildcard reads as undefined. equals() is exact (same text); compare()
 * orders by instant or length, with unknown fields taken at their lowest value.
 */
import { CimError } from './errors.js';

type Field = readonly [name: string, start: number, end: number, min: number, max: number];

const TS_FIELDS: readonly Field[] = [
  ['year', 0, 4, 0, 9999], ['month', 4, 6, 1, 12], ['day', 6, 8, 1, 31],
  ['hour', 8, 10, 0, 23], ['minute', 10, 12, 0, 59], ['second', 12, 14, 0, 59],
  ['microsecond', 15, 21, 0, 999999],
];
const IV_FIELDS: readonly Field[] = [
  ['days', 0, 8, 0, 99999999], ['hours', 8, 10, 0, 23], ['minutes', 10, 12, 0, 59],
  ['seconds', 12, 14, 0, 59], ['microseconds', 15, 21, 0, 999999],
];
/** Where a wildcard run may begin, as an index into the 20 digit positions (the `.` skipped). */
const TS_WILD_STARTS = new Set([0, 4, 6, 8, 10, 12]);
const IV_WILD_STARTS = new Set([8, 10, 12]);

function bad(text: string, why: string): never {
  throw new CimError('CIM_ERR_INVALID_PARAMETER', `bad datetime value ${JSON.stringify(text)}: ${why}`);
}

export class CIMDateTime {
  /** The 25-character DMTF text. */
  readonly text: string;
  readonly isInterval: boolean;
  /** Field values in TS_FIELDS / IV_FIELDS order; undefined where wildcarded. */
  readonly #fields: readonly (number | undefined)[];
  /** Minutes east of UTC for timestamps (`+060` = UTC+1h); 0 for intervals. */
  readonly #offset: number;

  private constructor(text: string, isInterval: boolean) {
    this.text = text;
    this.isInterval = isInterval;
    this.#fields = (isInterval ? IV_FIELDS : TS_FIELDS).map(([, s, e]) => {
      const t = text.slice(s, e);
      return t.includes('*') ? undefined : Number(t);
    });
    this.#offset = isInterval ? 0 : Number(text.slice(22, 25));
  }

  /** Parses DMTF datetime text; throws CimError(CIM_ERR_INVALID_PARAMETER) when malformed. */
  static parse(text: string): CIMDateTime {
    const m = typeof text === 'string' ? /^[0-9*]{14}\.[0-9*]{6}([+\-:])([0-9*]{3})$/.exec(text) : null;
    if (!m) bad(text, 'expected yyyymmddHHMMSS.mmmmmmsUUU or ddddddddHHMMSS.mmmmmm:000');
    if (m[2].includes('*')) bad(text, 'the UTC offset cannot be a wildcard');
    const isInterval = m[1] === ':'; // DSP0004 5.2.4: character 22 tells the two forms apart
    if (isInterval && m[2] !== '000') bad(text, 'an interval ends in ":000"');
    checkWildcards(text, isInterval);
    const dt = new CIMDateTime(text, isInterval);
    dt.#checkRanges();
    return dt;
  }

  /** A timestamp for a JS Date, in UTC (offset +000) unless an offset in minutes is given. */
  static fromDate(d: Date, offsetMinutes = 0): CIMDateTime {
    if (Number.isNaN(d.getTime())) throw new CimError('CIM_ERR_INVALID_PARAMETER', 'invalid Date');
    if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > 999)
      throw new CimError('CIM_ERR_INVALID_PARAMETER', `UTC offset ${offsetMinutes} is not a whole number of minutes within ±999`);
    const t = new Date(d.getTime() + offsetMinutes * 60000);
    const y = t.getUTCFullYear();
    if (y < 0 || y > 9999) throw new CimError('CIM_ERR_INVALID_PARAMETER', `year ${y} is outside 0000..9999`);
    const p = (n: number, w: number) => String(n).padStart(w, '0');
    const micro = p(t.getUTCMilliseconds() * 1000, 6);
    const sign = offsetMinutes < 0 ? '-' : '+';
    return new CIMDateTime(
      `${p(y, 4)}${p(t.getUTCMonth() + 1, 2)}${p(t.getUTCDate(), 2)}` +
        `${p(t.getUTCHours(), 2)}${p(t.getUTCMinutes(), 2)}${p(t.getUTCSeconds(), 2)}.${micro}${sign}${p(Math.abs(offsetMinutes), 3)}`,
      false,
    );
  }

  /** The current time as a UTC timestamp. */
  static now(): CIMDateTime {
    return CIMDateTime.fromDate(new Date());
  }

  /** An interval of the given number of microseconds. */
  static interval(microseconds: bigint | number): CIMDateTime {
    let us = BigInt(microseconds);
    if (us < 0n) throw new RangeError('negative interval');
    const p = (n: bigint, w: number) => n.toString().padStart(w, '0');
    const micro = us % 1000000n; us /= 1000000n;
    const s = us % 60n; us /= 60n;
    const mi = us % 60n; us /= 60n;
    const h = us % 24n; us /= 24n;
    if (us > 99999999n) throw new RangeError('interval too long');
    return new CIMDateTime(`${p(us, 8)}${p(h, 2)}${p(mi, 2)}${p(s, 2)}.${p(micro, 6)}:000`, true);
  }

  #checkRanges(): void {
    const fields = this.isInterval ? IV_FIELDS : TS_FIELDS;
    fields.forEach(([name, , , min, max], i) => {
      const v = this.#fields[i];
      if (v !== undefined && (v < min || v > max)) bad(this.text, `${name} ${v} is outside ${min}..${max}`);
    });
    const [y, mo, d] = this.#fields;
    if (!this.isInterval && y !== undefined && mo !== undefined && d !== undefined && d > daysInMonth(y, mo))
      bad(this.text, `day ${d} does not exist in ${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}`);
  }

  get isTimestamp(): boolean {
    return !this.isInterval;
  }
  /** True when some digits are `*`. */
  get hasWildcards(): boolean {
    return this.text.includes('*');
  }

  // Timestamp fields (undefined for intervals and for wildcarded fields).
  get year(): number | undefined { return this.#ts(0); }
  get month(): number | undefined { return this.#ts(1); }
  get day(): number | undefined { return this.#ts(2); }
  get hour(): number | undefined { return this.#ts(3); }
  get minute(): number | undefined { return this.#ts(4); }
  get second(): number | undefined { return this.#ts(5); }
  get microsecond(): number | undefined { return this.#ts(6); }
  /** Minutes of local time east of UTC (`-300` = UTC-5h); undefined for intervals. */
  get utcOffset(): number | undefined {
    return this.isInterval ? undefined : this.text[21] === '-' ? -this.#offset : this.#offset;
  }

  // Interval fields (undefined for timestamps and for wildcarded fields).
  get days(): number | undefined { return this.#iv(0); }
  get hours(): number | undefined { return this.#iv(1); }
  get minutes(): number | undefined { return this.#iv(2); }
  get seconds(): number | undefined { return this.#iv(3); }
  get microseconds(): number | undefined { return this.#iv(4); }

  #ts(i: number): number | undefined {
    return this.isInterval ? undefined : this.#fields[i];
  }
  #iv(i: number): number | undefined {
    return this.isInterval ? this.#fields[i] : undefined;
  }

  /**
   * The instant of a timestamp as a JS Date (millisecond precision; microseconds truncated).
   * Wildcarded fields count as their lowest value; a wildcarded year has no instant.
   */
  toDate(): Date {
    if (this.isInterval) throw new CimError('CIM_ERR_INVALID_PARAMETER', `${this.text} is an interval, not a timestamp`);
    if (this.year === undefined) throw new CimError('CIM_ERR_INVALID_PARAMETER', `${this.text} has no year`);
    return new Date(Number(this.#epochMicros() / 1000n));
  }

  /** The length of an interval in microseconds (wildcarded fields count as 0). */
  totalMicroseconds(): bigint {
    if (!this.isInterval) throw new CimError('CIM_ERR_INVALID_PARAMETER', `${this.text} is a timestamp, not an interval`);
    const [d = 0, h = 0, m = 0, s = 0, us = 0] = this.#fields;
    return ((BigInt(d) * 24n + BigInt(h)) * 60n + BigInt(m)) * 60000000n + BigInt(s) * 1000000n + BigInt(us);
  }

  /** UTC microseconds since 1970-01-01 of a timestamp, wildcards at their lowest value. */
  #epochMicros(): bigint {
    const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0, us = 0] = this.#fields;
    const days = BigInt(daysFromCivil(y, mo, d));
    const minutes = (days * 24n + BigInt(h)) * 60n + BigInt(mi) - BigInt(this.utcOffset ?? 0);
    return minutes * 60000000n + BigInt(s) * 1000000n + BigInt(us);
  }

  /**
   * Orders two timestamps by instant (offsets applied) or two intervals by length:
   * negative, 0 or positive. A timestamp and an interval do not compare (CIM_ERR_TYPE_MISMATCH).
   */
  compare(o: CIMDateTime): number {
    if (this.isInterval !== o.isInterval)
      throw new CimError('CIM_ERR_TYPE_MISMATCH', `cannot compare ${this.kind()} ${this.text} with ${o.kind()} ${o.text}`);
    const a = this.isInterval ? this.totalMicroseconds() : this.#epochMicros();
    const b = o.isInterval ? o.totalMicroseconds() : o.#epochMicros();
    return a < b ? -1 : a > b ? 1 : 0;
  }

  private kind(): string {
    return this.isInterval ? 'interval' : 'timestamp';
  }

  toString(): string {
    return this.text;
  }

  /** Exact equality: the same text (so wildcards and offsets must match too). */
  equals(o: CIMDateTime): boolean {
    return this.text === o.text;
  }
}

function checkWildcards(text: string, isInterval: boolean): void {
  const digits = text.slice(0, 14) + text.slice(15, 21);
  const first = digits.indexOf('*');
  if (first < 0) return;
  if (!/^\**$/.test(digits.slice(first)))
    bad(text, 'asterisks must replace digits from the right, up to the last microsecond digit');
  const starts = isInterval ? IV_WILD_STARTS : TS_WILD_STARTS;
  if (first < 14 && !starts.has(first))
    bad(text, isInterval && first < 8 ? 'the days of an interval cannot be a wildcard' : 'asterisks must replace whole fields (only microseconds may be partly replaced)');
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
