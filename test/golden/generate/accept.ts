/** `npm run golden:accept:generate`: rewrites expected/ from the fixture (review the diff!). */
import { writeFiles } from '../../../src/mof/emit/generate.js';
import { EXPECTED_DIR, goldenFiles } from './golden.js';

const { written, deleted } = writeFiles(EXPECTED_DIR, goldenFiles());
console.error(`golden:accept:generate: ${written.length} written, ${deleted.length} deleted in ${EXPECTED_DIR}`);
