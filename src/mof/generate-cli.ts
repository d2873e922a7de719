/**
 * `npm run generate`: compiles the entry files of mof/ and writes src/generated (or --out DIR).
 * `--check` writes nothing and exits 1 when the output would change (for CI and humans).
 * Exit codes: 0 done / up to date, 1 differences (--check) or MOF errors, 2 usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { generateFiles, listFiles, writeFiles } from './emit/generate.js';
import { HEADER } from './emit/print.js';
import { compileProject } from './emit/project.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface Args {
  out: string;
  mof: string;
  check: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { out: join(ROOT, 'src/generated'), mof: join(ROOT, 'mof'), check: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--check') a.check = true;
    else if ((v === '--out' || v === '--mof') && argv[i + 1]) a[v === '--out' ? 'out' : 'mof'] = resolve(argv[++i]);
    else throw new Error(`unknown argument ${v}; usage: generate [--out DIR] [--mof DIR] [--check]`);
  }
  return a;
}

/** Paths whose content would change (added, changed or stale generated files). */
function differences(dir: string, files: Map<string, string>): string[] {
  const diff: string[] = [];
  for (const [rel, text] of files) {
    const p = join(dir, rel);
    if (!existsSync(p) || readFileSync(p, 'utf8') !== text) diff.push(rel);
  }
  for (const rel of listFiles(dir)) if (!files.has(rel) && readFileSync(join(dir, rel), 'utf8').startsWith(HEADER)) diff.push(rel);
  return diff.sort();
}

function main(argv: string[]): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const project = compileProject(args.mof);
  for (const m of project.messages) console.error(m);
  if (project.errors > 0) {
    console.error(`generate: ${project.errors} MOF error(s); nothing written`);
    return 1;
  }
  const cimModule = relative(args.out, join(ROOT, 'src/cim/index.js')).split('\\').join('/');
  const files = generateFiles(project.inputs, { cimModule });
  const where = relative(process.cwd(), args.out) || '.';
  if (args.check) {
    const diff = differences(args.out, files);
    for (const d of diff) console.error(`out of date: ${join(where, d)}`);
    console.error(diff.length ? `generate --check: ${diff.length} file(s) differ; run npm run generate` : 'generate --check: up to date');
    return diff.length ? 1 : 0;
  }
  const { written, deleted } = writeFiles(args.out, files);
  console.error(`generate: ${files.size} files in ${where} (${written.length} written, ${deleted.length} deleted)`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
