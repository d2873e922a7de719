/**
 * The one pure function from domain state to the dataplane's desired state, plus the naming
 * of everything realized (dataplane port keys, namespaces, socket paths). A switch port is not
 * a dataplane port by itself: the dataplane port is the device behind the LAN endpoint (an
 * internal TAP, a bound host NIC, a running VM's NIC), and the switch port it is connected to
 * lends it the switch and the VLAN settings. In netns mode a VM NIC is a `veth` port: the pair's
 * other end is born in the VM's namespace as `eth<i>`, so known unicast between VMs takes the
 * dataplane's kernel fast path. Unlike a TAP, a pair outlives a killed process; the pure
 * `staleNetns` / `leftoverNicDevices` say what the realizer removes before building again.
 */
import path from 'node:path';
import type { DesiredState, PortSpec, SwitchSpec, VlanConfig } from '../../../dataplane/types.js';
import { ZERO_MAC, toColonMac } from './mac.js';
import { hasDevices, key, type State } from './state.js';
import { VmState, type SwitchPort, type Vm } from './types.js';

export interface RealizeEnv {
  /** 'netns': VM NICs are veth pairs into a namespace per VM; 'dgram': unix datagram sockets. */
  vmMode: 'netns' | 'dgram';
  netnsPrefix: string;
  /** Directory of dgram sockets. */
  socketDir: string;
  /** Host interfaces present now; bound NICs that are missing are left out. */
  presentIfnames: ReadonlySet<string>;
}

export const dpInternal = (name: string): string => `int:${key(name)}`;
export const dpExternal = (deviceId: string): string => `ext:${key(deviceId)}`;
export const dpNic = (instanceId: string): string => `nic:${key(instanceId)}`;

export const vmNetns = (env: Pick<RealizeEnv, 'netnsPrefix'>, guid: string): string => `${env.netnsPrefix}${guid}`;
export const nicSocket = (env: Pick<RealizeEnv, 'socketDir'>, guid: string, index: number): string => path.join(env.socketDir, `${guid}-${index}.sock`);
/** Where the VM's end (QEMU `-netdev dgram` local.path) binds; the switch sends there. */
export const nicPeerSocket = (env: Pick<RealizeEnv, 'socketDir'>, guid: string, index: number): string => path.join(env.socketDir, `${guid}-${index}.peer.sock`);

/** The name of a VM's `index`-th NIC inside its namespace. */
export const nicIfname = (index: number): string => `eth${index}`;

/** Our namespaces, among `existing`, of the VMs `guids` (the domain's own: prefix + a GUID it
 *  knows). Only these are ever cleaned up at start; namespaces of unknown GUIDs are left alone. */
export function staleNetns(guids: Iterable<string>, env: Pick<RealizeEnv, 'netnsPrefix'>, existing: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const g of guids) {
    const ns = vmNetns(env, g);
    if (existing.has(ns) && !out.includes(ns)) out.push(ns);
  }
  return out;
}

/** Of the links in one of our VM namespaces, the NIC devices an earlier run left: veth ends
 *  named like a VM NIC (`eth<i>`). Deleting one deletes its pair, host end included, at once
 *  (a namespace's devices otherwise go only when the kernel gets round to freeing it). */
export function leftoverNicDevices(links: ReadonlyArray<{ ifname: string; kind?: string }>): string[] {
  return links.filter((l) => l.kind === 'veth' && /^eth\d+$/.test(l.ifname)).map((l) => l.ifname);
}

/** Whether a VM in this state keeps its namespace (running, paused, saved; docs/msvm-choices.md). */
export function keepsNetns(vm: Vm): boolean {
  return vm.enabledState !== VmState.OFF;
}

/** The namespaces the state needs (netns mode). */
export function wantedNetns(s: State, env: RealizeEnv): Set<string> {
  const out = new Set<string>();
  if (env.vmMode === 'netns') for (const vm of s.vms.values()) if (keepsNetns(vm)) out.add(vmNetns(env, vm.guid));
  return out;
}

