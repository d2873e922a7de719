/**
 * Msvm_VirtualSwitch (reference 3.1): one instance per domain switch. Name is the CreateSwitch
 * Name, ElementName its FriendlyName (what clients search by). ModifyInstance may change
 * ElementName, ScopeOfResidence and NumLearnableAddresses.
 */
import { CimError } from '../../cim/errors.js';
import type { Msvm_VirtualSwitch as T, Msvm_VirtualSwitchKey as K } from '../../generated/root-virtualization/Msvm_VirtualSwitch.js';
import { untypedProvider } from '../../generated/runtime.js';
import { changed, described, listed, NA_STATE, OK_STATUS, VSWITCH, type Msvm } from './common.js';
import { DomainError, type Switch } from './domain/types.js';

export function switchInstance(s: Switch): T {
  return {
    CreationClassName: VSWITCH,
    Name: s.name,
    ElementName: s.friendlyName,
    Caption: 'Virtual Switch',
    Description: 'Microsoft Virtual Switch',
    ScopeOfResidence: s.scopeOfResidence,
    NumLearnableAddresses: s.numLearnableAddresses,
    MaxVMQOffloads: 0,
    MaxChimneyOffloads: 0,
    ...OK_STATUS,
    ...NA_STATE,
    Dedicated: [0],
    ResetCapability: 5,
  };
}

/** ModifyInstance errors: a domain rule violation is an invalid parameter, with its text. */
export function asCimError(e: unknown, what: string): Error {
  if (e instanceof DomainError) return new CimError('CIM_ERR_INVALID_PARAMETER', `${what}: ${e.message}`);
  return described(e, what);
}

export function virtualSwitchProvider(m: Msvm) {
  return untypedProvider<T, K>({
    instances: {
      ...listed<T, K>(() => m.net.switches().map(switchInstance)),
      get: (k) => {
        const s = m.net.switch(k.Name);
        return s ? switchInstance(s) : undefined;
      },
      modify: async (k, changes) => {
        const c = changed(changes);
        try {
          await m.net.modifySwitch(k.Name, {
            ...(c.has('elementname') ? { friendlyName: (c.get('elementname') as string | null) ?? '' } : {}),
            ...(c.has('scopeofresidence') ? { scopeOfResidence: (c.get('scopeofresidence') as string | null) ?? '' } : {}),
            ...(c.has('numlearnableaddresses') && c.get('numlearnableaddresses') != null
              ? { numLearnableAddresses: c.get('numlearnableaddresses') as number }
              : {}),
          });
        } catch (e) {
          throw asCimError(e, `modifying ${VSWITCH} ${k.Name}`);
        }
      },
    },
  });
}
