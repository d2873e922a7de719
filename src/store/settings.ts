/**
 * Small persistent server facts (the object manager's unique name, ...): a key/value table,
 * each write its own committed transaction.
 */
import { migrate, transaction, type DB, type MigrationStep } from './db.js';

export const SETTINGS_MIGRATIONS: MigrationStep[] = ['CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)'];

export class Settings {
  constructor(private readonly db: DB) {
    migrate(db, 'settings', SETTINGS_MIGRATIONS);
  }
  get(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }
  set(key: string, value: string): void {
    transaction(this.db, () => {
      this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    });
  }
  /** The stored value, or `make()` stored and returned when there is none. */
  getOrCreate(key: string, make: () => string): string {
    const cur = this.get(key);
    if (cur !== undefined) return cur;
    const v = make();
    this.set(key, v);
    return v;
  }
}
