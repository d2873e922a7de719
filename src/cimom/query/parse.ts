/**
 * WQL and DMTF:CQL parser for the subset real clients send (hyperv-v1-networking.md 10):
 *   SELECT * | p1, p2 FROM Class [[AS] alias] [WHERE expr]
 *   ASSOCIATORS OF {path} [WHERE AssocClass=X ResultClass=X Role=R ResultRole=R ClassDefsOnly ...]
 *   REFERENCES OF {path} [WHERE ResultClass=X Role=R ClassDefsOnly ...]
 * expr: OR / AND / NOT / parentheses over comparisons (= <> != < <= > >=), [NOT] LIKE,
 * IS [NOT] NULL and ISA. DMTF:FQL filters use the same expression grammar (parseFilter).
 * Every node keeps its offset; errors are CIM_ERR_INVALID_QUERY naming the 1-based
 * position and what was expected there.
 */
import { CimError } from '../../cim/errors.js';

export type Dialect = 'WQL' | 'CQL' | 'FQL';
export type CmpOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Operand =
  | { k: 'prop'; name: string; pos: number }
  | { k: 'lit'; v: string | number | bigint | boolean | null; quoted: boolean; pos: number };

export type Expr =
  | { k: 'and' | 'or'; a: Expr; b: Expr }
  | { k: 'not'; e: Expr }
  | { k: 'cmp'; op: CmpOp; l: Operand; r: Operand }
  | { k: 'like'; neg: boolean; l: Operand; pattern: Operand }
  | { k: 'isnull'; neg: boolean; o: Operand }
  | { k: 'isa'; o: Operand; cls: string; pos: number };

export interface SelectQuery {
  kind: 'select';
  /** null for `*`. */
  props: Array<{ name: string; pos: number }> | null;
  from: { name: string; pos: number };
  where: Expr | null;
}

export interface TraversalQuery {
  kind: 'associators' | 'references';
  path: string;
  pathPos: number;
  AssocClass: string | null;
  ResultClass: string | null;
  Role: string | null;
  ResultRole: string | null;
  ClassDefsOnly: boolean;
  /** Result objects' classes (references: association classes) must carry this qualifier. */
  RequiredQualifier: string | null;
  /** Association classes must carry this qualifier (ASSOCIATORS OF only). */
  RequiredAssocQualifier: string | null;
}

export type Query = SelectQuery | TraversalQuery;

type Tok =
  | { t: 'id'; v: string; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: 'num'; v: number | bigint; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'end'; pos: number };

class Lexer {
  pos = 0;
  private peeked: Tok | undefined;
  constructor(
    readonly text: string,
    readonly dialect: Dialect,
  ) {}

  fail(what: string, at: number): never {
    const where = at >= this.text.length ? 'at the end of the query' : `at position ${at + 1} (near ${JSON.stringify(this.text.slice(at, at + 12))})`;
    throw new CimError('CIM_ERR_INVALID_QUERY', `${this.dialect === 'FQL' ? 'filter' : this.dialect + ' query'}: ${what} ${where}`);
  }

  peek(): Tok {
    this.peeked ??= this.scan();
    return this.peeked;
  }
  next(): Tok {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }
  /** True (and consumed) when the next token is the keyword `kw`. */
  eatKw(kw: string): boolean {
    const t = this.peek();
    if (t.t === 'id' && t.v.toUpperCase() === kw) {
      this.next();
      return true;
    }
    return false;
  }
  eatOp(op: string): boolean {
    const t = this.peek();
    if (t.t === 'op' && t.v === op) {
      this.next();
      return true;
    }
    return false;
  }
  expectKw(kw: string): void {
    if (!this.eatKw(kw)) this.fail(`expected ${kw}`, this.peek().pos);
  }
  ident(what: string): { name: string; pos: number } {
    const t = this.next();
    if (t.t !== 'id') this.fail(`expected ${what}`, t.pos);
    return { name: t.v, pos: t.pos };
  }

