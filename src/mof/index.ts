/**
 * The MOF compiler's public API: compile MOF files or text into a Repository (the
 * ClassRepository of src/cim/repository.ts, several namespaces) plus numbered diagnostics.
 * Pipeline: scanner.ts -> parser.ts (ast.ts, positions on every node) -> compiler.ts
 * (includes, pragmas) -> qualifiers.ts / classes.ts / instances.ts (resolution) ->
 * repository.ts. Resolved classes share inherited member objects: treat them as read-only.
 */
export { compileFiles, compileText, type CompileOptions, type CompileResult } from './compiler.js';
export { formatDiagnostic, MOF, type Diagnostic } from './diagnostics.js';
export { Repository } from './repository.js';
