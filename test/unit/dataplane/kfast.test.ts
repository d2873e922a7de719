/**
 * The kernel fast path's eBPF program (src/dataplane/native/core/kfast.c) run by this kernel on
 * crafted frames with BPF_PROG_TEST_RUN (kfast_test.c, built here under ASan/UBSan): which frames
 * it redirects and which it leaves to user space, the counters it keeps, the last-seen time it
 * refreshes. Loading eBPF needs root (CAP_BPF + CAP_NET_ADMIN): CI runs as root.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireRoot } from '../../helpers/netns.js';

const here = dirname(fileURLToPath(import.meta.url));
const core = join(here, '../../../src/dataplane/native/core');

describe('dataplane kernel fast path: the eBPF program on crafted frames', function () {
  this.timeout(120_000);
  let dir = '';
  before(function () {
    requireRoot(this, 'loading eBPF programs');
    dir = mkdtempSync(join(tmpdir(), 'dp-kfast-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('redirects known unicast between fast ports of one switch and VLAN, leaves everything else to user space', () => {
    const bin = join(dir, 'kfast_test');
    const sources = readdirSync(core).filter((f) => f.endsWith('.c')).map((f) => join(core, f));
    execFileSync('gcc', ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=undefined',
      '-Wall', '-Werror', `-I${core}`, '-o', bin, join(here, 'kfast_test.c'), ...sources, '-lpthread'], { stdio: 'pipe' });
    const r = spawnSync(bin, [], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('ok');
  });
});
