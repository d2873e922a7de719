/**
 * The imperative side of realization: makes the dataplane and the VMs' network namespaces
 * match a domain state, using the pure `desiredDataplane`. Namespaces are created before the
 * dataplane creates the VM NICs' veth pairs into them and deleted after (the dataplane deletes
 * a pair when its port goes, and on close()); a failure re-applies the previous state, removes
 * what this step created and throws DomainError(32768), so no half state is left. At start,
 * namespaces of our VMs left by a killed process are removed with the pairs still in them
 * (removeStale). Without a dataplane (mode 'none') every call is a no-op.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataplaneError, type Dataplane } from '../../../dataplane/control.js';
import { createNetns, deleteNetns, deleteStaleNetns, listNetns } from './netns.js';
import { desiredDataplane, staleNetns, wantedNetns, type RealizeEnv } from './realize.js';
import type { State } from './state.js';
import { DomainError, RC } from './types.js';

export interface RealizerConfig {
  stateDir: string;
  vmMode: 'netns' | 'dgram';
  netnsPrefix: string;
  sysClassNet: string;
}

/** Any failure while realizing becomes 32768 with the cause's text. */
function realizeError(e: unknown): DomainError {
  if (e instanceof DomainError) return e;
  const why = e instanceof DataplaneError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  return new DomainError(RC.FAILED, `the change could not be realized (${why})`);
}

const socketsOf = (s: State, env: RealizeEnv): string[] => desiredDataplane(s, env).ports.flatMap((p) => (p.localPath ? [p.localPath] : []));

export class Realizer {
  private readonly namespaces = new Set<string>();

  constructor(
    readonly dp: Dataplane | undefined,
    private readonly cfg: RealizerConfig,
  ) {
    if (dp && cfg.vmMode === 'dgram') fs.mkdirSync(path.join(cfg.stateDir, 'dgram'), { recursive: true, mode: 0o700 });
  }

  env(): RealizeEnv {
    let present: string[] = [];
    try {
      present = fs.readdirSync(this.cfg.sysClassNet);
    } catch {
      /* no sysfs: no host NICs */
    }
    return { vmMode: this.cfg.vmMode, netnsPrefix: this.cfg.netnsPrefix, socketDir: path.join(this.cfg.stateDir, 'dgram'), presentIfnames: new Set(present) };
  }

  /** Deletes namespaces of these VMs left by an earlier run (kill -9), with the NIC veth pairs
   *  still in them, before the dataplane creates any: they are made afresh. Namespaces of other
   *  GUIDs, ours or not, are not touched. */
  async removeStale(guids: Iterable<string>): Promise<void> {
    if (!this.dp || this.cfg.vmMode !== 'netns') return;
    for (const ns of staleNetns(guids, this.cfg, new Set(await listNetns()))) await deleteStaleNetns(ns);
  }

  /** Makes the dataplane and namespaces match `next`; on failure restores `prev` and throws 32768. */
  async apply(prev: State, next: State): Promise<void> {
    if (!this.dp) return;
    const env = this.env();
    const want = wantedNetns(next, env);
    const created: string[] = [];
    try {
      for (const ns of want) {
        if (this.namespaces.has(ns)) continue;
        await createNetns(ns);
        this.namespaces.add(ns);
        created.push(ns);
      }
      await this.dp.apply(desiredDataplane(next, env));
    } catch (e) {
      await this.dp.apply(desiredDataplane(prev, env)).catch(() => undefined);
      for (const ns of created) await deleteNetns(ns).catch(() => undefined), this.namespaces.delete(ns);
      throw realizeError(e);
    }
    for (const ns of [...this.namespaces]) if (!want.has(ns)) await deleteNetns(ns).catch(() => undefined), this.namespaces.delete(ns);
    if (env.vmMode === 'dgram') {
      const keep = new Set(socketsOf(next, env));
      for (const p of socketsOf(prev, env)) if (!keep.has(p)) fs.rmSync(p, { force: true });
    }
  }

  /** Stops the dataplane (its devices go) and removes our namespaces and sockets. */
  async close(current: State): Promise<void> {
    if (!this.dp) return;
    const sockets = socketsOf(current, this.env());
    await this.dp.close();
    for (const ns of this.namespaces) await deleteNetns(ns).catch(() => undefined);
    this.namespaces.clear();
    for (const p of sockets) fs.rmSync(p, { force: true });
  }
}
