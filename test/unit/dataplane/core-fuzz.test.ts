/**
 * Builds the C core with its unit test (core_fuzz.c) under AddressSanitizer and
 * UndefinedBehaviorSanitizer and runs it: fixed forwarding/VLAN/ageing/GSO scenarios, a flood
 * of 1,000,000 source MACs against the table limit, and 2,000,000 random frames with counter
 * consistency checks. Needs only gcc.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireTool } from '../../helpers/require.js';

const here = dirname(fileURLToPath(import.meta.url));
const core = join(here, '../../../src/dataplane/native/core');

describe('dataplane C core under ASan/UBSan', function () {
  this.timeout(180_000);
  let dir = '';
  before(function () {
    requireTool('gcc', ['--version'], 'gcc', true);
    dir = mkdtempSync(join(tmpdir(), 'dp-fuzz-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('survives random frames and MAC floods with consistent counters', () => {
    const bin = join(dir, 'core_fuzz');
    const sources = readdirSync(core).filter((f) => f.endsWith('.c')).map((f) => join(core, f));
    execFileSync('gcc', ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=undefined', '-fno-omit-frame-pointer',
      '-Wall', '-Werror', `-I${core}`, '-o', bin, join(here, 'core_fuzz.c'), ...sources, '-lpthread'], { stdio: 'pipe' });
    const r = spawnSync(bin, ['2000000'], { encoding: 'utf8', timeout: 170_000, env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' } });
    if (r.status !== 0) process.stderr.write(r.stderr);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('ok');
  });
});
