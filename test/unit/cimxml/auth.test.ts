/**
 * Authentication and users: scrypt hashes (never the password) in the users table, Basic
 * parsing, the verified-header cache (a changed password or deleted user takes effect at
 * once), and the growing delay for an address that keeps failing (fake clock and sleep).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { BasicAuthenticator, parseBasic } from '../../../src/cimxml/auth.js';
import { ProtocolError } from '../../../src/cimxml/errors.js';
import { openDatabase, type DB } from '../../../src/store/db.js';
import { UserStore, hashPassword, verifyPassword } from '../../../src/store/users.js';

const basic = (u: string, p: string) => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');

describe('users store', function () {
  this.timeout(20_000);
  let db: DB;
  let users: UserStore;
  beforeEach(() => {
    db = openDatabase(':memory:');
    users = new UserStore(db);
  });
  afterEach(() => db.close());

  it('stores an scrypt hash, never the password', async () => {
    await users.add('alice', 'pw-alice', 'reader');
    const row = db.prepare('SELECT * FROM users').get() as Record<string, string>;
    expect(JSON.stringify(row)).to.not.include('pw-alice');
    expect(row.hash).to.match(/^scrypt\$\d+\$\d+\$\d+\$/);
    expect(await verifyPassword('pw-alice', row.hash)).to.equal(true);
    expect(await verifyPassword('pw-alicE', row.hash)).to.equal(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).to.not.equal(await hashPassword('same'));
  });

  const bad: [string, () => Promise<unknown>, RegExp][] = [
    ['duplicate user (any case)', async () => (await users.add('bob', 'x', 'admin'), users.add('BOB', 'y', 'admin')), /already exists/],
    ['bad name', () => users.add('a b', 'x', 'admin'), /bad user name/],
    ['bad role', () => users.add('c', 'x', 'root' as never), /bad role/],
    ['empty password', () => users.add('d', '', 'admin'), /empty password/],
    ['passwd of nobody', () => users.setPassword('nobody', 'x'), /no user/],
  ];
  for (const [desc, fn, re] of bad) {
    it(`refuses: ${desc}`, async () => {
      let msg = '';
      await fn().catch((e: Error) => (msg = e.message));
      expect(msg).to.match(re);
    });
  }

  it('first start: creates admin with a random password once', async () => {
    const pw = await users.ensureAdmin();
    expect(pw).to.be.a('string').with.length.greaterThan(15);
    expect(await users.verify('admin', pw!)).to.include({ name: 'admin', role: 'admin' });
    expect(await users.ensureAdmin()).to.equal(undefined);
    expect(users.list()).to.deep.equal([{ name: 'admin', role: 'admin' }]);
  });

  it('verify: unknown user and wrong password give undefined', async () => {
    await users.add('eve', 'pw', 'reader');
    expect(await users.verify('eve', 'pw')).to.include({ name: 'eve', role: 'reader' });
    expect(await users.verify('eve', 'nope')).to.equal(undefined);
    expect(await users.verify('mallory', 'pw')).to.equal(undefined);
  });
});

describe('Basic authenticator', function () {
  this.timeout(20_000);
  let db: DB;
  let users: UserStore;
  let now: number;
  let slept: number[];
  let auth: BasicAuthenticator;
  before(async () => {
    db = openDatabase(':memory:');
    users = new UserStore(db);
    await users.add('admin', 'good', 'admin');
  });
  after(() => db.close());
  beforeEach(() => {
    now = 1_000_000;
    slept = [];
    auth = new BasicAuthenticator(users, {
      freeFailures: 2, baseDelayMs: 100, maxDelayMs: 1000, now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
  });

  async function status(h: string | undefined, addr = '10.0.0.1'): Promise<string> {
    try {
      const u = await auth.authenticate(h, addr);
      return `${u.name}/${u.role}`;
    } catch (e) {
      expect(e).to.be.instanceOf(ProtocolError);
      expect((e as ProtocolError).headers['WWW-Authenticate']).to.match(/^Basic realm=/);
      return String((e as ProtocolError).status);
    }
  }

  it('parses Basic credentials', () => {
    const rows: [string, ReturnType<typeof parseBasic>][] = [
      [basic('a', 'b:c'), { user: 'a', password: 'b:c' }],
      ['basic ' + Buffer.from('u:').toString('base64'), { user: 'u', password: '' }],
      ['Basic ' + Buffer.from('nocolon').toString('base64'), undefined],
      ['Digest abc', undefined],
      ['Basic !!', undefined],
    ];
    for (const [h, exp] of rows) expect(parseBasic(h), h).to.deep.equal(exp);
  });

  it('accepts the right password and refuses others with 401', async () => {
    expect(await status(basic('admin', 'good'))).to.equal('admin/admin');
    expect(await status(basic('admin', 'bad'))).to.equal('401');
    expect(await status(undefined)).to.equal('401');
    expect(await status('Bearer x')).to.equal('401');
  });

  it('slows an address down after repeated failures, with a growing delay', async () => {
    for (let i = 0; i < 6; i++) await status(basic('admin', 'bad'));
    // the first two failures are free, then 100, 200, 400, 800 ms before the next tries
    expect(slept).to.deep.equal([100, 200, 400, 800]);
    expect(auth.delayMs('10.0.0.1')).to.equal(1000);
    expect(auth.delayMs('10.0.0.2')).to.equal(0);
    expect(await status(basic('admin', 'good'))).to.equal('admin/admin');
    expect(auth.delayMs('10.0.0.1')).to.equal(0); // success forgets the failures
  });

  it('forgets failures after a quiet quarter of an hour', async () => {
    for (let i = 0; i < 4; i++) await status(basic('admin', 'bad'));
    expect(auth.delayMs('10.0.0.1')).to.be.greaterThan(0);
    now += 16 * 60_000;
    expect(auth.delayMs('10.0.0.1')).to.equal(0);
  });

  it('a cached header stops working once the password changes or the user is deleted', async () => {
    await users.add('tmp', 'one', 'reader');
    expect(await status(basic('tmp', 'one'))).to.equal('tmp/reader');
    expect(await status(basic('tmp', 'one'))).to.equal('tmp/reader'); // from the cache
    await users.setPassword('tmp', 'two');
    expect(await status(basic('tmp', 'one'))).to.equal('401');
    expect(await status(basic('tmp', 'two'))).to.equal('tmp/reader');
    users.delete('tmp');
    expect(await status(basic('tmp', 'two'))).to.equal('401');
  });

  /**
   * The served store and a second connection to the same file (what `cimswitch user
   * passwd|role|del` opens while the server runs), an authenticator over the served one, and
   * `as(header)` -> "name/role" or the HTTP status.
   */
  async function twoConnections(recheckMs: number, body: (t: {
    served: UserStore; cli: UserStore; as: (h: string) => Promise<string>;
  }) => Promise<void>): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'auth-xconn-'));
    const mine = openDatabase(dir);
    const other = openDatabase(dir);
    try {
      const served = new UserStore(mine);
      const a = new BasicAuthenticator(served, { now: () => now, sleep: async () => {}, versionRecheckMs: recheckMs });
      const as = async (h: string) => a.authenticate(h, '10.0.0.9').then((u) => `${u.name}/${u.role}`, (e: ProtocolError) => String(e.status));
      await body({ served, cli: new UserStore(other), as });
    } finally {
      mine.close();
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('a change made by another process (another connection to the file) ends a cached verification at once', () =>
    twoConnections(0, async ({ served, cli, as }) => {
      await served.add('carol', 'one', 'admin');
      expect(await as(basic('carol', 'one'))).to.equal('carol/admin');
      expect(await as(basic('carol', 'one'))).to.equal('carol/admin'); // cached
      cli.setRole('carol', 'reader');
      expect(await as(basic('carol', 'one'))).to.equal('carol/reader');
      await cli.setPassword('carol', 'two');
      expect(await as(basic('carol', 'one'))).to.equal('401');
      expect(await as(basic('carol', 'two'))).to.equal('carol/reader');
      cli.delete('carol');
      expect(await as(basic('carol', 'two'))).to.equal('401');
    }));

  it('with a recheck interval, another process\'s change is seen once the interval has passed; this process\'s at once', () =>
    twoConnections(5, async ({ served, cli, as }) => {
      await served.add('dave', 'one', 'admin');
      expect(await as(basic('dave', 'one'))).to.equal('dave/admin');
      cli.setRole('dave', 'reader');
      expect(await as(basic('dave', 'one'))).to.equal('dave/admin'); // within the interval: still cached
      now += 5;
      expect(await as(basic('dave', 'one'))).to.equal('dave/reader');
      served.setRole('dave', 'admin'); // through this process: at once
      expect(await as(basic('dave', 'one'))).to.equal('dave/admin');
    }));

  it('a connection repeating its header is still refused once the password changes', async () => {
    await users.add('conn', 'one', 'reader');
    const conn = {};
    const on = (h: string) => auth.authenticate(h, '10.0.0.5', conn).then((u) => u.name, (e: ProtocolError) => String(e.status));
    expect(await on(basic('conn', 'one'))).to.equal('conn');
    expect(await on(basic('conn', 'one'))).to.equal('conn');
    await users.setPassword('conn', 'two');
    expect(await on(basic('conn', 'one'))).to.equal('401');
    expect(await on(basic('conn', 'two'))).to.equal('conn'); // another header on the same connection
    expect(await on(basic('conn', 'one'))).to.equal('401');
    users.delete('conn');
  });

  it('a cache entry expires', async () => {
    await users.add('exp', 'pw', 'admin');
    expect(await status(basic('exp', 'pw'))).to.equal('exp/admin');
    users.setRole('exp', 'reader');
    expect(await status(basic('exp', 'pw'))).to.equal('exp/reader'); // role read fresh
    now += 10 * 60_000;
    expect(await status(basic('exp', 'pw'))).to.equal('exp/reader');
    users.delete('exp');
  });
});
