/**
 * The small imperative layer for Linux network namespaces of VMs: create one (with loopback
 * up), delete one, list the ones carrying our prefix. Runs `ip` with execFile, never a shell.
 * Errors become DomainError(32768) naming the command and its stderr.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
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

/** Creates namespace `name` with loopback up; an existing one is deleted first (stale from a crash). */
export async function createNetns(name: string, existing?: ReadonlySet<string>): Promise<void> {
  if (existing?.has(name) ?? (await listNetns()).includes(name)) await deleteNetns(name);
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
