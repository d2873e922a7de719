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

describe('golden: generated modules load and alias inherited constants', () => {
  it('constants are values, inherited ones shared with the declaring class', async () => {
    const m = await import('./expected/index.js');
    const g = m.root_golden;
    expect(g.GLD_Element.EnabledState).to.deep.equal({ Unknown: 0, Enabled: 2, Disabled: 3 });
    expect(g.GLD_Port.EnabledState).to.equal(g.GLD_Element.EnabledState);
    expect(g.GLD_Port.RequestStateChange).to.equal(g.GLD_Element.RequestStateChange);
    expect(g.GLD_Element.RequestStateChange.ReturnValue).to.deep.equal({ CompletedWithNoError: 0, JobStarted: 4096, Failed_32768: 32768, Failed_32769: 32769 });
    expect(g.GLD_Switch.RequestStateChange.ReturnValue).to.deep.equal({ OK: 0, Job: 4096, Failed: 32768 });
    expect(m.loadRepository().getClass('root/golden', 'gld_port')?.properties.get('vlanid')?.defaultValue).to.equal(1);
  });
});
