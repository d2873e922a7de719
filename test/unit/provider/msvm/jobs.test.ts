// Jobs (reference 5.1): what clients read while polling, how they find a job again (path,
// `//`-moniker, WQL by InstanceID), GetError on a finished job, removal after 5 minutes.
import { expect } from 'chai';
import { InstanceName } from '../../../../src/cim/path.js';
import { vsgsdText, World } from './fixture.js';

describe('msvm providers: jobs', () => {
  let w: World;
  beforeEach(async () => {
    w = await World.open();
  });
  afterEach(async () => {
    await w.close();
  });

  it('a state-change job: 4096, completed with 7, found by path, moniker and WQL, removed after 5 minutes', async () => {
    const vm = (await w.vmms('DefineVirtualSystem', { SystemSettingData: vsgsdText('vm1') })).out.DefinedSystem as InstanceName;
    const r = await w.invoke(vm, 'RequestStateChange', { RequestedState: 2 });
    expect(r.rv).to.equal(4096);
    const path = r.out.Job as InstanceName;
    expect(path.toString().split('=')).to.have.length(2); // clients split the job path on its one '='
    expect([4, 7]).to.include((await w.get(path)).get('JobState'));
    w.clock.t += 1500;
    const job = await w.finish(path);
    expect([job.get('JobState'), job.get('PercentComplete'), job.get('ErrorCode')]).to.deep.equal([7, 100, 0]);
    expect(String(job.get('TimeBeforeRemoval'))).to.equal('00000000000500.000000:000');
    expect(String(job.get('ElapsedTime'))).to.match(/^\d{14}\.\d{6}:000$/);
    const id = String(path.key('InstanceID'));
    expect(id).to.match(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect((await w.get(path.toString().replace(/\\/g, '/'))).get('InstanceID')).to.equal(id);
    expect((await w.query(`SELECT * FROM msvm_ConcreteJob WHERE InstanceID = '${id}'`)).map((j) => j.path.toString())).to.deep.equal([path.toString()]);
    const err = await w.invoke(path, 'GetError');
    expect([err.rv, err.out.Error ?? null]).to.deep.equal([0, null]);
    const affected = await w.associatorNames(path, { AssocClass: 'Msvm_AffectedJobElement' });
    expect(affected.map(String)).to.deep.equal([vm.toString()]);
    w.clock.t += 5 * 60 * 1000 + 1;
    const gone = await w.get(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(gone).to.have.property('code', 6);
  });
});
