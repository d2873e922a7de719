import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFiles, listFiles, writeFiles } from '../../../src/mof/emit/generate.js';
import { HEADER } from '../../../src/mof/emit/print.js';
import { compileProject } from '../../../src/mof/emit/project.js';
import { REPO_ROOT } from './roundtrip.js';

// src/generated is checked in: regenerating from mof/ must give exactly the same tree.
describe('generate: checked-in src/generated is up to date with mof/', () => {
  const checkedIn = join(REPO_ROOT, 'src/generated');
  let dir = '';
  before(function () {
    this.timeout(30000);
    const project = compileProject(join(REPO_ROOT, 'mof'));
    if (project.errors) throw new Error(project.messages.join('\n'));
    dir = mkdtempSync(join(tmpdir(), 'cimswitch-regen-'));
    // Same options as `npm run generate` uses for src/generated.
    writeFiles(dir, generateFiles(project.inputs, { cimModule: '../cim/index.js' }));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('has the same files', () => {
    expect(listFiles(checkedIn), 'run npm run generate').to.deep.equal(listFiles(dir));
  });
  it('every file has the same content and the generated header', () => {
    const stale = listFiles(dir).filter((rel) => readFileSync(join(checkedIn, rel), 'utf8') !== readFileSync(join(dir, rel), 'utf8'));
    expect(stale, 'out of date (run npm run generate)').to.deep.equal([]);
    for (const rel of listFiles(checkedIn)) expect(readFileSync(join(checkedIn, rel), 'utf8').startsWith(HEADER), rel).to.equal(true);
  });
});
