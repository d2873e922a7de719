/**
 * The read-only view of compiled classes, qualifier declarations and MOF-declared instances,
 * per namespace. The MOF compiler produces one; cimom, cimxml and the code generator read it.
 * Names are case-insensitive everywhere; results carry the declared spelling.
 */
import type { CIMClass } from './class.js';
import type { CIMInstance } from './instance.js';
import type { QualifierDecl } from './qualifier.js';

export interface ClassRepository {
  namespaces(): string[];
  hasNamespace(ns: string): boolean;
  getClass(ns: string, className: string): CIMClass | undefined;
  /** Every class name in the namespace, in definition order. */
  classNames(ns: string): string[];
  /**
   * Subclass names of `className` (or top-level classes when undefined): direct subclasses
   * only when deep is false, all descendants (parents before children) when true.
   */
  subclassNames(ns: string, className: string | undefined, deep: boolean): string[];
  /** True when sub is sup or derives from it. */
  isSubclassOf(ns: string, sub: string, sup: string): boolean;
  getQualifierDecl(ns: string, name: string): QualifierDecl | undefined;
  qualifierDecls(ns: string): QualifierDecl[];
  /** Instances declared in MOF (`instance of ...`), with their paths where keys allow one. */
  instances(ns: string): CIMInstance[];
}
