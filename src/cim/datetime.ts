/**
 * CIM datetime values (DSP0004 5.2.4): timestamps `yyyymmddHHMMSS.mmmmmmsUUU` and intervals
 * `ddddddddHHMMSS.mmmmmm:000`, including the `*` wildcard (unknown digits) forms.
 * Held as the parsed fields plus the exact canonical text, so printing round-trips.
 */
import { CimError } from './errors.js';

export class CIMDateTime {
  /** The 25-character DMTF text. */
  readonly text: string;
  readonly isInterval: boolean;

  private constructor(text: string, isInterval: boolean) {
    this.text = text;
    this.isInterval = isInterval;
  }

  /** Parses DMTF datetime text; throws CimError(CIM_ERR_INVALID_PARAMETER) when malformed. */
  static parse(text: string): CIMDateTime {
    const m = /^[0-9*]{14}\.[0-9*]{6}([+\-:])([0-9*]{3})$/.exec(text);
    if (!m) throw new CimError('CIM_ERR_INVALID_PARAMETER', `bad datetime value: ${JSON.stringify(text)}`);
    return new CIMDateTime(text, m[1] === ':');
  }

  /** A timestamp for a JS Date, in UTC (offset +000) unless an offset in minutes is given. */
  static fromDate(d: Date, offsetMinutes = 0): CIMDateTime {
    const t = new Date(d.getTime() + offsetMinutes * 60000);
    const p = (n: number, w: number) => String(n).padStart(w, '0');
    const micro = p(t.getUTCMilliseconds() * 1000, 6);
    const sign = offsetMinutes < 0 ? '-' : '+';
    return new CIMDateTime(
      `${p(t.getUTCFullYear(), 4)}${p(t.getUTCMonth() + 1, 2)}${p(t.getUTCDate(), 2)}` +
        `${p(t.getUTCHours(), 2)}${p(t.getUTCMinutes(), 2)}${p(t.getUTCSeconds(), 2)}.${micro}${sign}${p(Math.abs(offsetMinutes), 3)}`,
      false,
    );
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

  toString(): string {
    return this.text;
  }

  equals(o: CIMDateTime): boolean {
    return this.text === o.text;
  }
}
