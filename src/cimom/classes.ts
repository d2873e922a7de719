/**
 * Class and qualifier-declaration operations, answered from the compiled repository
 * (cim-xml-protocol.md 4.1). Schema-changing operations are refused with NOT_SUPPORTED.
 */
import type { CIMClass } from '../cim/class.js';
import { CimError } from '../cim/errors.js';
import type { QualifierDecl } from '../cim/qualifier.js';
import type { Engine } from './engine.js';
import { shapeClass } from './filter.js';
import type { Requests } from './operations.js';

export function getClass(e: Engine, ns: string, r: Requests['GetClass']): CIMClass {
  const cls = e.cls(ns, r.ClassName, 'CIM_ERR_NOT_FOUND');
  return shapeClass(cls, {
    localOnly: r.LocalOnly,
    includeQualifiers: r.IncludeQualifiers,
    includeClassOrigin: r.IncludeClassOrigin,
    propertyList: r.PropertyList,
  });
}

/** DSP0200: the named class itself is never returned; NULL ClassName starts at the roots. */
function classNames(e: Engine, ns: string, className: string | null, deep: boolean): string[] {
  let start: string | undefined;
  if (className) start = e.cls(ns, className).name;
  return e.repo.subclassNames(ns, start, deep);
}

export function enumerateClasses(e: Engine, ns: string, r: Requests['EnumerateClasses']): CIMClass[] {
  const shape = {
    localOnly: r.LocalOnly,
    includeQualifiers: r.IncludeQualifiers,
    includeClassOrigin: r.IncludeClassOrigin,
    propertyList: null,
  };
  return classNames(e, ns, r.ClassName, r.DeepInheritance).map((n) => shapeClass(e.cls(ns, n), shape));
}

export function enumerateClassNames(e: Engine, ns: string, r: Requests['EnumerateClassNames']): string[] {
  return classNames(e, ns, r.ClassName, r.DeepInheritance);
}

export function getQualifier(e: Engine, ns: string, r: Requests['GetQualifier']): QualifierDecl {
  const q = e.repo.getQualifierDecl(ns, r.QualifierName);
  if (!q) throw new CimError('CIM_ERR_NOT_FOUND', `qualifier ${JSON.stringify(r.QualifierName)} is not declared in ${ns}`);
  return q;
}

export function enumerateQualifiers(e: Engine, ns: string): QualifierDecl[] {
  return e.repo.qualifierDecls(ns);
}
