/**
 * The small imperative layer for Linux network namespaces of VMs: create one (with loopback
 * up), delete one, list the ones carrying our prefix, and clear one an earlier run left (its
 * VM NIC veths first: a veth pair, unlike a TAP, outlives the process that made it). Runs `ip`
 * with execFile, never a shell. Errors become DomainError(32768) naming the command and its
 * stderr.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { leftoverNicDevices } from './realize.js';
import { DomainError, RC } from './types.js';

const exec = promisify(execFile);

async function ip(args: string[]): Promise<string> {
  try {
    return (await exec('ip', args, { timeout: 10_000 })).stdout;
  } catch (e) {
    const why = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim();
    throw new DomainError(RC.FAILED, `ip ${args.join(' ')}: ${why}`);
  }
}

/** Names of the network namespaces that exist now. */
export async function listNetns(): Promise<string[]> {
  const out = await ip(['netns', 'list']);
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

/** The links of namespace `ns`, each with its kind when it has one (`veth`, `tun`, ...). */
export async function listLinks(ns: string): Promise<Array<{ ifname: string; kind?: string }>> {
  const out = (await ip(['-n', ns, '-d', '-j', 'link', 'show'])).trim();
  const links = JSON.parse(out === '' ? '[]' : out) as Array<{ ifname?: string; linkinfo?: { info_kind?: string } }>;
  return links.flatMap((l) => (l.ifname ? [{ ifname: l.ifname, ...(l.linkinfo?.info_kind ? { kind: l.linkinfo.info_kind } : {}) }] : []));
}

/**
 * Deletes one of our VM namespaces that an earlier run left (killed before it could clean up):
 * first the VM NIC veths still in it (`leftoverNicDevices`), each `ip link del` taking its host
 * end along at once, then the namespace. Deleting the namespace alone would take the pairs too,
 * but only when the kernel frees it, later: until then the old host ends would keep their names
 * and the new pairs would get others. Only for namespaces the domain owns (realize.ts staleNetns).
 */
export async function deleteStaleNetns(name: string): Promise<void> {
  let leftovers: string[] = [];
  try {
    leftovers = leftoverNicDevices(await listLinks(name));
  } catch {
    /* gone in between, or unreadable: deleting the namespace still takes its pairs (later) */
  }
  for (const dev of leftovers) {
    try {
      await exec('ip', ['-n', name, 'link', 'del', 'dev', dev], { timeout: 10_000 });
    } catch {
      /* gone in between: the pair is already deleted */
    }
  }
  await deleteNetns(name);
}

/** Creates namespace `name` with loopback up; an existing one is deleted first (stale from a
 *  crash, with its NIC veths: deleteStaleNetns). */
export async function createNetns(name: string, existing?: ReadonlySet<string>): Promise<void> {
  if (existing?.has(name) ?? (await listNetns()).includes(name)) await deleteStaleNetns(name);
  await ip(['netns', 'add', name]);
  try {
    await ip(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (e) {
    await deleteNetns(name);
    throw e;
  }
}

/** Deletes namespace `name`; missing is fine. */
export async function deleteNetns(name: string): Promise<void> {
  try {
    await exec('ip', ['netns', 'del', name], { timeout: 10_000 });
  } catch (e) {
    const why = String((e as { stderr?: string }).stderr ?? '');
    if (!/No such file|not exist/i.test(why)) throw new DomainError(RC.FAILED, `ip netns del ${name}: ${why.trim()}`);
  }
}
