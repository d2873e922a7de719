/** Scanner: every literal form, comments, keywords-as-identifiers, and positions. */
import { expect } from 'chai';
import { Scanner, T, TOKEN_NAMES } from '../../../src/mof/scanner.js';

type Tok = [kind: string, value?: string | bigint | number];

function scan(text: string): { toks: Tok[]; errors: string[] } {
  const errors: string[] = [];
  const sc = new Scanner(text, (at, code) => errors.push(`${code}@${at}`));
  const toks: Tok[] = [];
  for (; sc.kind !== T.EOF; sc.next()) {
    const name = TOKEN_NAMES[sc.kind];
    if (sc.kind === T.Int) toks.push([name, sc.int]);
    else if (sc.kind === T.Real) toks.push([name, sc.real]);
    else if (sc.kind === T.Ident || sc.kind === T.String || sc.kind === T.Char) toks.push([name, sc.text]);
    else toks.push([name]);
  }
  return { toks, errors };
}

const LITERALS: [desc: string, text: string, expected: Tok][] = [
  ['decimal', '42', ['integer', 42n]],
  ['zero', '0', ['integer', 0n]],
  ['negative decimal', '-17', ['integer', -17n]],
  ['positive sign', '+17', ['integer', 17n]],
  ['binary', '101b', ['integer', 5n]],
  ['binary upper-case suffix', '-11B', ['integer', -3n]],
  ['octal', '017', ['integer', 15n]],
  ['octal zero prefix', '010', ['integer', 8n]],
  ['hex', '0x1F', ['integer', 31n]],
  ['hex upper-case prefix', '0XfF', ['integer', 255n]],
  ['negative hex', '-0x10', ['integer', -16n]],
  ['uint64 max', '18446744073709551615', ['integer', 18446744073709551615n]],
  ['real', '3.25', ['real', 3.25]],
  ['real without integer part', '.5', ['real', 0.5]],
  ['negative real', '-2.5', ['real', -2.5]],
  ['real with exponent', '1.5e3', ['real', 1500]],
  ['real with negative exponent', '2.5E-2', ['real', 0.025]],
  ['real with signed exponent', '1.0e+2', ['real', 100]],
  ['string', '"abc"', ['string', 'abc']],
  ['empty string', '""', ['string', '']],
  ['string escapes', '"a\\tb\\nc\\rd\\fe\\bf"', ['string', 'a\tb\nc\rd\fe\bf']],
  ['string quote escapes', '"\\"x\\" \\\'y\\\' \\\\"', ['string', '"x" \'y\' \\']],
  ['\\x escape', '"\\x41\\x042"', ['string', 'AB']],
  ['\\X escape upper case', '"\\X00e9t\\xE9"', ['string', 'été']],
  ['\\x escape with 4 digits then text', '"\\x263Ax"', ['string', '\u263Ax']],
  ['unicode kept', '"ü→"', ['string', 'ü→']],
  ['char16', "'a'", ['char16', 'a']],
  ['char16 escape', "'\\n'", ['char16', '\n']],
  ['char16 hex escape', "'\\x41'", ['char16', 'A']],
  ['char16 quote', "'\\''", ['char16', "'"]],
  ['identifier', 'CIM_Foo_2', ['identifier', 'CIM_Foo_2']],
  ['identifier with non-ASCII letters', 'Größe', ['identifier', 'Größe']],
  ['keyword is an identifier token', 'CLASS', ['identifier', 'CLASS']],
  ['true', 'TRUE', ['identifier', 'TRUE']],
];

describe('mof scanner', () => {
  for (const [desc, text, expected] of LITERALS) {
    it(`literal: ${desc}`, () => {
      const { toks, errors } = scan(text);
      expect(errors).to.deep.equal([]);
      expect(toks).to.deep.equal([expected]);
    });
  }

  it('scans punctuation', () => {
    expect(scan('#[](){};,:=$.').toks.map((t) => t[0])).to.deep.equal(
      ["'#'", "'['", "']'", "'('", "')'", "'{'", "'}'", "';'", "','", "':'", "'='", "'$'", "'.'"],
    );
  });

  it('skips comments of both kinds, CR, LF and CRLF line ends and a BOM', () => {
    const { toks, errors } = scan('\uFEFFa // line\r\nb /* block\n * more */ c\r/**/d');
    expect(errors).to.deep.equal([]);
    expect(toks).to.deep.equal([['identifier', 'a'], ['identifier', 'b'], ['identifier', 'c'], ['identifier', 'd']]);
  });

  it('does not see comments inside strings', () => {
    expect(scan('"a // b /* c */"').toks).to.deep.equal([['string', 'a // b /* c */']]);
  });

  it('keeps adjacent strings as separate tokens (the parser joins them)', () => {
    expect(scan('"ab" /* x */ "cd"').toks).to.deep.equal([['string', 'ab'], ['string', 'cd']]);
  });

  it('separates a number from following punctuation', () => {
    expect(scan('{1,-2,0x3}').toks).to.deep.equal([
      ["'{'"], ['integer', 1n], ["','"], ['integer', -2n], ["','"], ['integer', 3n], ["'}'"],
    ]);
  });

  it('records token offsets', () => {
    const sc = new Scanner('  abc\n "x"', () => undefined);
    expect([sc.start, sc.end]).to.deep.equal([2, 5]);
    sc.next();
    expect([sc.start, sc.end]).to.deep.equal([7, 10]);
  });

  const BAD: [string, string, string][] = [
    ['raw newline in a string', '"ab\ncd"', 'MOF002@0'],
    ['unterminated string at EOF', '"abc', 'MOF002@0'],
    ['unknown escape', '"\\q"', 'MOF004@1'],
    ['octal digit 9', '019', 'MOF005@0'],
    ['real with two dots', '1.2.3', 'MOF006@0'],
    ['two-character char16', "'ab'", 'MOF007@0'],
    ['unexpected character', '%', 'MOF001@0'],
    ['unterminated block comment', 'a /* b', 'MOF003@2'],
  ];
  for (const [desc, text, err] of BAD) {
    it(`reports ${desc} and goes on`, () => {
      const { errors } = scan(text + ' z');
      expect(errors).to.include(err);
    });
  }
});
