/**
 * Users of the WBEM server: name, role (admin: everything; reader: reads only) and an scrypt
 * password hash, in the `users` table of the state database. Only hashes are stored; the
 * first start creates `admin` with a random password (printed once by the caller) unless
 * CIMSWITCH_ADMIN_PASSWORD sets it. Verification is constant-time.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type Database from 'better-sqlite3';
import { type DB, migrate, registerMigrations } from './db.js';

export type Role = 'admin' | 'reader';
export const ROLES: readonly Role[] = ['admin', 'reader'];

export interface User {
  name: string;
  role: Role;
}

const MIGRATIONS = [
  `CREATE TABLE users (
     name TEXT PRIMARY KEY COLLATE NOCASE,
     role TEXT NOT NULL CHECK (role IN ('admin', 'reader')),
     hash TEXT NOT NULL,
     created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
   )`,
];
registerMigrations('users', MIGRATIONS);

// scrypt cost: N=2^15, r=8, p=1 (about 32 MiB and tens of milliseconds per check)
const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, KEYLEN, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64 parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const expected = Buffer.from(parts[5], 'base64');
  const key = await scrypt(password, Buffer.from(parts[4], 'base64'), { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export function checkUserName(name: string): void {
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(name)) throw new Error(`bad user name ${JSON.stringify(name)} (letters, digits, _ . @ -)`);
}

export function checkRole(role: string): Role {
  if (!ROLES.includes(role as Role)) throw new Error(`bad role ${JSON.stringify(role)} (admin or reader)`);
  return role as Role;
}

/**
 * Changes made through this process's connection, per database: SQLite's data_version moves
 * only for commits of other connections, and several UserStores may share one connection.
 */
const LOCAL_CHANGES = new WeakMap<DB, { n: number }>();
function localChanges(db: DB): { n: number } {
  let c = LOCAL_CHANGES.get(db);
  if (!c) LOCAL_CHANGES.set(db, (c = { n: 0 }));
  return c;
}

export class UserStore {
  constructor(private readonly db: DB) {
    migrate(db, 'users', MIGRATIONS);
  }

  list(): User[] {
    return this.db.prepare('SELECT name, role FROM users ORDER BY name').all() as User[];
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  /** Prepared once: get() runs on every authenticated request. */
  private getStatement?: ReturnType<DB['prepare']>;
  private dataVersion?: Database.Statement<[], number>;

  /** Changes made to users through this process's connection (no database read). */
  localChanges(): number {
    return localChanges(this.db).n;
  }

  /**
   * SQLite's data_version: moves whenever another connection (`cimswitch user ...` while the
   * server runs) commits to the database. One statement step, cheaper than reading a row.
   */
  externalVersion(): number {
    this.dataVersion ??= this.db.prepare<[], number>('PRAGMA data_version').pluck();
    return this.dataVersion.get()!;
  }

  /** The user with its stored hash, or undefined. */
  get(name: string): (User & { hash: string }) | undefined {
    this.getStatement ??= this.db.prepare('SELECT name, role, hash FROM users WHERE name = ?');
    return this.getStatement.get(name) as (User & { hash: string }) | undefined;
  }

  async add(name: string, password: string, role: Role): Promise<void> {
    checkUserName(name);
    checkRole(role);
    if (!password) throw new Error('empty password');
    const hash = await hashPassword(password);
    if (this.get(name)) throw new Error(`user ${name} already exists`);
    this.db.prepare('INSERT INTO users (name, role, hash) VALUES (?, ?, ?)').run(name, role, hash);
    localChanges(this.db).n++;
  }

  async setPassword(name: string, password: string): Promise<void> {
    if (!password) throw new Error('empty password');
    const hash = await hashPassword(password);
    localChanges(this.db).n++;
    if (this.db.prepare('UPDATE users SET hash = ? WHERE name = ?').run(hash, name).changes === 0) throw new Error(`no user ${name}`);
  }

  setRole(name: string, role: Role): void {
    localChanges(this.db).n++;
    if (this.db.prepare('UPDATE users SET role = ? WHERE name = ?').run(checkRole(role), name).changes === 0) throw new Error(`no user ${name}`);
  }

  delete(name: string): void {
    localChanges(this.db).n++;
    if (this.db.prepare('DELETE FROM users WHERE name = ?').run(name).changes === 0) throw new Error(`no user ${name}`);
  }

  /** The user when name and password match, else undefined. */
  async verify(name: string, password: string): Promise<(User & { hash: string }) | undefined> {
    const u = this.get(name);
    if (!u) {
      await verifyPassword(password, DUMMY_HASH); // same work either way: no user-name oracle
      return undefined;
    }
    return (await verifyPassword(password, u.hash)) ? u : undefined;
  }

  /**
   * First start: when there are no users, creates `admin` with the given password or a random
   * one, and returns the random one (for the caller to print once); undefined otherwise.
   */
  async ensureAdmin(password?: string): Promise<string | undefined> {
    if (this.count() > 0) return undefined;
    const generated = password ? undefined : randomBytes(18).toString('base64url');
    await this.add('admin', password ?? generated!, 'admin');
    return generated;
  }
}

const DUMMY_HASH = ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, 'AAAAAAAAAAAAAAAAAAAAAA==', Buffer.alloc(KEYLEN).toString('base64')].join('$');
