/** Class, qualifier and instance operations of the dispatcher, as tables fed to one function. */
import { expect } from 'chai';
import type { CIMClass } from '../../../src/cim/class.js';
import { CimError, CIMStatus, type CIMStatusName } from '../../../src/cim/errors.js';
import { CIMInstance } from '../../../src/cim/instance.js';
import { InstanceName } from '../../../src/cim/path.js';
import { createCimom, type CimomServer } from '../../../src/cimom/index.js';
import type { IntrinsicName, Requests, RequestContext } from '../../../src/cimom/operations.js';
import { base1, caller, inst, MemoryProvider, NS, other1, reader, seed, sub1, testRepo, type TestRepo } from './fixture.js';

interface Case<K extends IntrinsicName = IntrinsicName> {
  what: string;
  op: K;
  req: Requests[K] | ((repo: TestRepo) => Requests[K]);
  ns?: string;
  ctx?: RequestContext;
  error?: CIMStatusName;
  check?: (res: any, env: Env) => void;
  /** Extra providers or data for this row. */
  setup?: (env: Env) => void;
}
interface Env {
  cimom: CimomServer;
  repo: TestRepo;
  mem: MemoryProvider;
}

function env(): Env {
  const repo = testRepo();
  const cimom = createCimom({ repository: repo });
  const mem = new MemoryProvider(repo);
  cimom.registry.setDefault(mem);
  seed(repo, mem);
  return { cimom, repo, mem };
}

const names = (xs: Iterable<{ name: string } | string>) => [...xs].map((x) => (typeof x === 'string' ? x : x.name));
const props = (c: CIMClass) => [...c.properties.keys()];
const gc = { LocalOnly: false, IncludeQualifiers: true, IncludeClassOrigin: false, PropertyList: null };
const ei = { LocalOnly: false, DeepInheritance: true, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null };
const gi = { LocalOnly: false, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null };

