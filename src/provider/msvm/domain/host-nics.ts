/**
 * Host NICs as external ethernet ports: every interface in /sys/class/net except loopback and
 * our own devices (internal-port TAPs `<ifPrefix>int<n>`, VM NICs' veth host ends
 * `<ifPrefix>vm<n>`). Each gets a "{GUID}" DeviceID derived from the host identity and the
 * interface name, so it is the same after a restart and across runs. Read fresh on every call
 * (interfaces come and go).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ZERO_MAC, fromColonMac } from './mac.js';
import { guidFrom } from './paths.js';

export interface HostNic {
  deviceId: string;
  ifname: string;
  mac: string;
  mtu: number;
  speed?: number;
  operState: string;
  /** Driver or kind, for the adapter description. */
  kind: string;
}

function read(dir: string, file: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, file), 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function nicDeviceId(machineId: string, ifname: string): string {
  return `{${guidFrom(`cimswitch-nic:${machineId}:${ifname}`)}}`;
}

function kindOf(dir: string): string {
  const uevent = read(dir, 'uevent') ?? '';
  const devtype = /DEVTYPE=(\S+)/.exec(uevent)?.[1];
  if (devtype) return devtype;
  try {
    return path.basename(fs.readlinkSync(path.join(dir, 'device', 'driver')));
  } catch {
    return 'ethernet';
  }
}

/** Lists host NICs; `ownPrefixes` are the name prefixes of our own devices. */
export function scanHostNics(sysClassNet: string, machineId: string, ownPrefixes: string[]): HostNic[] {
  let names: string[];
  try {
    names = fs.readdirSync(sysClassNet);
  } catch {
    return [];
  }
  const out: HostNic[] = [];
  for (const ifname of names.sort()) {
    if (ifname === 'lo' || ownPrefixes.some((p) => ifname.startsWith(p))) continue;
    const dir = path.join(sysClassNet, ifname);
    if (read(dir, 'type') !== undefined && read(dir, 'type') !== '1') continue; // ARPHRD_ETHER only
    const addr = read(dir, 'address') ?? '';
    const speed = Number(read(dir, 'speed'));
    out.push({
      deviceId: nicDeviceId(machineId, ifname),
      ifname,
      mac: /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(addr) ? fromColonMac(addr) : ZERO_MAC,
      mtu: Number(read(dir, 'mtu') ?? 1500) || 1500,
      ...(Number.isFinite(speed) && speed > 0 ? { speed: speed * 1_000_000 } : {}),
      operState: read(dir, 'operstate') ?? 'unknown',
      kind: kindOf(dir),
    });
  }
  return out;
}
