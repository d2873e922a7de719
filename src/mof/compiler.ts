/**
 * The compiler driver: reads files, follows `#pragma include` depth-first in place (paths
 * relative to the including file, then the -I directories), tracks the current namespace
 * (`#pragma namespace`), and hands each production to the resolver in source order.
 * References to classes and instances are checked once the whole compile has been read.
 * Nothing here throws on bad input: every problem becomes a diagnostic.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Production } from './ast.js';
import { resolveClass, type PendingRef } from './classes.js';
import { MOF, Reporter, SourceFile, type Diagnostic, type MofCode } from './diagnostics.js';
import { resolveInstances, type PendingInstance } from './instances.js';
import { parseMof } from './parser.js';
import { declareQualifier, ResolveCache, type ResolveContext } from './qualifiers.js';
import { Repository } from './repository.js';

export interface CompileOptions {
  includeDirs?: string[];
  /** Namespace for definitions before any `#pragma namespace`; default 'root/cimv2'. */
  namespace?: string;
  /** Add to an existing repository (classes may derive from ones already there). */
  into?: Repository;
}

export interface CompileResult {
  repository: Repository;
  diagnostics: Diagnostic[];
  errors: number;
  stats: { classes: number; qualifiers: number; instances: number };
}

/** A ResolveContext for one production (a class, not a closure: made once per production). */
class Context implements ResolveContext {
  qualifierReport?: ResolveContext['qualifierReport'];
  constructor(
    readonly repo: Repository,
    readonly ns: string,
    readonly file: SourceFile,
    readonly cache: ResolveCache,
    private readonly reporter: Reporter,
  ) {}
  report = (at: number, code: MofCode, message: string): void => this.reporter.report(this.file, at, code, message);
}

const REMOVED_PRAGMAS = new Set(['nonlocal', 'nonlocaltype', 'source', 'sourcetype']);

class Compilation {
  readonly repo: Repository;
  readonly reporter = new Reporter();
  readonly stats = { classes: 0, qualifiers: 0, instances: 0 };
  private ns: string;
  /** Absolute paths of the files being read, outermost first (include cycle check). */
  private readonly stack: string[] = [];
  private readonly pendingRefs: PendingRef[] = [];
  private readonly pendingInstances: PendingInstance[] = [];
  private readonly cache = new ResolveCache();

  constructor(private readonly opts: CompileOptions) {
    this.repo = opts.into ?? new Repository();
    this.ns = this.repo.addNamespace(opts.namespace ?? 'root/cimv2');
  }

  compileFile(name: string): void {
    const abs = path.resolve(name);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
      this.reporter.report(new SourceFile(name, ''), 0, MOF.FILE_NOT_FOUND, `cannot read ${name}: ${why}`);
      return;
    }
    this.compileSource(new SourceFile(name, text), abs);
  }

  compileSource(file: SourceFile, abs: string): void {
    this.stack.push(abs);
    const report = (at: number, code: MofCode, msg: string): void => this.reporter.report(file, at, code, msg);
    for (const p of parseMof(file, report)) this.production(p, abs);
    this.stack.pop();
  }

  private context(file: SourceFile): ResolveContext {
    return new Context(this.repo, this.ns, file, this.cache, this.reporter);
  }

  private production(p: Production, abs: string): void {
    switch (p.kind) {
      case 'pragma':
        return this.pragma(p, abs);
      case 'qualifierDecl':
        if (declareQualifier(p, this.context(p.file))) this.stats.qualifiers++;
        return;
      case 'class':
        if (resolveClass(p, this.context(p.file), this.pendingRefs)) this.stats.classes++;
        return;
      case 'instance':
        this.pendingInstances.push({ node: p, ctx: this.context(p.file) });
        return;
    }
  }

  private pragma(p: Production & { kind: 'pragma' }, abs: string): void {
    const name = p.name.toLowerCase();
    const report = (code: MofCode, msg: string, at = p.argAt): void => this.reporter.report(p.file, at, code, msg);
    switch (name) {
      case 'include':
        return this.include(p.file, p.arg, p.argAt, abs);
      case 'namespace': {
        const ns = p.arg.trim();
        if (!ns) return report(MOF.BAD_PRAGMA, '#pragma namespace needs a namespace name');
        this.ns = this.repo.addNamespace(ns);
        return;
      }
      case 'locale':
      case 'instancelocale':
        return; // accepted; we keep values as written
      default:
        if (REMOVED_PRAGMAS.has(name)) return report(MOF.UNKNOWN_PRAGMA, `#pragma ${p.name} was removed from MOF (DSP0004 2.3 erratum); ignored`, p.at);
        return report(MOF.UNKNOWN_PRAGMA, `unknown #pragma ${p.name}; ignored`, p.at);
    }
  }

  /** mof-language.md 2: relative to the including file, then each include directory. */
  private include(from: SourceFile, arg: string, at: number, abs: string): void {
    const rel = arg.replace(/\\/g, '/');
    const candidates: [string, string][] = [];
    if (path.isAbsolute(rel)) candidates.push([rel, rel]);
    else {
      candidates.push([path.join(path.dirname(from.name), rel), path.resolve(path.dirname(abs), rel)]);
      for (const d of this.opts.includeDirs ?? []) candidates.push([path.join(d, rel), path.resolve(d, rel)]);
    }
    for (const [display, target] of candidates) {
      if (this.stack.includes(target)) {
        this.reporter.report(from, at, MOF.CIRCULAR_INCLUDE, `circular include of "${arg}"`);
        return;
      }
      let text: string;
      try {
        text = readFileSync(target, 'utf8'); // one syscall path per hit; a miss throws ENOENT/EISDIR
      } catch {
        continue;
      }
      this.compileSource(new SourceFile(display, text), target);
      return;
    }
    this.reporter.report(from, at, MOF.INCLUDE_NOT_FOUND, `include file "${arg}" not found`);
  }

  /** End of input: checks deferred references and resolves instances. */
  finish(): CompileResult {
    for (const r of this.pendingRefs) {
      if (!this.repo.getClass(r.ns, r.refClass)) {
        this.reporter.report(r.file, r.at, MOF.UNKNOWN_REF_CLASS, `class ${r.refClass} of this ${r.via} is not defined in namespace ${r.ns}`);
      }
    }
    this.stats.instances = resolveInstances(this.pendingInstances);
    const diagnostics = this.reporter.diagnostics;
    return { repository: this.repo, diagnostics, errors: this.reporter.errors, stats: this.stats };
  }
}

/** Compiles MOF files (in order, into one repository). */
export function compileFiles(files: string[], opts: CompileOptions = {}): CompileResult {
  const c = new Compilation(opts);
  for (const f of files) c.compileFile(f);
  return c.finish();
}

/** Compiles MOF text; `fileName` names it in diagnostics and anchors relative includes. */
export function compileText(text: string, fileName: string, opts: CompileOptions = {}): CompileResult {
  const c = new Compilation(opts);
  c.compileSource(new SourceFile(fileName, text), path.resolve(fileName));
  return c.finish();
}
