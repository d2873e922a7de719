/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per source
 * file, and inclusive ("total") time per function, so the benchmark can say where a request's
 * time goes. Also usable alone: `node --import tsx bench/cimxml/profile.ts FILE.cpuprofile`.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Row {
  name: string;
  ms: number;
  pct: number;
}

function shortUrl(url: string): string {
  const i = url.search(/\/(src|node_modules|dist)\//);
  return i >= 0 ? url.slice(i + 1) : url.replace(/^file:\/\//, '') || '(native)';
}

const frameName = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}${n.callFrame.url ? ':' + (n.callFrame.lineNumber + 1) : ''}`;

/**
 * `sinceUs` keeps only samples taken at or after that CLOCK_MONOTONIC time in microseconds
 * (V8 profile timestamps and process.hrtime share that clock on Linux), e.g. the load phase.
 */
export function summarise(file: string, top = 25, sinceUs = 0): { selfFn: Row[]; selfFile: Row[]; totalFn: Row[]; totalMs: number } {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let totalUs = 0;
  let t = p.startTime;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (t < sinceUs) return;
    self.set(id, (self.get(id) ?? 0) + dt);
    totalUs += dt;
  });
  const selfFn = new Map<string, number>();
  const selfFile = new Map<string, number>();
  const totalFn = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    selfFn.set(frameName(n), (selfFn.get(frameName(n)) ?? 0) + us);
    const f = shortUrl(n.callFrame.url);
    selfFile.set(f, (selfFile.get(f) ?? 0) + us);
    // inclusive: every distinct function on the stack gets the sample once
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = frameName(byId.get(cur)!);
      if (!seen.has(name)) {
        seen.add(name);
        totalFn.set(name, (totalFn.get(name) ?? 0) + us);
      }
    }
  }
  const rows = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / totalUs }));
  return { selfFn: rows(selfFn), selfFile: rows(selfFile), totalFn: rows(totalFn), totalMs: totalUs / 1000 };
}

export function printSummary(file: string, top = 25, sinceUs = 0, out: (l: string) => void = (l) => process.stdout.write(l + '\n')): void {
  const s = summarise(file, top, sinceUs);
  const show = (title: string, rows: Row[]) => {
    out(`\n${title}`);
    for (const r of rows) out(`  ${r.pct.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}`);
  };
  out(`profile ${file}: ${s.totalMs.toFixed(0)} ms sampled${sinceUs ? ' (load phase only)' : ''}`);
  show('self time by function', s.selfFn);
  show('self time by file', s.selfFile);
  show('total (inclusive) time by function', s.totalFn);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of process.argv.slice(2)) printSummary(f, 30);
}
