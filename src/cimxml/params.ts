/**
 * The intrinsic operation table (DSP0200 / cim-xml-protocol.md 4.1 and 4.4): for every field
 * of every typed request, the IPARAMVALUE kind and its DSP0200 default. The mapped type
 * makes the table exhaustive: a request field without an entry does not compile.
 */
import type { IntrinsicName, Requests } from '../cimom/operations.js';

export type ParamKind =
  | 'className' | 'instanceName' | 'objectName' | 'boolean' | 'string' | 'uint32' | 'stringArray'
  | 'instance' | 'namedInstance' | 'class' | 'qualifierDecl' | 'propertyValue';

export interface ParamSpec {
  kind: ParamKind;
  /** Missing and not required: this value (null = NULL). */
  dflt?: unknown;
  required?: boolean;
}

type OpTable = { [K in IntrinsicName]: { [P in keyof Requests[K]]-?: ParamSpec } };

const req = (kind: ParamKind): ParamSpec => ({ kind, required: true });
const opt = (kind: ParamKind, dflt: unknown): ParamSpec => ({ kind, dflt });
const bool = (dflt: boolean): ParamSpec => ({ kind: 'boolean', dflt });
const nullClass = opt('className', null);
const nullString = opt('string', null);
const propertyList = opt('stringArray', null);

const pullOpen = {
  FilterQueryLanguage: nullString,
  FilterQuery: nullString,
  OperationTimeout: opt('uint32', null),
  ContinueOnError: bool(false),
  MaxObjectCount: opt('uint32', 0),
};
const assocFilter = { AssocClass: nullClass, ResultClass: nullClass, Role: nullString, ResultRole: nullString };
const refFilter = { ResultClass: nullClass, Role: nullString };
const pull = { EnumerationContext: req('string'), MaxObjectCount: req('uint32') };

export const OPERATIONS: OpTable = {
  GetClass: { ClassName: req('className'), LocalOnly: bool(true), IncludeQualifiers: bool(true), IncludeClassOrigin: bool(false), PropertyList: propertyList },
  EnumerateClasses: { ClassName: nullClass, DeepInheritance: bool(false), LocalOnly: bool(true), IncludeQualifiers: bool(true), IncludeClassOrigin: bool(false) },
  EnumerateClassNames: { ClassName: nullClass, DeepInheritance: bool(false) },
  CreateClass: { NewClass: req('class') },
  ModifyClass: { ModifiedClass: req('class') },
  DeleteClass: { ClassName: req('className') },
  GetQualifier: { QualifierName: req('string') },
  SetQualifier: { QualifierDeclaration: req('qualifierDecl') },
  DeleteQualifier: { QualifierName: req('string') },
  EnumerateQualifiers: {},
  GetInstance: { InstanceName: req('instanceName'), LocalOnly: bool(true), IncludeQualifiers: bool(false), IncludeClassOrigin: bool(false), PropertyList: propertyList },
  EnumerateInstances: {
    ClassName: req('className'), LocalOnly: bool(true), DeepInheritance: bool(true), IncludeQualifiers: bool(false),
    IncludeClassOrigin: bool(false), PropertyList: propertyList,
  },
  EnumerateInstanceNames: { ClassName: req('className') },
  CreateInstance: { NewInstance: req('instance') },
  ModifyInstance: { ModifiedInstance: req('namedInstance'), IncludeQualifiers: bool(true), PropertyList: propertyList },
  DeleteInstance: { InstanceName: req('instanceName') },
  GetProperty: { InstanceName: req('instanceName'), PropertyName: req('string') },
  SetProperty: { InstanceName: req('instanceName'), PropertyName: req('string'), NewValue: opt('propertyValue', null) },
  Associators: { ObjectName: req('objectName'), ...assocFilter, IncludeQualifiers: bool(false), IncludeClassOrigin: bool(false), PropertyList: propertyList },
  AssociatorNames: { ObjectName: req('objectName'), ...assocFilter },
  References: { ObjectName: req('objectName'), ...refFilter, IncludeQualifiers: bool(false), IncludeClassOrigin: bool(false), PropertyList: propertyList },
  ReferenceNames: { ObjectName: req('objectName'), ...refFilter },
  ExecQuery: { QueryLanguage: req('string'), Query: req('string') },
  OpenEnumerateInstances: { ClassName: req('className'), DeepInheritance: bool(true), IncludeClassOrigin: bool(false), PropertyList: propertyList, ...pullOpen },
  OpenEnumerateInstancePaths: { ClassName: req('className'), ...pullOpen },
  OpenReferenceInstances: { InstanceName: req('instanceName'), ...refFilter, IncludeClassOrigin: bool(false), PropertyList: propertyList, ...pullOpen },
  OpenReferenceInstancePaths: { InstanceName: req('instanceName'), ...refFilter, ...pullOpen },
  OpenAssociatorInstances: { InstanceName: req('instanceName'), ...assocFilter, IncludeClassOrigin: bool(false), PropertyList: propertyList, ...pullOpen },
  OpenAssociatorInstancePaths: { InstanceName: req('instanceName'), ...assocFilter, ...pullOpen },
  OpenQueryInstances: {
    ...pullOpen, FilterQueryLanguage: req('string'), FilterQuery: req('string'), ReturnQueryResultClass: bool(false),
  },
  PullInstancesWithPath: pull,
  PullInstancePaths: pull,
  PullInstances: pull,
  CloseEnumeration: { EnumerationContext: req('string') },
  EnumerationCount: { EnumerationContext: req('string') },
};

/** Operations that change state (refused for the reader role). */
export const WRITE_OPERATIONS: ReadonlySet<IntrinsicName> = new Set<IntrinsicName>([
  'CreateClass', 'ModifyClass', 'DeleteClass', 'SetQualifier', 'DeleteQualifier',
  'CreateInstance', 'ModifyInstance', 'DeleteInstance', 'SetProperty',
]);

const byLowerName = new Map<string, IntrinsicName>(
  (Object.keys(OPERATIONS) as IntrinsicName[]).map((n) => [n.toLowerCase(), n]),
);

/** The operation for an IMETHODCALL NAME (case-insensitive), or undefined. */
export function findOperation(name: string): IntrinsicName | undefined {
  return byLowerName.get(name.toLowerCase());
}
