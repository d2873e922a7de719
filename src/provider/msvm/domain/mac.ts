/**
 * MAC addresses as Hyper-V writes them (12 upper-case hex digits, reference §8) and the dynamic
 * MAC pool: parsing, the host's default range (00155D + two octets from a hash of the host
 * identity + 00..FF) and allocation of the lowest free address. Pure functions.
 */
import { createHash } from 'node:crypto';
import { DomainError, RC, type MacPool } from './types.js';

export const ZERO_MAC = '000000000000';

/** Parses MAC text (12 hex digits, optionally with ':' or '-' between octets) to upper 12 hex. */
export function parseMac(text: unknown, what = 'MAC address'): string {
  const s = typeof text === 'string' ? text.trim() : '';
  const hex = /^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2}){4}$/.test(s) ? s.replace(/[:-]/g, '') : s;
  if (!/^[0-9A-Fa-f]{12}$/.test(hex)) throw new DomainError(RC.INVALID_PARAMETER, `${what} ${JSON.stringify(text)} is not 12 hexadecimal digits`);
  return hex.toUpperCase();
}

/** Like parseMac, and rejects multicast and all-zero addresses (not usable by a NIC). */
export function parseUnicastMac(text: unknown, what = 'MAC address'): string {
  const mac = parseMac(text, what);
  if (mac === ZERO_MAC) throw new DomainError(RC.INVALID_PARAMETER, `${what} 000000000000 is not a usable address`);
  if (parseInt(mac.slice(0, 2), 16) & 1) throw new DomainError(RC.INVALID_PARAMETER, `${what} ${mac} is a multicast address`);
  return mac;
}

/** 12 hex -> aa:bb:cc:dd:ee:ff (the dataplane's form). */
export function toColonMac(mac: string): string {
  return mac.toLowerCase().match(/../g)!.join(':');
}

/** aa:bb:.. (any case) -> 12 upper hex. */
export function fromColonMac(mac: string): string {
  return mac.replace(/[:-]/g, '').toUpperCase();
}

const macNum = (mac: string): number => parseInt(mac, 16);
const numMac = (n: number): string => n.toString(16).toUpperCase().padStart(12, '0');

/** The default pool of a host: 00155D XX YY 00 .. 00155D XX YY FF, XX YY from a hash of `seed`. */
export function defaultMacPool(seed: string): MacPool {
  const h = createHash('sha256').update(`cimswitch-mac-pool:${seed}`).digest('hex').slice(0, 4).toUpperCase();
  return { min: `00155D${h}00`, max: `00155D${h}FF` };
}

/** Checks and normalises a pool: both unicast 12-hex, min <= max. */
export function checkPool(pool: { min: unknown; max: unknown }): MacPool {
  const min = parseUnicastMac(pool.min, 'MinimumMacAddress');
  const max = parseUnicastMac(pool.max, 'MaximumMacAddress');
  if (macNum(min) > macNum(max)) throw new DomainError(RC.INVALID_PARAMETER, `MinimumMacAddress ${min} is above MaximumMacAddress ${max}`);
  return { min, max };
}

/** The lowest pool address not in `used`; 32768 when the pool is exhausted (KB2804678). */
export function allocateMac(pool: MacPool, used: ReadonlySet<string>): string {
  for (let n = macNum(pool.min), end = macNum(pool.max); n <= end; n++) {
    const mac = numMac(n);
    if (!used.has(mac) && !(parseInt(mac.slice(0, 2), 16) & 1)) return mac;
  }
  throw new DomainError(RC.FAILED, `the dynamic MAC address pool ${pool.min}-${pool.max} is exhausted`);
}
