/**
 * Opens the OS object behind a new port before it is handed to the core: a TAP device (moved
 * into a network namespace and renamed there with `ip`, which keeps our fd working), an
 * AF_PACKET socket on a host interface, or a unix datagram socket. OS errors become typed
 * DataplaneErrors here, e.g. EPERM on a TAP names CAP_NET_ADMIN.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { NativeAddon } from './native.js';
import type { NormalPort } from './spec.js';
import { DataplaneError } from './types.js';

const run = promisify(execFile);

/** An opened device the caller owns until it is passed to the core in an addPort command. */
export interface PreparedPort {
  fd: number;
  vnet: boolean;
  /** host: the interface's MTU (frames up to it plus headers are accepted). */
  mtu?: number;
  /** tap/internal: the device's name in the host namespace. */
  ifname?: string;
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

async function ip(args: string[], port: string): Promise<void> {
  try {
    await run('ip', args, { timeout: 10_000 });
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim();
    const code = /No such file|does not exist|Cannot find/i.test(stderr) ? 'DEVICE_NOT_FOUND' : 'NAMESPACE';
    throw new DataplaneError(code, `port ${port}: ip ${args.join(' ')}: ${stderr}`, { port });
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

/** Opens the device for `spec`; `defaultName` is used for tap/internal ports without ifname. */
export async function openPortDevice(addon: NativeAddon, spec: NormalPort, defaultName: string): Promise<PreparedPort> {
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
