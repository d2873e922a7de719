// Issue 5 §4: after kill -9 of the process holding the network, opening the same state dir
// cleans up the stale namespaces, recreates the running VMs with the same names, MACs and
// connections, and traffic flows again. VM NICs are veth pairs: unlike TAPs they survive the
// kill (VM end in the namespace, host end in the host's), and the restart must replace them
// without leaving or accumulating host ends. Addresses: 192.0.2.0/24 inside the VM namespaces.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualNetwork, type NetworkOptions } from '../../../src/provider/msvm/domain/index.js';
import { NetScope, ip, linkExists, ping, requireRoot, waitFor } from '../../helpers/netns.js';
import { requireDataplane } from '../../helpers/require.js';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Link {
  ifname: string;
  ifindex: number;
  /** A veth's peer's ifindex (in the peer's namespace). */
  link_index?: number;
  address?: string;
  linkinfo?: { info_kind?: string };
}

/** Host-namespace links whose names start with `prefix` (the dataplane's host ends). */
async function hostLinks(prefix: string): Promise<Link[]> {
  return (JSON.parse(await ip(['-d', '-j', 'link', 'show'])) as Link[]).filter((l) => l.ifname.startsWith(prefix));
}

/** eth0 of namespace `ns`, with its kind and peer. */
async function vmNic(ns: string): Promise<Link> {
  const [l] = JSON.parse(await ip(['-d', '-j', 'link', 'show', 'dev', 'eth0'], ns)) as Link[];
  return l!;
}

describe('msvm domain e2e: restart after kill -9', function () {
  this.timeout(90_000);
  let scope: NetScope;

  before(function () {
    requireRoot(this);
    requireDataplane();
    scope = new NetScope('csdk');
  });
  after(async () => {
    await scope?.cleanup();
  });

  it('running VMs come back with their MACs and connections; stale namespaces are replaced', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-kill-'));
    const nsPrefix = `csdk${process.pid}-`;
    const opts: NetworkOptions = { stateDir: dir, hostName: 'crash', ifPrefix: `k${process.pid.toString(36)}`, netnsPrefix: nsPrefix, vmMode: 'netns' };
    let net: VirtualNetwork | undefined;
    scope.defer(async () => {
      await (net ?? (await VirtualNetwork.open(opts))).purge().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const child = scope.spawn('node', ['--import', 'tsx', path.join(here, 'crash-child.ts'), JSON.stringify(opts)]);
    await waitFor('child to build the network', () => child.output().includes('ready'), { timeoutMs: 30_000 });
    const guids = JSON.parse(child.output().split('\n').find((l) => l.startsWith('['))!) as string[];
    const ns = guids.map((g) => `${nsPrefix}${g}`);
    const hostPrefix = `${opts.ifPrefix!}vm`;
    const before = await hostLinks(hostPrefix);
    expect(before, 'host ends of the two VM NICs').to.have.length(2);
    // A program running "inside" vm1 holds its namespace: deleting the namespace's name then
    // frees nothing, so only deleting eth0 itself takes the old pair (host end included) away.
    const inside = scope.spawn('sleep', ['300'], { ns: ns[0] });
    await waitFor('a program inside vm1', async () => (await ip(['netns', 'pids', ns[0]!])).trim() !== '');
    await child.stop('SIGKILL');
    // The namespaces outlive the process, and so do the veth pairs in them (a TAP would have
    // died with the process's fd): eth0 still in each namespace, its host end in ours.
    for (const n of ns) expect(await linkExists('lo', n), `${n} left by the killed process`).to.equal(true);
    const left = await hostLinks(hostPrefix);
    expect(left.map((l) => l.ifname).sort(), 'host ends after kill -9').to.deep.equal(before.map((l) => l.ifname).sort());
    for (const n of ns) {
      const nic = await vmNic(n);
      expect(nic.linkinfo?.info_kind, `eth0 of ${n} after kill -9`).to.equal('veth');
      expect(left.map((l) => l.ifindex), `the host end of ${n}'s eth0`).to.include(nic.link_index);
    }

    net = await VirtualNetwork.open(opts);
    expect(net.restoreProblems()).to.deep.equal([]);
    expect(guids.map((g) => net!.vm(g)!.enabledState)).to.deep.equal([2, 2]);
    expect(net.connections().map((c) => c.portName).sort()).to.deep.equal(['p1', 'p2']);
    // Every pair is new (none of the old host ends is left), the names are reused, none accumulated.
    const after = await hostLinks(hostPrefix);
    expect(after.map((l) => l.ifname).sort(), 'host ends after the restart').to.deep.equal(before.map((l) => l.ifname).sort());
    expect(after.filter((l) => left.some((o) => o.ifindex === l.ifindex)), 'old host ends').to.deep.equal([]);
    for (const l of after) expect(l.linkinfo?.info_kind, l.ifname).to.equal('veth');
    const macs = guids.map((g) => net!.vm(g)!.nics[0]!.address);
    for (const [i, n] of ns.entries()) {
      const nic = await vmNic(n);
      expect(nic.linkinfo?.info_kind, `eth0 of ${n}`).to.equal('veth');
      expect(nic.address!.replace(/:/g, '').toUpperCase(), `eth0 of ${n}`).to.equal(macs[i]);
      expect(after.map((l) => l.ifindex), `the host end of ${n}'s eth0`).to.include(nic.link_index);
      await scope.addr('eth0', `192.0.2.${i + 1}/24`, n);
    }
    await waitFor('vm1 to reach vm2', async () => (await ping(ns[0], '192.0.2.2', { count: 1, waitS: 1 })).received === 1, { timeoutMs: 8000 });
    await waitFor('vm2 to reach vm1', async () => (await ping(ns[1], '192.0.2.1', { count: 1, waitS: 1 })).received === 1, { timeoutMs: 8000 });
    await net.purge();
    await inside.stop('SIGKILL');
    for (const n of ns) expect(await linkExists('lo', n)).to.equal(false);
    expect(await hostLinks(opts.ifPrefix!), 'host ends after purge').to.deep.equal([]);
  });
});
