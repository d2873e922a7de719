/**
 * The SQLite database every persistent part of the server shares: opened once with WAL,
 * foreign keys, a busy timeout and synchronous=FULL by default, so a committed change survives
 * a crash (of the process or of the machine) and a half-written one never appears.
 * `durability: 'normal'` trades the last guarantee for speed (see OpenOptions). Each module owning tables registers its ordered
 * migrations under its own name; `openDatabase` applies the ones not yet applied, each in a
 * transaction, and records the version in `schema_versions`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type DB = Database.Database;

/** One migration step: SQL text or a function run inside the step's transaction. */
export type MigrationStep = string | ((db: DB) => void);

const registered = new Map<string, MigrationStep[]>();

/**
 * Registers the ordered migrations of `module` (e.g. 'instances', 'users'). Steps are only
 * ever appended: step i brings the module's schema to version i+1.
 */
export function registerMigrations(module: string, steps: MigrationStep[]): void {
  registered.set(module, steps);
}

export const DB_FILE = 'cimswitch.db';

/**
 * How hard a commit works to reach the disk (SQLite `synchronous`, with WAL):
 * - 'full' (default): the WAL is fsynced at every commit (~7 ms each on a common disk), so a
 *   committed transaction survives a process crash (kill -9) and an OS crash or power loss.
 * - 'normal': no fsync per commit, only at checkpoints. Every committed transaction still
 *   survives a process crash (kill -9: the WAL pages are in the OS page cache); an OS crash or
 *   power loss may lose the last commits, never corrupt the database.
 */
export type Durability = 'full' | 'normal';

export interface OpenOptions {
  /** Default 'full'. */
  durability?: Durability;
}

const SYNCHRONOUS: Record<Durability, string> = { full: 'FULL', normal: 'NORMAL' };

/**
 * Opens (creating if needed) `<stateDir>/cimswitch.db`, or an in-memory database when
 * stateDir is ':memory:', and applies every registered migration. An unknown durability is an
 * Error naming the accepted values.
 */
export function openDatabase(stateDir: string, opts: OpenOptions = {}): DB {
  const durability = opts.durability ?? 'full';
  if (!Object.hasOwn(SYNCHRONOUS, durability)) {
    throw new Error(`unknown durability ${JSON.stringify(durability)} (use 'full' or 'normal')`);
  }
  let db: DB;
  if (stateDir === ':memory:') db = new Database(':memory:');
  else {
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    db = new Database(path.join(stateDir, DB_FILE));
    db.pragma('journal_mode = WAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma(`synchronous = ${SYNCHRONOUS[durability]}`);
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS schema_versions (module TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  for (const [module, steps] of registered) migrate(db, module, steps);
  return db;
}

/** Applies the steps of `module` beyond its recorded version; each step is atomic. */
export function migrate(db: DB, module: string, steps: MigrationStep[]): void {
  const row = db.prepare('SELECT version FROM schema_versions WHERE module = ?').get(module) as { version: number } | undefined;
  const have = row?.version ?? 0;
  if (have > steps.length) throw new Error(`database schema of ${module} is version ${have}, newer than this program (${steps.length})`);
  for (let v = have; v < steps.length; v++) {
    const step = steps[v];
    transaction(db, () => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.prepare('INSERT INTO schema_versions (module, version) VALUES (?, ?) ON CONFLICT(module) DO UPDATE SET version = excluded.version').run(module, v + 1);
    });
  }
}

/**
 * Runs `fn` in one transaction (a savepoint when nested): committed when fn returns,
 * rolled back when it throws. fn must be synchronous.
 */
export function transaction<T>(db: DB, fn: () => T): T {
  return db.transaction(fn)();
}
