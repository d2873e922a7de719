/** Parser for the textual object-path forms accepted by InstanceName.parse (see path.ts). */
import { CimError } from './errors.js';
import type { InstanceName } from './path.js';

export function parsePath(text: string): InstanceName {
  throw new CimError('CIM_ERR_NOT_SUPPORTED', `path parsing not built yet: ${text}`);
}
