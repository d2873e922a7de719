/**
 * Recursive-descent parser for MOF v2 (mof-language.md 3, DSP0004 Annex A) producing the
 * productions of one file in order. It does not follow includes or check meaning: the
 * compiler driver acts on pragmas as it walks the list, and the resolver checks types,
 * qualifiers and inheritance. Syntax errors are reported, then the parser resynchronises at
 * the next `;` or `}` boundary (feature level inside a class body, production level
 * outside), so one run reports many errors.
 */
import type {
  ClassNode, FeatureNode, PropertyNode, FlavorNode, InstanceNode, Literal, MethodNode, ParameterNode, PragmaNode,
  Production, PropertyValueNode, QualifierDeclNode, QualifierNode, TypeNode, ValueNode,
} from './ast.js';
import { MOF, type MofCode, type SourceFile } from './diagnostics.js';
import { Scanner, T, TOKEN_NAMES, type TokenKind } from './scanner.js';

// module-local copies: a cross-module constant read costs a getter call per token under tsx
const {
  EOF: T_EOF, Ident: T_Ident, Int: T_Int, Real: T_Real, String: T_String, Char: T_Char, LBrack: T_LBrack,
  RBrack: T_RBrack, LParen: T_LParen, RParen: T_RParen, LBrace: T_LBrace, RBrace: T_RBrace, Semi: T_Semi,
  Comma: T_Comma, Colon: T_Colon, Eq: T_Eq, Dollar: T_Dollar, Hash: T_Hash,
} = T;

export const BUILTIN_TYPES = new Set([
  'boolean', 'string', 'char16', 'datetime', 'uint8', 'sint8', 'uint16', 'sint16',
  'uint32', 'sint32', 'uint64', 'sint64', 'real32', 'real64',
]);

export type ParseReport = (at: number, code: MofCode, message: string) => void;

class ParseError extends Error {}

function isKw(text: string, word: string): boolean {
  return text.length === word.length && text.toLowerCase() === word;
}

export class Parser {
  private readonly sc: Scanner;

  constructor(
    private readonly file: SourceFile,
    private readonly report: ParseReport,
  ) {
    this.sc = new Scanner(file.text, report);
  }

  /** Parses the whole file. */
  parseAll(): Production[] {
    const out: Production[] = [];
    while (this.sc.kind !== T_EOF) {
      const start = this.sc.start;
      try {
        const p = this.production();
        if (p) out.push(p);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.syncTop();
      }
      if (this.sc.start === start && this.sc.cur() !== T_EOF) this.sc.next(); // guarantee progress
    }
    return out;
  }

  // --- token helpers -------------------------------------------------------------------

  private fail(message: string, at = this.sc.start, code: MofCode = MOF.SYNTAX): never {
    this.report(at, code, message);
    throw new ParseError(message);
  }

  private found(): string {
    const sc = this.sc;
    if (sc.kind === T_Ident) return `'${sc.text}'`;
    if (sc.kind === T_String) return 'a string';
    return TOKEN_NAMES[sc.kind];
  }

  private expect(kind: TokenKind, what = TOKEN_NAMES[kind]): number {
    const at = this.sc.start;
    if (this.sc.kind !== kind) this.fail(`expected ${what}, found ${this.found()}`);
    this.sc.next();
    return at;
  }

  /** The `;` after a body's `}`: reported when missing, but the production is kept. */
  private expectClosingSemi(): void {
    if (this.sc.kind === T_Semi) this.sc.next();
    else this.report(this.sc.start, MOF.SYNTAX, `expected ';' after '}', found ${this.found()}`);
  }

  private ident(what: string): string {
    if (this.sc.kind !== T_Ident) this.fail(`expected ${what}, found ${this.found()}`);
    const t = this.sc.text;
    this.sc.next();
    return t;
  }

  private atKw(word: string): boolean {
    return this.sc.kind === T_Ident && isKw(this.sc.text, word);
  }

  private expectKw(word: string): void {
    if (!this.atKw(word)) this.fail(`expected '${word}', found ${this.found()}`);
    this.sc.next();
  }

