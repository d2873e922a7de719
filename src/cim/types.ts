/**
 * The 16 CIM data types and how values of each are held in TypeScript:
 *   boolean -> boolean; string, char16 -> string (an embedded object/instance in a string
 *   property may be held as CIMInstance / CIMClass); datetime -> CIMDateTime;
 *   uint8..uint32, sint8..sint32, real32, real64 -> number; uint64, sint64 -> bigint;
 *   reference -> InstanceName (or ClassName for class-level references).
 * Range checks (checkScalar / checkValue), loose conversion (coerceScalar) and text for
 * CIM-XML VALUE elements (parseScalar / formatScalar) live in values.ts.
 */
import type { CIMDateTime } from './datetime.js';
import type { ClassName, InstanceName } from './path.js';
import type { CIMInstance } from './instance.js';
import type { CIMClass } from './class.js';

export type CIMIntegerType =
  | 'uint8' | 'sint8' | 'uint16' | 'sint16' | 'uint32' | 'sint32' | 'uint64' | 'sint64';
export type CIMType =
  | 'boolean' | 'string' | 'char16' | 'datetime' | CIMIntegerType | 'real32' | 'real64' | 'reference';

export const CIM_TYPES: readonly CIMType[] = [
  'boolean', 'string', 'char16', 'datetime', 'uint8', 'sint8', 'uint16', 'sint16',
  'uint32', 'sint32', 'uint64', 'sint64', 'real32', 'real64', 'reference',
];

export type CIMScalar =
  | boolean | string | number | bigint | CIMDateTime | InstanceName | ClassName | CIMInstance | CIMClass;
/** A property, parameter or qualifier value: a scalar, an array (elements may be NULL), or NULL. */
export type CIMValue = CIMScalar | (CIMScalar | null)[] | null;

/** The declared shape of a property, parameter, return value or qualifier. */
export interface CIMTypeSpec {
  type: CIMType;
  isArray: boolean;
  /** Fixed array size (`uint8 a[4]`); undefined for variable arrays and scalars. */
  arraySize?: number;
  /** For references: the class the reference points to. */
  refClass?: string;
  /** For string/char16 holding an embedded object (EmbeddedObject / EmbeddedInstance). */
  embedded?: 'object' | 'instance';
}