const cases: Case[] = [
  // namespaces
  { what: 'unknown namespace', op: 'GetClass', ns: 'root/nope', req: { ...gc, ClassName: 'Test_Base' }, error: 'CIM_ERR_INVALID_NAMESPACE' },
  { what: 'namespace case and backslashes', op: 'GetClass', ns: 'ROOT\\Test', req: { ...gc, ClassName: 'Test_Base' }, check: (c) => expect(c.name).to.equal('Test_Base') },
  // GetClass
  { what: 'GetClass missing class', op: 'GetClass', req: { ...gc, ClassName: 'Nope' }, error: 'CIM_ERR_NOT_FOUND' },
  { what: 'GetClass declared spelling', op: 'GetClass', req: { ...gc, ClassName: 'test_SUB' }, check: (c) => expect(c.name).to.equal('Test_Sub') },
  { what: 'GetClass LocalOnly drops inherited', op: 'GetClass', req: { ...gc, LocalOnly: true, ClassName: 'Test_Sub' }, check: (c) => {
    expect(props(c)).to.deep.equal(['Extra']);
    expect(names(c.methods.values())).to.deep.equal([]);
  } },
  { what: 'GetClass all members', op: 'GetClass', req: { ...gc, ClassName: 'Test_Sub' }, check: (c) => expect(props(c)).to.include.members(['InstanceID', 'Name', 'Extra']) },
  { what: 'GetClass PropertyList', op: 'GetClass', req: { ...gc, ClassName: 'Test_Sub', PropertyList: ['name', 'nothing'] }, check: (c) => {
    expect(props(c)).to.deep.equal(['Name']);
    expect(c.methods.size).to.equal(3);
  } },
  { what: 'GetClass without qualifiers', op: 'GetClass', req: { ...gc, ClassName: 'Test_Base', IncludeQualifiers: false }, check: (c) => {
    expect(c.qualifiers.size).to.equal(0);
    expect(c.properties.get('InstanceID')!.qualifiers.size).to.equal(0);
  } },
  { what: 'GetClass class origin off', op: 'GetClass', req: { ...gc, ClassName: 'Test_Sub' }, check: (c) => expect(c.properties.get('Name')!.classOrigin).to.equal('') },
  { what: 'GetClass class origin on', op: 'GetClass', req: { ...gc, ClassName: 'Test_Sub', IncludeClassOrigin: true }, check: (c) => {
    expect(c.properties.get('Name')!.classOrigin).to.equal('Test_Base');
    expect(c.methods.get('Ping')!.classOrigin).to.equal('Test_Base');
  } },
  // EnumerateClasses / Names
  { what: 'ecn roots', op: 'EnumerateClassNames', req: { ClassName: null, DeepInheritance: false }, check: (r) => expect([...r]).to.deep.equal(['Test_Abstract', 'Test_Other', 'Test_Assoc', 'Test_Peer']) },
  { what: 'ecn deep from class', op: 'EnumerateClassNames', req: { ClassName: 'test_abstract', DeepInheritance: true }, check: (r) => expect([...r]).to.deep.equal(['Test_Base', 'Test_Sub']) },
  { what: 'ecn shallow from class', op: 'EnumerateClassNames', req: { ClassName: 'Test_Abstract', DeepInheritance: false }, check: (r) => expect([...r]).to.deep.equal(['Test_Base']) },
  { what: 'ecn unknown class', op: 'EnumerateClassNames', req: { ClassName: 'Nope', DeepInheritance: false }, error: 'CIM_ERR_INVALID_CLASS' },
  { what: 'ec unknown class', op: 'EnumerateClasses', req: { ClassName: 'Nope', DeepInheritance: false, LocalOnly: true, IncludeQualifiers: true, IncludeClassOrigin: false }, error: 'CIM_ERR_INVALID_CLASS' },
  { what: 'ec deep LocalOnly', op: 'EnumerateClasses', req: { ClassName: 'Test_Abstract', DeepInheritance: true, LocalOnly: true, IncludeQualifiers: false, IncludeClassOrigin: false }, check: (r) => {
    const cs = [...r] as CIMClass[];
    expect(names(cs)).to.deep.equal(['Test_Base', 'Test_Sub']);
    expect(props(cs[1])).to.deep.equal(['Extra']);
  } },
  // qualifiers
  { what: 'GetQualifier', op: 'GetQualifier', req: { QualifierName: 'key' }, check: (q) => expect(q.name).to.equal('Key') },
  { what: 'GetQualifier missing', op: 'GetQualifier', req: { QualifierName: 'Nope' }, error: 'CIM_ERR_NOT_FOUND' },
  { what: 'EnumerateQualifiers', op: 'EnumerateQualifiers', req: {}, check: (r) => expect(names(r)).to.deep.equal(['Key', 'Description']) },
  // schema changes refused
  { what: 'CreateClass', op: 'CreateClass', req: (repo) => ({ NewClass: repo.getClass(NS, 'Test_Base')! }), error: 'CIM_ERR_NOT_SUPPORTED' },
  { what: 'ModifyClass', op: 'ModifyClass', req: (repo) => ({ ModifiedClass: repo.getClass(NS, 'Test_Base')! }), error: 'CIM_ERR_NOT_SUPPORTED' },
  { what: 'DeleteClass', op: 'DeleteClass', req: { ClassName: 'Test_Base' }, error: 'CIM_ERR_NOT_SUPPORTED' },
  { what: 'DeleteQualifier', op: 'DeleteQualifier', req: { QualifierName: 'Key' }, error: 'CIM_ERR_NOT_SUPPORTED' },
  { what: 'SetQualifier', op: 'SetQualifier', req: (repo) => ({ QualifierDeclaration: repo.getQualifierDecl(NS, 'Key')! }), error: 'CIM_ERR_NOT_SUPPORTED' },
  { what: 'EnumerateQualifiers in an unknown namespace', op: 'EnumerateQualifiers', ns: 'nope', req: {}, error: 'CIM_ERR_INVALID_NAMESPACE' },
  { what: 'readers may read', op: 'GetInstance', ctx: reader, req: { ...gi, InstanceName: base1 }, check: (i) => expect(i.get('Name')).to.equal('alpha') },
  { what: 'references leave with namespace and host', op: 'GetInstance', req: { ...gi, InstanceName: base1, PropertyList: ['Other'] }, check: (i) => {
    expect((i.get('Other') as InstanceName).toString()).to.equal('\\\\testhost\\root\\test:Test_Other.Id=1');
  } },
  // GetInstance
  { what: 'GetInstance', op: 'GetInstance', req: { ...gi, InstanceName: base1 }, check: (i) => {
    expect(i.className).to.equal('Test_Base');
    expect(i.get('Big')).to.equal(1n << 40n);
    expect(i.get('Caption')).to.equal(null);
    expect(i.path.toString()).to.equal('\\\\testhost\\root\\test:Test_Base.InstanceID="b1"');
  } },
  { what: 'GetInstance via superclass name finds subclass', op: 'GetInstance', req: { ...gi, InstanceName: InstanceName.of('Test_Base', { instanceid: 's1' }) }, check: (i) => expect(i.className).to.equal('Test_Sub') },
  // GetInstance through a superclass path (WMI, Pegasus and pywbem mock answer NOT_FOUND unless
  // the named class is the instance's own): NOT_FOUND unless the provider of a subclass with the
  // same keys answers; a subclass provider that cannot answer (NOT_SUPPORTED) leaves NOT_FOUND.
  { what: 'GetInstance via superclass name: subclass provider answers with its own class', op: 'GetInstance', req: { ...gi, InstanceName: InstanceName.of('Test_Base', { InstanceID: 's1' }), PropertyList: ['Extra'] }, check: (i) => {
    expect(i.className).to.equal('Test_Sub');
    expect(i.path.toString('relative')).to.equal('Test_Sub.InstanceID="s1"');
    expect(i.get('Extra')).to.equal('e');
  } },
  { what: 'GetInstance via superclass name, subclass getInstance NOT_SUPPORTED: NOT_FOUND', op: 'GetInstance', req: { ...gi, InstanceName: InstanceName.of('Test_Base', { InstanceID: 'zz' }) }, error: 'CIM_ERR_NOT_FOUND',
    setup: (e) => e.cimom.registry.register(NS, 'Test_Sub', { enumerateInstances: () => [], getInstance: () => { throw new CimError('CIM_ERR_NOT_SUPPORTED'); } }) },
  { what: 'GetInstance via superclass name, subclass cannot enumerate: base instance still found', op: 'GetInstance', req: { ...gi, InstanceName: base1 }, check: (i) => expect(i.className).to.equal('Test_Base'),
    setup: (e) => e.cimom.registry.register(NS, 'Test_Sub', { enumerateInstances: () => { throw new CimError('CIM_ERR_NOT_SUPPORTED'); } }) },
  { what: 'GetInstance via superclass name, subclass cannot enumerate: NOT_FOUND', op: 'GetInstance', req: { ...gi, InstanceName: InstanceName.of('Test_Base', { InstanceID: 'zz' }) }, error: 'CIM_ERR_NOT_FOUND',
    setup: (e) => e.cimom.registry.register(NS, 'Test_Sub', { enumerateInstances: () => { throw new CimError('CIM_ERR_NOT_SUPPORTED'); } }) },
  { what: 'GetInstance via subclass name of a superclass instance: NOT_FOUND', op: 'GetInstance', req: { ...gi, InstanceName: InstanceName.of('Test_Sub', { InstanceID: 'b1' }) }, error: 'CIM_ERR_NOT_FOUND' },
  { what: 'GetInstance of the class asked: its own provider error still fails the call', op: 'GetInstance', req: { ...gi, InstanceName: sub1 }, error: 'CIM_ERR_NOT_SUPPORTED',
    setup: (e) => e.cimom.registry.register(NS, 'Test_Sub', { enumerateInstances: () => [], getInstance: () => { throw new CimError('CIM_ERR_NOT_SUPPORTED'); } }) },
  { what: 'GetInstance missing', op: 'GetInstance', req: { ...gi, InstanceName: InstanceName.of('Test_Base', { InstanceID: 'zz' }) }, error: 'CIM_ERR_NOT_FOUND' },
  { what: 'GetInstance unknown class', op: 'GetInstance', req: { ...gi, InstanceName: InstanceName.of('Nope', { InstanceID: 'zz' }) }, error: 'CIM_ERR_INVALID_CLASS' },
  { what: 'GetInstance wrong key', op: 'GetInstance', req: { ...gi, InstanceName: InstanceName.of('Test_Base', { Id: 'zz' }) }, error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'GetInstance numeric key as text', op: 'GetInstance', req: { ...gi, InstanceName: InstanceName.of('Test_Other', { Id: '2' }) }, check: (i) => expect(i.get('Label')).to.equal('Two') },
  { what: 'GetInstance bad numeric key', op: 'GetInstance', req: { ...gi, InstanceName: InstanceName.of('Test_Other', { Id: 'x' }) }, error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'GetInstance PropertyList', op: 'GetInstance', req: { ...gi, InstanceName: base1, PropertyList: ['NAME', 'bogus'] }, check: (i) => expect([...i.properties.keys()]).to.deep.equal(['Name']) },
  { what: 'GetInstance class origin', op: 'GetInstance', req: { ...gi, InstanceName: sub1, IncludeClassOrigin: true, PropertyList: ['Name', 'Extra'] }, check: (i) => {
    expect(i.properties.get('Name').classOrigin).to.equal('Test_Base');
    expect(i.properties.get('Extra').classOrigin).to.equal('Test_Sub');
  } },
  { what: 'GetInstance association with reference keys', op: 'GetInstance', req: { ...gi, InstanceName: InstanceName.of('Test_Assoc', { Left: 'root/test:Test_Base.InstanceID="b1"', Right: '\\\\x\\root\\test:Test_Other.Id=1' }) }, check: (i) => expect(i.get('Weight')).to.equal(5) },
  // EnumerateInstances / Names
  { what: 'ei includes subclasses', op: 'EnumerateInstances', req: { ...ei, ClassName: 'Test_Abstract' }, check: (r) => expect([...r].map((i: CIMInstance) => i.className)).to.deep.equal(['Test_Base', 'Test_Sub']) },
  { what: 'ei DeepInheritance false limits properties', op: 'EnumerateInstances', req: { ...ei, ClassName: 'Test_Base', DeepInheritance: false }, check: (r) => {
    const sub = [...r].find((i: CIMInstance) => i.className === 'Test_Sub');
    expect(sub.has('Extra')).to.equal(false);
    expect(sub.has('Name')).to.equal(true);
  } },
  { what: 'ei unknown class', op: 'EnumerateInstances', req: { ...ei, ClassName: 'Nope' }, error: 'CIM_ERR_INVALID_CLASS' },
  { what: 'ein', op: 'EnumerateInstanceNames', req: { ClassName: 'test_other' }, check: (r) => expect([...r].map((n: InstanceName) => n.toString('relative'))).to.deep.equal(['Test_Other.Id=1', 'Test_Other.Id=2']) },
  { what: 'ein unknown class', op: 'EnumerateInstanceNames', req: { ClassName: 'Nope' }, error: 'CIM_ERR_INVALID_CLASS' },
  // CreateInstance
  { what: 'ci', op: 'CreateInstance', req: (repo) => ({ NewInstance: inst(repo, 'Test_Other', { id: '7', label: 'seven' }) }), check: (n, { mem }) => {
    expect(n.toString('relative')).to.equal('Test_Other.Id=7');
    expect([...mem.data.values()].some((i) => i.get('Label') === 'seven')).to.equal(true);
  } },
  { what: 'ci fills defaults', op: 'CreateInstance', req: (repo) => ({ NewInstance: inst(repo, 'Test_Base', { InstanceID: 'new' }) }), check: (_n, { mem }) => {
    expect([...mem.data.values()].find((i) => i.get('InstanceID') === 'new')!.get('Count')).to.equal(7);
  } },
  { what: 'ci duplicate', op: 'CreateInstance', req: (repo) => ({ NewInstance: inst(repo, 'Test_Other', { Id: 1 }) }), error: 'CIM_ERR_ALREADY_EXISTS' },
  { what: 'ci unknown class', op: 'CreateInstance', req: () => ({ NewInstance: new CIMInstance('Nope') }), error: 'CIM_ERR_INVALID_CLASS' },
  { what: 'ci abstract', op: 'CreateInstance', req: (repo) => ({ NewInstance: inst(repo, 'Test_Abstract', { InstanceID: 'a' }) }), error: 'CIM_ERR_NOT_SUPPORTED' },
  { what: 'ci unknown property', op: 'CreateInstance', req: (repo) => ({ NewInstance: inst(repo, 'Test_Other', { Id: 8, Bogus: 'x' }) }), error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'ci out of range', op: 'CreateInstance', req: (repo) => ({ NewInstance: inst(repo, 'Test_Other', { Id: -1 }) }), error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'ci by reader', op: 'CreateInstance', ctx: reader, req: (repo) => ({ NewInstance: inst(repo, 'Test_Other', { Id: 9 }) }), error: 'CIM_ERR_ACCESS_DENIED' },
  // ModifyInstance
  { what: 'mi all sent properties', op: 'ModifyInstance', req: (repo) => ({ ModifiedInstance: named(inst(repo, 'Test_Other', { Id: 1, Label: 'uno' }), other1), IncludeQualifiers: false, PropertyList: null }), check: (_r, { mem }) => expect(label(mem, 1)).to.equal('uno') },
  { what: 'mi empty list changes nothing', op: 'ModifyInstance', req: (repo) => ({ ModifiedInstance: named(inst(repo, 'Test_Other', { Id: 1, Label: 'uno' }), other1), IncludeQualifiers: false, PropertyList: [] }), check: (_r, { mem }) => expect(label(mem, 1)).to.equal('one') },
  { what: 'mi listed but absent -> NULL', op: 'ModifyInstance', req: (repo) => ({ ModifiedInstance: named(inst(repo, 'Test_Other', { Id: 1 }), other1), IncludeQualifiers: false, PropertyList: ['label'] }), check: (_r, { mem }) => expect(label(mem, 1)).to.equal(undefined) },
  { what: 'mi unknown listed name', op: 'ModifyInstance', req: (repo) => ({ ModifiedInstance: named(inst(repo, 'Test_Other', { Id: 1 }), other1), IncludeQualifiers: false, PropertyList: ['Nope'] }), error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'mi key change', op: 'ModifyInstance', req: (repo) => ({ ModifiedInstance: named(inst(repo, 'Test_Other', { Id: 5 }), other1), IncludeQualifiers: false, PropertyList: null }), error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'mi same key value ok', op: 'ModifyInstance', req: (repo) => ({ ModifiedInstance: named(inst(repo, 'Test_Other', { Id: 1, Label: 'x' }), other1), IncludeQualifiers: false, PropertyList: ['Id', 'Label'] }), check: (_r, { mem }) => expect(label(mem, 1)).to.equal('x') },
  { what: 'mi missing instance', op: 'ModifyInstance', req: (repo) => ({ ModifiedInstance: named(inst(repo, 'Test_Other', { Id: 99 }), InstanceName.of('Test_Other', { Id: 99 })), IncludeQualifiers: false, PropertyList: null }), error: 'CIM_ERR_NOT_FOUND' },
  { what: 'mi reader', op: 'ModifyInstance', ctx: reader, req: (repo) => ({ ModifiedInstance: named(inst(repo, 'Test_Other', { Id: 1 }), other1), IncludeQualifiers: false, PropertyList: null }), error: 'CIM_ERR_ACCESS_DENIED' },
  // DeleteInstance
  { what: 'di', op: 'DeleteInstance', req: { InstanceName: other1 }, check: (_r, { mem }) => expect(label(mem, 1)).to.equal(null) },
  { what: 'di missing', op: 'DeleteInstance', req: { InstanceName: InstanceName.of('Test_Other', { Id: 99 }) }, error: 'CIM_ERR_NOT_FOUND' },
  { what: 'di unknown class', op: 'DeleteInstance', req: { InstanceName: InstanceName.of('Nope', { Id: 99 }) }, error: 'CIM_ERR_INVALID_CLASS' },
  { what: 'di reader', op: 'DeleteInstance', ctx: reader, req: { InstanceName: other1 }, error: 'CIM_ERR_ACCESS_DENIED' },
  // GetProperty / SetProperty
  { what: 'GetProperty', op: 'GetProperty', req: { InstanceName: base1, PropertyName: 'big' }, check: (pv) => {
    expect(pv.name).to.equal('Big');
    expect(pv.type).to.equal('uint64');
    expect(pv.value).to.equal(1n << 40n);
  } },
  { what: 'GetProperty NULL', op: 'GetProperty', req: { InstanceName: base1, PropertyName: 'Caption' }, check: (pv) => expect(pv).to.equal(null) },
  { what: 'GetProperty no such property', op: 'GetProperty', req: { InstanceName: base1, PropertyName: 'Nope' }, error: 'CIM_ERR_NO_SUCH_PROPERTY' },
  { what: 'GetProperty missing instance', op: 'GetProperty', req: { InstanceName: InstanceName.of('Test_Base', { InstanceID: 'zz' }), PropertyName: 'Name' }, error: 'CIM_ERR_NOT_FOUND' },
  { what: 'SetProperty converts', op: 'SetProperty', req: { InstanceName: other1, PropertyName: 'LABEL', NewValue: 'neu' }, check: (_r, { mem }) => expect(label(mem, 1)).to.equal('neu') },
  { what: 'SetProperty key', op: 'SetProperty', req: { InstanceName: other1, PropertyName: 'Id', NewValue: 3 }, error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'SetProperty bad value', op: 'SetProperty', req: { InstanceName: base1, PropertyName: 'Count', NewValue: 'many' }, error: 'CIM_ERR_INVALID_PARAMETER' },
  { what: 'SetProperty no such property', op: 'SetProperty', req: { InstanceName: base1, PropertyName: 'Nope', NewValue: 'x' }, error: 'CIM_ERR_NO_SUCH_PROPERTY' },
  { what: 'SetProperty reader', op: 'SetProperty', ctx: reader, req: { InstanceName: base1, PropertyName: 'Name', NewValue: 'x' }, error: 'CIM_ERR_ACCESS_DENIED' },
];

