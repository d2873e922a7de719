/**
 * The typed contract between the wire (cimxml) and the operation semantics (cimom).
 * Each intrinsic operation has one request shape (parameters with DSP0200 defaults already
 * applied by the decoder; names as in cim-xml-protocol.md section 4) and one response shape,
 * fixed by the Responses map, so a handler cannot answer with the wrong shape.
 * Multi-object results are Iterables, consumed lazily by the encoder (streamed responses).
 */
import type { CIMClass } from '../cim/class.js';
import type { CIMInstance, PropertyValue } from '../cim/instance.js';
import type { ClassName, InstanceName } from '../cim/path.js';
import type { QualifierDecl } from '../cim/qualifier.js';
import type { CIMTypeSpec, CIMValue } from '../cim/types.js';

export type PropertyList = string[] | null;

interface ClassFlags {
  LocalOnly: boolean;
  IncludeQualifiers: boolean;
  IncludeClassOrigin: boolean;
}
interface InstanceFlags {
  IncludeQualifiers: boolean;
  IncludeClassOrigin: boolean;
  PropertyList: PropertyList;
}
interface AssocFilter {
  AssocClass: string | null;
  ResultClass: string | null;
  Role: string | null;
  ResultRole: string | null;
}
interface RefFilter {
  ResultClass: string | null;
  Role: string | null;
}
interface PullOpen {
  FilterQueryLanguage: string | null;
  FilterQuery: string | null;
  /** Seconds; null = server default. */
  OperationTimeout: number | null;
  ContinueOnError: boolean;
  MaxObjectCount: number;
}

/** An extrinsic method parameter as decoded: name, value, and the type it arrived with (if any). */
export interface ParamValue {
  name: string;
  value: CIMValue;
  /** Present when the wire said (PARAMTYPE, TYPE, VALUE.REFERENCE, EmbeddedObject); absent for untyped text. */
  spec?: Partial<CIMTypeSpec>;
}

export interface Requests {
  GetClass: ClassFlags & { ClassName: string; PropertyList: PropertyList };
  EnumerateClasses: ClassFlags & { ClassName: string | null; DeepInheritance: boolean };
  EnumerateClassNames: { ClassName: string | null; DeepInheritance: boolean };
  CreateClass: { NewClass: CIMClass };
  ModifyClass: { ModifiedClass: CIMClass };
  DeleteClass: { ClassName: string };
  GetQualifier: { QualifierName: string };
  SetQualifier: { QualifierDeclaration: QualifierDecl };
  DeleteQualifier: { QualifierName: string };
  EnumerateQualifiers: Record<string, never>;
  GetInstance: InstanceFlags & { InstanceName: InstanceName; LocalOnly: boolean };
  EnumerateInstances: InstanceFlags & { ClassName: string; LocalOnly: boolean; DeepInheritance: boolean };
  EnumerateInstanceNames: { ClassName: string };
  CreateInstance: { NewInstance: CIMInstance };
  ModifyInstance: { ModifiedInstance: CIMInstance & { path: InstanceName }; IncludeQualifiers: boolean; PropertyList: PropertyList };
  DeleteInstance: { InstanceName: InstanceName };
  GetProperty: { InstanceName: InstanceName; PropertyName: string };
  SetProperty: { InstanceName: InstanceName; PropertyName: string; NewValue: CIMValue };
  Associators: InstanceFlags & AssocFilter & { ObjectName: InstanceName | ClassName };
  AssociatorNames: AssocFilter & { ObjectName: InstanceName | ClassName };
  References: InstanceFlags & RefFilter & { ObjectName: InstanceName | ClassName };
  ReferenceNames: RefFilter & { ObjectName: InstanceName | ClassName };
  ExecQuery: { QueryLanguage: string; Query: string };
  OpenEnumerateInstances: PullOpen & { ClassName: string; DeepInheritance: boolean; IncludeClassOrigin: boolean; PropertyList: PropertyList };
  OpenEnumerateInstancePaths: PullOpen & { ClassName: string };
  OpenReferenceInstances: PullOpen & RefFilter & { InstanceName: InstanceName; IncludeClassOrigin: boolean; PropertyList: PropertyList };
  OpenReferenceInstancePaths: PullOpen & RefFilter & { InstanceName: InstanceName };
  OpenAssociatorInstances: PullOpen & AssocFilter & { InstanceName: InstanceName; IncludeClassOrigin: boolean; PropertyList: PropertyList };
  OpenAssociatorInstancePaths: PullOpen & AssocFilter & { InstanceName: InstanceName };
  OpenQueryInstances: PullOpen & { FilterQueryLanguage: string; FilterQuery: string; ReturnQueryResultClass: boolean };
  PullInstancesWithPath: { EnumerationContext: string; MaxObjectCount: number };
  PullInstancePaths: { EnumerationContext: string; MaxObjectCount: number };
  PullInstances: { EnumerationContext: string; MaxObjectCount: number };
  CloseEnumeration: { EnumerationContext: string };
  EnumerationCount: { EnumerationContext: string };
}

