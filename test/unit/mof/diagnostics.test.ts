/**
 * Every diagnostic the compiler gives for malformed MOF: code, line and column, one row per
 * case. Positions point at the offending token (the qualifier name, the literal, the type...).
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { compileFiles, compileText, formatDiagnostic, MOF } from '../../../src/mof/index.js';
import { compileCase } from './prelude.js';

type Row = [description: string, mof: string, code: string, line: number, col: number];

const CASES: Row[] = [
  // lexical
  ['unexpected character', 'class A_B { string X; };\n  @', MOF.UNEXPECTED_CHAR, 2, 3],
  ['unterminated string', '[Description("abc]\nclass X {};', MOF.UNTERMINATED_STRING, 1, 14],
  ['unterminated comment', 'class A {};\n/* open', MOF.UNTERMINATED_COMMENT, 2, 1],
  ['unknown escape', '[Description("a\\qb")] class A {};', MOF.BAD_ESCAPE, 1, 16],
  ['\\x without hex digits', '[Description("\\xZZ")] class A {};', MOF.BAD_ESCAPE, 1, 15],
  ['octal literal with 8', 'class A { uint8 X = 08; };', MOF.BAD_INTEGER, 1, 21],
  ['binary literal with 2', 'class A { uint8 X = 102b; };', MOF.BAD_INTEGER, 1, 21],
  ['hex literal with G', 'class A { uint8 X = 0xG1; };', MOF.BAD_INTEGER, 1, 21],
  ['decimal with letters', 'class A { uint8 X = 12abc; };', MOF.BAD_INTEGER, 1, 21],
  ['real with empty exponent', 'class A { real32 X = 1.5e; };', MOF.BAD_REAL, 1, 22],
  ['real without fraction digits', 'class A { real32 X = 1.; };', MOF.BAD_REAL, 1, 22],
  ['char16 of two characters', "class A { char16 C = 'ab'; };", MOF.BAD_CHAR, 1, 22],
  ['empty char16', "class A { char16 C = ''; };", MOF.BAD_CHAR, 1, 22],
  ['unterminated char16', "class A { char16 C = 'a; };", MOF.BAD_CHAR, 1, 22],
  // syntax
  ['missing ; after a property', 'class A {\n  string X\n};', MOF.SYNTAX, 3, 1],
  ['missing class name', 'class { };', MOF.SYNTAX, 1, 7],
  ['unknown production keyword', 'klass A {};', MOF.SYNTAX, 1, 1],
  ['missing ; after }', 'class A { string X; }', MOF.SYNTAX, 1, 22],
  ['missing value after =', 'class A { uint8 X = ; };', MOF.SYNTAX, 1, 21],
  ['unclosed qualifier value', '[Description("x" class A {};', MOF.SYNTAX, 1, 18],
  // pragmas and files
  ['pragma without parentheses', '#pragma include "x.mof"', MOF.BAD_PRAGMA, 1, 17],
  ['pragma with a non-string argument', '#pragma locale (en_US)', MOF.BAD_PRAGMA, 1, 17],
  ['# without pragma', '# foo', MOF.BAD_PRAGMA, 1, 3],
  ['unknown pragma (warning)', '#pragma frobnicate("x")', MOF.UNKNOWN_PRAGMA, 1, 1],
  ['include not found', '#pragma include ("nope.mof")', MOF.INCLUDE_NOT_FOUND, 1, 18],
  ['unknown property type', 'class A { strin X; };', MOF.UNKNOWN_TYPE, 1, 11],
  ['unknown parameter type', 'class A { uint32 M(strng P); };', MOF.UNKNOWN_TYPE, 1, 20],
  ['qualifier of REF type', 'Qualifier Q1 : T_Base REF, Scope(any);', MOF.UNKNOWN_TYPE, 1, 16],
  // qualifier declarations
  ['conflicting qualifier redeclaration (scope)', 'Qualifier Key : boolean = false, Scope(property);', MOF.DUPLICATE_QUALIFIER_DECL, 1, 11],
  ['conflicting qualifier redeclaration (default)', 'Qualifier Key : boolean = true, Scope(property, reference), Flavor(DisableOverride, ToSubclass);', MOF.DUPLICATE_QUALIFIER_DECL, 1, 11],
  ['unknown scope', 'Qualifier Q1 : boolean, Scope(propertee);', MOF.BAD_SCOPE, 1, 31],
  ['unknown flavor', 'Qualifier Q1 : boolean, Scope(any), Flavor(Sticky);', MOF.BAD_FLAVOR, 1, 44],
  ['conflicting flavors', 'Qualifier Q1 : boolean, Scope(any), Flavor(ToSubclass, Restricted);', MOF.BAD_FLAVOR, 1, 56],
  ['qualifier default of the wrong type', 'Qualifier Q1 : uint8 = "x", Scope(any);', MOF.VALUE_TYPE, 1, 24],
  // qualifier use
  ['unknown qualifier', '[Colour("red")] class A {};', MOF.UNKNOWN_QUALIFIER, 1, 2],
  ['property qualifier on a property-less scope', 'class A { [Abstract] string X; };', MOF.QUALIFIER_SCOPE, 1, 12],
  ['ValueMap on a class', '[ValueMap{"1"}] class A {};', MOF.QUALIFIER_SCOPE, 1, 2],
  ['Key on a method', 'class A { [Key] uint32 M(); };', MOF.QUALIFIER_SCOPE, 1, 12],
  ['Key on a parameter', 'class A { uint32 M([Key] string P); };', MOF.QUALIFIER_SCOPE, 1, 21],
  ['Association on a property', 'class A { [Association] string X; };', MOF.QUALIFIER_SCOPE, 1, 12],
  ['integer for a string qualifier', '[Description(5)] class A {};', MOF.QUALIFIER_TYPE, 1, 14],
  ['string for a uint32 qualifier', 'class A { [MaxLen("x")] string X; };', MOF.QUALIFIER_TYPE, 1, 19],
  ['real for a boolean qualifier', 'class A { [Key(1.5)] string X; };', MOF.QUALIFIER_TYPE, 1, 16],
  ['scalar for an array qualifier', 'class A { [ValueMap("1")] uint8 X; };', MOF.SCALAR_FOR_ARRAY, 1, 21],
  ['array for a scalar qualifier', '[Description{"a"}] class A {};', MOF.ARRAY_FOR_SCALAR, 1, 13],
  ['qualifier value out of range', 'class A { [MaxLen(-1)] string X; };', MOF.OUT_OF_RANGE, 1, 19],
  ['duplicate qualifier', '[Description("a"), Description("b")] class A {};', MOF.DUPLICATE_QUALIFIER, 1, 20],
  ['string qualifier without value', '[Description] class A {};', MOF.QUALIFIER_NEEDS_VALUE, 1, 2],
  ['DisableOverride qualifier changed', 'class A : T_Leaf { [Override("Id"), Key(false)] string Id; };', MOF.DISABLE_OVERRIDE, 1, 37],
  ['DisableOverride In changed on a parameter', 'class A : T_Leaf { [Override("Ping")] uint32 Ping([In(false)] string S, [In(false), Out] string Reply, [Out] uint16 Code); };', MOF.DISABLE_OVERRIDE, 1, 52],
  ['conflicting per-use flavors', 'class A { [Description("x") : ToSubclass Restricted] string X; };', MOF.BAD_FLAVOR, 1, 42],
  // classes
  ['duplicate class', 'class T_Base {};', MOF.DUPLICATE_CLASS, 1, 7],
  ['duplicate class, other case', 'class A {};\nclass a {};', MOF.DUPLICATE_CLASS, 2, 7],
  ['missing superclass', 'class A : Nope {};', MOF.MISSING_SUPERCLASS, 1, 11],
  ['duplicate property', 'class A { string X; uint8 x; };', MOF.DUPLICATE_MEMBER, 1, 27],
  ['property and method of one name', 'class A { string X; uint8 X(); };', MOF.DUPLICATE_MEMBER, 1, 27],
  ['override of a missing property', 'class A : T_Leaf { [Override("Nope")] string Nope; };', MOF.OVERRIDE_MISSING, 1, 21],
  ['override without a superclass', 'class A { [Override("X")] string X; };', MOF.OVERRIDE_MISSING, 1, 12],
  ['override naming another member', 'class A : T_Leaf { [Override("Name")] string Other; };', MOF.OVERRIDE_MISSING, 1, 21],
  ['override of a missing method', 'class A : T_Leaf { [Override("Pong")] uint32 Pong(); };', MOF.OVERRIDE_MISSING, 1, 21],
  ['redeclaring without Override', 'class A : T_Leaf { string Name; };', MOF.HIDES_INHERITED, 1, 27],
  ['override changing the type', 'class A : T_Leaf { [Override("Name")] uint8 Name; };', MOF.OVERRIDE_TYPE, 1, 39],
  ['override changing scalar to array', 'class A : T_Leaf { [Override("Name")] string Name[]; };', MOF.OVERRIDE_TYPE, 1, 39],
  ['override changing a return type', 'class A : T_Leaf { [Override("Ping")] string Ping(string S, [In(false), Out] string Reply, [Out] uint16 Code); };', MOF.OVERRIDE_TYPE, 1, 39],
  ['override with fewer parameters', 'class A : T_Leaf { [Override("Ping")] uint32 Ping(string S); };', MOF.OVERRIDE_TYPE, 1, 46],
  ['override with a parameter of another type', 'class A : T_Leaf { [Override("Ping")] uint32 Ping(string S, string Reply, uint32 Code); };', MOF.OVERRIDE_TYPE, 1, 46],
  ['association with one REF', '[Association] class A { T_Base REF X; };', MOF.ASSOCIATION_REFS, 1, 21],
  ['association with no REF', '[Association] class A { string X; };', MOF.ASSOCIATION_REFS, 1, 21],
  ['REF outside an association', 'class A { T_Base REF X; };', MOF.REF_OUTSIDE_ASSOCIATION, 1, 11],
  ['REF property array', '[Association] class A { T_Base REF X[]; T_Base REF Y; };', MOF.REF_OUTSIDE_ASSOCIATION, 1, 25],
  ['Key on an array', 'class A { [Key] string X[]; };', MOF.BAD_KEY, 1, 17],
  ['Key added below a keyed superclass', 'class A : T_Leaf { [Key] string More; };', MOF.BAD_KEY, 1, 33],
  ['Key added by an override below a keyed superclass', 'class A : T_Leaf { [Override("Name"), Key] string Name; };', MOF.BAD_KEY, 1, 51],
  ['association from a non-association', '[Association] class A : T_Leaf { T_Base REF X; T_Base REF Y; };', MOF.ASSOCIATION_KIND, 1, 21],
  ['REF to an unknown class', '[Association] class A { Nope REF X; T_Base REF Y; };', MOF.UNKNOWN_REF_CLASS, 1, 25],
  ['EmbeddedInstance of an unknown class', 'class A { [EmbeddedInstance("Nope")] string E; };', MOF.UNKNOWN_REF_CLASS, 1, 29],
  ['EmbeddedInstance parameter of an unknown class', 'class A { uint32 M([EmbeddedInstance("Nope")] string E); };', MOF.UNKNOWN_REF_CLASS, 1, 38],
  ['REF parameter to an unknown class', 'class A { uint32 M(Nope REF P); };', MOF.UNKNOWN_REF_CLASS, 1, 20],
  ['subclass of a Terminal class', '[Terminal] class A {};\nclass B : A {};', MOF.TERMINAL_SUPERCLASS, 2, 11],
  ['duplicate parameter', 'class A { uint32 M(string P, uint8 p); };', MOF.DUPLICATE_PARAMETER, 1, 36],
  // values
  ['string default for uint8', 'class A { uint8 X = "5"; };', MOF.VALUE_TYPE, 1, 21],
  ['integer default for boolean', 'class A { boolean B = 1; };', MOF.VALUE_TYPE, 1, 23],
  ['real default for an integer', 'class A { uint8 X = 1.5; };', MOF.VALUE_TYPE, 1, 21],
  ['boolean default for a string', 'class A { string S = true; };', MOF.VALUE_TYPE, 1, 22],
  ['two-character string for char16', 'class A { char16 C = "ab"; };', MOF.VALUE_TYPE, 1, 22],
  ['alias as a class default', 'class A { string S = $x; };', MOF.VALUE_TYPE, 1, 22],
  ['uint8 above range', 'class A { uint8 X = 256; };', MOF.OUT_OF_RANGE, 1, 21],
  ['sint8 below range', 'class A { sint8 X = -129; };', MOF.OUT_OF_RANGE, 1, 21],
  ['uint64 above range', 'class A { uint64 X = 18446744073709551616; };', MOF.OUT_OF_RANGE, 1, 22],
  ['negative for uint32', 'class A { uint32 X = -1; };', MOF.OUT_OF_RANGE, 1, 22],
  ['sint16 hex above range', 'class A { sint16 X = 0x8000; };', MOF.OUT_OF_RANGE, 1, 22],
  ['real32 above range', 'class A { real32 X = 1.0e39; };', MOF.OUT_OF_RANGE, 1, 22],
  ['array default for a scalar', 'class A { uint8 X = {1, 2}; };', MOF.ARRAY_FOR_SCALAR, 1, 21],
  ['scalar default for an array', 'class A { uint8 X[] = 1; };', MOF.SCALAR_FOR_ARRAY, 1, 23],
  ['bad array element', 'class A { uint8 X[] = {1, "a"}; };', MOF.VALUE_TYPE, 1, 27],
  ['bad datetime', 'class A { datetime D = "2020"; };', MOF.BAD_DATETIME, 1, 24],
  ['fixed array overflow', 'class A { uint8 X[2] = {1, 2, 3}; };', MOF.ARRAY_SIZE, 1, 24],
  ['bad object path default', '[Association] class A { T_Base REF X = "not a path"; T_Base REF Y; };', MOF.BAD_REFERENCE, 1, 40],
  // instances
  ['instance of an unknown class', 'instance of Nope { X = 1; };', MOF.UNKNOWN_CLASS, 1, 13],
  ['instance with an unknown property', 'instance of T_Leaf { Id = "a"; Colour = 1; };', MOF.UNKNOWN_PROPERTY, 1, 32],
  ['instance property given twice', 'instance of T_Leaf { Id = "a"; id = "b"; };', MOF.DUPLICATE_PROPERTY_VALUE, 1, 32],
  ['duplicate alias', 'instance of T_Leaf as $x { Id = "a"; };\ninstance of T_Leaf as $X { Id = "b"; };', MOF.DUPLICATE_ALIAS, 2, 23],
  ['unknown alias', 'instance of T_Assoc { A = $nope; B = $nope2; };', MOF.UNKNOWN_ALIAS, 1, 27],
  ['instance of an abstract class', 'instance of T_Base { Id = "a"; };', MOF.ABSTRACT_INSTANCE, 1, 13],
  ['instance value of the wrong type', 'instance of T_Leaf { Id = 5; };', MOF.VALUE_TYPE, 1, 27],
  ['instance value out of range', 'instance of T_Leaf { Id = "a"; Small = 300; };', MOF.OUT_OF_RANGE, 1, 40],
  ['instance without its key (warning)', 'instance of T_Leaf { Name = "n"; };', MOF.MISSING_KEY, 1, 13],
  ['duplicate instance', 'instance of T_Leaf { Id = "a"; };\ninstance of T_Leaf { Id = "a"; };', MOF.DUPLICATE_INSTANCE, 2, 1],
  ['alias for a non-reference', 'instance of T_Leaf as $a { Id = "a"; };\ninstance of T_Leaf { Id = $a; };', MOF.VALUE_TYPE, 2, 27],
  ['bad object path in an instance', 'instance of T_Assoc { A = "T_Leaf.Id="; B = "T_Leaf.Id=\\"b\\""; };', MOF.BAD_REFERENCE, 1, 27],
];

describe('mof diagnostics', () => {
  it('has at least 60 cases with distinct descriptions', () => {
    expect(CASES.length).to.be.at.least(60);
    expect(new Set(CASES.map((c) => c[0])).size).to.equal(CASES.length);
  });

  for (const [desc, mof, code, line, col] of CASES) {
    it(`${code} ${desc}`, () => {
      const r = compileCase(mof);
      const d = r.diagnostics.find((x) => x.code === code);
      expect(d, `no ${code}; got ${r.diagnostics.map((x) => `${x.code}@${x.line}:${x.col}`).join(' ')}`).to.exist;
      expect([d!.file, d!.line, d!.col]).to.deep.equal(['case.mof', line, col]);
      const warning = code === MOF.UNKNOWN_PRAGMA || code === MOF.MISSING_KEY;
      expect(d!.severity).to.equal(warning ? 'warning' : 'error');
      if (!warning) expect(r.errors).to.be.greaterThan(0);
    });
  }

  it('reports all three errors of one input', () => {
    const r = compileCase('[Colour(1)] class A {};\nclass B : Nope {};\nclass C { uint8 X = 300; };');
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col])).to.deep.equal([
      [MOF.UNKNOWN_QUALIFIER, 1, 2], [MOF.MISSING_SUPERCLASS, 2, 11], [MOF.OUT_OF_RANGE, 3, 21],
    ]);
    expect(r.errors).to.equal(3);
  });

  it('keeps going after syntax errors inside and between classes', () => {
    const r = compileCase('class A { string ; uint8 X = 1; };\nclass B { uint8 Y = ; };\nclass C : Nope {};');
    expect(r.diagnostics.map((d) => [d.code, d.line])).to.deep.equal([[MOF.SYNTAX, 1], [MOF.SYNTAX, 2], [MOF.MISSING_SUPERCLASS, 3]]);
    expect(r.repository.getClass('root/cimv2', 'A')?.properties.has('X')).to.equal(true);
  });

  it('formats a diagnostic with the source line and a caret', () => {
    const r = compileCase('class A {\n\tuint8 X = 256; };');
    expect(formatDiagnostic(r.diagnostics[0])).to.equal(
      `case.mof:2:12: error ${MOF.OUT_OF_RANGE}: default of X: 256 is out of range for uint8\n\tuint8 X = 256; };\n\t          ^`,
    );
  });

  describe('files', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'mofdiag-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it(`${MOF.CIRCULAR_INCLUDE} circular include`, () => {
      // a.mof -> sub/b.mof -> ../a.mof
      writeFileSync(path.join(dir, 'a.mof'), '#pragma include ("sub/b.mof")\n');
      const sub = path.join(dir, 'sub');
      mkdirSync(sub);
      writeFileSync(path.join(sub, 'b.mof'), 'class A {};\n#pragma include ("../a.mof")\n');
      const r = compileFiles([path.join(dir, 'a.mof')]);
      expect(r.diagnostics.map((d) => [d.code, path.basename(d.file), d.line, d.col])).to.deep.equal([
        [MOF.CIRCULAR_INCLUDE, 'b.mof', 2, 18],
      ]);
      expect(r.stats.classes).to.equal(1);
    });

    it(`${MOF.FILE_NOT_FOUND} file not found`, () => {
      const f = path.join(dir, 'missing.mof');
      const r = compileFiles([f]);
      expect(r.diagnostics.map((d) => [d.code, d.file, d.line, d.col])).to.deep.equal([[MOF.FILE_NOT_FOUND, f, 1, 1]]);
      expect(r.errors).to.equal(1);
    });

    it('reports errors in an included file with that file name', () => {
      writeFileSync(path.join(dir, 'main.mof'), '#pragma include ("inc.mof")\nclass B : A {};\n');
      writeFileSync(path.join(dir, 'inc.mof'), 'class A {\n  uint8 X = 999;\n};\n');
      const r = compileFiles([path.join(dir, 'main.mof')]);
      expect(r.diagnostics.map((d) => [d.code, d.file, d.line, d.col])).to.deep.equal([
        [MOF.OUT_OF_RANGE, path.join(dir, 'inc.mof'), 2, 13],
      ]);
      expect(r.stats.classes).to.equal(2);
    });

    it('finds includes through -I directories after the including file directory', () => {
      const inc = path.join(dir, 'incdir');
      mkdirSync(inc);
      writeFileSync(path.join(inc, 'q.mof'), 'class Q {};\n');
      const main = compileText('#pragma include ("q.mof")\nclass R : Q {};', path.join(dir, 'main.mof'), { includeDirs: [inc] });
      expect(main.errors).to.equal(0);
      expect(main.repository.classNames('root/cimv2')).to.deep.equal(['Q', 'R']);
    });
  });
});
