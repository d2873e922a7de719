/** WQL / DMTF:CQL parsing and evaluation through ExecQuery, including the queries real Hyper-V clients send. */
import { expect } from 'chai';
import { CIMDateTime } from '../../../src/cim/datetime.js';
import { CimError, CIMStatus } from '../../../src/cim/errors.js';
import { ClassName, InstanceName } from '../../../src/cim/path.js';
import { createCimom } from '../../../src/cimom/index.js';
import { likeRegExp } from '../../../src/cimom/query/eval.js';
import { parseFilter, parseQuery } from '../../../src/cimom/query/parse.js';
import { caller, inst, MemoryProvider, NS, seed, testRepo } from './fixture.js';

interface Case {
  q: string;
  lang?: string;
  /** Relative paths (or class names) of the results, in order. */
  expect?: string[];
  props?: string[];
  error?: 14 | 15;
  /** 1-based position the error description must name. */
  pos?: number;
}

const B1 = 'Test_Base.InstanceID="b1"';
const B2 = 'Test_Base.InstanceID="b2"';
const S1 = 'Test_Sub.InstanceID="s1"';
const O1 = 'Test_Other.Id=1';
const O2 = 'Test_Other.Id=2';
const base = 'SELECT * FROM Test_Base WHERE ';

const cases: Case[] = [
  { q: 'SELECT * FROM Test_Other', expect: [O1, O2] },
  { q: 'select * from test_abstract', expect: [B1, B2, S1] },
  { q: base + "Name = 'ALPHA'", expect: [B1] },
  { q: base + 'Name = "alpha"', expect: [B1] },
  { q: base + "Name <> 'alpha'", expect: [B2, S1] },
  { q: base + "Name != 'alpha'", expect: [B2, S1] },
  { q: base + "Count = '3'", expect: [B1] },
  { q: base + 'Count > 3', expect: [S1] },
  { q: base + 'Count >= 3', expect: [B1, S1] },
  { q: base + 'Count < 10', expect: [B1] },
  { q: base + 'Count <= 10', expect: [B1, S1] },
  { q: base + 'Count >= 0', expect: [B1, S1] },
  { q: base + 'Flag = TRUE', expect: [B1] },
  { q: base + 'flag=true', expect: [B1] },
  { q: base + "Flag = 'TRUE'", expect: [B1] },
  { q: base + 'Flag = 1', expect: [B1] },
  { q: base + 'Flag = FALSE', expect: [S1] },
  { q: base + 'Caption = null', expect: [B1, S1] },
  { q: base + 'Caption <> NULL', expect: [B2] },
  { q: base + 'Caption IS NULL', expect: [B1, S1] },
  { q: base + 'Caption IS NOT NULL', expect: [B2] },
  { q: base + "Name LIKE 'al%'", expect: [B1] },
  { q: base + "Name LIKE '%TA'", expect: [S1] },
  { q: base + "Name like '_eta'", expect: [S1] },
  { q: base + "Name LIKE '[ab]%'", expect: [B1, S1] },
  { q: base + "Name LIKE '[^a]%'", expect: [B2, S1] },
  { q: base + "Name LIKE '[a-c]%'", expect: [B1, S1] },
  { q: base + "Name NOT LIKE 'a%'", expect: [B2, S1] },
  { q: base + "Name LIKE '%'", expect: [B1, B2, S1] },
  { q: base + "InstanceID LIKE '%1'", expect: [B1, S1] },
  { q: base + 'Count > 1 AND Flag = FALSE', expect: [S1] },
  { q: base + "Name = 'alpha' OR Name = 'beta'", expect: [B1, S1] },
  { q: base + "NOT Name = 'alpha'", expect: [B2, S1] },
  { q: base + 'NOT (Count > 5)', expect: [B1] },
  { q: base + "(Name = 'alpha' OR Name = 'Beta') AND (Count = 10)", expect: [S1] },
  { q: base + 'Big = 1099511627776', expect: [B1] },
  { q: base + 'Big > 0x10', expect: [B1] },
  { q: base + 'Ratio = 0.5', expect: [B1] },
  { q: base + "Ratio < '1'", expect: [B1] },
  { q: base + "Tags = 'Y'", expect: [B1] },
  { q: base + "Other = 'Test_Other.Id=1'", expect: [B1] },
  { q: base + "Other = '\\\\\\\\HOST\\\\root\\\\test:Test_Other.Id=1'", expect: [B1] },
  { q: base + 'Other = "//h/root/test:Test_Other.Id=1"', expect: [B1] },
  { q: base + "Other = 'Test_Other.Id=2'", expect: [] },
  { q: base + `__PATH = '\\\\\\\\x\\\\root\\\\test:Test_Base.InstanceID=\\"b1\\"'`, expect: [B1] },
  { q: base + `__PATH = "Test_Base.InstanceID='b2'"`, expect: [B2] },
  { q: base + "__CLASS = 'test_sub'", expect: [S1] },
  { q: base + "__RELPATH = 'Test_Sub.InstanceID=\"s1\"'", expect: [S1] },
  { q: "SELECT * FROM Test_Abstract WHERE __CLASS ISA 'Test_Sub'", expect: [S1] },
  { q: base + "Other ISA 'Test_Other'", expect: [B1] },
  { q: base + 'Name <> Caption', expect: [B2] },
  { q: base + "Name = 'Gamma\\\\path'", expect: [B2] },
  { q: base + 'Name = 0', expect: [] },
  { q: base + "Caption = 'Virtual Machine'", expect: [B2] },
  { q: "SELECT Name FROM Test_Base WHERE Caption = 'Virtual Machine'", expect: [B2], props: ['Name'] },
  { q: 'SELECT name, COUNT FROM Test_Base', expect: [B1, B2, S1], props: ['Name', 'Count'] },
  { q: 'SELECT __PATH FROM Test_Other', expect: [O1, O2], props: [] },
  // DMTF:CQL
  { lang: 'DMTF:CQL', q: base + "Name = 'alpha'", expect: [B1] },
  { lang: 'DMTF:CQL', q: base + "Name = 'ALPHA'", expect: [] },
  { lang: 'dmtf:cql', q: "SELECT t.Name FROM Test_Base t WHERE t.Count = 3", expect: [B1], props: ['Name'] },
  { lang: 'DMTF:CQL', q: 'SELECT Test_Base.* FROM Test_Base AS x WHERE Test_Base.Flag = TRUE', expect: [B1] },
  { lang: 'DMTF:CQL', q: "SELECT * FROM Test_Base WHERE Name = 'it''s'", expect: [] },
  { lang: 'DMTF:CQL', q: base + 'Name = "alpha"', error: 15, pos: 38 },
  // traversal
  { q: 'ASSOCIATORS OF {Test_Other.Id=1}', expect: [B1, O2] },
  { q: 'associators of {Test_Other.Id=1} where assocClass=Test_Assoc', expect: [B1] },
  { q: 'ASSOCIATORS OF {Test_Other.Id=1} WHERE ResultClass = Test_Other', expect: [O2] },
  { q: 'ASSOCIATORS OF {Test_Other.Id=1} WHERE Role = A ResultRole = B', expect: [O2] },
  { q: 'ASSOCIATORS OF {//testhost/root/test:Test_Other.Id=2} WHERE AssocClass = Test_Assoc ResultClass = Test_Base ResultRole = Left', expect: [S1] },
  { q: "ASSOCIATORS OF {\\\\.\\root\\test:Test_Base.InstanceID='b1'}", expect: [O1] },
  { q: 'REFERENCES OF {Test_Other.Id=1} WHERE ResultClass=Test_Peer', expect: ['Test_Peer.A="\\\\\\\\testhost\\\\root\\\\test:Test_Other.Id=1",B="\\\\\\\\testhost\\\\root\\\\test:Test_Other.Id=2"'] },
  { q: 'REFERENCES OF {Test_Other.Id=1} WHERE Role = B', expect: [] },
  { q: 'ASSOCIATORS OF {Test_Other.Id=1} WHERE ClassDefsOnly', expect: ['Test_Base', 'Test_Other'] },
  { q: 'ASSOCIATORS OF {Test_Other}', expect: ['Test_Base', 'Test_Other'] },
  { q: 'ASSOCIATORS OF {Test_Other.Id=1} WHERE RequiredAssocQualifier = Composition', expect: [O2] },
  { q: 'ASSOCIATORS OF {Test_Other.Id=1} WHERE RequiredAssocQualifier = Association', expect: [B1, O2] },
  { q: 'ASSOCIATORS OF {Test_Other.Id=1} WHERE RequiredQualifier = Special', expect: [O2] },
  { q: 'ASSOCIATORS OF {Test_Other} WHERE RequiredAssocQualifier = Composition', expect: ['Test_Other'] },
  { q: 'REFERENCES OF {Test_Other.Id=2} WHERE RequiredQualifier = Composition', expect: ['Test_Peer.A="\\\\\\\\testhost\\\\root\\\\test:Test_Other.Id=1",B="\\\\\\\\testhost\\\\root\\\\test:Test_Other.Id=2"'] },
  { q: 'ASSOCIATORS OF {Test_Other.Id=1} WHERE SchemaOnly', error: 15, pos: 40 },
  { q: 'REFERENCES OF {Test_Sub}', expect: ['Test_Assoc', 'Test_SubAssoc'] },
  // errors
  { q: 'SELECT * FROM Test_Base', lang: 'XQL', error: 14 },
  { q: 'SELEC * FROM Test_Base', error: 15, pos: 1 },
  { q: 'SELECT * FORM Test_Base', error: 15, pos: 10 },
  { q: 'SELECT * FROM Nope', error: 15, pos: 15 },
  { q: 'SELECT Bogus FROM Test_Base', error: 15, pos: 8 },
  { q: base + 'Bogus = 1', error: 15, pos: 31 },
  { q: base + "Name = 'x", error: 15, pos: 38 },
  { q: base + 'Name =', error: 15 },
  { q: base + '(Name = 1', error: 15 },
  { q: base + 'Name LIKE 5', error: 15, pos: 41 },
  { q: base + 'Name = 1 garbage', error: 15, pos: 40 },
  { q: base + 'Name @ 1', error: 15, pos: 36 },
  { q: base + "Name ISA 'Nope'", error: 15 },
  { q: base + 'Name NOT = 1', error: 15 },
  { q: '', error: 15 },
  { q: 'SELECT FROM Test_Base', error: 15, pos: 13 },
  { q: 'ASSOCIATORS OF Test_Other.Id=1', error: 15, pos: 16 },
  { q: 'ASSOCIATORS OF {Test_Other.Id=1} WHERE Foo=Bar', error: 15, pos: 40 },
  { q: 'ASSOCIATORS OF {Test_Other.Id=1} WHERE AssocClass=Nope', error: 15 },
  { q: 'ASSOCIATORS OF {Test_Other.Id=}', error: 15 },
  { q: 'REFERENCES OF {Test_Other.Id=1} WHERE ResultRole=A', error: 15 },
  { q: 'ASSOCIATORS OF {Test_Other.Id=1', error: 15 },
];

