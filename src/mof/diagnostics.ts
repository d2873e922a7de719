/**
 * MOF diagnostics: stable numbered codes, file:line:col positions and a caret line.
 * Positions travel through the compiler as character offsets into a SourceFile (cheap: one
 * number per AST node); line and column are computed only when a diagnostic is made.
 * The code table below is the single place where codes are assigned; never renumber.
 */

export interface Diagnostic {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  file: string;
  line: number;
  col: number;
  /** The source line plus a caret line pointing at col. */
  caret: string;
}

/** One source text with a lazily built line-start table for offset -> line/col. */
export class SourceFile {
  private lineStarts?: number[];
  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  private starts(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const s = [0];
    const t = this.text;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 10) s.push(i + 1);
      else if (c === 13) {
        if (t.charCodeAt(i + 1) === 10) i++;
        s.push(i + 1);
      }
    }
    return (this.lineStarts = s);
  }

  /** 1-based line and column of an offset. */
  lineCol(at: number): { line: number; col: number } {
    const s = this.starts();
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: at - s[lo] + 1 };
  }

  /** The text of a 1-based line without its line end. */
  lineText(line: number): string {
    const s = this.starts();
    const start = s[line - 1] ?? this.text.length;
    let end = start;
    const t = this.text;
    while (end < t.length && t.charCodeAt(end) !== 10 && t.charCodeAt(end) !== 13) end++;
    return t.slice(start, end);
  }
}

/** Diagnostic codes. Errors unless listed in WARNINGS. */
export const MOF = {
  // lexical
  UNEXPECTED_CHAR: 'MOF001',
  UNTERMINATED_STRING: 'MOF002',
  UNTERMINATED_COMMENT: 'MOF003',
  BAD_ESCAPE: 'MOF004',
  BAD_INTEGER: 'MOF005',
  BAD_REAL: 'MOF006',
  BAD_CHAR: 'MOF007',
  // syntax and directives
  SYNTAX: 'MOF010',
  BAD_PRAGMA: 'MOF011',
  UNKNOWN_PRAGMA: 'MOF012',
  INCLUDE_NOT_FOUND: 'MOF013',
  CIRCULAR_INCLUDE: 'MOF014',
  UNKNOWN_TYPE: 'MOF015',
  FILE_NOT_FOUND: 'MOF016',
  // qualifier declarations
  DUPLICATE_QUALIFIER_DECL: 'MOF020',
  BAD_SCOPE: 'MOF021',
  BAD_FLAVOR: 'MOF022',
  // qualifier use
  UNKNOWN_QUALIFIER: 'MOF030',
  QUALIFIER_SCOPE: 'MOF031',
  QUALIFIER_TYPE: 'MOF032',
  DUPLICATE_QUALIFIER: 'MOF033',
  DISABLE_OVERRIDE: 'MOF034',
  QUALIFIER_NEEDS_VALUE: 'MOF035',
  // classes
  DUPLICATE_CLASS: 'MOF040',
  MISSING_SUPERCLASS: 'MOF041',
  DUPLICATE_MEMBER: 'MOF042',
  OVERRIDE_MISSING: 'MOF043',
  HIDES_INHERITED: 'MOF044',
  OVERRIDE_TYPE: 'MOF045',
  ASSOCIATION_REFS: 'MOF046',
  REF_OUTSIDE_ASSOCIATION: 'MOF047',
  BAD_KEY: 'MOF048',
  ASSOCIATION_KIND: 'MOF049',
  UNKNOWN_REF_CLASS: 'MOF050',
  TERMINAL_SUPERCLASS: 'MOF051',
  DUPLICATE_PARAMETER: 'MOF052',
  // values
  VALUE_TYPE: 'MOF060',
  OUT_OF_RANGE: 'MOF061',
  ARRAY_FOR_SCALAR: 'MOF062',
  SCALAR_FOR_ARRAY: 'MOF063',
  BAD_DATETIME: 'MOF064',
  ARRAY_SIZE: 'MOF065',
  BAD_REFERENCE: 'MOF066',
  // instances
  UNKNOWN_CLASS: 'MOF070',
  UNKNOWN_PROPERTY: 'MOF071',
  DUPLICATE_PROPERTY_VALUE: 'MOF072',
  DUPLICATE_ALIAS: 'MOF073',
  UNKNOWN_ALIAS: 'MOF074',
  ABSTRACT_INSTANCE: 'MOF075',
  MISSING_KEY: 'MOF076',
  DUPLICATE_INSTANCE: 'MOF077',
} as const;

export type MofCode = (typeof MOF)[keyof typeof MOF];

const WARNINGS = new Set<string>([MOF.UNKNOWN_PRAGMA, MOF.MISSING_KEY]);

/** Builds a diagnostic for an offset in a source file. */
export function makeDiagnostic(file: SourceFile, at: number, code: MofCode, message: string): Diagnostic {
  const { line, col } = file.lineCol(Math.min(at, file.text.length));
  const src = file.lineText(line);
  let pad = '';
  for (let i = 0; i < col - 1 && i < src.length; i++) pad += src.charCodeAt(i) === 9 ? '\t' : ' ';
  return {
    code,
    severity: WARNINGS.has(code) ? 'warning' : 'error',
    message,
    file: file.name,
    line,
    col,
    caret: `${src}\n${pad}^`,
  };
}

/** "file:line:col: error MOF012: msg\n<line>\n   ^" */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}\n${d.caret}`;
}

/** Collects diagnostics for one compile. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  errors = 0;
  report(file: SourceFile, at: number, code: MofCode, message: string): void {
    const d = makeDiagnostic(file, at, code, message);
    if (d.severity === 'error') this.errors++;
    this.diagnostics.push(d);
  }
}
