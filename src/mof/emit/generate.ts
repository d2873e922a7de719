/**
 * The code generator: compiled namespaces in, a map of generated files (path relative to the
 * output root -> text) out, and a writer that syncs that map to a directory. Pure and
 * deterministic: classes are printed in name order in the TypeScript modules and in
 * definition order in the descriptors (which must reproduce classNames()); no timestamps.
 * Layout under the output root:
 *   index.ts                      re-exports the contracts, the loader and each namespace
 *   runtime.ts                    generic provider contracts
 *   repository.ts, load.ts        descriptor format/decoder, loadRepository()
 *   descriptors/<ns>.ts           one data module per namespace
 *   <ns>/index.ts, <ns>/<Class>.ts one module per class
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ClassRepository } from '../../cim/repository.js';
import { emitClassFile, exportedNames } from './class-file.js';
import { emitDescriptor } from './descriptors.js';
import { HEADER, byName, relativeModule } from './print.js';
import { repositoryFile } from './support-repository.js';
import { runtimeFile } from './support-runtime.js';

export interface GenerateInput {
  namespace: string;
  repository: ClassRepository;
}

export interface GenerateOptions {
  /** Path of src/cim/index.js relative to the output root (default: '../cim/index.js'). */
  cimModule?: string;
}

/** Directory / module name for a namespace: root/virtualization -> root-virtualization. */
export function namespaceDir(ns: string): string {
  return ns.replace(/[\\/]+/g, '-').replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Identifier for a namespace in index.ts: root/virtualization -> root_virtualization. */
function namespaceIdent(ns: string): string {
  return namespaceDir(ns).replace(/-/g, '_');
}

/** Every generated file for the given namespaces. Throws on names that would collide. */
export function generateFiles(inputs: GenerateInput[], opts: GenerateOptions = {}): Map<string, string> {
  const cim = opts.cimModule ?? '../cim/index.js';
  const files = new Map<string, string>();
  const sorted = [...inputs].sort((a, b) => byName(a.namespace, b.namespace));
  files.set('runtime.ts', runtimeFile(relativeModule('runtime.ts', cim)));
  files.set('repository.ts', repositoryFile(relativeModule('repository.ts', cim)));
  for (const input of sorted) {
    const dir = namespaceDir(input.namespace);
    files.set(`descriptors/${dir}.ts`, emitDescriptor(input.repository, input.namespace, '../repository.js'));
    for (const [path, text] of namespaceFiles(input, dir, cim)) files.set(path, text);
  }
  files.set('load.ts', loadFile(sorted, cim));
  files.set('index.ts', indexFile(sorted));
  return files;
}

function namespaceFiles(input: GenerateInput, dir: string, cim: string): Map<string, string> {
  const out = new Map<string, string>();
  const names = [...input.repository.classNames(input.namespace)].sort(byName);
  const owners = new Map<string, string>();
  for (const name of names) {
    const cls = input.repository.getClass(input.namespace, name);
    if (!cls) throw new Error(`class ${name} listed in ${input.namespace} but not found`);
    for (const e of exportedNames(cls)) {
      const prev = owners.get(e);
      if (prev) throw new Error(`${input.namespace}: generated name ${e} of class ${name} collides with class ${prev}`);
      owners.set(e, name);
    }
    const path = `${dir}/${name}.ts`;
    const lookup = (c: string) => input.repository.getClass(input.namespace, c);
    out.set(path, emitClassFile(cls, { namespace: input.namespace, cimModule: relativeModule(path, cim), runtimeModule: '../runtime.js', lookup }));
  }
  const index = [HEADER, `/** The generated types of ${input.namespace}, one module per class. */`];
  for (const name of names) index.push(`export * from './${name}.js';`);
  out.set(`${dir}/index.ts`, index.join('\n') + '\n');
  return out;
}

function loadFile(inputs: GenerateInput[], cim: string): string {
  const lines = [
    HEADER,
    '/** The compiled namespaces as data: loadRepository() builds the server\'s class repository without parsing MOF. */',
    `import type { ClassRepository } from '${relativeModule('load.ts', cim)}';`,
    "import { DescriptorRepository, decodeNamespace } from './repository.js';",
    "import type { NamespaceContent, NamespaceData } from './repository.js';",
  ];
  for (const i of inputs) lines.push(`import { data as ${namespaceIdent(i.namespace)} } from './descriptors/${namespaceDir(i.namespace)}.js';`);
  lines.push(
    '',
    '/** The descriptor of every generated namespace. */',
    `export const descriptors: readonly NamespaceData[] = [${inputs.map((i) => namespaceIdent(i.namespace)).join(', ')}];`,
    '',
    '/** Fresh objects for every namespace (classes in definition order). */',
    'export function loadNamespaces(): NamespaceContent[] {',
    '  return descriptors.map(decodeNamespace);',
    '}',
    '',
    '/** A read-only repository holding every generated namespace. */',
    'export function loadRepository(): ClassRepository {',
    '  return new DescriptorRepository(loadNamespaces());',
    '}',
    '',
  );
  return lines.join('\n');
}

function indexFile(inputs: GenerateInput[]): string {
  const lines = [
    HEADER,
    '/** Generated provider contracts, descriptor loader and per-namespace class types. */',
    "export * from './runtime.js';",
    "export { DescriptorRepository, decodeNamespace } from './repository.js';",
    "export type { NamespaceContent, NamespaceData } from './repository.js';",
    "export { descriptors, loadNamespaces, loadRepository } from './load.js';",
  ];
  for (const i of inputs) lines.push(`export * as ${namespaceIdent(i.namespace)} from './${namespaceDir(i.namespace)}/index.js';`);
  return lines.join('\n') + '\n';
}

/** Every file under dir (relative paths, '/' separated). */
export function listFiles(dir: string, base = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(join(dir, e.name), rel));
    else out.push(rel);
  }
  return out.sort();
}

/**
 * Makes dir hold exactly these files: writes changed ones, deletes stale generated ones
 * (only files that carry the generated header, so nothing hand-written is lost).
 * Returns the paths written and deleted.
 */
export function writeFiles(dir: string, files: Map<string, string>): { written: string[]; deleted: string[] } {
  const written: string[] = [];
  const deleted: string[] = [];
  for (const [rel, text] of files) {
    const path = join(dir, rel);
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written.push(rel);
  }
  for (const rel of listFiles(dir)) {
    if (files.has(rel)) continue;
    const path = join(dir, rel);
    if (readFileSync(path, 'utf8').startsWith(HEADER)) {
      rmSync(path);
      deleted.push(rel);
    }
  }
  return { written, deleted };
}
