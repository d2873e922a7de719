/**
 * HTTP Basic authentication (RFC 7617) for the CIM-XML server against the user store, with
 * two additions: a short-lived cache of verified Authorization headers, keyed by a keyed
 * SHA-256 of the header (scrypt costs tens of milliseconds, too much for every request of a
 * keep-alive client; a hit is trusted only while the store's version token is unchanged,
 * else the user's row is re-read, so a changed password or deleted user takes effect at
 * once), and a growing delay for addresses that keep failing. Credentials are never logged
 * or kept in clear.
 */
import crypto, { createHash, randomBytes } from 'node:crypto';
import { ProtocolError } from './errors.js';

export interface AuthUser {
  name: string;
  role: 'admin' | 'reader';
}

/** What the authenticator needs from the user store. */
export interface UserSource {
  get(name: string): (AuthUser & { hash: string }) | undefined;
  /**
   * Optional, together: a counter of changes made through this process (cheap) and one that
   * moves when another process changes the store (see UserStore). While both hold still, a
   * cached verification is trusted without reading the user's row.
   */
  localChanges?(): number;
  externalVersion?(): number;
  verify(name: string, password: string): Promise<(AuthUser & { hash: string }) | undefined>;
}

export interface AuthOptions {
  realm: string;
  /** Failures from one address answered without delay. */
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  cacheTtlMs: number;
  /**
   * How long (ms) the user store's version token is taken as unchanged between reads, so a
   * change made by another process (`cimswitch user ...`) ends cached verifications within
   * this time; changes through this process's store count at once. 0: read it every time.
   */
  versionRecheckMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const DEFAULTS: AuthOptions = {
  realm: 'cimswitch', freeFailures: 3, baseDelayMs: 250, maxDelayMs: 8000, cacheTtlMs: 5 * 60_000, versionRecheckMs: 10,
  now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

const MAX_TRACKED = 10_000;
const FAILURE_MEMORY_MS = 15 * 60_000;

export class BasicAuthenticator {
  private readonly opts: AuthOptions;
  /** Per-process key of the cache's digests (latin1 text, prefixed to each header). */
  private readonly secret = randomBytes(32).toString('latin1');
  private readonly cache = new Map<string, { name: string; role: AuthUser['role']; hash: string; until: number; version?: string }>();
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(private readonly users: UserSource, opts: Partial<AuthOptions> = {}) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** The WWW-Authenticate value (RFC 7617 challenge). */
  challengeHeader(): string {
    return `Basic realm="${this.opts.realm}"`;
  }

  /** The 401 every failure gets (DSP0200 / RFC 7617 challenge). */
  challenge(detail: string): ProtocolError {
    return new ProtocolError(401, undefined, detail, { 'WWW-Authenticate': this.challengeHeader() });
  }

  /** The user an Authorization header names, or a 401 ProtocolError (thrown). */
  async authenticate(authorization: string | undefined, address: string, connection?: object): Promise<AuthUser> {
    if (!authorization) throw this.challenge('authentication required');
    const key = this.keyOf(authorization, connection);
    const hit = this.cache.get(key);
    const now = this.opts.now();
    if (hit && hit.until > now) {
      const version = this.storeVersion(now);
      if (version !== undefined && version === hit.version) return { name: hit.name, role: hit.role };
      const u = this.users.get(hit.name);
      if (u && u.hash === hit.hash) {
        hit.role = u.role;
        hit.version = version;
        return { name: u.name, role: u.role };
      }
      this.cache.delete(key);
    }
    const creds = parseBasic(authorization);
    await this.delayFor(address);
    const version = this.storeVersion(now, true); // taken before the row is read: a change during verify() is not missed
    const u = creds ? await this.users.verify(creds.user, creds.password) : undefined;
    if (!u) {
      this.fail(address);
      throw this.challenge('bad credentials');
    }
    this.failures.delete(address);
    if (this.cache.size >= MAX_TRACKED) this.cache.clear();
    this.cache.set(key, { name: u.name, role: u.role, hash: u.hash, until: now + this.opts.cacheTtlMs, version });
    return { name: u.name, role: u.role };
  }

  /** Per connection: its last Authorization header and that header's cache key. */
  private readonly lastHeader = new WeakMap<object, { authorization: string; key: string }>();

  /** The cache key of a header; a connection repeating its last header reuses the key. */
  private keyOf(authorization: string, connection?: object): string {
    const last = connection && this.lastHeader.get(connection);
    if (last && last.authorization === authorization) return last.key;
    const key = digest(this.secret + authorization);
    if (connection) this.lastHeader.set(connection, { authorization, key });
    return key;
  }

  private external?: number;
  private externalAt = -Infinity;

  /**
   * The store's version token: local changes (read every time) and the external version
   * (read again once versionRecheckMs has passed, or when `fresh`).
   */
  private storeVersion(now: number, fresh = false): string | undefined {
    const u = this.users;
    if (!u.localChanges || !u.externalVersion) return undefined;
    if (fresh || this.external === undefined || now - this.externalAt >= this.opts.versionRecheckMs) {
      this.external = u.externalVersion();
      this.externalAt = now;
    }
    return `${u.localChanges()}.${this.external}`;
  }

  /** Milliseconds the next attempt from this address waits (0 within the free failures). */
  delayMs(address: string): number {
    const f = this.failures.get(address);
    if (!f || this.opts.now() - f.last > FAILURE_MEMORY_MS) return 0;
    const over = f.count - this.opts.freeFailures;
    if (over < 0) return 0;
    return Math.min(this.opts.baseDelayMs * 2 ** over, this.opts.maxDelayMs);
  }

  private async delayFor(address: string): Promise<void> {
    const ms = this.delayMs(address);
    if (ms > 0) await this.opts.sleep(ms);
  }

  private fail(address: string): void {
    const now = this.opts.now();
    const f = this.failures.get(address);
    if (f && now - f.last <= FAILURE_MEMORY_MS) {
      f.count++;
      f.last = now;
      return;
    }
    if (this.failures.size >= MAX_TRACKED) {
      for (const [a, v] of this.failures) if (now - v.last > FAILURE_MEMORY_MS) this.failures.delete(a);
      if (this.failures.size >= MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
    }
    this.failures.set(address, { count: 1, last: now });
  }
}

/** SHA-256 in one call where Node has it (20.12+), else through a Hash object. */
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'base64') => string }).hash;
function digest(text: string): string {
  return oneShot ? oneShot('sha256', text, 'base64') : createHash('sha256').update(text).digest('base64');
}

/** `Basic base64(user:password)`; undefined when malformed. */
export function parseBasic(h: string): { user: string; password: string } | undefined {
  const m = /^\s*Basic\s+([A-Za-z0-9+/=._-]+)\s*$/i.exec(h);
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}