  /** The raw text of `{ ... }` (quotes respected), for object paths in traversal queries. */
  braced(): { text: string; pos: number } {
    if (this.peeked) this.fail('expected "{"', this.peeked.pos);
    this.skipSpace();
    if (this.text[this.pos] !== '{') this.fail('expected "{" and an object path', this.pos);
    const start = ++this.pos;
    let quote: string | null = null;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos];
      if (quote) {
        if (c === '\\') this.pos++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '}') {
        const text = this.text.slice(start, this.pos).trim();
        this.pos++;
        if (!text) this.fail('expected an object path inside "{}"', start);
        return { text, pos: start };
      }
    }
    return this.fail('unterminated "{"', start - 1);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private scan(): Tok {
    this.skipSpace();
    const s = this.text;
    const pos = this.pos;
    if (pos >= s.length) return { t: 'end', pos };
    const c = s[pos];
    if (/[\p{L}_]/u.test(c)) {
      let e = pos + 1;
      while (e < s.length && /[\p{L}\p{N}_]/u.test(s[e])) e++;
      this.pos = e;
      return { t: 'id', v: s.slice(pos, e), pos };
    }
    if (/[0-9]/.test(c) || ((c === '-' || c === '+') && /[0-9.]/.test(s[pos + 1] ?? '')) || (c === '.' && /[0-9]/.test(s[pos + 1] ?? ''))) {
      return this.number(pos);
    }
    if (c === "'" || (c === '"' && this.dialect !== 'CQL')) return this.string(pos, c);
    for (const op of ['<=', '>=', '<>', '!=', '=', '<', '>', '(', ')', ',', '*', '.']) {
      if (s.startsWith(op, pos)) {
        this.pos = pos + op.length;
        return { t: 'op', v: op === '!=' ? '<>' : op, pos };
      }
    }
    return this.fail(`unexpected character ${JSON.stringify(c)}`, pos);
  }

  private number(pos: number): Tok {
    const m = /^[+-]?(0x[0-9a-f]+|[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?)/i.exec(this.text.slice(pos))!;
    this.pos = pos + m[0].length;
    if (/[\p{L}_]/u.test(this.text[this.pos] ?? '')) this.fail('bad number', pos);
    const w = m[0];
    if (/^[+-]?0x/i.test(w)) return { t: 'num', v: BigInt(w.replace(/^[+-]/, '')) * (w.startsWith('-') ? -1n : 1n), pos };
    if (/^[+-]?[0-9]+$/.test(w)) {
      const b = BigInt(w);
      return { t: 'num', v: b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b, pos };
    }
    return { t: 'num', v: Number(w), pos };
  }

  /** WQL: backslash escapes (\\ \" \'); CQL also doubles the quote (''). */
  private string(pos: number, q: string): Tok {
    let out = '';
    let i = pos + 1;
    const s = this.text;
    while (i < s.length) {
      const c = s[i];
      if (c === '\\' && i + 1 < s.length && (s[i + 1] === '\\' || s[i + 1] === '"' || s[i + 1] === "'")) {
        out += s[i + 1];
        i += 2;
        continue;
      }
      if (c === q) {
        if (s[i + 1] === q) {
          out += q;
          i += 2;
          continue;
        }
        this.pos = i + 1;
        return { t: 'str', v: out, pos };
      }
      out += c;
      i++;
    }
    return this.fail('unterminated string', pos);
  }
}

class Parser {
  constructor(readonly lx: Lexer) {}

  query(): Query {
    const lx: Lexer = this.lx;
    let q: Query;
    if (lx.eatKw('SELECT')) q = this.select();
    else if (lx.eatKw('ASSOCIATORS')) q = this.traversal('associators');
    else if (lx.eatKw('REFERENCES')) q = this.traversal('references');
    else return lx.fail('expected SELECT, ASSOCIATORS OF or REFERENCES OF', lx.peek().pos);
    this.end();
    return q;
  }

  end(): void {
    const t = this.lx.peek();
    if (t.t !== 'end') this.lx.fail('unexpected text', t.pos);
  }

