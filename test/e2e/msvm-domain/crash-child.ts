// Child process for the kill -9 test: opens a VirtualNetwork with the options given as JSON in
// argv[2], builds switch `lab` with two running VMs on ports p1/p2, prints their GUIDs as JSON
// and "ready", then waits to be killed.
import { VirtualNetwork, type NetworkOptions } from '../../../src/provider/msvm/domain/index.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as NetworkOptions;
const net = await VirtualNetwork.open(opts);
await net.createSwitch({ name: 'lab' });
const guids: string[] = [];
for (const p of ['p1', 'p2']) {
  await net.createPort({ switchName: 'lab', name: p });
  const vm = await net.defineVm({ elementName: `vm-${p}` }, [{ kind: 'synthetic', connection: net.portPath(p) }]);
  const job = await net.waitJob(net.requestStateChange(vm.guid, 2).id);
  if (job.state !== 7) throw new Error(job.errorDescription);
  guids.push(vm.guid);
}
console.log(JSON.stringify(guids));
console.log('ready');
setInterval(() => undefined, 60_000);
