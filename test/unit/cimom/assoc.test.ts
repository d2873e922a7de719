/** Association traversal both directions, instance and class level, with each filter. */
import { expect } from 'chai';
import { CimError, type CIMStatusName } from '../../../src/cim/errors.js';
import { ClassName, InstanceName, quoteKeyString } from '../../../src/cim/path.js';
import { createCimom } from '../../../src/cimom/index.js';
import { base1, caller, inst, MemoryProvider, NS, other1, other2, seed, sub1, testRepo } from './fixture.js';

type Obj = InstanceName | ClassName;
interface Case {
  what: string;
  op: 'AssociatorNames' | 'ReferenceNames' | 'Associators' | 'References';
  obj: Obj;
  f?: Partial<{ AssocClass: string; ResultClass: string; Role: string; ResultRole: string; PropertyList: string[] }>;
  expect?: string[];
  error?: CIMStatusName;
}

/** A reference key value as the canonical path prints it: the full WMI path, quoted. */
const r = (rel: string) => quoteKeyString('\\\\testhost\\root\\test:' + rel);

const cases: Case[] = [
  { what: 'all associators of an Other', op: 'AssociatorNames', obj: other1, expect: ['Test_Base.InstanceID="b1"', 'Test_Other.Id=2'] },
  { what: 'AssocClass', op: 'AssociatorNames', obj: other1, f: { AssocClass: 'test_assoc' }, expect: ['Test_Base.InstanceID="b1"'] },
  { what: 'AssocClass matches subclass associations', op: 'AssociatorNames', obj: other2, f: { AssocClass: 'Test_Assoc' }, expect: ['Test_Sub.InstanceID="s1"'] },
  { what: 'ResultClass matches subclasses', op: 'AssociatorNames', obj: other2, f: { ResultClass: 'Test_Abstract' }, expect: ['Test_Sub.InstanceID="s1"'] },
  { what: 'ResultClass excludes', op: 'AssociatorNames', obj: other1, f: { ResultClass: 'Test_Sub' }, expect: [] },
  { what: 'Role', op: 'AssociatorNames', obj: other1, f: { Role: 'right' }, expect: ['Test_Base.InstanceID="b1"'] },
  { what: 'Role on a peer association', op: 'AssociatorNames', obj: other1, f: { Role: 'A' }, expect: ['Test_Other.Id=2'] },
  { what: 'Role not matching', op: 'AssociatorNames', obj: other1, f: { Role: 'B' }, expect: [] },
  { what: 'ResultRole', op: 'AssociatorNames', obj: other1, f: { ResultRole: 'LEFT' }, expect: ['Test_Base.InstanceID="b1"'] },
  { what: 'ResultRole on peer', op: 'AssociatorNames', obj: other2, f: { ResultRole: 'A' }, expect: ['Test_Other.Id=1'] },
  { what: 'all filters together', op: 'AssociatorNames', obj: other2, f: { AssocClass: 'Test_Assoc', ResultClass: 'Test_Base', Role: 'Right', ResultRole: 'Left' }, expect: ['Test_Sub.InstanceID="s1"'] },
  { what: 'other direction', op: 'AssociatorNames', obj: base1, expect: ['Test_Other.Id=1'] },
  { what: 'source named by superclass', op: 'AssociatorNames', obj: InstanceName.of('Test_Base', { InstanceID: 's1' }), expect: ['Test_Other.Id=2'] },
  { what: 'missing source: empty', op: 'AssociatorNames', obj: InstanceName.of('Test_Other', { Id: 42 }), expect: [] },
  { what: 'unknown AssocClass', op: 'AssociatorNames', obj: other1, f: { AssocClass: 'Nope' }, error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'unknown ResultClass', op: 'Associators', obj: other1, f: { ResultClass: 'Nope' }, error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'unknown source class', op: 'Associators', obj: InstanceName.of('Nope', { Id: 1 }), error: 'CIM_ERR_INVALID_CLASS' },
  { what: 'Associators instances', op: 'Associators', obj: other1, f: { ResultClass: 'Test_Base' }, expect: ['Test_Base.InstanceID="b1"'] },
  { what: 'references of an Other', op: 'ReferenceNames', obj: other1, expect: [`Test_Assoc.Left=${r('Test_Base.InstanceID="b1"')},Right=${r('Test_Other.Id=1')}`, `Test_Peer.A=${r('Test_Other.Id=1')},B=${r('Test_Other.Id=2')}`] },
  { what: 'references ResultClass', op: 'ReferenceNames', obj: other1, f: { ResultClass: 'Test_Peer' }, expect: [`Test_Peer.A=${r('Test_Other.Id=1')},B=${r('Test_Other.Id=2')}`] },
  { what: 'references ResultClass subclass', op: 'ReferenceNames', obj: sub1, f: { ResultClass: 'Test_Assoc' }, expect: [`Test_SubAssoc.Left=${r('Test_Sub.InstanceID="s1"')},Right=${r('Test_Other.Id=2')}`] },
  { what: 'references Role', op: 'ReferenceNames', obj: other2, f: { Role: 'B' }, expect: [`Test_Peer.A=${r('Test_Other.Id=1')},B=${r('Test_Other.Id=2')}`] },
  { what: 'references Role none', op: 'References', obj: other1, f: { Role: 'B' }, expect: [] },
  { what: 'references unknown ResultClass', op: 'References', obj: other1, f: { ResultClass: 'Nope' }, error: 'CIM_ERR_INVALID_PARAMETER' },
  // class level
  { what: 'class ReferenceNames', op: 'ReferenceNames', obj: new ClassName('Test_Other'), expect: ['Test_Assoc', 'Test_SubAssoc', 'Test_Peer'] },
  { what: 'class ReferenceNames Role', op: 'ReferenceNames', obj: new ClassName('Test_Other'), f: { Role: 'A' }, expect: ['Test_Peer'] },
  { what: 'class ReferenceNames ResultClass', op: 'ReferenceNames', obj: new ClassName('Test_Other'), f: { ResultClass: 'Test_Assoc' }, expect: ['Test_Assoc', 'Test_SubAssoc'] },
  { what: 'class AssociatorNames', op: 'AssociatorNames', obj: new ClassName('Test_Other'), expect: ['Test_Base', 'Test_Other'] },
  { what: 'class AssociatorNames from subclass', op: 'AssociatorNames', obj: new ClassName('Test_Sub'), expect: ['Test_Other'] },
  { what: 'class AssociatorNames ResultRole', op: 'AssociatorNames', obj: new ClassName('Test_Other'), f: { ResultRole: 'Left' }, expect: ['Test_Base'] },
  { what: 'class AssociatorNames ResultClass', op: 'AssociatorNames', obj: new ClassName('Test_Other'), f: { ResultClass: 'Test_Abstract' }, expect: ['Test_Base'] },
  { what: 'class Associators', op: 'Associators', obj: new ClassName('Test_Base'), f: { AssocClass: 'Test_Assoc' }, expect: ['Test_Other'] },
  { what: 'class References unknown class', op: 'References', obj: new ClassName('Nope'), error: 'CIM_ERR_INVALID_CLASS' },
];

