/**
 * The cimom's promise to the encoder for store-backed classes: an unchanged instance is
 * returned as the same frozen object between calls with the same flags (so the encoder may
 * memoise per object); filtering that changes it (PropertyList, DeepInheritance=false on a
 * subclass instance) gives a fresh frozen copy; a changed instance is a new object.
 */
import { expect } from 'chai';
import type { CIMInstance } from '../../../src/cim/instance.js';
import type { NamedInstance } from '../../../src/cimom/engine.js';
import { createCimom } from '../../../src/cimom/index.js';
import type { Requests } from '../../../src/cimom/operations.js';
import { DefaultProvider } from '../../../src/provider/default.js';
import { openDatabase } from '../../../src/store/db.js';
import { InstanceStore } from '../../../src/store/instances.js';
import { caller, inst, NS, testRepo } from '../cimom/fixture.js';

type EI = Requests['EnumerateInstances'];
const ei: EI = { ClassName: 'Test_Base', LocalOnly: false, DeepInheritance: true, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null };

async function setup() {
  const db = openDatabase(':memory:');
  const repo = testRepo();
  const cimom = createCimom({ repository: repo });
  cimom.registry.setDefault(new DefaultProvider(new InstanceStore(db), repo));
  for (let i = 0; i < 5; i++) {
    await cimom.intrinsic('CreateInstance', NS, { NewInstance: inst(repo, i % 2 ? 'Test_Sub' : 'Test_Base', { InstanceID: `i${i}`, Name: `n${i}`, Tags: ['a'] }) }, caller);
  }
  const enumerate = async (r: Partial<EI>) => [...(await cimom.intrinsic('EnumerateInstances', NS, { ...ei, ...r }, caller))];
  return { db, cimom, enumerate };
}

function frozen(i: CIMInstance): boolean {
  const pvs = [...i.properties.values()];
  return Object.isFrozen(i) && pvs.every((pv) => Object.isFrozen(pv) && (!Array.isArray(pv.value) || Object.isFrozen(pv.value)));
}

interface Case {
  what: string;
  req: Partial<EI>;
  /** Which results are the same object in both calls: 'all', 'none', or 'base' (only Test_Base instances). */
  same: 'all' | 'none' | 'base';
}
const cases: Case[] = [
  { what: 'no filtering', req: {}, same: 'all' },
  { what: 'IncludeClassOrigin', req: { IncludeClassOrigin: true }, same: 'all' },
  { what: 'PropertyList', req: { PropertyList: ['Name'] }, same: 'none' },
  { what: 'DeepInheritance=false (subclass instances lose properties)', req: { DeepInheritance: false }, same: 'base' },
];

describe('store-backed instances: same frozen object for an unchanged instance', () => {
  for (const c of cases) {
    it(`EnumerateInstances twice, ${c.what}: ${c.same === 'all' ? 'same objects' : c.same === 'none' ? 'fresh copies' : 'same objects where unfiltered'}`, async () => {
      const { db, enumerate } = await setup();
      const a = await enumerate(c.req);
      const b = await enumerate(c.req);
      expect(a).to.have.length(5);
      const want = a.map((x) => c.same === 'all' || (c.same === 'base' && x.className === 'Test_Base'));
      expect(a.map((x, i) => x === b[i])).to.deep.equal(want);
      expect(a.concat(b).every(frozen), 'frozen').to.equal(true);
      db.close();
    });
  }

  it('a modified instance is a new object; the others and GetInstance stay the same objects', async () => {
    const { db, cimom, enumerate } = await setup();
    const a = await enumerate({});
    await cimom.intrinsic('SetProperty', NS, { InstanceName: a[0].path, PropertyName: 'Name', NewValue: 'changed' }, caller);
    const b = await enumerate({});
    expect(a.map((x, i) => x === b[i])).to.deep.equal([false, true, true, true, true]);
    expect(a[0].get('Name')).to.equal('n0');
    expect(b[0].get('Name')).to.equal('changed');
    const g = await cimom.intrinsic('GetInstance', NS, { InstanceName: b[1].path, LocalOnly: false, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null }, caller);
    expect(g).to.equal(b[1]);
    expect(() => ((g as { path: unknown }).path = undefined)).to.throw(TypeError);
    db.close();
  });

  it('an unchanged class answers EnumerateInstances with the same frozen array; any create, modify or delete gives a new one that shows it', async () => {
    const { db, cimom } = await setup();
    const req = { ...ei, ClassName: 'Test_Sub' };
    const run = async () => (await cimom.intrinsic('EnumerateInstances', NS, req, caller)) as readonly NamedInstance[];
    const a = await run();
    expect(Object.isFrozen(a)).to.equal(true);
    expect(await run()).to.equal(a);
    const names = (r: readonly CIMInstance[]) => r.map((x) => x.get('Name')).sort();
    await cimom.intrinsic('CreateInstance', NS, { NewInstance: inst(testRepo(), 'Test_Sub', { InstanceID: 'new', Name: 'n-new' }) }, caller);
    const b = await run();
    expect(b).to.not.equal(a);
    expect(names(b)).to.deep.equal(['n-new', 'n1', 'n3']);
    await cimom.intrinsic('SetProperty', NS, { InstanceName: b[0].path, PropertyName: 'Name', NewValue: 'renamed' }, caller);
    const c = await run();
    expect(c).to.not.equal(b);
    expect(names(c)).to.include('renamed');
    await cimom.intrinsic('DeleteInstance', NS, { InstanceName: c[0].path }, caller);
    const d = await run();
    expect(d).to.not.equal(c);
    expect(d).to.have.length(2);
    expect(await run()).to.equal(d);
    // filtered requests are built fresh each time
    const pl = { ...req, PropertyList: ['Name'] };
    expect(await cimom.intrinsic('EnumerateInstances', NS, pl, caller)).to.not.equal(await cimom.intrinsic('EnumerateInstances', NS, pl, caller));
    db.close();
  });
});