/** The dataplane VLAN configuration of a switch port (reference §9): mode 5 = trunk, else access. */
export function vlanConfig(p: SwitchPort): VlanConfig {
  const v = p.vlan;
  if (v.desiredEndpointMode === 5) {
    const trunkVlans = v.trunkedVlanList.filter((x) => x >= 1 && x <= 4094);
    return v.nativeVlan >= 1 && v.nativeVlan <= 4094 ? { mode: 'trunk', trunkVlans, nativeVlan: v.nativeVlan } : { mode: 'trunk', trunkVlans };
  }
  return { mode: 'access', accessVlan: v.accessVlan >= 1 && v.accessVlan <= 4094 ? v.accessVlan : 1 };
}

/** Endpoint name (lower-case) -> the switch port actively connected to it. */
function connectedPorts(s: State): Map<string, SwitchPort> {
  const out = new Map<string, SwitchPort>();
  for (const m of [s.links, s.vmLinks])
    for (const [pk, ep] of m) {
      const p = s.ports.get(pk);
      if (p && s.switches.has(key(p.switchName))) out.set(key(ep), p);
    }
  return out;
}

function attach(spec: PortSpec, port: SwitchPort | undefined): PortSpec {
  return port ? { ...spec, switch: port.switchName, vlan: vlanConfig(port) } : spec;
}

/** Domain state -> dataplane desired state (pure). */
export function desiredDataplane(s: State, env: RealizeEnv): DesiredState {
  const switches: SwitchSpec[] = [...s.switches.values()].map((sw) =>
    sw.numLearnableAddresses > 0 ? { name: sw.name, macLimit: sw.numLearnableAddresses } : { name: sw.name },
  );
  const linked = connectedPorts(s);
  const ports: PortSpec[] = [];
  for (const p of s.internals.values())
    ports.push(attach({ name: dpInternal(p.name), kind: 'internal', ifname: p.ifname, mac: toColonMac(p.mac) }, linked.get(key(`/DEVICE/${p.deviceId}`))));
  for (const b of s.bindings.values()) {
    const port = linked.get(key(`/DEVICE/${b.deviceId}`));
    if (port && env.presentIfnames.has(b.ifname)) ports.push(attach({ name: dpExternal(b.deviceId), kind: 'host', ifname: b.ifname }, port));
  }
  for (const vm of s.vms.values()) {
    if (!hasDevices(vm)) continue;
    vm.nics.forEach((n, i) => {
      const base: PortSpec =
        env.vmMode === 'netns'
          ? { name: dpNic(n.instanceId), kind: 'veth', netns: vmNetns(env, vm.guid), nsIfname: nicIfname(i) }
          : { name: dpNic(n.instanceId), kind: 'dgram', localPath: nicSocket(env, vm.guid, i), remotePath: nicPeerSocket(env, vm.guid, i) };
      if (env.vmMode === 'netns' && n.address !== ZERO_MAC) base.mac = toColonMac(n.address);
      ports.push(attach(base, linked.get(key(n.instanceId))));
    });
  }
  return { switches, ports };
}

/** Dataplane port key -> the switch port it is connected to (for MAC tables and counters). */
export function dpPortOwners(s: State): Map<string, string> {
  const out = new Map<string, string>();
  for (const [pk, ep] of s.links) {
    const p = s.ports.get(pk);
    if (!p) continue;
    const internal = [...s.internals.values()].find((i) => key(`/DEVICE/${i.deviceId}`) === key(ep));
    if (internal) out.set(dpInternal(internal.name), p.name);
    else if (ep.toUpperCase().startsWith('/DEVICE/')) out.set(dpExternal(ep.slice(8)), p.name);
  }
  for (const [pk, nic] of s.vmLinks) {
    const p = s.ports.get(pk);
    if (p) out.set(dpNic(nic), p.name);
  }
  return out;
}
