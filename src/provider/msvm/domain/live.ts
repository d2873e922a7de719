/**
 * Live data the providers show next to the stored objects: a switch's MAC table (for
 * Msvm_DynamicForwardingEntry) and traffic counters, read from the dataplane and attributed
 * to switch ports (a dataplane port is the device behind the endpoint a switch port is
 * connected to). Without a dataplane everything is empty.
 */
import type { Dataplane, DropCounters } from '../../../dataplane/control.js';
import { fromColonMac } from './mac.js';
import { dpPortOwners } from './realize.js';
import { key, type State } from './state.js';
import type { ForwardingEntry, TrafficCounters } from './types.js';

const drops = (c: DropCounters): number => c.noRoute + c.queueFull + c.vlanFiltered + c.malformed + c.gso;

export function macTable(s: State, dp: Dataplane | undefined, switchName: string): ForwardingEntry[] {
  const sw = s.switches.get(key(String(switchName)));
  if (!sw || !dp) return [];
  const owners = dpPortOwners(s);
  let entries;
  try {
    entries = dp.macTable(sw.name);
  } catch {
    return []; // the switch is not realized yet
  }
  return entries.flatMap((e) => {
    const portName = owners.get(e.port);
    return portName === undefined ? [] : [{ mac: fromColonMac(e.mac), vlan: e.vlan, portName, static: e.static, ageSeconds: e.ageSeconds }];
  });
}

export function portCounters(s: State, dp: Dataplane | undefined, portName: string): TrafficCounters | undefined {
  if (!dp) return undefined;
  const owner = [...dpPortOwners(s)].find(([, p]) => key(p) === key(String(portName)));
  const c = owner && dp.portCounters(owner[0]);
  if (!c) return undefined;
  return { rxPackets: c.rxPackets, rxBytes: c.rxBytes, txPackets: c.txPackets, txBytes: c.txBytes, dropped: drops(c), linkUp: c.linkUp };
}

export function switchCounters(s: State, dp: Dataplane | undefined, switchName: string): TrafficCounters | undefined {
  const sw = s.switches.get(key(String(switchName)));
  const c = sw && dp?.switchCounters(sw.name);
  if (!c) return undefined;
  return { rxPackets: c.rxPackets, rxBytes: c.rxBytes, txPackets: c.txPackets, txBytes: c.txBytes, dropped: drops(c) };
}
