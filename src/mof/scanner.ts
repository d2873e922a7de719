/**
 * The MOF scanner (mof-language.md 1): a hand-written loop over char codes with one current
 * token held in fields (no token objects, no regex). Identifiers and string literals are
 * sliced once; numbers keep their text span and are converted by the parser on demand.
 * Lexical errors are reported and the scanner carries on with a best-effort token so the
 * parser can keep going and report more.
 */
import { MOF, type MofCode } from './diagnostics.js';

export const T = {
  EOF: 0, Ident: 1, Int: 2, Real: 3, String: 4, Char: 5,
  LBrack: 6, RBrack: 7, LParen: 8, RParen: 9, LBrace: 10, RBrace: 11,
  Semi: 12, Comma: 13, Colon: 14, Eq: 15, Dollar: 16, Hash: 17, Dot: 18,
} as const;
export type TokenKind = (typeof T)[keyof typeof T];

export const TOKEN_NAMES: Record<number, string> = {
  0: 'end of file', 1: 'identifier', 2: 'integer', 3: 'real', 4: 'string', 5: 'char16',
  6: "'['", 7: "']'", 8: "'('", 9: "')'", 10: "'{'", 11: "'}'", 12: "';'", 13: "','", 14: "':'",
  15: "'='", 16: "'$'", 17: "'#'", 18: "'.'",
};

const PUNCT: Record<number, TokenKind> = {
  91: T.LBrack, 93: T.RBrack, 40: T.LParen, 41: T.RParen, 123: T.LBrace, 125: T.RBrace,
  59: T.Semi, 44: T.Comma, 58: T.Colon, 61: T.Eq, 36: T.Dollar, 35: T.Hash, 46: T.Dot,
};

export type ReportFn = (at: number, code: MofCode, message: string) => void;

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

export class Scanner {
  kind: TokenKind = T.EOF;
  /** Offset of the current token's first character. */
  start = 0;
  /** Offset just past the current token. */
  end = 0;
  /** Identifier text, decoded string or char16 value. */
  text = '';
  /** Integer value (Int tokens). */
  int = 0n;
  /** Real value (Real tokens). */
  real = 0;
  private pos = 0;
  private readonly src: string;

