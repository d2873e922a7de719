/**
 * Reject guards: small checks that end a request early with the right CIM status, so the
 * operation handlers read as the happy path (DESIGN.md house style 4).
 */
import type { CIMClass } from '../cim/class.js';
import { CimError } from '../cim/errors.js';
import type { Caller } from './engine.js';

/** Writes and methods need an admin (or the server itself); readers get ACCESS_DENIED. */
export function rejectReader(caller: Caller, what: string): void {
  if (caller.role === 'reader') {
    throw new CimError('CIM_ERR_ACCESS_DENIED', `user ${caller.user} may only read; ${what} refused`);
  }
}

/** CIM instances cannot be made of abstract classes (DSP0004 5.1.2.11). */
export function rejectAbstract(cls: CIMClass): void {
  if (cls.isAbstract) throw new CimError('CIM_ERR_NOT_SUPPORTED', `class ${cls.name} is abstract and has no instances`);
}

/** Names in a PropertyList that the class does not declare (ModifyInstance: INVALID_PARAMETER). */
export function rejectUnknownProperties(cls: CIMClass, names: readonly string[]): void {
  const bad = names.filter((n) => !cls.properties.has(n));
  if (bad.length) throw new CimError('CIM_ERR_INVALID_PARAMETER', `class ${cls.name} has no propert${bad.length > 1 ? 'ies' : 'y'} ${bad.join(', ')}`);
}

/** An optional class-name parameter (AssocClass, ResultClass) that names no class: INVALID_PARAMETER. */
export function rejectUnknownClassParam(cls: CIMClass | undefined, param: string, name: string | null): void {
  if (name && !cls) throw new CimError('CIM_ERR_INVALID_PARAMETER', `${param}: class ${JSON.stringify(name)} does not exist`);
}

/** Not every operation of DSP0200 is offered: the schema is compiled, not edited at run time. */
export function rejectSchemaChange(op: string): never {
  throw new CimError('CIM_ERR_NOT_SUPPORTED', `${op} is not supported: the schema is compiled from MOF, not edited at run time`);
}
