/**
 * Opens the OS object behind a new port before it is handed to the core: a TAP device (moved
 * into a network namespace and renamed there with `ip`, which keeps our fd working), an
 * AF_PACKET socket on a host interface, a veth pair (created with `ip`, its host end opened with
 * AF_PACKET), or a unix datagram socket. OS errors become typed DataplaneErrors here, e.g.
 * EPERM on a TAP or veth names CAP_NET_ADMIN.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { NativeAddon } from './native.js';
import type { NormalPort } from './spec.js';
import { DataplaneError, VETH_GSO_DEFAULT, type DataplaneErrorCode } from './types.js';

const run = promisify(execFile);

/** An opened device the caller owns until it is passed to the core in an addPort command. */
export interface PreparedPort {
  fd: number;
  vnet: boolean;
  /** host: the interface's MTU (frames up to it plus headers are accepted). */
  mtu?: number;
  /** tap/internal/veth: the device's name in the host namespace (veth: the host end). */
  ifname?: string;
  /** veth: the host end's ifindex; the pair exists until deleteVeth(), also when the fd is closed. */
  vethIndex?: number;
}

/** Maps an errno-coded native error to a DataplaneError for `port`. */
export function typedError(e: unknown, port: string, what: string): DataplaneError {
  if (e instanceof DataplaneError) return e;
  const code = (e as { code?: string })?.code ?? 'EIO';
  const msg = (e as Error)?.message ?? String(e);
  const at = { port, errno: code };
  switch (code) {
    case 'EPERM':
    case 'EACCES':
      return new DataplaneError('PERMISSION', `port ${port}: ${what} needs CAP_NET_ADMIN (${msg})`, { ...at, capability: 'CAP_NET_ADMIN' });
    case 'ENODEV':
    case 'ENXIO':
    case 'ENOENT':
      return new DataplaneError('DEVICE_NOT_FOUND', `port ${port}: ${what}: ${msg}`, at);
    case 'EBUSY':
    case 'EEXIST':
    case 'EADDRINUSE':
      return new DataplaneError('DEVICE_BUSY', `port ${port}: ${what}: ${msg}`, at);
    case 'EINVAL':
      return new DataplaneError('INVALID_SPEC', `port ${port}: ${what}: ${msg}`, at);
    default:
      return new DataplaneError('SYSTEM', `port ${port}: ${what}: ${msg}`, at);
  }
}

/** Classifies what `ip` printed on failure; `fallback` for anything not recognised. */
export function ipErrorCode(stderr: string, fallback: DataplaneErrorCode): DataplaneErrorCode {
  if (/Operation not permitted|Permission denied/i.test(stderr)) return 'PERMISSION';
  if (/netns|network namespace/i.test(stderr)) return 'NAMESPACE';
  if (/File exists|already exists/i.test(stderr)) return 'DEVICE_BUSY';
  if (/No such file|does not exist|Cannot find/i.test(stderr)) return 'DEVICE_NOT_FOUND';
  return fallback;
}

async function ip(args: string[], port: string, fallback: DataplaneErrorCode = 'NAMESPACE'): Promise<void> {
  try {
    await run('ip', args, { timeout: 10_000 });
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim();
    const code = ipErrorCode(stderr, fallback);
    const details = code === 'PERMISSION' ? { port, capability: 'CAP_NET_ADMIN' } : { port };
    const need = code === 'PERMISSION' ? ' (needs CAP_NET_ADMIN)' : '';
    throw new DataplaneError(code, `port ${port}: ip ${args.join(' ')}: ${stderr}${need}`, details);
  }
}

/** Moves a TAP into `spec.netns`, renames it to `spec.nsIfname` and brings it up there. */
async function moveToNamespace(ifname: string, spec: NormalPort): Promise<void> {
  const ns = spec.netns!;
  await ip(['link', 'set', 'dev', ifname, 'netns', ns], spec.name);
  const inner = spec.nsIfname ?? ifname;
  if (inner !== ifname) await ip(['-n', ns, 'link', 'set', 'dev', ifname, 'name', inner], spec.name);
  await ip(['-n', ns, 'link', 'set', 'dev', inner, 'up'], spec.name);
}

/** The lowest `<prefix>N` no interface of the host namespace is named (as the kernel's `%d`). */
function freeName(prefix: string, skip: Set<string>): string {
  for (let n = 0; ; n++) {
    const name = `${prefix}${n}`;
    if (name.length > 15) throw new DataplaneError('LIMIT', `no free interface name ${prefix}N within 15 characters`);
    if (!skip.has(name) && !existsSync(`/sys/class/net/${name}`)) return name;
  }
}

