/** The CIM object model: one import for the layers above. No I/O here. */
export * from './names.js';
export * from './errors.js';
export * from './types.js';
export * from './values.js';
export * from './qualifier.js';
export * from './class.js';
export * from './instance.js';
export * from './path.js';
export { readReference } from './path-parse.js';
export * from './datetime.js';
export * from './repository.js';
