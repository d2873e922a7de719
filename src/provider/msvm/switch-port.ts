/**
 * Msvm_SwitchPort (reference 3.2): one instance per domain port, scoped by its switch
 * (SystemName = switch Name). The writable properties are kept by the domain (reference 3.2
 * leaves open how Hyper-V writes them; we accept ModifyInstance).
 */
import { InstanceName } from '../../cim/path.js';
import type { Msvm_SwitchPort as T, Msvm_SwitchPortKey as K } from '../../generated/root-virtualization/Msvm_SwitchPort.js';
import { untypedProvider } from '../../generated/runtime.js';
import { changed, listed, NA_STATE, OK_STATUS, PORT, VSWITCH, portByRef, type Msvm } from './common.js';
import type { SwitchPort } from './domain/types.js';
import { asCimError } from './virtual-switch.js';

/** Writable port properties the domain keeps in `extra`, with their defaults (reference 3.2). */
const EXTRA: Record<string, unknown> = {
  AllowMacSpoofing: false,
  PreventIPSpoofing: false,
  AllowedIPv4Addresses: [],
  AllowedIPv6Addresses: [],
  VMQOffloadWeight: 100,
  ChimneyOffloadWeight: 0,
};

export function portInstance(p: SwitchPort): T {
  const extra: Record<string, unknown> = {};
  for (const [k, d] of Object.entries(EXTRA)) extra[k] = p.extra[k] ?? d;
  return {
    CreationClassName: PORT,
    Name: p.name,
    SystemCreationClassName: VSWITCH,
    SystemName: p.switchName,
    ElementName: p.friendlyName,
    Caption: 'Switch Port',
    Description: 'Microsoft Virtual Switch Port',
    OtherTypeDescription: 'Virtual Ethernet',
    ProtocolIFType: 1,
    ScopeOfResidence: p.scopeOfResidence,
    ...(extra as Partial<T>),
    VMQOffloadUsage: 0,
    VMQOffloadLimit: 0,
    ChimneyOffloadUsage: 0,
    ChimneyOffloadLimit: 0,
    BroadcastResetSupported: false,
    ...OK_STATUS,
    ...NA_STATE,
  };
}

export function switchPortProvider(m: Msvm) {
  return untypedProvider<T, K>({
    instances: {
      ...listed<T, K>(() => m.net.ports().map(portInstance)),
      get: (k) => {
        const p = portByRef(m, InstanceName.of(PORT, { Name: k.Name, SystemName: k.SystemName }));
        return p ? portInstance(p) : undefined;
      },
      modify: async (k, changes) => {
        const c = changed(changes);
        const extra: Record<string, unknown> = {};
        for (const name of Object.keys(EXTRA)) if (c.has(name.toLowerCase())) extra[name] = c.get(name.toLowerCase()) ?? EXTRA[name];
        try {
          await m.net.modifyPort(k.Name, {
            ...(c.has('elementname') ? { friendlyName: (c.get('elementname') as string | null) ?? '' } : {}),
            ...(c.has('scopeofresidence') ? { scopeOfResidence: (c.get('scopeofresidence') as string | null) ?? '' } : {}),
            extra,
          });
        } catch (e) {
          throw asCimError(e, `modifying ${PORT} ${k.Name}`);
        }
      },
    },
  });
}
