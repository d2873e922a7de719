/**
 * A small in-memory Cimom for wire tests: fixed answers for every operation shape (pull
 * batches, query results, class-level association results, method output with references
 * and embedded instances), so the encoders can be exercised without the real cimom.
 * Records the last request it was given so decode tests can look at the typed request.
 */
import type { CIMClass } from '../../../src/cim/class.js';
import { CimError } from '../../../src/cim/errors.js';
import { CIMInstance } from '../../../src/cim/instance.js';
import { CIMap } from '../../../src/cim/names.js';
import { ClassName, InstanceName } from '../../../src/cim/path.js';
import { DEFAULT_FLAVOR } from '../../../src/cim/qualifier.js';
import { CIMDateTime } from '../../../src/cim/datetime.js';
import type {
  Cimom, IntrinsicName, InvokeMethodRequest, InvokeMethodResponse, RequestContext, Requests, Responses,
} from '../../../src/cimom/operations.js';

export const NS = 'root/cimv2';

export function item(id: string, extra: Partial<Record<'Name' | 'Count', string | number>> = {}): CIMInstance & { path: InstanceName } {
  const inst = new CIMInstance('TST_Item', [
    { name: 'Id', type: 'string', isArray: false, value: id },
    { name: 'Name', type: 'string', isArray: false, value: String(extra.Name ?? `item ${id}`) },
    { name: 'Count', type: 'uint32', isArray: false, value: Number(extra.Count ?? 1) },
    { name: 'When', type: 'datetime', isArray: false, value: CIMDateTime.parse('20240131124502.000000+000') },
    { name: 'Tags', type: 'string', isArray: true, value: ['a', null, 'b'] },
  ]);
  inst.path = InstanceName.of('TST_Item', { Id: id }, NS, 'testhost');
  return inst as CIMInstance & { path: InstanceName };
}

export function testClass(): CIMClass {
  const q = (name: string, value: boolean | string) => ({
    name, type: typeof value === 'boolean' ? ('boolean' as const) : ('string' as const), isArray: false, value, flavor: DEFAULT_FLAVOR, propagated: false,
  });
  return {
    name: 'TST_Item', qualifiers: new CIMap([['Description', q('Description', 'item')]]),
    properties: new CIMap([
      ['Id', { name: 'Id', type: 'string', isArray: false, defaultValue: null, qualifiers: new CIMap([['Key', q('Key', true)]]), classOrigin: 'TST_Item', propagated: false, isKey: true }],
      ['Ref', { name: 'Ref', type: 'reference', refClass: 'TST_Item', isArray: false, defaultValue: null, qualifiers: new CIMap(), classOrigin: 'TST_Item', propagated: false, isKey: false }],
      ['Data', { name: 'Data', type: 'string', embedded: 'instance', isArray: false, defaultValue: null, qualifiers: new CIMap(), classOrigin: 'TST_Item', propagated: false, isKey: false }],
    ]),
    methods: new CIMap([
      ['Go', {
        name: 'Go', returnType: 'uint32', classOrigin: 'TST_Item', propagated: false, qualifiers: new CIMap(),
        parameters: new CIMap([
          ['Level', { name: 'Level', type: 'uint16', isArray: false, qualifiers: new CIMap([['In', q('In', true)]]), in: true, out: false }],
          ['Targets', { name: 'Targets', type: 'reference', refClass: 'TST_Item', isArray: true, qualifiers: new CIMap(), in: true, out: false }],
          ['Codes', { name: 'Codes', type: 'uint8', isArray: true, arraySize: 4, qualifiers: new CIMap(), in: true, out: false }],
          ['Job', { name: 'Job', type: 'reference', refClass: 'TST_Item', isArray: false, qualifiers: new CIMap(), in: false, out: true }],
        ]),
      }],
    ]),
    isAssociation: false, isIndication: false, isAbstract: false, keys: ['Id'],
  };
}

type Answers = { [K in IntrinsicName]: (req: Requests[K]) => Responses[K] };

function pull<T>(items: T[], end: boolean) {
  return { items, EndOfSequence: end, EnumerationContext: end ? null : 'ctx-1' };
}

