/**
 * Resolved CIM classes: every member a class has, own and inherited, with classOrigin and
 * propagated set. The MOF resolver builds these; the server and code generator read them.
 */
import type { CIMap } from './names.js';
import type { Qualifier } from './qualifier.js';
import type { CIMType, CIMTypeSpec, CIMValue } from './types.js';

export interface CIMProperty extends CIMTypeSpec {
  name: string;
  defaultValue: CIMValue;
  qualifiers: CIMap<Qualifier>;
  /** The class that first declared the property. */
  classOrigin: string;
  propagated: boolean;
  isKey: boolean;
}

export interface CIMParameter extends CIMTypeSpec {
  name: string;
  qualifiers: CIMap<Qualifier>;
  /** From the IN / OUT qualifiers (IN defaults to true when neither is given). */
  in: boolean;
  out: boolean;
}

export interface CIMMethod {
  name: string;
  returnType: CIMType;
  parameters: CIMap<CIMParameter>;
  qualifiers: CIMap<Qualifier>;
  classOrigin: string;
  propagated: boolean;
}

export interface CIMClass {
  name: string;
  superclass?: string;
  qualifiers: CIMap<Qualifier>;
  properties: CIMap<CIMProperty>;
  methods: CIMap<CIMMethod>;
  isAssociation: boolean;
  isIndication: boolean;
  isAbstract: boolean;
  /** Names of the key properties in declaration order (own and inherited). */
  keys: string[];
}

export type { CIMType, CIMValue };
