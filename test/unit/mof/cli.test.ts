/** `cimswitch mof check`: diagnostics and the summary line on stderr, exit code by errors. */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { run } from '../../../src/mof/cli.js';
import { PRELUDE } from './prelude.js';

/** Runs the command with stderr captured. */
async function runCaptured(args: string[]): Promise<{ code: number; err: string }> {
  const orig = process.stderr.write.bind(process.stderr);
  let err = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await run(args);
    return { code, err };
  } finally {
    process.stderr.write = orig;
  }
}

describe('mof cli', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mofcli-'));
    writeFileSync(path.join(dir, 'prelude.mof'), PRELUDE);
    writeFileSync(path.join(dir, 'good.mof'), '#pragma include ("prelude.mof")\ninstance of T_Leaf { Id = "a"; };\n');
    writeFileSync(path.join(dir, 'bad.mof'), '#pragma include ("prelude.mof")\nclass X : Nope { uint8 V = 300; };\n');
    writeFileSync(path.join(dir, 'uses.mof'), 'class Y : T_Leaf {};\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the summary and returns 0 for a good file', async () => {
    const { code, err } = await runCaptured(['check', path.join(dir, 'good.mof')]);
    expect(err).to.equal('classes: 3, qualifiers: 21, instances: 1, errors: 0\n');
    expect(code).to.equal(0);
  });

  it('prints every diagnostic and returns 1 for a bad file', async () => {
    const bad = path.join(dir, 'bad.mof');
    const { code, err } = await runCaptured(['check', bad]);
    const lines = err.trimEnd().split('\n');
    expect(lines[0]).to.equal(`${bad}:2:11: error MOF041: superclass Nope of X is not defined in namespace root/cimv2`);
    expect(lines[1]).to.equal('class X : Nope { uint8 V = 300; };');
    expect(lines[2]).to.equal('          ^');
    expect(lines[3]).to.match(/^.*bad\.mof:2:28: error MOF061: /);
    expect(lines.at(-1)).to.equal('classes: 4, qualifiers: 21, instances: 0, errors: 2');
    expect(code).to.equal(1);
  });

  it('compiles several files into one repository', async () => {
    const { code, err } = await runCaptured(['check', path.join(dir, 'prelude.mof'), path.join(dir, 'uses.mof')]);
    expect([code, err]).to.deep.equal([0, 'classes: 4, qualifiers: 21, instances: 0, errors: 0\n']);
  });

  it('searches -I directories for includes', async () => {
    const main = path.join(dir, 'sub-main.mof');
    writeFileSync(main, '#pragma include ("elsewhere/prelude.mof")\n');
    const miss = await runCaptured(['check', main]);
    expect(miss.code).to.equal(1);
    expect(miss.err).to.include('MOF013');
    writeFileSync(main, '#pragma include ("prelude.mof")\n');
    const other = mkdtempSync(path.join(tmpdir(), 'mofcli-other-'));
    try {
      const moved = path.join(other, 'main.mof');
      writeFileSync(moved, '#pragma include ("prelude.mof")\n');
      const hit = await runCaptured(['check', moved, '-I', dir]);
      expect([hit.code, hit.err]).to.deep.equal([0, 'classes: 3, qualifiers: 21, instances: 0, errors: 0\n']);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('rejects bad usage with exit code 2', async () => {
    expect((await runCaptured(['check'])).code).to.equal(2);
    expect((await runCaptured(['frob'])).code).to.equal(2);
    expect((await runCaptured(['check', '--bogus', 'x.mof'])).code).to.equal(2);
  });
});