function show(x: any): string {
  if (x.path instanceof ClassName) return x.cls.name;
  return (x.path as InstanceName).toString('relative');
}

describe('cimom: ExecQuery (WQL and DMTF:CQL)', () => {
  const repo = testRepo();
  const cimom = createCimom({ repository: repo });
  const mem = new MemoryProvider(repo);
  cimom.registry.setDefault(mem);
  seed(repo, mem);
  mem.put(inst(repo, 'Test_Base', { InstanceID: 'b2', Name: 'Gamma\\path', Caption: 'Virtual Machine' }));

  for (const c of cases) {
    it(`${c.lang ?? 'WQL'}: ${c.q || '(empty)'}`, async () => {
      let res: any[];
      try {
        res = [...(await cimom.intrinsic('ExecQuery', NS, { QueryLanguage: c.lang ?? 'WQL', Query: c.q }, caller))];
      } catch (e) {
        if (!c.error) throw e;
        expect(e).to.be.instanceOf(CimError);
        expect((e as CimError).code, (e as Error).message).to.equal(c.error);
        if (c.pos) expect((e as Error).message).to.match(new RegExp(`position ${c.pos}\\b`));
        return;
      }
      expect(c.error, 'expected an error').to.equal(undefined);
      expect(res.map(show)).to.deep.equal(c.expect);
      if (c.props) for (const r of res) expect([...r.properties.keys()]).to.deep.equal(c.props);
    });
  }

  it('has at least 50 query cases', () => expect(cases.length).to.be.greaterThan(50));
  it('unknown language is 14, bad query 15', () => {
    expect(CIMStatus.CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED).to.equal(14);
    expect(CIMStatus.CIM_ERR_INVALID_QUERY).to.equal(15);
  });
});

