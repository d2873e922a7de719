// Unprivileged VM mode end to end: a running VM's NIC is a unix datagram socket under the
// state dir that a QEMU-like peer (the dataplane tests' dgram-peer.py, answering ARP and ICMP)
// attaches to; the host reaches it through an internal port. Off removes the socket.
// Needs root only for the internal TAP in this test. Addresses: 198.51.100.0/24.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../../src/store/db.js';
import { VirtualNetwork } from '../../../src/provider/msvm/domain/index.js';
import { NetScope, ping, requireRoot, run, waitFor } from '../../helpers/netns.js';
import { requireDataplane } from '../../helpers/require.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PEER = path.join(here, '..', 'dataplane', 'dgram-peer.py');

describe('msvm domain e2e: dgram VM NICs', function () {
  this.timeout(60_000);
  let scope: NetScope;
  let net: VirtualNetwork;

  before(function () {
    requireRoot(this, 'internal ports (TAP devices)');
    requireDataplane();
    scope = new NetScope('csdg');
  });
  after(async () => {
    await scope?.cleanup();
  });

  it('a peer on the NIC socket answers the host through an internal port; off removes the socket', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-dg-'));
    const ifPrefix = `g${process.pid.toString(36)}`;
    net = await VirtualNetwork.open({ stateDir: dir, vmMode: 'dgram', ifPrefix, netnsPrefix: `csdg${process.pid}-` });
    scope.defer(async () => {
      await net.purge().catch(() => net.close());
      fs.rmSync(dir, { recursive: true, force: true });
    });
    await net.createSwitch({ name: 'sw' });
    await net.createPort({ switchName: 'sw', name: 'vmport' });
    await net.createPort({ switchName: 'sw', name: 'hostport' });
    const vm = await net.defineVm({ elementName: 'qemu-vm' }, [{ kind: 'synthetic', connection: net.portPath('vmport') }]);
    expect((await net.waitJob(net.requestStateChange(vm.guid, 2).id)).state).to.equal(7);
    const rt = net.nicRuntime(vm.nics[0]!.instanceId)!;
    expect(rt.socketPath!.startsWith(path.join(dir, 'dgram'))).to.equal(true);
    expect(fs.statSync(rt.socketPath!).isSocket()).to.equal(true);
    const mac = net.vm(vm.guid)!.nics[0]!.address.toLowerCase().match(/../g)!.join(':');
    const peer = scope.spawn('python3', [PEER, rt.peerSocketPath!, rt.socketPath!, mac, '198.51.100.99']);
    await waitFor('dgram peer to bind', () => peer.output().includes('ready'));
    const int = await net.createInternalPort({ name: 'hostnic' });
    await net.connect('hostport', `/DEVICE/${int.deviceId}`);
    await scope.addr(int.ifname, '198.51.100.1/24');
    const r = await ping(undefined, '198.51.100.99', { count: 3, intervalS: 0.05, waitS: 2, iface: int.ifname });
    expect(r.received, `peer said: ${peer.output()}`).to.equal(3);
    await run('ip', ['addr', 'flush', 'dev', int.ifname], { check: false });
    expect((await net.waitJob(net.requestStateChange(vm.guid, 3).id)).state).to.equal(7);
    expect(fs.existsSync(rt.socketPath!)).to.equal(false);
  });

  it('a VM that cannot be restarted at open is left off and reported; the rest is restored', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-dr-'));
    const long = path.join(dir, 'x'.repeat(90));
    scope.defer(() => fs.rmSync(dir, { recursive: true, force: true }));
    const base = { vmMode: 'dgram' as const, ifPrefix: `r${process.pid.toString(36)}`, netnsPrefix: `csdr${process.pid}-` };
    let net = await VirtualNetwork.open({ ...base, stateDir: dir });
    await net.createSwitch({ name: 'sw' });
    await net.createPort({ switchName: 'sw', name: 'p' });
    const vm = await net.defineVm({ elementName: 'v' }, [{ kind: 'synthetic', connection: net.portPath('p') }]);
    expect((await net.waitJob(net.requestStateChange(vm.guid, 2).id)).state).to.equal(7);
    await net.close();
    // Same database, but a state dir whose socket paths exceed the unix socket limit.
    const db = openDatabase(dir);
    try {
      net = await VirtualNetwork.open({ ...base, stateDir: long, db });
      expect(net.vm(vm.guid)!.enabledState).to.equal(3);
      expect(net.switch('sw')).to.not.equal(undefined);
      expect(net.restoreProblems().join('\n')).to.contain(vm.guid);
      await net.purge();
    } finally {
      db.close();
    }
  });
});