  private accept(kind: TokenKind): boolean {
    if (this.sc.kind !== kind) return false;
    this.sc.next();
    return true;
  }

  /** Skips to just after the next `;` at brace depth 0 (or a stray `}` `;`). */
  private syncTop(): void {
    let depth = 0;
    for (;;) {
      const k = this.sc.kind;
      if (k === T_EOF) return;
      if (k === T_LBrace) depth++;
      else if (k === T_RBrace) depth = Math.max(0, depth - 1);
      else if (k === T_Semi && depth === 0) {
        this.sc.next();
        return;
      } else if (k === T_Hash && depth === 0) return;
      this.sc.next();
    }
  }

  /** Inside a body: skips past the next `;` at depth 0, stopping before a closing `}`. */
  private syncFeature(): void {
    let depth = 0;
    for (;;) {
      const k = this.sc.kind;
      if (k === T_EOF) return;
      if (k === T_LBrace) depth++;
      else if (k === T_RBrace) {
        if (depth === 0) return;
        depth--;
      } else if (k === T_Semi && depth === 0) {
        this.sc.next();
        return;
      }
      this.sc.next();
    }
  }

  // --- productions ---------------------------------------------------------------------

  private production(): Production | undefined {
    const sc = this.sc;
    const at = sc.start;
    if (sc.kind === T_Hash) return this.pragma();
    if (sc.kind === T_Semi) {
      sc.next(); // a stray ';' between productions is harmless
      return undefined;
    }
    const quals = sc.kind === T_LBrack ? this.qualifierList() : [];
    if (this.atKw('class')) return this.classDecl(at, quals);
    if (this.atKw('instance')) return this.instanceDecl(at, quals);
    if (this.atKw('qualifier') && quals.length === 0) return this.qualifierDecl(at);
    return this.fail(`expected 'class', 'instance', 'qualifier' or '#pragma', found ${this.found()}`);
  }

  private pragma(): PragmaNode | undefined {
    const sc = this.sc;
    const at = sc.start;
    sc.next();
    try {
      if (!this.atKw('pragma')) this.fail(`expected 'pragma' after '#', found ${this.found()}`, sc.start, MOF.BAD_PRAGMA);
      sc.next();
      if (sc.kind !== T_Ident) this.fail(`expected a pragma name, found ${this.found()}`, sc.start, MOF.BAD_PRAGMA);
      const name = sc.text;
      sc.next();
      if (sc.cur() !== T_LParen) this.fail(`expected '(' after #pragma ${name}`, sc.start, MOF.BAD_PRAGMA);
      sc.next();
      const argAt = sc.start;
      if (sc.cur() !== T_String) this.fail(`#pragma ${name} takes a string argument`, sc.start, MOF.BAD_PRAGMA);
      let arg = '';
      while (sc.cur() === T_String) {
        arg += sc.text;
        sc.next();
      }
      if (sc.cur() !== T_RParen) this.fail(`expected ')' to close #pragma ${name}`, sc.start, MOF.BAD_PRAGMA);
      sc.next();
      return { kind: 'pragma', file: this.file, at, name, arg, argAt };
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      // a pragma has no ';': resume at the next token that can start a production
      while (sc.kind !== T_EOF && sc.kind !== T_Hash && sc.kind !== T_LBrack &&
        !this.atKw('class') && !this.atKw('instance') && !this.atKw('qualifier')) {
        const k = sc.kind;
        sc.next();
        if (k === T_RParen || k === T_Semi) break;
      }
      return undefined;
    }
  }

  private qualifierList(): QualifierNode[] {
    this.expect(T_LBrack);
    const out: QualifierNode[] = [];
    do {
      const at = this.sc.start;
      const name = this.ident('a qualifier name');
      let value: ValueNode | undefined;
      if (this.sc.kind === T_LParen) {
        this.sc.next();
        value = this.constantValue();
        this.expect(T_RParen);
      } else if (this.sc.kind === T_LBrace) {
        value = this.arrayValue();
      }
      const flavors: FlavorNode[] = [];
      if (this.accept(T_Colon)) {
        do flavors.push({ at: this.sc.start, name: this.ident('a flavor') });
        while (this.sc.kind === T_Ident);
      }
      out.push({ name, at, value, flavors });
    } while (this.accept(T_Comma));
    this.expect(T_RBrack, "',' or ']'");
    return out;
  }

