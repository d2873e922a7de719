/** The MOF compiler's public API (see the module headers of compiler.ts and repository.ts). */
export { compileFiles, compileText, type CompileOptions, type CompileResult } from './compiler.js';
export { formatDiagnostic, MOF, type Diagnostic } from './diagnostics.js';
export { Repository } from './repository.js';
