/** Parser: productions, every value form in initializers, and positions on nodes. */
import { expect } from 'chai';
import type { ClassNode, InstanceNode, PropertyNode, QualifierDeclNode, ValueNode } from '../../../src/mof/ast.js';
import { SourceFile } from '../../../src/mof/diagnostics.js';
import { parseMof } from '../../../src/mof/parser.js';

function parse(text: string) {
  const errors: string[] = [];
  const file = new SourceFile('t.mof', text);
  const prods = parseMof(file, (at, code, msg) => errors.push(`${code}@${at}: ${msg}`));
  return { prods, errors, file };
}

/** The default value of property X in `class A { <decl> };`, as a plain structure. */
function defaultOf(decl: string): unknown {
  const { prods, errors } = parse(`class A { ${decl} };`);
  expect(errors).to.deep.equal([]);
  const v = ((prods[0] as ClassNode).features[0] as PropertyNode).defaultValue!;
  return plain(v);
}

function plain(v: ValueNode): unknown {
  switch (v.k) {
    case 'array': return v.items.map(plain);
    case 'null': return null;
    case 'alias': return `$${v.name}`;
    default: return v.v;
  }
}

const VALUES: [string, string, unknown][] = [
  ['decimal', 'sint32 X = -12;', -12n],
  ['binary', 'uint8 X = 1010b;', 10n],
  ['octal', 'uint8 X = 0755;', 493n],
  ['hex', 'uint32 X = 0xDEADbeef;', 0xdeadbeefn],
  ['real', 'real64 X = -1.25e-3;', -0.00125],
  ['string', 'string X = "a\\"b";', 'a"b'],
  ['concatenated strings across lines and comments', 'string X = "ab" // c\n "cd" /* d */ "ef";', 'abcdef'],
  ['char16', "char16 X = '\\x263A';", '\u263A'],
  ['true (any case)', 'boolean X = True;', true],
  ['false', 'boolean X = FALSE;', false],
  ['null', 'string X = NULL;', null],
  ['datetime string', 'datetime X = "20240102030405.000000+000";', '20240102030405.000000+000'],
  ['array', 'uint8 X[] = {1, 0x2, 011};', [1n, 2n, 9n]],
  ['empty array', 'string X[] = {};', []],
  ['array with null and concatenation', 'string X[] = {"a" "b", null};', ['ab', null]],
  ['fixed array', 'uint8 X[3] = {1, 2};', [1n, 2n]],
  ['alias', 'T REF X = $Disk1;', '$Disk1'],
];

