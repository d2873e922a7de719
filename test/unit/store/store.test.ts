/** The SQLite store: migrations, the instance codec, and default-provider persistence across reopen. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CIMDateTime } from '../../../src/cim/datetime.js';
import { CIMInstance } from '../../../src/cim/instance.js';
import { ClassName, InstanceName } from '../../../src/cim/path.js';
import type { CIMValue } from '../../../src/cim/types.js';
import { createCimom } from '../../../src/cimom/index.js';
import { DefaultProvider } from '../../../src/provider/default.js';
import { decodeInstance, encodeInstance } from '../../../src/store/codec.js';
import { migrate, openDatabase, transaction, type DB, type OpenOptions } from '../../../src/store/db.js';
import { InstanceStore } from '../../../src/store/instances.js';
import { caller, inst, NS, testRepo } from '../cimom/fixture.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('store: database and migrations', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cimswitch-store-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const durabilities: Array<{ what: string; opts?: OpenOptions; synchronous?: number; error?: RegExp }> = [
    { what: 'default: synchronous=FULL', synchronous: 2 },
    { what: "durability 'full': synchronous=FULL", opts: { durability: 'full' }, synchronous: 2 },
    { what: "durability 'normal': synchronous=NORMAL", opts: { durability: 'normal' }, synchronous: 1 },
    { what: 'unknown durability: a clear error', opts: { durability: 'off' as never }, error: /unknown durability "off" \(use 'full' or 'normal'\)/ },
  ];
  for (const c of durabilities) {
    it(`opens with WAL and foreign keys; ${c.what}`, () => {
      if (c.error) {
        expect(() => openDatabase(dir, c.opts)).to.throw(c.error);
        return;
      }
      const db = openDatabase(dir, c.opts);
      try {
        expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
        expect(db.pragma('foreign_keys', { simple: true })).to.equal(1);
        expect(db.pragma('synchronous', { simple: true })).to.equal(c.synchronous);
      } finally {
        db.close();
      }
    });
  }

  it("durability 'normal' keeps every committed change across kill -9", function () {
    this.timeout(30_000);
    // A child commits 200 one-row transactions, reports, then SIGKILLs itself with no close.
    const script = `
      import { openDatabase } from ${JSON.stringify(pathToFileURL(path.join(REPO, 'src/store/db.ts')).href)};
      const db = openDatabase(process.argv[1], { durability: 'normal' });
      db.exec('CREATE TABLE k (n INTEGER)');
      const ins = db.prepare('INSERT INTO k VALUES (?)');
      for (let i = 0; i < 200; i++) ins.run(i);
      process.stdout.write('committed', () => process.kill(process.pid, 'SIGKILL'));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], { cwd: REPO, encoding: 'utf8' });
    expect(r.signal, r.stderr).to.equal('SIGKILL');
    expect(r.stdout).to.equal('committed');
    const db = openDatabase(dir);
    try {
      expect(db.prepare('SELECT count(*) AS n, sum(n) AS s FROM k').get()).to.deep.equal({ n: 200, s: 199 * 100 });
    } finally {
      db.close();
    }
  });

  it('applies only new migration steps and records the version', () => {
    const db = openDatabase(dir);
    migrate(db, 't', ['CREATE TABLE a (x)']);
    migrate(db, 't', ['CREATE TABLE a (x)', 'CREATE TABLE b (y)']);
    const v = db.prepare("SELECT version FROM schema_versions WHERE module = 't'").get() as { version: number };
    expect(v.version).to.equal(2);
    db.close();
  });

  it('rolls back a failing step whole and keeps the version', () => {
    const db = openDatabase(dir);
    migrate(db, 'u', ['CREATE TABLE c (x)']);
    const bad = (d: DB) => {
      d.exec('CREATE TABLE d (x)');
      throw new Error('step fails');
    };
    expect(() => migrate(db, 'u', ['CREATE TABLE c (x)', bad])).to.throw('step fails');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'd'").get()).to.equal(undefined);
    expect((db.prepare("SELECT version FROM schema_versions WHERE module = 'u'").get() as { version: number }).version).to.equal(1);
    db.close();
  });

  it('transaction commits or rolls back as a whole', () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (x)');
    expect(() => transaction(db, () => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      throw new Error('no');
    })).to.throw('no');
    expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).to.equal(0);
    db.close();
  });
});

describe('store: instance codec round trip', () => {
  const ref = InstanceName.of('Test_Other', { Id: 1 }, 'root/test', 'h');
  const nested = new InstanceName('Test_Assoc', [{ name: 'Left', type: 'reference', value: ref }, { name: 'Right', type: 'reference', value: ref }]);
  const embedded = new CIMInstance('Test_Other').set('Id', 5, { type: 'uint32', isArray: false });
  const cases: Array<[string, CIMValue, Parameters<CIMInstance['set']>[2]]> = [
    ['string', 'hé "x"', { type: 'string', isArray: false }],
    ['uint64 max', 18446744073709551615n, { type: 'uint64', isArray: false }],
    ['sint64 min', -9223372036854775808n, { type: 'sint64', isArray: false }],
    ['real NaN', NaN, { type: 'real64', isArray: false }],
    ['real -Infinity', -Infinity, { type: 'real32', isArray: false }],
    ['datetime', CIMDateTime.parse('20240131134502.123456+060'), { type: 'datetime', isArray: false }],
    ['interval', CIMDateTime.parse('00000001020304.000005:000'), { type: 'datetime', isArray: false }],
    ['reference', ref, { type: 'reference', isArray: false, refClass: 'Test_Other' }],
    ['nested reference', nested, { type: 'reference', isArray: false }],
    ['class reference', new ClassName('Test_Other', 'root/test'), { type: 'reference', isArray: false }],
    ['embedded instance', embedded, { type: 'string', isArray: false, embedded: 'instance' }],
    ['array with NULL', ['a', null, 'b'], { type: 'string', isArray: true }],
    ['uint64 array', [1n, 2n], { type: 'uint64', isArray: true, arraySize: 4 }],
    ['NULL', null, { type: 'boolean', isArray: false }],
    ['empty array', [], { type: 'uint8', isArray: true }],
  ];
  for (const [what, value, spec] of cases) {
    it(what, () => {
      const i = new CIMInstance('X').set('P', value, spec);
      const back = decodeInstance(encodeInstance(i));
      const pv = back.properties.get('p')!;
      const shape = (x: typeof pv) => JSON.stringify([x.name, x.type, x.isArray, x.arraySize, x.refClass, x.embedded]);
      expect(shape(pv)).to.equal(shape(i.properties.get('P')!));
      const v = pv.value;
      if (value instanceof InstanceName) expect((v as InstanceName).equals(value) && (v as InstanceName).toString() === value.toString()).to.equal(true);
      else if (value instanceof CIMDateTime) expect((v as CIMDateTime).text).to.equal(value.text);
      else if (value instanceof ClassName) expect((v as ClassName).toString()).to.equal(value.toString());
      else if (value instanceof CIMInstance) expect((v as CIMInstance).get('Id')).to.equal(5);
      else expect(v).to.deep.equal(value);
    });
  }
});

describe('store: default provider persists across reopen', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cimswitch-store-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function server(db: DB) {
    const repo = testRepo();
    const cimom = createCimom({ repository: repo });
    cimom.registry.setDefault(new DefaultProvider(new InstanceStore(db), repo));
    return { cimom, repo };
  }
  const gi = { LocalOnly: false, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null };

  it('create, modify and delete survive a restart with types intact', async () => {
    let db = openDatabase(dir);
    let { cimom, repo } = server(db);
    const other = await cimom.intrinsic('CreateInstance', NS, { NewInstance: inst(repo, 'Test_Other', { Id: 1, Label: 'one' }) }, caller);
    const name = await cimom.intrinsic('CreateInstance', NS, {
      NewInstance: inst(repo, 'Test_Base', { InstanceID: 'b', Big: 1n << 60n, When: CIMDateTime.parse('20240101000000.000000+000'), Other: other, Tags: ['a', null] }),
    }, caller);
    const gone = await cimom.intrinsic('CreateInstance', NS, { NewInstance: inst(repo, 'Test_Other', { Id: 2 }) }, caller);
    await cimom.intrinsic('SetProperty', NS, { InstanceName: name, PropertyName: 'Name', NewValue: 'renamed' }, caller);
    await cimom.intrinsic('DeleteInstance', NS, { InstanceName: gone }, caller);
    const assoc = await cimom.intrinsic('CreateInstance', NS, { NewInstance: inst(repo, 'Test_Assoc', { Left: name, Right: other }) }, caller);
    db.close();

    db = openDatabase(dir);
    ({ cimom, repo } = server(db));
    const i = await cimom.intrinsic('GetInstance', NS, { ...gi, InstanceName: name }, caller);
    expect(i.get('Name')).to.equal('renamed');
    expect(i.get('Big')).to.equal(1n << 60n);
    expect((i.get('When') as CIMDateTime).text).to.equal('20240101000000.000000+000');
    expect((i.get('Other') as InstanceName).equals(other)).to.equal(true);
    expect(i.get('Tags')).to.deep.equal(['a', null]);
    expect(i.get('Count')).to.equal(7); // class default filled at creation
    const names = [...(await cimom.intrinsic('EnumerateInstanceNames', NS, { ClassName: 'Test_Other' }, caller))];
    expect(names.map((n) => n.toString('relative'))).to.deep.equal(['Test_Other.Id=1']);
    const a = await cimom.intrinsic('GetInstance', NS, { ...gi, InstanceName: assoc }, caller);
    expect(a.path!.toString('relative')).to.equal(assoc.toString('relative'));
    db.close();
  });

  it('shows a change at once although normalised instances are cached, and paths follow the caller host', async () => {
    const db = openDatabase(':memory:');
    const { cimom, repo } = server(db);
    const name = await cimom.intrinsic('CreateInstance', NS, { NewInstance: inst(repo, 'Test_Other', { Id: 4, Label: 'a' }) }, caller);
    const ei = { ClassName: 'Test_Other', LocalOnly: false, DeepInheritance: true, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null };
    const first = [...(await cimom.intrinsic('EnumerateInstances', NS, ei, caller))];
    expect(first.map((i) => i.get('Label'))).to.deep.equal(['a']);
    await cimom.intrinsic('SetProperty', NS, { InstanceName: name, PropertyName: 'Label', NewValue: 'b' }, caller);
    const second = [...(await cimom.intrinsic('EnumerateInstances', NS, ei, caller))];
    expect(second.map((i) => i.get('Label'))).to.deep.equal(['b']);
    expect(first[0].get('Label')).to.equal('a'); // an earlier response is not changed afterwards
    const other = [...(await cimom.intrinsic('EnumerateInstances', NS, ei, { ...caller, host: 'other.host' }))];
    expect(other[0].path.host).to.equal('other.host');
    db.close();
  });

  it('generates a GUID for a NULL string key and refuses other missing keys', async () => {
    const db = openDatabase(':memory:');
    const { cimom, repo } = server(db);
    const n = await cimom.intrinsic('CreateInstance', NS, { NewInstance: inst(repo, 'Test_Base', { Name: 'x' }) }, caller);
    expect(String(n.key('InstanceID'))).to.match(/^[0-9A-F]{8}-[0-9A-F]{4}-/);
    const err = await cimom.intrinsic('CreateInstance', NS, { NewInstance: inst(repo, 'Test_Other', { Label: 'x' }) }, caller).catch((e) => e);
    expect(err.statusName).to.equal('CIM_ERR_INVALID_PARAMETER');
    db.close();
  });

  it('CreateInstance, ModifyInstance and DeleteInstance prepare nothing and build no transaction wrapper per call', async () => {
    const db = openDatabase(':memory:');
    const { cimom, repo } = server(db);
    await cimom.intrinsic('CreateInstance', NS, { NewInstance: inst(repo, 'Test_Other', { Id: 0 }) }, caller); // loads the namespace
    const calls: string[] = [];
    const spy = db as unknown as Record<'prepare' | 'transaction' | 'exec', (...a: unknown[]) => unknown>;
    for (const m of ['prepare', 'transaction', 'exec'] as const) {
      const orig = spy[m].bind(db);
      spy[m] = (...a: unknown[]) => (calls.push(m), orig(...a));
    }
    for (let id = 1; id <= 20; id++) {
      const n = await cimom.intrinsic('CreateInstance', NS, { NewInstance: inst(repo, 'Test_Other', { Id: id, Label: 'x' }) }, caller);
      await cimom.intrinsic('SetProperty', NS, { InstanceName: n, PropertyName: 'Label', NewValue: 'y' }, caller);
      if (id % 2) await cimom.intrinsic('DeleteInstance', NS, { InstanceName: n }, caller);
    }
    expect(calls).to.deep.equal([]);
    expect((db.prepare('SELECT count(*) AS n FROM instances').get() as { n: number }).n).to.equal(11);
    db.close();
  });

  it('a failed write leaves memory and disk unchanged', async () => {
    const db = openDatabase(':memory:');
    const store = new InstanceStore(db);
    const name = InstanceName.of('Test_Other', { Id: 1 });
    store.insert(NS, name, new CIMInstance('Test_Other'));
    expect(() => store.insert(NS, name, new CIMInstance('Test_Other'))).to.throw(/already exists/);
    db.exec('DROP TABLE instances');
    expect(() => store.replace(NS, name, new CIMInstance('Test_Other').set('Label', 'x', { type: 'string', isArray: false }))).to.throw();
    expect(store.get(NS, name)!.has('Label')).to.equal(false);
    db.close();
  });
});