  private select(): SelectQuery {
    const lx: Lexer = this.lx;
    let props: SelectQuery['props'] = null;
    if (!lx.eatOp('*')) {
      props = [];
      do props.push(this.propName('a property name or "*"')); while (lx.eatOp(','));
    }
    lx.expectKw('FROM');
    const from = lx.ident('a class name');
    let alias: string | undefined;
    if (lx.eatKw('AS')) alias = lx.ident('an alias').name;
    else if (lx.peek().t === 'id' && !/^where$/i.test((lx.peek() as { v: string }).v)) alias = lx.ident('an alias').name;
    const where = lx.eatKw('WHERE') ? this.expr() : null;
    const strip = (p: { name: string; pos: number }) => ({ ...p, name: stripQualifier(p.name, from.name, alias) });
    if (props) props = props.map(strip).filter((p) => p.name !== '*');
    if (props && props.length === 0) props = null;
    return { kind: 'select', props, from, where: where && qualify(where, (n) => stripQualifier(n, from.name, alias)) };
  }

  /** A property name, possibly qualified (`Class.Prop`, `alias.Prop`, `Class.*`). */
  private propName(what: string): { name: string; pos: number } {
    const id = this.lx.ident(what);
    if (this.lx.eatOp('.')) {
      if (this.lx.eatOp('*')) return { name: id.name + '.*', pos: id.pos };
      return { name: id.name + '.' + this.lx.ident('a property name').name, pos: id.pos };
    }
    return id;
  }

  private traversal(kind: 'associators' | 'references'): TraversalQuery {
    const lx: Lexer = this.lx;
    lx.expectKw('OF');
    const { text, pos } = lx.braced();
    const q: TraversalQuery = { kind, path: text, pathPos: pos, AssocClass: null, ResultClass: null, Role: null, ResultRole: null, ClassDefsOnly: false, RequiredQualifier: null, RequiredAssocQualifier: null };
    if (!lx.eatKw('WHERE')) return q;
    const allowed = kind === 'associators'
      ? ['ASSOCCLASS', 'RESULTCLASS', 'ROLE', 'RESULTROLE', 'REQUIREDQUALIFIER', 'REQUIREDASSOCQUALIFIER', 'CLASSDEFSONLY', 'SCHEMAONLY']
      : ['RESULTCLASS', 'ROLE', 'REQUIREDQUALIFIER', 'CLASSDEFSONLY', 'SCHEMAONLY'];
    let any = false;
    while (lx.peek().t === 'id') {
      const kw = lx.ident('a keyword');
      const K = kw.name.toUpperCase();
      if (!allowed.includes(K)) lx.fail(`unknown ${kind === 'associators' ? 'ASSOCIATORS' : 'REFERENCES'} OF keyword ${kw.name}`, kw.pos);
      any = true;
      if (K === 'CLASSDEFSONLY') q.ClassDefsOnly = true;
      else if (K === 'SCHEMAONLY') lx.fail('SchemaOnly is not supported', kw.pos);
      else {
        if (!lx.eatOp('=')) lx.fail(`expected "=" after ${kw.name}`, lx.peek().pos);
        const v = lx.next();
        if (v.t !== 'id' && v.t !== 'str') lx.fail(`expected a name after ${kw.name} =`, v.pos);
        if (K === 'ASSOCCLASS') q.AssocClass = v.v;
        else if (K === 'RESULTCLASS') q.ResultClass = v.v;
        else if (K === 'ROLE') q.Role = v.v;
        else if (K === 'RESULTROLE') q.ResultRole = v.v;
        else if (K === 'REQUIREDQUALIFIER') q.RequiredQualifier = v.v;
        else q.RequiredAssocQualifier = v.v;
      }
    }
    if (!any) lx.fail('expected a keyword after WHERE', lx.peek().pos);
    return q;
  }

