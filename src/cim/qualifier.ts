/** Qualifier declarations, qualifier values and flavors (DSP0004 5.6, mof-language.md 5). */
import type { CIMType, CIMValue } from './types.js';

export type Scope =
  | 'class' | 'association' | 'indication' | 'property' | 'reference' | 'method' | 'parameter'
  | 'schema' | 'qualifier' | 'any';

export interface Flavor {
  /** EnableOverride (true) / DisableOverride (false). */
  overridable: boolean;
  /** ToSubclass (true) / Restricted (false). */
  toSubclass: boolean;
  translatable: boolean;
}

export const DEFAULT_FLAVOR: Readonly<Flavor> = Object.freeze({
  overridable: true,
  toSubclass: true,
  translatable: false,
});

export interface QualifierDecl {
  name: string;
  type: CIMType;
  isArray: boolean;
  arraySize?: number;
  defaultValue: CIMValue;
  scopes: Scope[];
  flavor: Flavor;
}

export interface Qualifier {
  name: string;
  type: CIMType;
  isArray: boolean;
  value: CIMValue;
  flavor: Flavor;
  /** True when inherited from a superclass element rather than given on this one. */
  propagated: boolean;
}
