/**
 * The generator golden: test/golden/generate/fixture.mof compiled into root/golden, generated
 * into expected/ (a full tree, type-checked with the rest of test/). The test compares; only
 * `npm run golden:accept:generate` (accept.ts) rewrites expected/.
 */
import { join, relative, resolve } from 'node:path';
import { compileFiles, formatDiagnostic } from '../../../src/mof/index.js';
import { generateFiles } from '../../../src/mof/emit/generate.js';

export const GOLDEN_DIR = import.meta.dirname;
export const EXPECTED_DIR = join(GOLDEN_DIR, 'expected');
const CIM_INDEX = resolve(GOLDEN_DIR, '../../../src/cim/index.js');

/** The files the generator makes for the fixture, as they must appear in expected/. */
export function goldenFiles(): Map<string, string> {
  const r = compileFiles([join(GOLDEN_DIR, 'fixture.mof')], { namespace: 'root/golden' });
  if (r.errors) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return generateFiles([{ namespace: 'root/golden', repository: r.repository }], {
    cimModule: relative(EXPECTED_DIR, CIM_INDEX).split('\\').join('/'),
  });
}