/** Instances returned with their full path set (CIMInstance.path). */
export type InstanceWithPath = CIMInstance & { path: InstanceName };
/** A class returned from class-level association traversal, with its path. */
export interface ClassWithPath {
  path: ClassName;
  cls: CIMClass;
}

/** One batch of a pull enumeration. */
export interface PullResult<T> {
  items: T[];
  EndOfSequence: boolean;
  /** Null once EndOfSequence is true. */
  EnumerationContext: string | null;
}

/**
 * Encoder notes (the cimom shapes every response itself, cimom/filter.ts):
 * - Classes (GetClass, EnumerateClasses, class-level Associators/References) arrive already
 *   filtered; a property or method whose `classOrigin` is '' was asked without
 *   IncludeClassOrigin: emit no CLASSORIGIN attribute for it.
 * - Instances carry only the properties to emit, in order; PropertyValue.classOrigin is set
 *   only when IncludeClassOrigin was true. Instance paths always carry namespace and host;
 *   the encoder chooses INSTANCENAME / LOCALINSTANCEPATH / INSTANCEPATH as DSP0200 says.
 * - Every instance returned is frozen and read-only (its property map too, by contract).
 *   An unchanged instance is returned as the same frozen object between calls with the same
 *   flags (for providers declaring immutableInstances, e.g. the store-backed default one;
 *   a PropertyList or DeepInheritance=false narrowing yields a fresh frozen copy), so the
 *   encoder may memoise its bytes per object. A changed instance is always a new object.
 */
export interface Responses {
  GetClass: CIMClass;
  EnumerateClasses: Iterable<CIMClass>;
  EnumerateClassNames: Iterable<string>;
  CreateClass: void;
  ModifyClass: void;
  DeleteClass: void;
  GetQualifier: QualifierDecl;
  SetQualifier: void;
  DeleteQualifier: void;
  EnumerateQualifiers: Iterable<QualifierDecl>;
  /** Encoded without its path. */
  GetInstance: CIMInstance;
  EnumerateInstances: Iterable<InstanceWithPath>;
  EnumerateInstanceNames: Iterable<InstanceName>;
  CreateInstance: InstanceName;
  ModifyInstance: void;
  DeleteInstance: void;
  /** Null when the property value is NULL. */
  GetProperty: PropertyValue | null;
  SetProperty: void;
  Associators: Iterable<InstanceWithPath | ClassWithPath>;
  AssociatorNames: Iterable<InstanceName | ClassName>;
  References: Iterable<InstanceWithPath | ClassWithPath>;
  ReferenceNames: Iterable<InstanceName | ClassName>;
  /** Instances; classes only for `ASSOCIATORS OF {Class}` / ClassDefsOnly traversal queries. */
  ExecQuery: Iterable<InstanceWithPath | ClassWithPath>;
  OpenEnumerateInstances: PullResult<InstanceWithPath>;
  OpenEnumerateInstancePaths: PullResult<InstanceName>;
  OpenReferenceInstances: PullResult<InstanceWithPath>;
  OpenReferenceInstancePaths: PullResult<InstanceName>;
  OpenAssociatorInstances: PullResult<InstanceWithPath>;
  OpenAssociatorInstancePaths: PullResult<InstanceName>;
  OpenQueryInstances: PullResult<CIMInstance> & { QueryResultClass?: CIMClass };
  PullInstancesWithPath: PullResult<InstanceWithPath>;
  PullInstancePaths: PullResult<InstanceName>;
  PullInstances: PullResult<CIMInstance>;
  CloseEnumeration: void;
  /** Null when the count is unknown. */
  EnumerationCount: bigint | null;
}

export type IntrinsicName = keyof Requests;

export interface InvokeMethodRequest {
  ObjectName: InstanceName | ClassName;
  MethodName: string;
  Params: ParamValue[];
}
export interface InvokeMethodResponse {
  ReturnValue: { value: CIMValue; spec: CIMTypeSpec };
  /** OUT parameters, typed from the method declaration. */
  OutParams: Array<ParamValue & { spec: CIMTypeSpec }>;
}

/** Who is asking; cimxml fills it from the authenticated user. */
export interface RequestContext {
  user: string;
  role: 'admin' | 'reader';
  /** Host name to print in returned paths (INSTANCEPATH/NAMESPACEPATH/HOST). */
  host: string;
}

/** What cimxml calls. cimom implements it; errors are thrown as CimError. */
export interface Cimom {
  intrinsic<K extends IntrinsicName>(op: K, namespace: string, req: Requests[K], ctx: RequestContext): Promise<Responses[K]>;
  invokeMethod(namespace: string, req: InvokeMethodRequest, ctx: RequestContext): Promise<InvokeMethodResponse>;
  /** Namespaces served, for header checks. */
  hasNamespace(namespace: string): boolean;
}
