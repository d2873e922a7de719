/**
 * The MOF syntax tree the parser builds and the resolver reads. Every node carries `at`, the
 * character offset of its first token in the production's SourceFile (line/col on demand).
 * Values stay untyped here (an integer literal is a bigint) until the resolver knows the
 * declared type they go into.
 */
import type { SourceFile } from './diagnostics.js';

export type Literal =
  | { k: 'int'; v: bigint; at: number }
  | { k: 'real'; v: number; at: number }
  | { k: 'str'; v: string; at: number }
  | { k: 'char'; v: string; at: number }
  | { k: 'bool'; v: boolean; at: number }
  | { k: 'null'; at: number }
  | { k: 'alias'; name: string; at: number };

export type ValueNode = Literal | { k: 'array'; items: Literal[]; at: number };

export interface FlavorNode {
  name: string;
  at: number;
}

export interface QualifierNode {
  name: string;
  at: number;
  /** Absent when written as a bare name (`[Key]`). */
  value?: ValueNode;
  flavors: FlavorNode[];
}

/** A declared type: a CIM type name or a class REF; `type` is lower-case for built-ins. */
export interface TypeNode {
  type: string;
  refClass?: string;
  isArray: boolean;
  arraySize?: number;
  at: number;
}

/** A property or reference; `at` is its type's position (after any qualifier list). */
export interface PropertyNode extends TypeNode {
  kind: 'property';
  quals: QualifierNode[];
  name: string;
  nameAt: number;
  defaultValue?: ValueNode;
}

export interface ParameterNode extends TypeNode {
  quals: QualifierNode[];
  name: string;
  nameAt: number;
}

export interface MethodNode {
  kind: 'method';
  quals: QualifierNode[];
  returnType: TypeNode;
  name: string;
  nameAt: number;
  at: number;
  params: ParameterNode[];
}

export type FeatureNode = PropertyNode | MethodNode;

interface ProductionBase {
  file: SourceFile;
  at: number;
}

export interface ClassNode extends ProductionBase {
  kind: 'class';
  quals: QualifierNode[];
  name: string;
  nameAt: number;
  alias?: string;
  superclass?: string;
  superAt: number;
  features: FeatureNode[];
}

export interface PropertyValueNode {
  quals: QualifierNode[];
  name: string;
  at: number;
  value: ValueNode;
}

export interface InstanceNode extends ProductionBase {
  kind: 'instance';
  quals: QualifierNode[];
  className: string;
  classAt: number;
  alias?: string;
  aliasAt: number;
  props: PropertyValueNode[];
}

export interface QualifierDeclNode extends ProductionBase {
  kind: 'qualifierDecl';
  name: string;
  nameAt: number;
  type: TypeNode;
  defaultValue?: ValueNode;
  scopes: FlavorNode[];
  flavors: FlavorNode[];
}

export interface PragmaNode extends ProductionBase {
  kind: 'pragma';
  name: string;
  arg: string;
  argAt: number;
}

export type Production = ClassNode | InstanceNode | QualifierDeclNode | PragmaNode;