describe('cimom: query parser details', () => {
  it('parses the WMI traversal form with its keywords', () => {
    const q = parseQuery('associators of {Msvm_VirtualSystemSettingData.InstanceID="Microsoft:x"} where resultClass=Msvm_X assocclass = Msvm_Y', 'WQL');
    expect(q).to.include({ kind: 'associators', path: 'Msvm_VirtualSystemSettingData.InstanceID="Microsoft:x"', ResultClass: 'Msvm_X', AssocClass: 'Msvm_Y' });
  });
  it('keeps braces inside quoted key values', () => {
    const q = parseQuery("REFERENCES OF {X.k='a}b'}", 'WQL');
    expect(q).to.include({ kind: 'references', path: "X.k='a}b'" });
  });
  it('parses an FQL filter and rejects trailing text', () => {
    expect(parseFilter('Size > 10 AND Name LIKE "a%"').k).to.equal('and');
    expect(() => parseFilter('Size > 10 )')).to.throw(/position 11/);
  });
  const likes: Array<[string, string, boolean]> = [
    ['a%', 'ABC', true], ['%c', 'abc', true], ['a_c', 'abc', true], ['a_c', 'abbc', false], ['[xyz]b', 'yb', true],
    ['a.c', 'abc', false], ['a.c', 'a.c', true], ['(x)%', '(x)yz', true], ['100[%]', '100%', true], ['[^0-9]%', '5a', false],
  ];
  for (const [p, s, m] of likes) it(`LIKE '${p}' ${m ? 'matches' : 'does not match'} '${s}'`, () => expect(likeRegExp(p, false).test(s)).to.equal(m));
});

describe('cimom: query datetime comparison', () => {
  it('compares datetimes by instant, across UTC offsets', async () => {
    const repo = testRepo();
    const cimom = createCimom({ repository: repo });
    const mem = new MemoryProvider(repo);
    cimom.registry.setDefault(mem);
    mem.put(inst(repo, 'Test_Base', { InstanceID: 't', When: CIMDateTime.parse('20240101120000.000000+060') }));
    const run = async (q: string) => [...(await cimom.intrinsic('ExecQuery', NS, { QueryLanguage: 'WQL', Query: q }, caller))].length;
    expect(await run("SELECT * FROM Test_Base WHERE When = '20240101110000.000000+000'")).to.equal(1);
    expect(await run("SELECT * FROM Test_Base WHERE When < '20240101113000.000000+000'")).to.equal(1);
    expect(await run("SELECT * FROM Test_Base WHERE When > '20240101113000.000000+000'")).to.equal(0);
    expect(await run("SELECT * FROM Test_Base WHERE When = 'not a date'")).to.equal(0);
  });
});
