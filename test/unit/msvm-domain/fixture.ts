// Shared set-up for the domain unit tests: a VirtualNetwork without a dataplane (rules and
// persistence only), a fake /sys/class/net with two host NICs, and a small standard topology.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VirtualNetwork, type NetworkOptions, type Vm } from '../../../src/provider/msvm/domain/index.js';

/** A temp dir holding a fake sysfs `net` directory with the given interfaces. */
export function fakeSys(ifaces: Array<{ name: string; mac: string; type?: string; speed?: string }>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-sys-'));
  for (const i of ifaces) {
    const d = path.join(root, i.name);
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'address'), `${i.mac}\n`);
    fs.writeFileSync(path.join(d, 'mtu'), '1500\n');
    fs.writeFileSync(path.join(d, 'type'), `${i.type ?? '1'}\n`);
    fs.writeFileSync(path.join(d, 'operstate'), 'up\n');
    fs.writeFileSync(path.join(d, 'speed'), `${i.speed ?? '1000'}\n`);
    fs.writeFileSync(path.join(d, 'uevent'), `INTERFACE=${i.name}\n`);
  }
  return root;
}

export const SYS_NICS = [
  { name: 'lo', mac: '00:00:00:00:00:00', type: '772' },
  { name: 'eth9', mac: '52:54:00:12:34:56' },
  { name: 'veth7', mac: '52:54:00:ab:cd:ef', speed: '-1' },
  { name: 'csint0', mac: '00:15:5d:00:00:01' },
];

export interface Ctx {
  net: VirtualNetwork;
  dir: string;
  sys: string;
  clock: { t: number };
  opts: NetworkOptions;
}

/** Opens a dataplane-less network on a fresh temp state dir. */
export async function openNet(extra: Partial<NetworkOptions> = {}): Promise<Ctx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-state-'));
  const sys = fakeSys(SYS_NICS);
  const clock = { t: 1_700_000_000_000 };
  const opts: NetworkOptions = { stateDir: dir, dataplane: 'none', vmMode: 'netns', hostName: 'hv1', machineId: 'test-machine', sysClassNet: sys, now: () => clock.t, ...extra };
  return { net: await VirtualNetwork.open(opts), dir, sys, clock, opts };
}

export async function closeNet(c: Ctx): Promise<void> {
  await c.net.close();
  fs.rmSync(c.dir, { recursive: true, force: true });
  fs.rmSync(c.sys, { recursive: true, force: true });
}

export async function runJob(net: VirtualNetwork, job: { id: string }): Promise<number> {
  const j = await net.waitJob(job.id);
  return j.state;
}

/** Switch `lab` with ports p1..p3, internal port `int1`, VM `off1` (NIC on p1) and running `run1` (NIC on p2). */
export async function standard(net: VirtualNetwork): Promise<{ off1: Vm; run1: Vm }> {
  await net.createSwitch({ name: 'lab', friendlyName: 'Lab' });
  for (const p of ['p1', 'p2', 'p3']) await net.createPort({ switchName: 'lab', name: p });
  await net.createInternalPort({ name: 'int1', friendlyName: 'Internal 1' });
  const off1 = await net.defineVm({ elementName: 'off1' }, [{ kind: 'synthetic', connection: net.portPath('p1') }]);
  const run1 = await net.defineVm({ elementName: 'run1' }, [{ kind: 'synthetic', connection: net.portPath('p2') }]);
  await runJob(net, net.requestStateChange(run1.guid, 2));
  return { off1: net.vm(off1.guid)!, run1: net.vm(run1.guid)! };
}