describe('mof parser', () => {
  for (const [desc, decl, expected] of VALUES) {
    it(`value: ${desc}`, () => {
      expect(defaultOf(decl)).to.deep.equal(expected);
    });
  }

  it('parses a class with qualifiers, superclass, properties, references and methods', () => {
    const { prods, errors } = parse(`
      [Abstract, Description("x" "y"), ValueMap{"1", "2"}, Key : DisableOverride ToSubclass]
      CLASS A_B : A_Base {
        [Key] string Id;
        uint8 Mac[6];
        string Names[];
        A_X Ref Target;
        [Static] uint32 Go([IN] string S, [In(false), Out] A_Y REF Out1, uint16 Codes[]);
        uint32 Nothing();
      };`);
    expect(errors).to.deep.equal([]);
    const c = prods[0] as ClassNode;
    expect([c.kind, c.name, c.superclass]).to.deep.equal(['class', 'A_B', 'A_Base']);
    expect(c.quals.map((q) => [q.name, q.value && plain(q.value), q.flavors.map((f) => f.name)])).to.deep.equal([
      ['Abstract', undefined, []],
      ['Description', 'xy', []],
      ['ValueMap', ['1', '2'], []],
      ['Key', undefined, ['DisableOverride', 'ToSubclass']],
    ]);
    const f = c.features;
    expect(f.map((x) => x.kind)).to.deep.equal(['property', 'property', 'property', 'property', 'method', 'method']);
    const [id, mac, names, target] = f as PropertyNode[];
    expect([id.type, id.isArray, id.quals[0].name]).to.deep.equal(['string', false, 'Key']);
    expect([mac.type, mac.isArray, mac.arraySize]).to.deep.equal(['uint8', true, 6]);
    expect([names.isArray, names.arraySize]).to.deep.equal([true, undefined]);
    expect([target.type, target.refClass]).to.deep.equal(['reference', 'A_X']);
    const go = f[4];
    if (go.kind !== 'method') throw new Error('not a method');
    expect(go.returnType.type).to.equal('uint32');
    expect(go.params.map((p) => [p.name, p.type, p.refClass, p.isArray])).to.deep.equal([
      ['S', 'string', undefined, false], ['Out1', 'reference', 'A_Y', false], ['Codes', 'uint16', undefined, true],
    ]);
  });

  it('accepts keywords as names where the grammar allows it', () => {
    const { prods, errors } = parse('class Scope { string Property; uint8 Flavor; string Qualifier(uint8 Class); };');
    expect(errors).to.deep.equal([]);
    expect((prods[0] as ClassNode).features.map((f) => f.name)).to.deep.equal(['Property', 'Flavor', 'Qualifier']);
  });

  it('parses qualifier declarations', () => {
    const { prods, errors } = parse(
      'Qualifier Max : uint32 = null, Scope(reference);\n' +
      'qualifier ValueMap : string[], scope(property, method, parameter), flavor(EnableOverride, ToSubclass);\n' +
      'Qualifier Fixed : uint8[4] = {1, 2}, Scope(any);',
    );
    expect(errors).to.deep.equal([]);
    const q = prods as QualifierDeclNode[];
    expect(q.map((d) => [d.name, d.type.type, d.type.isArray, d.type.arraySize, d.scopes.map((s) => s.name), d.flavors.map((f) => f.name)])).to.deep.equal([
      ['Max', 'uint32', false, undefined, ['reference'], []],
      ['ValueMap', 'string', true, undefined, ['property', 'method', 'parameter'], ['EnableOverride', 'ToSubclass']],
      ['Fixed', 'uint8', true, 4, ['any'], []],
    ]);
    expect(plain(q[0].defaultValue!)).to.equal(null);
  });

  it('parses instances with aliases and pragmas', () => {
    const { prods, errors } = parse(
      '#pragma namespace ("root/x")\n#PRAGMA include ("a" "\\\\b.mof")\n' +
      'instance of A_B as $a1 { Id = "x"; [Description("d")] Names = {"p", "q"}; Ref = $a0; };',
    );
    expect(errors).to.deep.equal([]);
    expect(prods.slice(0, 2).map((p) => p.kind === 'pragma' && [p.name, p.arg])).to.deep.equal([
      ['namespace', 'root/x'], ['include', 'a\\b.mof'],
    ]);
    const i = prods[2] as InstanceNode;
    expect([i.className, i.alias]).to.deep.equal(['A_B', 'a1']);
    expect(i.props.map((p) => [p.name, plain(p.value), p.quals.length])).to.deep.equal([
      ['Id', 'x', 0], ['Names', ['p', 'q'], 1], ['Ref', '$a0', 0],
    ]);
  });

  it('puts positions on nodes', () => {
    const { prods, file } = parse('\n  [Key] class A : B {\n    [Key] string Id = "x";\n    uint8 M([In] string P);\n};');
    const c = prods[0] as ClassNode;
    const lc = (at: number) => { const p = file.lineCol(at); return [p.line, p.col]; };
    expect(lc(c.at)).to.deep.equal([2, 3]);
    expect(lc(c.nameAt)).to.deep.equal([2, 15]);
    expect(lc(c.superAt)).to.deep.equal([2, 19]);
    expect(lc(c.quals[0].at)).to.deep.equal([2, 4]);
    const id = c.features[0] as PropertyNode;
    expect([lc(id.at), lc(id.nameAt), lc(id.defaultValue!.at), lc(id.quals[0].at)]).to.deep.equal([[3, 11], [3, 18], [3, 23], [3, 6]]);
    const m = c.features[1];
    if (m.kind !== 'method') throw new Error('not a method');
    expect([lc(m.nameAt), lc(m.params[0].at), lc(m.params[0].nameAt), lc(m.params[0].quals[0].at)]).to.deep.equal([[4, 11], [4, 18], [4, 25], [4, 14]]);
  });

  it('keeps a class whose closing ; is missing', () => {
    const { prods, errors } = parse('class A { string X; }\nclass B { };\ninstance of B { }\nclass C { };');
    expect(errors.map((e) => e.slice(0, 10))).to.deep.equal(['MOF010@22:', 'MOF010@53:']);
    expect(prods.map((p) => p.kind === 'class' ? p.name : p.kind)).to.deep.equal(['A', 'B', 'instance', 'C']);
  });

  it('recovers at ; inside a class body and at }; between productions', () => {
    const { prods, errors } = parse('class A { uint8 = 1; string Ok; };\nclass B { string X };\nclass C { };');
    expect(errors.map((e) => e.slice(0, 6))).to.deep.equal(['MOF010', 'MOF010']);
    expect(prods.map((p) => (p as ClassNode).name)).to.deep.equal(['A', 'B', 'C']);
    expect((prods[0] as ClassNode).features.map((f) => f.name)).to.deep.equal(['Ok']);
    expect((prods[1] as ClassNode).features).to.deep.equal([]);
  });
});
