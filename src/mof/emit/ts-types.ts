/**
 * How CIM types print as TypeScript types in generated code. Mirrors src/cim/types.ts:
 * 64-bit integers are bigint, datetime is CIMDateTime, references are InstanceName, and a
 * string holding an embedded instance (or object) may arrive parsed (CIMInstance, CIMClass) or as text.
 */
import type { CIMTypeSpec } from '../../cim/types.js';

/** The TS type of one scalar value of a CIM type (no ValueMap narrowing). */
export function scalarTsType(spec: Pick<CIMTypeSpec, 'type' | 'embedded'>): string {
  switch (spec.type) {
    case 'boolean':
      return 'boolean';
    case 'string':
    case 'char16':
      if (spec.embedded === 'object') return 'string | CIMInstance | CIMClass';
      return spec.embedded ? 'string | CIMInstance' : 'string';
    case 'datetime':
      return 'CIMDateTime';
    case 'uint64':
    case 'sint64':
      return 'bigint';
    case 'reference':
      return 'InstanceName';
    default:
      return 'number';
  }
}

/** Wraps an element type for arrays; unions get parentheses. */
export function arrayOf(element: string, isArray: boolean): string {
  if (!isArray) return element;
  return element.includes('|') ? `(${element})[]` : `${element}[]`;
}

/** Which of the cim imports a piece of type text needs. */
export function cimImportsOf(typeText: string): string[] {
  const out: string[] = [];
  for (const n of ['CIMClass', 'CIMDateTime', 'CIMInstance', 'InstanceName']) if (new RegExp(`\\b${n}\\b`).test(typeText)) out.push(n);
  return out;
}
