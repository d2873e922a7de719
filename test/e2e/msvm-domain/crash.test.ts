// Issue 5 §4: after kill -9 of the process holding the network, opening the same state dir
// cleans up the stale namespaces, recreates the running VMs with the same names, MACs and
// connections, and traffic flows again. Addresses: 192.0.2.0/24 inside the VM namespaces.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dataplane } from '../../../src/dataplane/control.js';
import { VirtualNetwork, type NetworkOptions } from '../../../src/provider/msvm/domain/index.js';
import { NetScope, linkExists, ping, requireRoot, run, waitFor } from '../../helpers/netns.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('msvm domain e2e: restart after kill -9', function () {
  this.timeout(90_000);
  let scope: NetScope;

  before(function () {
    requireRoot(this);
    if (!Dataplane.available()) {
      console.warn('      skipped: the dataplane addon is not built (npm run build)');
      this.skip();
    }
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
    await child.stop('SIGKILL');
    // The namespaces outlive the process; their TAPs died with it.
    for (const n of ns) expect(await linkExists('lo', n), `${n} left by the killed process`).to.equal(true);
    expect(await linkExists('eth0', ns[0])).to.equal(false);

    net = await VirtualNetwork.open(opts);
    expect(guids.map((g) => net!.vm(g)!.enabledState)).to.deep.equal([2, 2]);
    expect(net.connections().map((c) => c.portName).sort()).to.deep.equal(['p1', 'p2']);
    const macs = guids.map((g) => net!.vm(g)!.nics[0]!.address);
    for (const [i, n] of ns.entries()) {
      const link = JSON.parse((await run('ip', ['-n', n, '-j', 'link', 'show', 'dev', 'eth0'])).stdout) as Array<{ address: string }>;
      expect(link[0]!.address.replace(/:/g, '').toUpperCase()).to.equal(macs[i]);
      await scope.addr('eth0', `192.0.2.${i + 1}/24`, n);
    }
    await waitFor('vm1 to reach vm2', async () => (await ping(ns[0], '192.0.2.2', { count: 1, waitS: 1 })).received === 1, { timeoutMs: 8000 });
    await net.purge();
    for (const n of ns) expect(await linkExists('lo', n)).to.equal(false);
  });
});