function named(i: CIMInstance, n: InstanceName): CIMInstance & { path: InstanceName } {
  i.path = n;
  return i as CIMInstance & { path: InstanceName };
}
function label(mem: MemoryProvider, id: number): unknown {
  const i = [...mem.data.values()].find((x) => x.className === 'Test_Other' && x.get('Id') === id);
  return i ? i.get('Label') : null;
}

describe('cimom: class and instance operations', () => {
  for (const c of cases) {
    it(`${c.op}: ${c.what}`, async () => {
      const e = env();
      c.setup?.(e);
      const req = typeof c.req === 'function' ? c.req(e.repo) : c.req;
      let res: unknown;
      try {
        res = await e.cimom.intrinsic(c.op, c.ns ?? NS, req as never, c.ctx ?? caller);
      } catch (err) {
        if (!c.error) throw err;
        expect(err).to.be.instanceOf(CimError);
        expect((err as CimError).statusName, (err as Error).message).to.equal(c.error);
        expect((err as CimError).code).to.equal(CIMStatus[c.error]);
        return;
      }
      expect(c.error, 'expected an error').to.equal(undefined);
      c.check?.(res, e);
    });
  }

  it('turns a provider crash into CIM_ERR_FAILED and a bad provider instance into FAILED', async () => {
    const e = env();
    e.cimom.registry.register(NS, 'Test_Other', { enumerateInstances: () => { throw new TypeError('boom'); } });
    const err = await e.cimom.intrinsic('EnumerateInstanceNames', NS, { ClassName: 'Test_Other' }, caller).catch((x) => x);
    expect(err.statusName).to.equal('CIM_ERR_FAILED');
    expect(err.message).to.match(/boom/);
    const e2 = env();
    e2.cimom.registry.register(NS, 'Test_Other', { enumerateInstances: () => [new CIMInstance('Test_Other')] });
    const err2 = await e2.cimom.intrinsic('EnumerateInstanceNames', NS, { ClassName: 'Test_Other' }, caller).catch((x) => x);
    expect(err2.statusName).to.equal('CIM_ERR_FAILED');
    expect(err2.message).to.match(/key property Id has no value/);
  });

  it('asks each class of a tree of the one provider serving it (deepest-class rule)', async () => {
    const e = env();
    const asked: string[] = [];
    e.cimom.registry.register(NS, 'Test_Base', {
      enumerateInstances: (ctx) => {
        asked.push(ctx.cls.name);
        return [inst(e.repo, ctx.cls.name, { InstanceID: 'p-' + ctx.cls.name })];
      },
    }, { subclasses: true });
    const r = [...(await e.cimom.intrinsic('EnumerateInstances', NS, { ...ei, ClassName: 'Test_Abstract' }, caller))];
    expect(asked).to.deep.equal(['Test_Base', 'Test_Sub']);
    expect(r.map((i) => i.path.toString('relative'))).to.deep.equal(['Test_Base.InstanceID="p-Test_Base"', 'Test_Sub.InstanceID="p-Test_Sub"']);
  });

  it('an enumeration of a superclass skips a subclass provider that answers NOT_SUPPORTED', async () => {
    const e = env();
    e.cimom.registry.register(NS, 'Test_Sub', { enumerateInstances: () => { throw new CimError('CIM_ERR_NOT_SUPPORTED'); } });
    const r = [...(await e.cimom.intrinsic('EnumerateInstanceNames', NS, { ClassName: 'Test_Base' }, caller))];
    expect(r.map((n) => n.className)).to.deep.equal(['Test_Base']);
    const err = await e.cimom.intrinsic('EnumerateInstances', NS, { ...ei, ClassName: 'Test_Sub' }, caller).catch((x) => x);
    expect(err.statusName).to.equal('CIM_ERR_NOT_SUPPORTED');
  });
});