function show(x: any): string {
  if (x instanceof InstanceName) return x.toString('relative');
  if (x instanceof ClassName) return x.className;
  if (x.path instanceof ClassName) return x.cls.name;
  return x.path.toString('relative');
}

describe('cimom: association traversal', () => {
  for (const c of cases) {
    it(`${c.op}: ${c.what}`, async () => {
      const repo = testRepo();
      const cimom = createCimom({ repository: repo });
      const mem = new MemoryProvider(repo);
      cimom.registry.setDefault(mem);
      seed(repo, mem);
      const f = { AssocClass: null, ResultClass: null, Role: null, ResultRole: null, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null, ...c.f };
      let res: Iterable<any>;
      try {
        res = await cimom.intrinsic(c.op, NS, { ObjectName: c.obj, ...f } as never, caller);
      } catch (e) {
        expect(c.error, (e as Error).message).to.be.a('string');
        expect((e as CimError).statusName).to.equal(c.error);
        return;
      }
      expect(c.error, 'expected an error').to.equal(undefined);
      expect([...res].map(show)).to.deep.equal(c.expect);
    });
  }

  it('Associators shapes results and prints full paths', async () => {
    const repo = testRepo();
    const cimom = createCimom({ repository: repo });
    const mem = new MemoryProvider(repo);
    cimom.registry.setDefault(mem);
    seed(repo, mem);
    const r = [...(await cimom.intrinsic('Associators', NS, { ObjectName: other1, AssocClass: 'Test_Assoc', ResultClass: null, Role: null, ResultRole: null, IncludeQualifiers: false, IncludeClassOrigin: true, PropertyList: ['Name'] }, caller))] as any[];
    expect(r).to.have.length(1);
    expect([...r[0].properties.keys()]).to.deep.equal(['Name']);
    expect(r[0].properties.get('Name').classOrigin).to.equal('Test_Base');
    expect(r[0].path.toString()).to.equal('\\\\testhost\\root\\test:Test_Base.InstanceID="b1"');
  });

  it('uses a provider referencesTo fast path when there is one', async () => {
    const repo = testRepo();
    const cimom = createCimom({ repository: repo });
    const mem = new MemoryProvider(repo);
    cimom.registry.setDefault(mem);
    seed(repo, mem);
    const seen: string[] = [];
    cimom.registry.register(NS, 'Test_Peer', {
      enumerateInstances: () => { throw new Error('should not enumerate'); },
      referencesTo: (_ctx, target, role) => {
        seen.push(`${target.toString('relative')}|${role}`);
        return mem.enumerateInstances({ cls: repo.getClass(NS, 'Test_Peer')! } as never);
      },
    });
    const r = [...(await cimom.intrinsic('AssociatorNames', NS, { ObjectName: other1, AssocClass: 'Test_Peer', ResultClass: null, Role: null, ResultRole: null }, caller))] as InstanceName[];
    expect(r.map((n) => n.toString('relative'))).to.deep.equal(['Test_Other.Id=2']);
    expect(seen).to.deep.equal(['Test_Other.Id=1|null']);
  });
});

