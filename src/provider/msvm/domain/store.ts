/**
 * Persistence of the domain state in the shared SQLite database (store/db.ts): one table per
 * kind of object, one row per object (key + JSON data). `save` writes only the rows that
 * differ from what was last stored, all in one transaction, so a method's changes are either
 * all on disk or none are. Live facts (running connections of VMs, devices) are not stored:
 * they are rebuilt from the stored objects when the network opens.
 */
import { migrate, transaction, type DB, type MigrationStep } from '../../../store/db.js';
import { emptyState, type Binding, type State } from './state.js';
import type { HostInfo, InternalPort, MacPool, Nic, Switch, SwitchPort, Vm } from './types.js';

const TABLES = ['msvm_settings', 'msvm_switch', 'msvm_port', 'msvm_internal_port', 'msvm_binding', 'msvm_connection', 'msvm_vm', 'msvm_nic'] as const;
type Table = (typeof TABLES)[number];

export const MSVM_MIGRATIONS: MigrationStep[] = [TABLES.map((t) => `CREATE TABLE ${t} (key TEXT PRIMARY KEY, data TEXT NOT NULL);`).join('\n')];

type Rows = Map<Table, Map<string, string>>;

/** The stored form of a state: table -> key -> JSON. */
export function rowsOf(s: State): Rows {
  const rows: Rows = new Map(TABLES.map((t) => [t, new Map<string, string>()]));
  const put = (t: Table, k: string, v: unknown): void => void rows.get(t)!.set(k, JSON.stringify(v));
  put('msvm_settings', 'macPool', s.host.macPool);
  for (const [k, v] of s.switches) put('msvm_switch', k, v);
  for (const [k, v] of s.ports) put('msvm_port', k, v);
  for (const [k, v] of s.internals) put('msvm_internal_port', k, v);
  for (const [k, v] of s.bindings) put('msvm_binding', k, v);
  for (const [k, v] of s.links) put('msvm_connection', k, { endpoint: v });
  for (const vm of s.vms.values()) {
    const { nics, ...rest } = vm;
    put('msvm_vm', vm.guid, rest);
    nics.forEach((n, seq) => put('msvm_nic', n.instanceId, { ...n, seq }));
  }
  return rows;
}

export class DomainStore {
  private last: Rows = new Map();
  private readonly upsert = new Map<Table, { run(...a: unknown[]): unknown }>();
  private readonly remove = new Map<Table, { run(...a: unknown[]): unknown }>();

  constructor(private readonly db: DB) {
    migrate(db, 'msvm', MSVM_MIGRATIONS);
    for (const t of TABLES) {
      this.upsert.set(t, db.prepare(`INSERT INTO ${t} (key, data) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET data = excluded.data`));
      this.remove.set(t, db.prepare(`DELETE FROM ${t} WHERE key = ?`));
    }
  }

  private all(t: Table): Array<{ key: string; data: string }> {
    return this.db.prepare(`SELECT key, data FROM ${t}`).all() as Array<{ key: string; data: string }>;
  }

  /** Reads the stored state; `defaultPool` is used (and stored by the next save) when none is stored. */
  load(hostName: string, defaultPool: MacPool): State {
    const pool = this.all('msvm_settings').find((r) => r.key === 'macPool');
    const host: HostInfo = { name: hostName, macPool: pool ? (JSON.parse(pool.data) as MacPool) : defaultPool };
    const s = emptyState(host);
    for (const r of this.all('msvm_switch')) s.switches.set(r.key, JSON.parse(r.data) as Switch);
    for (const r of this.all('msvm_port')) s.ports.set(r.key, JSON.parse(r.data) as SwitchPort);
    for (const r of this.all('msvm_internal_port')) s.internals.set(r.key, JSON.parse(r.data) as InternalPort);
    for (const r of this.all('msvm_binding')) s.bindings.set(r.key, JSON.parse(r.data) as Binding);
    for (const r of this.all('msvm_connection')) s.links.set(r.key, (JSON.parse(r.data) as { endpoint: string }).endpoint);
    for (const r of this.all('msvm_vm')) s.vms.set(r.key, { ...(JSON.parse(r.data) as Omit<Vm, 'nics'>), nics: [] });
    const nics = this.all('msvm_nic').map((r) => JSON.parse(r.data) as Nic & { seq: number });
    nics.sort((a, b) => a.seq - b.seq);
    for (const { seq: _seq, ...n } of nics) s.vms.get(n.vmGuid)?.nics.push(n);
    this.last = new Map(TABLES.map((t) => [t, new Map(this.all(t).map((r) => [r.key, r.data]))]));
    return s;
  }

  /** Stores `s`, writing only changed rows, in one transaction. */
  save(s: State): void {
    const next = rowsOf(s);
    transaction(this.db, () => {
      for (const t of TABLES) {
        const before = this.last.get(t) ?? new Map<string, string>();
        const after = next.get(t)!;
        for (const k of before.keys()) if (!after.has(k)) this.remove.get(t)!.run(k);
        for (const [k, v] of after) if (before.get(k) !== v) this.upsert.get(t)!.run(k, v);
      }
    });
    this.last = next;
  }

  /** Deletes every row of the domain. */
  purge(): void {
    transaction(this.db, () => {
      for (const t of TABLES) this.db.prepare(`DELETE FROM ${t}`).run();
    });
    this.last = new Map();
  }
}
