/**
 * Helpers for tests that generate into a temporary directory and import the result: the
 * generated modules reach src/cim through a relative path computed for that directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateFiles, writeFiles } from '../../../src/mof/emit/generate.js';
import type { GenerateInput } from '../../../src/mof/emit/generate.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const CIM_INDEX = join(REPO_ROOT, 'src/cim/index.js');

/** Path of src/cim/index.js relative to an output root (what generateFiles wants). */
export function cimModuleFor(outDir: string): string {
  return relative(outDir, CIM_INDEX).split('\\').join('/');
}

export interface TempGeneration {
  dir: string;
  files: Map<string, string>;
  import<T>(rel: string): Promise<T>;
  remove(): void;
}

/** Generates the inputs into a fresh temp dir (under the repo's parent tmp, so tsx can load it). */
export function generateToTemp(inputs: GenerateInput[], prefix = 'cimswitch-gen-'): TempGeneration {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const files = generateFiles(inputs, { cimModule: cimModuleFor(dir) });
  writeFiles(dir, files);
  return {
    dir,
    files,
    import: <T>(rel: string) => import(pathToFileURL(join(dir, rel)).href) as Promise<T>,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
