import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from '../../../src/mof/emit/generate.js';
import { EXPECTED_DIR, goldenFiles } from './golden.js';

// MOF -> generated TS, pinned. On an intended change: npm run golden:accept:generate, review the diff.
describe('golden: generator output for test/golden/generate/fixture.mof', () => {
  const files = goldenFiles();
  it('makes the expected set of files', () => {
    expect([...files.keys()].sort(), 'npm run golden:accept:generate').to.deep.equal(listFiles(EXPECTED_DIR));
  });
  for (const [rel, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    it(rel, () => expect(text, `${rel} differs; npm run golden:accept:generate`).to.equal(readFileSync(join(EXPECTED_DIR, rel), 'utf8')));
  }
});
