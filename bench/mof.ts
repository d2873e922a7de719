/**
 * `npm run bench:mof`: compiles the whole DMTF CIM Schema 2.49.0 five times, each in a fresh
 * child process (so peak RSS is per compile), prints each run, then one JSON summary line
 * {"bench":"mof","classes":1631,"median_s":...,"peak_rss_mb":...}.
 * The child mode (`--once FILE`) compiles once and prints {"seconds","maxRSS_kb","classes","errors"}.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const SCHEMA = path.resolve(path.dirname(SELF), '..', '..', 'shared', 'dmtf', 'schema', 'cim_schema_2.49.0.mof');
const RUNS = 5;

interface Run {
  seconds: number;
  maxRSS_kb: number;
  classes: number;
  errors: number;
}

async function once(file: string): Promise<void> {
  const { compileFiles } = await import('../src/mof/index.js');
  const t0 = process.hrtime.bigint();
  const r = compileFiles([file]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const out: Run = { seconds, maxRSS_kb: process.resourceUsage().maxRSS, classes: r.stats.classes, errors: r.errors };
  process.stdout.write(JSON.stringify(out) + '\n');
}

function main(): number {
  if (!existsSync(SCHEMA)) {
    process.stderr.write(`bench:mof: ${SCHEMA} not found (needs ../shared)\n`);
    return 1;
  }
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', SELF, '--once', SCHEMA], { encoding: 'utf8' });
    const run = JSON.parse(out.trim().split('\n').at(-1)!) as Run;
    runs.push(run);
    process.stdout.write(`run ${i + 1}: ${run.seconds.toFixed(3)} s, peak RSS ${(run.maxRSS_kb / 1024).toFixed(1)} MB, classes ${run.classes}, errors ${run.errors}\n`);
  }
  const secs = runs.map((r) => r.seconds).sort((a, b) => a - b);
  const summary = {
    bench: 'mof',
    classes: runs[0].classes,
    median_s: Number(secs[Math.floor(secs.length / 2)].toFixed(3)),
    peak_rss_mb: Number((Math.max(...runs.map((r) => r.maxRSS_kb)) / 1024).toFixed(1)),
  };
  process.stdout.write(JSON.stringify(summary) + '\n');
  return runs.some((r) => r.errors > 0) ? 1 : 0;
}

if (process.argv[2] === '--once') await once(process.argv[3]);
else process.exitCode = main();
