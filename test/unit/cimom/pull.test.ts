/** Pull enumeration contexts: batches, kinds, namespaces, expiry on a fake clock, filters and limits. */
import { expect } from 'chai';
import type { CimError, CIMStatusName } from '../../../src/cim/errors.js';
import { InstanceName } from '../../../src/cim/path.js';
import { createCimom, type CimomServer } from '../../../src/cimom/index.js';
import type { Requests } from '../../../src/cimom/operations.js';
import { caller, MemoryProvider, NS, other1, seed, testRepo } from './fixture.js';

const open: { FilterQueryLanguage: string | null; FilterQuery: string | null; OperationTimeout: number | null; ContinueOnError: boolean; MaxObjectCount: number } = { FilterQueryLanguage: null, FilterQuery: null, OperationTimeout: null, ContinueOnError: false, MaxObjectCount: 0 };
const oei: Requests['OpenEnumerateInstances'] = { ...open, ClassName: 'Test_Abstract', DeepInheritance: true, IncludeClassOrigin: false, PropertyList: null };

describe('cimom: pull operations', () => {
  let now: number;
  let cimom: CimomServer;
  beforeEach(() => {
    now = 1_000_000;
    const repo = testRepo();
    cimom = createCimom({ repository: repo, clock: () => now, pullLimits: { maxContexts: 3 } });
    const mem = new MemoryProvider(repo);
    cimom.registry.setDefault(mem);
    seed(repo, mem);
  });
  afterEach(() => cimom.close());

  async function status(p: Promise<unknown>): Promise<CIMStatusName | 'ok'> {
    try {
      await p;
      return 'ok';
    } catch (e) {
      return (e as CimError).statusName as CIMStatusName;
    }
  }

  it('opens with zero objects, counts, pulls in batches and ends the sequence', async () => {
    const r0 = await cimom.intrinsic('OpenEnumerateInstances', NS, oei, caller);
    expect(r0.items).to.deep.equal([]);
    expect(r0.EndOfSequence).to.equal(false);
    const ctx = r0.EnumerationContext!;
    expect(await cimom.intrinsic('EnumerationCount', NS, { EnumerationContext: ctx }, caller)).to.equal(2n);
    const r1 = await cimom.intrinsic('PullInstancesWithPath', NS, { EnumerationContext: ctx, MaxObjectCount: 1 }, caller);
    expect(r1.items.map((i) => i.path.toString('relative'))).to.deep.equal(['Test_Base.InstanceID="b1"']);
    expect(r1.EndOfSequence).to.equal(false);
    const r2 = await cimom.intrinsic('PullInstancesWithPath', NS, { EnumerationContext: r1.EnumerationContext!, MaxObjectCount: 10 }, caller);
    expect(r2.items.map((i) => i.path.toString('relative'))).to.deep.equal(['Test_Sub.InstanceID="s1"']);
    expect(r2).to.include({ EndOfSequence: true, EnumerationContext: null });
    expect(await status(cimom.intrinsic('PullInstancesWithPath', NS, { EnumerationContext: ctx, MaxObjectCount: 1 }, caller))).to.equal('CIM_ERR_INVALID_ENUMERATION_CONTEXT');
    expect(cimom.pulls.size).to.equal(0);
  });

  it('ends at once when everything fits or nothing matches', async () => {
    const r = await cimom.intrinsic('OpenEnumerateInstancePaths', NS, { ...open, ClassName: 'Test_Other', MaxObjectCount: 5 }, caller);
    expect(r.items.map((n) => n.toString('relative'))).to.deep.equal(['Test_Other.Id=1', 'Test_Other.Id=2']);
    expect(r).to.include({ EndOfSequence: true, EnumerationContext: null });
    const e = await cimom.intrinsic('OpenEnumerateInstancePaths', NS, { ...open, ClassName: 'Test_Other', FilterQueryLanguage: 'DMTF:FQL', FilterQuery: 'Id > 5' }, caller);
    expect(e).to.include({ EndOfSequence: true, EnumerationContext: null });
    expect(cimom.pulls.size).to.equal(0);
  });

  it('refuses a pull of the wrong kind (21) and works in the namespace of the Open', async () => {
    const { EnumerationContext: ctx } = await cimom.intrinsic('OpenEnumerateInstancePaths', NS, { ...open, ClassName: 'Test_Abstract' }, caller);
    expect(await status(cimom.intrinsic('PullInstancesWithPath', NS, { EnumerationContext: ctx!, MaxObjectCount: 1 }, caller))).to.equal('CIM_ERR_INVALID_ENUMERATION_CONTEXT');
    expect(await status(cimom.intrinsic('PullInstances', NS, { EnumerationContext: ctx!, MaxObjectCount: 1 }, caller))).to.equal('CIM_ERR_INVALID_ENUMERATION_CONTEXT');
    const other = await cimom.intrinsic('PullInstancePaths', 'interop', { EnumerationContext: ctx!, MaxObjectCount: 1 }, caller);
    expect(other.items.map((n) => n.namespace)).to.deep.equal([NS]);
    expect(await status(cimom.intrinsic('PullInstancePaths', 'root/none', { EnumerationContext: ctx!, MaxObjectCount: 1 }, caller))).to.equal('CIM_ERR_INVALID_NAMESPACE');
    expect(await status(cimom.intrinsic('PullInstancePaths', NS, { EnumerationContext: ctx!, MaxObjectCount: 1 }, caller))).to.equal('ok');
    expect(await status(cimom.intrinsic('PullInstancePaths', NS, { EnumerationContext: 'nope', MaxObjectCount: 1 }, caller))).to.equal('CIM_ERR_INVALID_ENUMERATION_CONTEXT');
  });

  it('expires idle contexts after OperationTimeout; a zero-count pull keeps one alive', async () => {
    const a = (await cimom.intrinsic('OpenEnumerateInstances', NS, { ...oei, OperationTimeout: 10 }, caller)).EnumerationContext!;
    const b = (await cimom.intrinsic('OpenEnumerateInstances', NS, { ...oei, OperationTimeout: 10 }, caller)).EnumerationContext!;
    now += 8000;
    const kept = await cimom.intrinsic('PullInstancesWithPath', NS, { EnumerationContext: b, MaxObjectCount: 0 }, caller);
    expect(kept).to.include({ EndOfSequence: false, EnumerationContext: b });
    now += 8000; // 16 s after a's open, 8 s after b's keep-alive
    expect(await status(cimom.intrinsic('PullInstancesWithPath', NS, { EnumerationContext: a, MaxObjectCount: 1 }, caller))).to.equal('CIM_ERR_INVALID_ENUMERATION_CONTEXT');
    expect(await status(cimom.intrinsic('PullInstancesWithPath', NS, { EnumerationContext: b, MaxObjectCount: 1 }, caller))).to.equal('ok');
    now += 60_000;
    expect(cimom.pulls.size).to.equal(1);
    expect(cimom.pulls.sweep()).to.equal(1);
    expect(cimom.pulls.size).to.equal(0);
  });

  it('frees contexts with a timer that does not hold the process open', async () => {
    await cimom.intrinsic('OpenEnumerateInstances', NS, oei, caller);
    const timer = (cimom.pulls as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).to.equal(false);
    cimom.close();
    expect(cimom.pulls.size).to.equal(0);
  });

  it('CloseEnumeration ends a context; closing again is 21', async () => {
    const { EnumerationContext: ctx } = await cimom.intrinsic('OpenEnumerateInstances', NS, oei, caller);
    await cimom.intrinsic('CloseEnumeration', NS, { EnumerationContext: ctx! }, caller);
    expect(await status(cimom.intrinsic('CloseEnumeration', NS, { EnumerationContext: ctx! }, caller))).to.equal('CIM_ERR_INVALID_ENUMERATION_CONTEXT');
    expect(await status(cimom.intrinsic('EnumerationCount', NS, { EnumerationContext: ctx! }, caller))).to.equal('CIM_ERR_INVALID_ENUMERATION_CONTEXT');
  });

  const guards: Array<[string, Partial<typeof oei>, CIMStatusName]> = [
    ['ContinueOnError', { ContinueOnError: true }, 'CIM_ERR_CONTINUATION_ON_ERROR_NOT_SUPPORTED'],
    ['OperationTimeout 0', { OperationTimeout: 0 }, 'CIM_ERR_INVALID_OPERATION_TIMEOUT'],
    ['OperationTimeout too large', { OperationTimeout: 99999 }, 'CIM_ERR_INVALID_OPERATION_TIMEOUT'],
    ['filter language without query', { FilterQueryLanguage: 'DMTF:FQL' }, 'CIM_ERR_INVALID_PARAMETER'],
    ['filter query without language', { FilterQuery: 'Count > 1' }, 'CIM_ERR_INVALID_PARAMETER'],
    ['unknown filter language', { FilterQueryLanguage: 'WQL', FilterQuery: 'Count > 1' }, 'CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED'],
    ['bad filter', { FilterQueryLanguage: 'DMTF:FQL', FilterQuery: 'Count >' }, 'CIM_ERR_INVALID_QUERY'],
    ['filter on unknown property', { FilterQueryLanguage: 'DMTF:FQL', FilterQuery: 'Bogus = 1' }, 'CIM_ERR_INVALID_QUERY'],
    ['filter on a subclass-only property', { FilterQueryLanguage: 'DMTF:FQL', FilterQuery: 'Count = 1' }, 'CIM_ERR_INVALID_QUERY'],
    ['unknown class', { ClassName: 'Nope' }, 'CIM_ERR_INVALID_CLASS'],
  ];
  for (const [what, change, code] of guards) {
    it(`OpenEnumerateInstances: ${what} -> ${code}`, async () => {
      expect(await status(cimom.intrinsic('OpenEnumerateInstances', NS, { ...oei, ...change }, caller))).to.equal(code);
      expect(cimom.pulls.size).to.equal(0);
    });
  }

  it('filters with DMTF:FQL', async () => {
    const r = await cimom.intrinsic('OpenEnumerateInstances', NS, { ...oei, ClassName: 'Test_Base', MaxObjectCount: 10, FilterQueryLanguage: 'DMTF:FQL', FilterQuery: 'Count > 5 OR Name = "alpha"' }, caller);
    expect(r.items.map((i) => i.path.toString('relative'))).to.deep.equal(['Test_Base.InstanceID="b1"', 'Test_Sub.InstanceID="s1"']);
    const r2 = await cimom.intrinsic('OpenEnumerateInstances', NS, { ...oei, ClassName: 'Test_Base', MaxObjectCount: 10, FilterQueryLanguage: 'DMTF:FQL', FilterQuery: 'Name = "ALPHA"' }, caller);
    expect(r2.items).to.deep.equal([]); // FQL string comparison is case-sensitive
  });

  it('limits the number of open contexts (27)', async () => {
    for (let i = 0; i < 3; i++) await cimom.intrinsic('OpenEnumerateInstances', NS, oei, caller);
    expect(await status(cimom.intrinsic('OpenEnumerateInstances', NS, oei, caller))).to.equal('CIM_ERR_SERVER_LIMITS_EXCEEDED');
  });

  it('opens reference and associator enumerations', async () => {
    const refs = await cimom.intrinsic('OpenReferenceInstancePaths', NS, { ...open, MaxObjectCount: 9, InstanceName: other1, ResultClass: null, Role: null }, caller);
    expect(refs.items.map((n) => n.className)).to.deep.equal(['Test_Assoc', 'Test_Peer']);
    const ri = await cimom.intrinsic('OpenReferenceInstances', NS, { ...open, MaxObjectCount: 9, InstanceName: other1, ResultClass: 'Test_Assoc', Role: null, IncludeClassOrigin: false, PropertyList: ['Weight'] }, caller);
    expect(ri.items.map((i) => [...i.properties.keys()])).to.deep.equal([['Weight']]);
    const ai = await cimom.intrinsic('OpenAssociatorInstances', NS, { ...open, MaxObjectCount: 9, InstanceName: other1, AssocClass: null, ResultClass: null, Role: null, ResultRole: null, IncludeClassOrigin: false, PropertyList: null, FilterQueryLanguage: 'DMTF:FQL', FilterQuery: 'Label = "Two"' }, caller);
    expect(ai.items.map((i) => i.path.toString('relative'))).to.deep.equal(['Test_Other.Id=2']);
    const ap = await cimom.intrinsic('OpenAssociatorInstancePaths', NS, { ...open, MaxObjectCount: 1, InstanceName: other1, AssocClass: null, ResultClass: null, Role: null, ResultRole: null }, caller);
    expect(ap.items).to.have.length(1);
    expect(ap.EndOfSequence).to.equal(false);
    const bad = cimom.intrinsic('OpenAssociatorInstancePaths', NS, { ...open, InstanceName: InstanceName.of('Test_Other', { Id: 1 }), AssocClass: 'Nope', ResultClass: null, Role: null, ResultRole: null }, caller);
    expect(await status(bad)).to.equal('CIM_ERR_INVALID_PARAMETER');
  });

  it('OpenQueryInstances with the query result class, then PullInstances', async () => {
    const r = await cimom.intrinsic('OpenQueryInstances', NS, { ...open, FilterQueryLanguage: 'WQL', FilterQuery: 'SELECT Name FROM Test_Base', ReturnQueryResultClass: true, MaxObjectCount: 1 }, caller);
    expect([...r.QueryResultClass!.properties.keys()]).to.deep.equal(['Name']);
    expect(r.items.map((i) => i.get('Name'))).to.deep.equal(['alpha']);
    const p = await cimom.intrinsic('PullInstances', NS, { EnumerationContext: r.EnumerationContext!, MaxObjectCount: 5 }, caller);
    expect(p.items.map((i) => i.get('Name'))).to.deep.equal(['Beta']);
    expect(p.EndOfSequence).to.equal(true);
    expect(await status(cimom.intrinsic('OpenQueryInstances', NS, { ...open, FilterQueryLanguage: 'XQL', FilterQuery: 'x', ReturnQueryResultClass: false }, caller))).to.equal('CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED');
  });
});