const answers: Answers = {
  GetClass: () => testClass(),
  EnumerateClasses: () => [testClass()],
  EnumerateClassNames: () => ['TST_Item', 'TST_Sub'],
  CreateClass: () => undefined,
  ModifyClass: () => undefined,
  DeleteClass: () => undefined,
  GetQualifier: () => ({ name: 'Key', type: 'boolean', isArray: false, defaultValue: false, scopes: ['property', 'reference'], flavor: { overridable: false, toSubclass: true, translatable: false } }),
  SetQualifier: () => undefined,
  DeleteQualifier: () => undefined,
  EnumerateQualifiers: () => [
    { name: 'Key', type: 'boolean', isArray: false, defaultValue: false, scopes: ['property'], flavor: DEFAULT_FLAVOR },
    { name: 'ValueMap', type: 'string', isArray: true, defaultValue: null, scopes: ['any'], flavor: DEFAULT_FLAVOR },
  ],
  GetInstance: () => item('a'),
  EnumerateInstances: () => [item('a'), item('b')],
  EnumerateInstanceNames: () => [item('a').path, InstanceName.of('TST_Num', { N: 5, B: true, Big: 2n ** 40n, Neg: -3 })],
  CreateInstance: () => InstanceName.of('TST_Item', { Id: 'new' }),
  ModifyInstance: () => undefined,
  DeleteInstance: () => undefined,
  GetProperty: (r) =>
    r.PropertyName === 'Tags'
      ? { name: 'Tags', type: 'string', isArray: true, value: ['x', null] }
      : r.PropertyName === 'Ref'
        ? { name: 'Ref', type: 'reference', isArray: false, value: item('b').path }
        : r.PropertyName === 'Nothing' ? null : { name: 'Name', type: 'string', isArray: false, value: 'a & b' },
  SetProperty: () => undefined,
  Associators: (r) => (r.ObjectName instanceof ClassName ? [{ path: new ClassName('TST_Item', NS, 'testhost'), cls: testClass() }] : [item('b')]),
  AssociatorNames: (r) => (r.ObjectName instanceof ClassName ? [new ClassName('TST_Item', NS, 'testhost')] : [item('b').path]),
  References: () => [item('c')],
  ReferenceNames: () => [item('c').path],
  ExecQuery: () => [item('a')],
  OpenEnumerateInstances: () => pull([item('a')], false),
  OpenEnumerateInstancePaths: () => pull([item('a').path], true),
  OpenReferenceInstances: () => pull([], true),
  OpenReferenceInstancePaths: () => pull([], true),
  OpenAssociatorInstances: () => pull([item('b')], true),
  OpenAssociatorInstancePaths: () => pull([item('b').path], true),
  OpenQueryInstances: () => ({ ...pull([item('a')], true), QueryResultClass: testClass() }),
  PullInstancesWithPath: (r) => {
    if (r.EnumerationContext !== 'ctx-1') throw new CimError('CIM_ERR_INVALID_ENUMERATION_CONTEXT', 'unknown context');
    return pull([item('b')], true);
  },
  PullInstancePaths: () => pull([item('b').path], true),
  PullInstances: () => pull([item('b')], true),
  CloseEnumeration: () => undefined,
  EnumerationCount: () => 42n,
};

/** A stub cimom; `big` (class TST_Big) enumerates that many instances lazily, `failAt` throws midway. */
export class StubCimom implements Cimom {
  last?: { op: string; namespace: string; req: unknown; ctx: RequestContext };
  constructor(private readonly opts: { big?: number; failAt?: number } = {}) {}

  hasNamespace(ns: string): boolean {
    return ns.toLowerCase() === NS;
  }

  async intrinsic<K extends IntrinsicName>(op: K, namespace: string, req: Requests[K], ctx: RequestContext): Promise<Responses[K]> {
    this.last = { op, namespace, req, ctx };
    if (!this.hasNamespace(namespace)) throw new CimError('CIM_ERR_INVALID_NAMESPACE', namespace);
    if (op === 'EnumerateInstances' && (req as Requests['EnumerateInstances']).ClassName === 'TST_Big') {
      return this.big() as Responses[K];
    }
    return (answers[op] as (r: Requests[K]) => Responses[K])(req);
  }

  private *big(): Iterable<CIMInstance & { path: InstanceName }> {
    for (let i = 0; i < (this.opts.big ?? 0); i++) {
      if (i === this.opts.failAt) throw new CimError('CIM_ERR_FAILED', 'provider gave up');
      yield item(`big-${String(i).padStart(6, '0')}`, { Name: 'x'.repeat(100) });
    }
  }

  async invokeMethod(namespace: string, req: InvokeMethodRequest, ctx: RequestContext): Promise<InvokeMethodResponse> {
    this.last = { op: 'InvokeMethod', namespace, req, ctx };
    const embedded = new CIMInstance('TST_Item', item('emb').properties.values());
    return {
      ReturnValue: { value: 4096, spec: { type: 'uint32', isArray: false } },
      OutParams: [
        { name: 'Job', value: item('job').path, spec: { type: 'reference', isArray: false } },
        { name: 'Result', value: embedded, spec: { type: 'string', isArray: false, embedded: 'instance' } },
        { name: 'Results', value: [embedded, null], spec: { type: 'string', isArray: true, embedded: 'instance' } },
        { name: 'Targets', value: [item('a').path, null], spec: { type: 'reference', isArray: true } },
        { name: 'Codes', value: [1, 2], spec: { type: 'uint8', isArray: true } },
        { name: 'Missing', value: null, spec: { type: 'string', isArray: false } },
      ],
    };
  }
}
