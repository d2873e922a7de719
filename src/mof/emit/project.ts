/**
 * The project's MOF entry files and how they become generator input: each entry file of mof/
 * is compiled on its own into its namespace (mof/README.md). A missing entry file is skipped
 * with a message; any compile error stops generation (the caller prints the diagnostics).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compileFiles, formatDiagnostic } from '../index.js';
import type { GenerateInput } from './generate.js';

/** Entry file (relative to mof/) -> namespace, in generation order. */
export const ENTRY_FILES: ReadonlyArray<{ file: string; namespace: string }> = [
  { file: 'root-virtualization.mof', namespace: 'root/virtualization' },
  { file: 'root-interop.mof', namespace: 'root/interop' },
  { file: 'root-cimv2.mof', namespace: 'root/cimv2' },
];

export interface ProjectCompile {
  inputs: GenerateInput[];
  /** Skips, warnings and errors, formatted for a terminal. */
  messages: string[];
  errors: number;
}

/** Compiles every present entry file of mofDir. */
export function compileProject(mofDir: string): ProjectCompile {
  const out: ProjectCompile = { inputs: [], messages: [], errors: 0 };
  for (const { file, namespace } of ENTRY_FILES) {
    const path = join(mofDir, file);
    if (!existsSync(path)) {
      out.messages.push(`skipping ${namespace}: ${path} does not exist yet`);
      continue;
    }
    const r = compileFiles([path], { namespace });
    out.messages.push(...r.diagnostics.map(formatDiagnostic));
    out.errors += r.errors;
    out.inputs.push({ namespace, repository: r.repository });
  }
  return out;
}
