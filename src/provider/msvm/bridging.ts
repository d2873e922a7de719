/**
 * Msvm_TransparentBridgingService and Msvm_DynamicForwardingEntry (reference 3.8): one
 * learning-bridge service per switch (Name = switch Name, scoped by the host) and the live MAC
 * table the dataplane reports for it (empty without a dataplane).
 */
import type {
  Msvm_DynamicForwardingEntry as E,
  Msvm_DynamicForwardingEntryKey as EK,
} from '../../generated/root-virtualization/Msvm_DynamicForwardingEntry.js';
import type {
  Msvm_TransparentBridgingService as T,
  Msvm_TransparentBridgingServiceKey as K,
} from '../../generated/root-virtualization/Msvm_TransparentBridgingService.js';
import { untypedProvider } from '../../generated/runtime.js';
import { CS, findByKey, listed, NA_STATE, OK_STATUS, type Msvm } from './common.js';
import type { ForwardingEntry, Switch } from './domain/types.js';

export const TBS = 'Msvm_TransparentBridgingService';
const FWD = 'Msvm_DynamicForwardingEntry';

export function bridgingInstance(s: Switch, hostName: string): T {
  return {
    CreationClassName: TBS,
    Name: s.name,
    SystemCreationClassName: CS,
    SystemName: hostName,
    ElementName: s.friendlyName,
    Caption: 'Transparent Bridging Service',
    Description: 'Microsoft Virtual Switch Learning Bridge',
    AgingTime: 300,
    FID: 0,
    ProtocolType: 15,
    StartMode: 'Automatic',
    Started: true,
    ...OK_STATUS,
    ...NA_STATE,
  };
}

export function forwardingInstance(switchName: string, f: ForwardingEntry, hostName: string): E {
  return {
    CreationClassName: FWD,
    MACAddress: f.mac,
    ServiceCreationClassName: TBS,
    ServiceName: switchName,
    SystemCreationClassName: CS,
    SystemName: hostName,
    VlanId: f.vlan,
    DynamicStatus: f.static ? 5 : 3,
  };
}

/** Every learned entry of every switch (or one switch), with its switch name. */
export function forwardingEntries(m: Msvm, switchName?: string): Array<{ switchName: string; entry: ForwardingEntry }> {
  const out: Array<{ switchName: string; entry: ForwardingEntry }> = [];
  for (const s of m.net.switches()) {
    if (switchName !== undefined && s.name.toLowerCase() !== switchName.toLowerCase()) continue;
    const seen = new Set<string>(); // MACAddress is the entry's key within its switch: first VLAN wins
    for (const entry of m.net.macTable(s.name)) {
      if (seen.has(entry.mac)) continue;
      seen.add(entry.mac);
      out.push({ switchName: s.name, entry });
    }
  }
  return out;
}

export function bridgingProvider(m: Msvm) {
  return untypedProvider<T, K>({ instances: listed<T, K>(() => m.net.switches().map((s) => bridgingInstance(s, m.net.host().name))) });
}

export function forwardingEntryProvider(m: Msvm) {
  const list = (name?: string) => forwardingEntries(m, name).map((x) => forwardingInstance(x.switchName, x.entry, m.net.host().name));
  return untypedProvider<E, EK>({
    instances: { enumerate: () => list(), get: (k) => findByKey(list(k.ServiceName), k) },
  });
}