  private classDecl(at: number, quals: QualifierNode[]): ClassNode {
    this.sc.next(); // 'class'
    const nameAt = this.sc.start;
    const name = this.ident('a class name');
    let alias: string | undefined;
    if (this.atKw('as')) {
      this.sc.next();
      this.expect(T_Dollar);
      alias = this.ident('an alias name');
    }
    let superclass: string | undefined;
    let superAt = nameAt;
    if (this.accept(T_Colon)) {
      superAt = this.sc.start;
      superclass = this.ident('a superclass name');
    }
    this.expect(T_LBrace, "'{' or ':'");
    const features: FeatureNode[] = [];
    while (this.sc.kind !== T_RBrace && this.sc.kind !== T_EOF) {
      const start = this.sc.start;
      try {
        features.push(this.feature());
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.syncFeature();
        if (this.sc.start === start) this.sc.next();
      }
    }
    this.expect(T_RBrace);
    this.expectClosingSemi();
    return { kind: 'class', file: this.file, at, quals, name, nameAt, alias, superclass, superAt, features };
  }

  private arraySpec(t: TypeNode): void {
    if (this.sc.kind !== T_LBrack) return;
    this.sc.next();
    t.isArray = true;
    if (this.sc.cur() === T_Int) {
      if (this.sc.int <= 0n) this.fail('array size must be a positive integer');
      t.arraySize = Number(this.sc.int);
      this.sc.next();
    }
    this.expect(T_RBrack);
  }

  /** `type` or `Class REF`, starting at the type identifier. */
  private typeRef(): TypeNode {
    const at = this.sc.start;
    const name = this.ident('a data type');
    if (this.atKw('ref')) {
      this.sc.next();
      return { type: 'reference', refClass: name, isArray: false, at };
    }
    const lower = name.toLowerCase();
    return { type: BUILTIN_TYPES.has(lower) ? lower : name, isArray: false, at };
  }

  private feature(): FeatureNode {
    const at = this.sc.start;
    const quals = this.sc.kind === T_LBrack ? this.qualifierList() : [];
    const type = this.typeRef();
    const nameAt = this.sc.start;
    const name = this.ident(type.type === 'reference' ? 'a reference name' : 'a property or method name');
    if (this.sc.kind === T_LParen) return this.method(at, quals, type, name, nameAt);
    const prop: PropertyNode = { kind: 'property', quals, name, nameAt, ...type }; // at: the type
    this.arraySpec(prop);
    if (this.accept(T_Eq)) prop.defaultValue = this.initializer();
    this.expect(T_Semi, prop.defaultValue ? "';'" : "';', '=' or '['");
    return prop;
  }

  private method(at: number, quals: QualifierNode[], returnType: TypeNode, name: string, nameAt: number): MethodNode {
    this.sc.next(); // '('
    const params: ParameterNode[] = [];
    if (this.sc.kind !== T_RParen) {
      do {
        const pq = this.sc.kind === T_LBrack ? this.qualifierList() : [];
        const t = this.typeRef();
        const pAt = this.sc.start;
        const p: ParameterNode = { quals: pq, name: this.ident('a parameter name'), nameAt: pAt, ...t };
        this.arraySpec(p);
        params.push(p);
      } while (this.accept(T_Comma));
    }
    this.expect(T_RParen, "',' or ')'");
    this.expect(T_Semi);
    return { kind: 'method', quals, returnType, name, nameAt, at, params };
  }