  constructor(
    src: string,
    private readonly report: ReportFn,
  ) {
    // a UTF-8 BOM decodes to U+FEFF; treat it as whitespace (mof-language.md 1)
    this.src = src;
    if (src.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.next();
  }

  /** The current kind, unnarrowed (TypeScript would narrow `kind` across next()). */
  cur(): TokenKind {
    return this.kind;
  }

  /** Advances to the next token. */
  next(): void {
    const s = this.src;
    const n = s.length;
    let p = this.skipTrivia(this.pos);
    this.start = p;
    if (p >= n) {
      this.kind = T.EOF;
      this.end = this.pos = n;
      return;
    }
    const c = s.charCodeAt(p);
    if (isIdentStart(c)) {
      let q = p + 1;
      while (q < n && isIdentPart(s.charCodeAt(q))) q++;
      this.kind = T.Ident;
      this.text = s.slice(p, q);
      this.end = this.pos = q;
      return;
    }
    if (c === 34) return this.scanString(p);
    if (c === 39) return this.scanChar(p);
    if (isDigit(c) || ((c === 45 || c === 43 || c === 46) && (isDigit(s.charCodeAt(p + 1)) || (c !== 46 && s.charCodeAt(p + 1) === 46 && isDigit(s.charCodeAt(p + 2)))))) {
      return this.scanNumber(p);
    }
    const k = PUNCT[c];
    if (k !== undefined) {
      this.kind = k;
      this.end = this.pos = p + 1;
      return;
    }
    this.report(p, MOF.UNEXPECTED_CHAR, `unexpected character ${JSON.stringify(String.fromCodePoint(s.codePointAt(p)!))}`);
    this.pos = p + (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
    this.next();
  }

  private skipTrivia(p: number): number {
    const s = this.src;
    const n = s.length;
    while (p < n) {
      const c = s.charCodeAt(p);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 0xfeff) {
        p++;
      } else if (c === 47 && s.charCodeAt(p + 1) === 47) {
        p += 2;
        while (p < n && s.charCodeAt(p) !== 10 && s.charCodeAt(p) !== 13) p++;
      } else if (c === 47 && s.charCodeAt(p + 1) === 42) {
        const e = s.indexOf('*/', p + 2);
        if (e < 0) {
          this.report(p, MOF.UNTERMINATED_COMMENT, 'unterminated comment');
          return n;
        }
        p = e + 2;
      } else break;
    }
    return p;
  }

  /** Decodes one escape at s[p] === '\\'; returns [text, next offset] or reports. */
  private escape(p: number): [string, number] {
    const s = this.src;
    const c = s.charCodeAt(p + 1);
    switch (c) {
      case 98: return ['\b', p + 2];
      case 116: return ['\t', p + 2];
      case 110: return ['\n', p + 2];
      case 102: return ['\f', p + 2];
      case 114: return ['\r', p + 2];
      case 34: return ['"', p + 2];
      case 39: return ["'", p + 2];
      case 92: return ['\\', p + 2];
      case 120: case 88: { // \x or \X with 1-4 hex digits (DSP0004 A, v2)
        let q = p + 2;
        let v = 0;
        while (q < p + 6 && hexVal(s.charCodeAt(q)) >= 0) v = v * 16 + hexVal(s.charCodeAt(q++));
        if (q === p + 2) {
          this.report(p, MOF.BAD_ESCAPE, 'escape \\x needs 1 to 4 hex digits');
          return ['', q];
        }
        return [String.fromCharCode(v), q];
      }
      default:
        this.report(p, MOF.BAD_ESCAPE, `unknown escape sequence \\${Number.isNaN(c) ? '' : String.fromCharCode(c)}`);
        return ['', p + 2];
    }
  }

  private scanString(p0: number): void {
    const s = this.src;
    const n = s.length;
    let p = p0 + 1;
    let seg = p;
    let out = '';
    for (;;) {
      const c = p < n ? s.charCodeAt(p) : 10;
      if (c === 10 || c === 13) {
        this.report(p0, MOF.UNTERMINATED_STRING, 'unterminated string literal');
        out += s.slice(seg, p);
        break;
      }
      if (c === 34) {
        out += s.slice(seg, p);
        p++;
        break;
      }
      if (c === 92) {
        out += s.slice(seg, p);
        const [t, q] = this.escape(p);
        out += t;
        p = seg = q;
        continue;
      }
      p++;
    }
    this.kind = T.String;
    this.text = out;
    this.end = this.pos = p;
  }

  private scanChar(p0: number): void {
    const s = this.src;
    const n = s.length;
    let p = p0 + 1;
    let out = '';
    while (p < n && s.charCodeAt(p) !== 39 && s.charCodeAt(p) !== 10 && s.charCodeAt(p) !== 13) {
      if (s.charCodeAt(p) === 92) {
        const [t, q] = this.escape(p);
        out += t;
        p = q;
      } else out += s[p++];
    }
    if (s.charCodeAt(p) !== 39) {
      this.report(p0, MOF.BAD_CHAR, 'unterminated char16 literal');
    } else {
      p++;
      if (out.length !== 1) this.report(p0, MOF.BAD_CHAR, `a char16 literal holds exactly one character, not ${out.length}`);
    }
    this.kind = T.Char;
    this.text = out.slice(0, 1);
    this.end = this.pos = p;
  }

  private scanNumber(p0: number): void {
    const s = this.src;
    const n = s.length;
    let p = p0;
    const neg = s.charCodeAt(p) === 45;
    if (neg || s.charCodeAt(p) === 43) p++;
    const body = p;
    // maximal munch over letters, digits, '.', and a sign right after an exponent 'e'
    let dot = false;
    while (p < n) {
      const c = s.charCodeAt(p);
      if (isIdentPart(c)) p++;
      else if (c === 46) { dot = true; p++; }
      else if ((c === 43 || c === 45) && dot && (s.charCodeAt(p - 1) | 32) === 101) p++;
      else break;
    }
    this.end = this.pos = p;
    const t = s.slice(body, p);
    if (dot) {
      this.kind = T.Real;
      const v = parseReal(t);
      if (v === undefined) {
        this.report(p0, MOF.BAD_REAL, `bad real literal '${s.slice(p0, p)}'`);
        this.real = 0;
      } else this.real = neg ? -v : v;
      return;
    }
    this.kind = T.Int;
    const v = parseInteger(t);
    if (v === undefined) {
      this.report(p0, MOF.BAD_INTEGER, `bad integer literal '${s.slice(p0, p)}'`);
      this.int = 0n;
    } else this.int = neg ? -v : v;
  }
}

function allIn(t: string, from: number, to: number, ok: (c: number) => boolean): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) if (!ok(t.charCodeAt(i))) return false;
  return true;
}

/** Unsigned integer text in any MOF base (mof-language.md 1.1), or undefined. */
export function parseInteger(t: string): bigint | undefined {
  const n = t.length;
  const c1 = t.charCodeAt(1) | 32;
  if (n > 2 && t.charCodeAt(0) === 48 && c1 === 120) {
    return allIn(t, 2, n, (c) => hexVal(c) >= 0) ? BigInt('0x' + t.slice(2)) : undefined;
  }
  if ((t.charCodeAt(n - 1) | 32) === 98) {
    return allIn(t, 0, n - 1, (c) => c === 48 || c === 49) ? BigInt('0b' + t.slice(0, n - 1)) : undefined;
  }
  if (n > 1 && t.charCodeAt(0) === 48) {
    return allIn(t, 1, n, (c) => c >= 48 && c <= 55) ? BigInt('0o' + t.slice(1)) : undefined;
  }
  return allIn(t, 0, n, isDigit) ? BigInt(t) : undefined;
}

/** Unsigned real text `d*.d+([eE][+-]?d+)?`, or undefined. */
export function parseReal(t: string): number | undefined {
  const n = t.length;
  let i = 0;
  while (i < n && isDigit(t.charCodeAt(i))) i++;
  if (t.charCodeAt(i) !== 46) return undefined;
  const f = ++i;
  while (i < n && isDigit(t.charCodeAt(i))) i++;
  if (i === f) return undefined;
  if (i < n) {
    if ((t.charCodeAt(i) | 32) !== 101) return undefined;
    i++;
    if (t.charCodeAt(i) === 43 || t.charCodeAt(i) === 45) i++;
    const e = i;
    while (i < n && isDigit(t.charCodeAt(i))) i++;
    if (i === e || i !== n) return undefined;
  }
  return Number(t);
}