/** The ifindex of a host-namespace interface, or undefined when there is none of that name. */
function ifindexOf(ifname: string): number | undefined {
  try {
    return Number(readFileSync(`/sys/class/net/${ifname}/ifindex`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Deletes a veth pair by its host end (the other end goes with it, in whichever namespace),
 *  only while `ifname` still is the device we created (`ifindex`): a pair that went with its
 *  namespace may have left its name to someone else's device. Never throws. */
export async function deleteVeth(ifname: string, ifindex: number): Promise<void> {
  if (ifindexOf(ifname) !== ifindex) return;
  try {
    await run('ip', ['link', 'del', 'dev', ifname], { timeout: 10_000 });
  } catch {
    // gone in between, or nothing we can do about it here
  }
}

/** Stops the host stack from sending IPv6 on an interface it has no business on (no link-local
 *  address, router solicitations or MLD reports). */
function disableIpv6(ifname: string, port: string): void {
  try {
    writeFileSync(`/proc/sys/net/ipv6/conf/${ifname}/disable_ipv6`, '1');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return; // a kernel without IPv6
    throw typedError(e, port, `disabling IPv6 on ${ifname}`);
  }
}

/** Raises the IPv4 GSO/GRO limit of both ends (BIG TCP). A kernel before 6.3 ignores the
 *  attributes; a limit the caller did not ask for never fails the port. */
function setGso(addon: NativeAddon, spec: NormalPort, host: string, inner: string): void {
  const size = spec.gsoMaxSize ?? VETH_GSO_DEFAULT;
  try {
    addon.setGsoMax('', host, size);
    addon.setGsoMax(spec.netns !== undefined ? `/run/netns/${spec.netns}` : '', inner, size);
  } catch (e) {
    if (spec.gsoMaxSize !== undefined) throw typedError(e, spec.name, `setting gsoMaxSize ${size} on ${host}/${inner}`);
  }
}

/**
 * Creates the veth pair of a `veth` port in one `ip link add` (the other end is born in its
 * namespace, with its name, MAC and MTU), then brings the other end up, disables IPv6 and ARP on
 * the host end and brings it up, and opens AF_PACKET on it. Anything failing after the pair exists
 * deletes the pair again. A generated host-end name is `<prefix>N`, the lowest N free (as the
 * kernel picks for a TAP); when another process takes it first, the next one is tried.
 */
async function openVeth(addon: NativeAddon, spec: NormalPort, prefix: string): Promise<PreparedPort> {
  const mtu = String(spec.mtu ?? 1500);
  const tried = new Set<string>();
  // Without netns the other end is a host-namespace name too: never generate it for the host end.
  const skip = new Set(spec.netns === undefined && spec.nsIfname !== undefined ? [spec.nsIfname] : []);
  let host: string;
  for (;;) {
    host = spec.ifname ?? freeName(prefix, new Set([...skip, ...tried]));
    tried.add(host);
    const inner = spec.nsIfname ?? host;
    const peer = ['peer', 'name', inner, ...(spec.netns !== undefined ? ['netns', spec.netns] : []), ...(spec.mac ? ['address', spec.mac] : []), 'mtu', mtu];
    try {
      await ip(['link', 'add', 'name', host, 'mtu', mtu, 'type', 'veth', ...peer], spec.name, 'SYSTEM');
      break;
    } catch (e) {
      // A generated name another process took between our look and the kernel's: try the next.
      // (EEXIST for a name that is still free means the other end's name is taken.)
      const raced = e instanceof DataplaneError && e.code === 'DEVICE_BUSY' && spec.ifname === undefined && existsSync(`/sys/class/net/${host}`);
      if (!raced || tried.size >= 8) throw e;
    }
  }
  const index = ifindexOf(host);
  if (index === undefined) throw new DataplaneError('DEVICE_NOT_FOUND', `port ${spec.name}: the veth ${host} vanished as it was created`, { port: spec.name });
  try {
    const inner = spec.nsIfname ?? host;
    await ip([...(spec.netns !== undefined ? ['-n', spec.netns] : []), 'link', 'set', 'dev', inner, 'up'], spec.name, 'SYSTEM');
    // The host stack must stay off the wire it shares with the namespace: no IPv6 at all, and no
    // ARP (else it answers requests for the host's own addresses, e.g. a 192.0.2.x on eth0).
    disableIpv6(host, spec.name);
    setGso(addon, spec, host, inner);
    await ip(['link', 'set', 'dev', host, 'arp', 'off', 'up'], spec.name, 'SYSTEM');
    let r: { fd: number; vnet: boolean; mtu: number };
    try {
      r = addon.openHost(host, 0);
    } catch (e) {
      throw typedError(e, spec.name, `opening AF_PACKET on ${host}`);
    }
    return { fd: r.fd, vnet: r.vnet, mtu: r.mtu, ifname: host, vethIndex: index };
  } catch (e) {
    await deleteVeth(host, index);
    throw e;
  }
}

/** Opens the device for `spec`; `defaultName` is used for tap/internal ports without ifname
 *  (a kernel `%d` pattern); veth ports without ifname get `<prefix>N` likewise. */
export async function openPortDevice(addon: NativeAddon, spec: NormalPort, defaultName: string): Promise<PreparedPort> {
  if (spec.kind === 'veth') return openVeth(addon, spec, defaultName.replace(/%d$/, ''));
  if (spec.kind === 'dgram') {
    try {
      return { fd: addon.openDgram(spec.localPath!).fd, vnet: false };
    } catch (e) {
      throw typedError(e, spec.name, `binding ${spec.localPath}`);
    }
  }
  if (spec.kind === 'host') {
    try {
      const r = addon.openHost(spec.ifname!, spec.mtu ?? 0);
      return { fd: r.fd, vnet: r.vnet, mtu: r.mtu };
    } catch (e) {
      throw typedError(e, spec.name, `opening AF_PACKET on ${spec.ifname}`);
    }
  }
  let tap: { fd: number; ifname: string };
  try {
    tap = addon.openTap(spec.ifname ?? defaultName, spec.mac ?? '', spec.mtu ?? 1500, spec.netns === undefined);
  } catch (e) {
    throw typedError(e, spec.name, 'creating a TAP device');
  }
  if (spec.netns !== undefined) {
    try {
      await moveToNamespace(tap.ifname, spec);
    } catch (e) {
      addon.closeFd(tap.fd);
      throw e;
    }
  }
  return { fd: tap.fd, vnet: true, ifname: tap.ifname };
}