  private instanceDecl(at: number, quals: QualifierNode[]): InstanceNode {
    this.sc.next(); // 'instance'
    this.expectKw('of');
    const classAt = this.sc.start;
    const className = this.ident('a class name');
    let alias: string | undefined;
    let aliasAt = classAt;
    if (this.atKw('as')) {
      this.sc.next();
      aliasAt = this.expect(T_Dollar);
      alias = this.ident('an alias name');
    }
    this.expect(T_LBrace);
    const props: PropertyValueNode[] = [];
    while (this.sc.kind !== T_RBrace && this.sc.kind !== T_EOF) {
      const start = this.sc.start;
      try {
        const pq = this.sc.kind === T_LBrack ? this.qualifierList() : [];
        const pAt = this.sc.start;
        const name = this.ident('a property name');
        this.expect(T_Eq);
        const value = this.initializer();
        this.expect(T_Semi);
        props.push({ quals: pq, name, at: pAt, value });
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.syncFeature();
        if (this.sc.start === start) this.sc.next();
      }
    }
    this.expect(T_RBrace);
    this.expectClosingSemi();
    return { kind: 'instance', file: this.file, at, quals, className, classAt, alias, aliasAt, props };
  }

  private qualifierDecl(at: number): QualifierDeclNode {
    this.sc.next(); // 'qualifier'
    const nameAt = this.sc.start;
    const name = this.ident('a qualifier name');
    this.expect(T_Colon);
    const type = this.typeRef();
    this.arraySpec(type);
    let defaultValue: ValueNode | undefined;
    if (this.accept(T_Eq)) defaultValue = this.initializer();
    this.accept(T_Comma);
    this.expectKw('scope');
    const scopes = this.keywordList();
    const flavors: FlavorNode[] = [];
    this.accept(T_Comma);
    if (this.atKw('flavor')) {
      this.sc.next();
      flavors.push(...this.keywordList());
    }
    this.expect(T_Semi);
    return { kind: 'qualifierDecl', file: this.file, at, name, nameAt, type, defaultValue, scopes, flavors };
  }

  private keywordList(): FlavorNode[] {
    this.expect(T_LParen);
    const out: FlavorNode[] = [];
    do out.push({ at: this.sc.start, name: this.ident('a keyword') });
    while (this.accept(T_Comma));
    this.expect(T_RParen, "',' or ')'");
    return out;
  }

  // --- values --------------------------------------------------------------------------

  private initializer(): ValueNode {
    return this.sc.kind === T_LBrace ? this.arrayValue() : this.constantValue();
  }

  private arrayValue(): ValueNode {
    const at = this.expect(T_LBrace);
    const items: Literal[] = [];
    if (this.sc.kind !== T_RBrace) {
      do items.push(this.constantValue());
      while (this.accept(T_Comma));
    }
    this.expect(T_RBrace, "',' or '}'");
    return { k: 'array', items, at };
  }

  /** A scalar literal; adjacent string literals are concatenated (mof-language.md 1.1). */
  private constantValue(): Literal {
    const sc = this.sc;
    const at = sc.start;
    switch (sc.kind) {
      case T_Int: {
        const v = sc.int;
        sc.next();
        return { k: 'int', v, at };
      }
      case T_Real: {
        const v = sc.real;
        sc.next();
        return { k: 'real', v, at };
      }
      case T_Char: {
        const v = sc.text;
        sc.next();
        return { k: 'char', v, at };
      }
      case T_String: {
        let v = sc.text;
        sc.next();
        while (sc.kind === T_String) {
          v += sc.text;
          sc.next();
        }
        return { k: 'str', v, at };
      }
      case T_Dollar: {
        sc.next();
        return { k: 'alias', name: this.ident('an alias name'), at };
      }
      case T_Ident: {
        const t = sc.text.toLowerCase();
        if (t === 'true' || t === 'false') {
          sc.next();
          return { k: 'bool', v: t === 'true', at };
        }
        if (t === 'null') {
          sc.next();
          return { k: 'null', at };
        }
      }
    }
    return this.fail(`expected a value, found ${this.found()}`);
  }
}

/** Parses one source file into its productions, reporting syntax errors through `report`. */
export function parseMof(file: SourceFile, report: ParseReport): Production[] {
  return new Parser(file, report).parseAll();
}
