/**
 * The shape shared by the Msvm association providers (reference 6): each lists its instances
 * as plain objects (reference properties as canonical InstanceNames from Paths, plus any
 * extra properties) computed from the domain on every call, so an association appears and
 * vanishes with what it links. referencesTo filters by the referenced object's keys; the
 * cimom re-checks class, role and direction, and reads far ends through GetInstance.
 */
import type { InstanceName } from '../../../cim/path.js';
import type { ProviderContext } from '../../../generated/runtime.js';
import { toInstance } from '../../../generated/runtime.js';
import { paths, type Msvm, type Paths } from '../common.js';

export type Lister<T extends object> = (m: Msvm, P: Paths, ctx: ProviderContext) => T[];

function keysOf(n: InstanceName): string {
  const id = n.identity();
  return id.slice(id.indexOf('.'));
}

function refers(row: object, target: InstanceName, role: string | null): boolean {
  const want = keysOf(target);
  for (const [k, v] of Object.entries(row)) {
    if (role && k.toLowerCase() !== role.toLowerCase()) continue;
    if (v && typeof v === 'object' && 'identity' in v && keysOf(v as InstanceName) === want) return true;
  }
  return false;
}

/**
 * An association provider over a lister (enumeration and the referencesTo fast path). T is the
 * generated interface of the association class, so property names and types are checked.
 */
export function association<T extends object>(m: Msvm, list: Lister<T>) {
  const rows = (ctx: ProviderContext) => list(m, paths(m, ctx), ctx);
  return {
    enumerateInstances: (ctx: ProviderContext) => rows(ctx).map((r) => toInstance(ctx.cls, r)),
    referencesTo: (ctx: ProviderContext, target: InstanceName, role: string | null) =>
      rows(ctx)
        .filter((r) => refers(r, target, role))
        .map((r) => toInstance(ctx.cls, r)),
  };
}