  expr(): Expr {
    let a = this.and();
    while (this.lx.eatKw('OR')) a = { k: 'or', a, b: this.and() };
    return a;
  }
  private and(): Expr {
    let a = this.not();
    while (this.lx.eatKw('AND')) a = { k: 'and', a, b: this.not() };
    return a;
  }
  private not(): Expr {
    if (this.lx.eatKw('NOT')) return { k: 'not', e: this.not() };
    return this.primary();
  }
  private primary(): Expr {
    const lx: Lexer = this.lx;
    if (lx.eatOp('(')) {
      const e = this.expr();
      if (!lx.eatOp(')')) lx.fail('expected ")"', lx.peek().pos);
      return e;
    }
    const l = this.operand();
    if (lx.eatKw('IS')) {
      const neg = lx.eatKw('NOT');
      lx.expectKw('NULL');
      return { k: 'isnull', neg, o: l };
    }
    if (lx.eatKw('ISA')) {
      const t = lx.next();
      if (t.t !== 'id' && t.t !== 'str') lx.fail('expected a class name after ISA', t.pos);
      return { k: 'isa', o: l, cls: t.v, pos: t.pos };
    }
    const neg = lx.eatKw('NOT');
    if (lx.eatKw('LIKE')) {
      const p = this.operand();
      if (p.k !== 'lit' || typeof p.v !== 'string') lx.fail('expected a string pattern after LIKE', p.pos);
      return { k: 'like', neg, l, pattern: p };
    }
    if (neg) lx.fail('expected LIKE after NOT', lx.peek().pos);
    const t = lx.next();
    if (t.t !== 'op' || !['=', '<>', '<', '<=', '>', '>='].includes(t.v)) lx.fail('expected a comparison operator', t.pos);
    return { k: 'cmp', op: t.v as CmpOp, l, r: this.operand() };
  }
  private operand(): Operand {
    const lx: Lexer = this.lx;
    const t = lx.peek();
    if (t.t === 'str') return (lx.next(), { k: 'lit', v: t.v, quoted: true, pos: t.pos });
    if (t.t === 'num') return (lx.next(), { k: 'lit', v: t.v, quoted: false, pos: t.pos });
    if (t.t === 'id') {
      const u = t.v.toUpperCase();
      if (u === 'TRUE' || u === 'FALSE') return (lx.next(), { k: 'lit', v: u === 'TRUE', quoted: false, pos: t.pos });
      if (u === 'NULL') return (lx.next(), { k: 'lit', v: null, quoted: false, pos: t.pos });
      if (['AND', 'OR', 'NOT', 'LIKE', 'IS', 'ISA', 'WHERE', 'FROM', 'SELECT'].includes(u)) lx.fail('expected a property name or a value', t.pos);
      const p = this.propName('a property name');
      return { k: 'prop', name: p.name, pos: p.pos };
    }
    return lx.fail('expected a property name or a value', t.pos);
  }
}

function stripQualifier(name: string, cls: string, alias: string | undefined): string {
  const dot = name.indexOf('.');
  if (dot < 0) return name;
  const q = name.slice(0, dot).toLowerCase();
  if (q === cls.toLowerCase() || (alias && q === alias.toLowerCase())) return name.slice(dot + 1);
  return name;
}

function qualify(e: Expr, f: (n: string) => string): Expr {
  const op = (o: Operand): Operand => (o.k === 'prop' ? { ...o, name: f(o.name) } : o);
  switch (e.k) {
    case 'and':
    case 'or':
      return { k: e.k, a: qualify(e.a, f), b: qualify(e.b, f) };
    case 'not':
      return { k: 'not', e: qualify(e.e, f) };
    case 'cmp':
      return { ...e, l: op(e.l), r: op(e.r) };
    case 'like':
      return { ...e, l: op(e.l) };
    case 'isnull':
      return { ...e, o: op(e.o) };
    case 'isa':
      return { ...e, o: op(e.o) };
  }
}

export function parseQuery(text: string, dialect: 'WQL' | 'CQL'): Query {
  return new Parser(new Lexer(text, dialect)).query();
}

/** A DMTF:FQL filter (DSP0212 subset): just the boolean expression. */
export function parseFilter(text: string): Expr {
  const p = new Parser(new Lexer(text, 'FQL'));
  const e = p.expr();
  p.end();
  return e;
}
