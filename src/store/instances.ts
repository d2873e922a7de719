/**
 * Persistent instances for classes without their own provider (the default provider's
 * storage). One row per instance keyed by (namespace, path identity), committed before the
 * call returns (each write is one prepared statement, atomic on its own: its own transaction
 * in autocommit, or part of the caller's open one; no per-call db.transaction() wrapper,
 * which better-sqlite3 rebuilds on every call); reads come from an in-memory copy loaded per
 * namespace on first use, updated only after the row is committed, so memory never shows a
 * change the database does not hold.
 */
import { CimError } from '../cim/errors.js';
import type { CIMInstance } from '../cim/instance.js';
import { ciKey } from '../cim/names.js';
import type { InstanceName } from '../cim/path.js';
import { decodeInstance, encodeInstance } from './codec.js';
import { migrate, type DB, type MigrationStep } from './db.js';

export const INSTANCE_MIGRATIONS: MigrationStep[] = [
  `CREATE TABLE instances (
     ns TEXT NOT NULL,
     class TEXT NOT NULL,
     id TEXT NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (ns, id)
   );
   CREATE INDEX instances_by_class ON instances (ns, class);`,
];

type ClassMap = Map<string, Map<string, CIMInstance>>;

function nsKey(ns: string): string {
  return ciKey(ns.replace(/\\/g, '/'));
}

export class InstanceStore {
  private readonly cache = new Map<string, ClassMap>();
  /** list() answers per namespace + class, dropped on any change to that class. */
  private readonly lists = new Map<string, readonly CIMInstance[]>();
  private readonly stmts;

  constructor(private readonly db: DB) {
    migrate(db, 'instances', INSTANCE_MIGRATIONS);
    this.stmts = {
      load: db.prepare('SELECT class, id, data FROM instances WHERE ns = ?'),
      insert: db.prepare('INSERT INTO instances (ns, class, id, data) VALUES (?, ?, ?, ?)'),
      replace: db.prepare('UPDATE instances SET data = ? WHERE ns = ? AND id = ?'),
      remove: db.prepare('DELETE FROM instances WHERE ns = ? AND id = ?'),
    };
  }

  private classes(ns: string): ClassMap {
    const k = nsKey(ns);
    let m = this.cache.get(k);
    if (!m) {
      m = new Map();
      for (const row of this.stmts.load.all(k) as Array<{ class: string; id: string; data: string }>) {
        let byId = m.get(row.class);
        if (!byId) m.set(row.class, (byId = new Map()));
        byId.set(row.id, decodeInstance(row.data));
      }
      this.cache.set(k, m);
    }
    return m;
  }

  /**
   * Stored instances of exactly `className`: a frozen array that stays the same object until
   * an instance of that class is added, replaced or deleted (so callers can tell "unchanged"
   * by identity). The instances are shared: callers must not change them.
   */
  list(ns: string, className: string): readonly CIMInstance[] {
    const k = nsKey(ns) + '\0' + ciKey(className);
    let l = this.lists.get(k);
    if (!l) {
      const byId = this.classes(ns).get(ciKey(className));
      this.lists.set(k, (l = Object.freeze(byId ? [...byId.values()] : [])));
    }
    return l;
  }

  private changed(ns: string, className: string): void {
    this.lists.delete(nsKey(ns) + '\0' + ciKey(className));
  }

  get(ns: string, name: InstanceName): CIMInstance | undefined {
    return this.classes(ns).get(ciKey(name.className))?.get(name.identity());
  }

  /** Adds an instance; ALREADY_EXISTS when its name is taken. */
  insert(ns: string, name: InstanceName, inst: CIMInstance): void {
    const classes = this.classes(ns);
    const ck = ciKey(name.className);
    const id = name.identity();
    if (classes.get(ck)?.has(id)) throw new CimError('CIM_ERR_ALREADY_EXISTS', `${name.toString('wbem')} already exists`);
    const data = encodeInstance(inst);
    this.stmts.insert.run(nsKey(ns), ck, id, data);
    let byId = classes.get(ck);
    if (!byId) classes.set(ck, (byId = new Map()));
    byId.set(id, inst);
    this.changed(ns, name.className);
  }

  /** Replaces a stored instance; NOT_FOUND when absent. */
  replace(ns: string, name: InstanceName, inst: CIMInstance): void {
    const byId = this.classes(ns).get(ciKey(name.className));
    const id = name.identity();
    if (!byId?.has(id)) throw new CimError('CIM_ERR_NOT_FOUND', `no instance ${name.toString('wbem')}`);
    const data = encodeInstance(inst);
    this.stmts.replace.run(data, nsKey(ns), id);
    byId.set(id, inst);
    this.changed(ns, name.className);
  }

  /** Removes a stored instance; false when there was none. */
  delete(ns: string, name: InstanceName): boolean {
    const byId = this.classes(ns).get(ciKey(name.className));
    const id = name.identity();
    if (!byId?.has(id)) return false;
    this.stmts.remove.run(nsKey(ns), id);
    byId.delete(id);
    this.changed(ns, name.className);
    return true;
  }
}