/**
 * One rule for References and Associators: a reference names the source when class and keys
 * match and its namespace is absent or the source's own (case and `/` vs `\` ignored); the
 * host never matters. wbemcli sends `root/cimv2:Class.k=1` as HOST "root", NAMESPACE "cimv2".
 */
interface NsCase {
  what: string;
  namespace?: string;
  host?: string;
  match: boolean;
}
const nsCases: NsCase[] = [
  { what: 'no namespace, no host', match: true },
  { what: 'the request namespace', namespace: NS, host: 'testhost', match: true },
  { what: 'namespace in other case and backslashes, another host', namespace: 'ROOT\\Test', host: 'elsewhere', match: true },
  { what: 'host only', host: 'elsewhere', match: true },
  { what: 'wbemcli spelling of root/cimv2 (HOST root, NAMESPACE cimv2)', namespace: 'cimv2', host: 'root', match: false },
  { what: 'another served namespace', namespace: 'interop', match: false },
  { what: 'an unserved namespace', namespace: 'root/nothere', host: 'testhost', match: false },
];

describe('cimom: References and Associators agree on a reference namespace', () => {
  for (const c of nsCases) {
    it(`${c.what}: ${c.match ? 'both return it' : 'neither returns it'}`, async () => {
      const repo = testRepo();
      const cimom = createCimom({ repository: repo });
      const mem = new MemoryProvider(repo);
      cimom.registry.setDefault(mem);
      seed(repo, mem);
      const other3 = InstanceName.of('Test_Other', { Id: 3 });
      mem.put(inst(repo, 'Test_Other', { Id: 3, Label: 'three' }));
      mem.put(inst(repo, 'Test_Peer', { A: other3.withLocation(c.namespace, c.host), B: other1 }));
      const q = { ObjectName: other3, ResultClass: null, Role: null };
      const refs = [...(await cimom.intrinsic('ReferenceNames', NS, q, caller))] as InstanceName[];
      const far = [...(await cimom.intrinsic('AssociatorNames', NS, { ...q, AssocClass: null, ResultRole: null }, caller))] as InstanceName[];
      expect(refs.map((n) => n.className)).to.deep.equal(c.match ? ['Test_Peer'] : []);
      expect(far.map((n) => n.toString('relative'))).to.deep.equal(c.match ? ['Test_Other.Id=1'] : []);
    });
  }
});
