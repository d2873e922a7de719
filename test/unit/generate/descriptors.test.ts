import { expect } from 'chai';
import type { ClassRepository } from '../../../src/cim/repository.js';
import type { CIMClass } from '../../../src/cim/class.js';
import { InstanceName } from '../../../src/cim/path.js';
import { CIMInstance } from '../../../src/cim/instance.js';
import { CIMDateTime } from '../../../src/cim/datetime.js';
import { canonical } from './canonical.js';
import { handRepository } from './fixture.js';
import { generateToTemp } from './roundtrip.js';
import { generateFiles } from '../../../src/mof/emit/generate.js';
import type { TempGeneration } from './roundtrip.js';

interface LoadModule {
  loadRepository(): ClassRepository;
}

/** The hand repository plus MOF-style instances carrying every tagged value kind. */
function withInstances(): ClassRepository {
  const repo = handRepository();
  const path = InstanceName.of('TST_Service', { Name: 'svc' }, 'root/test');
  const inst = new CIMInstance('TST_Service', [
    { name: 'Name', type: 'string', isArray: false, value: 'svc' },
    { name: 'Counter', type: 'uint64', isArray: false, value: 5n, classOrigin: 'TST_Service', propagated: false },
    { name: 'Since', type: 'datetime', isArray: false, value: CIMDateTime.parse('20260101000000.000000+000') },
    { name: 'Status', type: 'uint16', isArray: true, value: [2, null, 3] },
    { name: 'Ref', type: 'reference', isArray: false, refClass: 'TST_Service', value: path },
  ], path);
  return { ...repo, instances: () => [inst] };
}

describe('generate: descriptor table round trip (hand-built classes)', () => {
  let gen: TempGeneration;
  let loaded: ClassRepository;
  const source = withInstances();
  before(async () => {
    gen = generateToTemp([{ namespace: 'root/test', repository: source }]);
    loaded = (await gen.import<LoadModule>('load.ts')).loadRepository();
  });
  after(() => gen?.remove());

  it('reproduces every class exactly', () => {
    expect(loaded.classNames('root/test')).to.deep.equal(source.classNames('root/test'));
    for (const name of source.classNames('root/test'))
      expect(canonical(loaded.getClass('root/test', name)), name).to.deep.equal(canonical(source.getClass('root/test', name)));
  });
  it('reproduces qualifier declarations and instances', () => {
    expect(canonical(loaded.qualifierDecls('root/test'))).to.deep.equal(canonical(source.qualifierDecls('root/test')));
    expect(canonical(loaded.instances('root/test'))).to.deep.equal(canonical(source.instances('root/test')));
  });
  it('answers hierarchy queries, case-insensitively', () => {
    expect(loaded.hasNamespace('ROOT\\Test')).to.equal(true);
    expect(loaded.subclassNames('root/test', 'tst_service', false)).to.deep.equal(['TST_SubService']);
    expect(loaded.subclassNames('root/test', undefined, false)).to.deep.equal(['TST_Service', 'TST_Uses']);
    expect(loaded.subclassNames('root/test', undefined, true)).to.deep.equal(['TST_Service', 'TST_SubService', 'TST_Uses']);
    expect(loaded.isSubclassOf('root/test', 'tst_subservice', 'TST_SERVICE')).to.equal(true);
    expect(loaded.isSubclassOf('root/test', 'TST_Service', 'TST_SubService')).to.equal(false);
    expect(loaded.getClass('root/test', 'no_such')).to.equal(undefined);
    expect(loaded.classNames('root/none')).to.deep.equal([]);
  });
  it('the comparison notices a changed flavor, propagated flag, default or keys', async () => {
    const mod = await gen.import<LoadModule>('load.ts');
    const cases: Array<(c: CIMClass) => void> = [
      (c) => (c.properties.get('Name')!.qualifiers.get('Key')!.flavor.overridable = false),
      (c) => (c.properties.get('Started')!.propagated = true),
      (c) => (c.properties.get('Counter')!.defaultValue = 1n),
      (c) => void c.keys.push('Started'),
    ];
    for (const change of cases) {
      const copy = mod.loadRepository().getClass('root/test', 'TST_Service')!;
      change(copy);
      expect(canonical(copy)).to.not.deep.equal(canonical(source.getClass('root/test', 'TST_Service')));
    }
  });
  it('gives fresh objects on every load', async () => {
    const again = (await gen.import<LoadModule>('load.ts')).loadRepository();
    expect(again.getClass('root/test', 'TST_Service')).to.not.equal(loaded.getClass('root/test', 'TST_Service'));
  });
  it('is deterministic', () => {
    const second = generateToTemp([{ namespace: 'root/test', repository: withInstances() }]);
    try {
      for (const [rel, text] of gen.files) expect(second.files.get(rel), rel).to.equal(text.replace(gen.dir, second.dir));
    } finally {
      second.remove();
    }
  });
  it('rejects values a descriptor cannot hold', () => {
    const repo = handRepository();
    const bad = new CIMInstance('TST_Service', [{ name: 'Name', type: 'string', isArray: false, embedded: 'instance', value: new CIMInstance('X') }]);
    expect(() => generateFiles([{ namespace: 'root/test', repository: { ...repo, instances: () => [bad] } }])).to.throw(/embedded instance value cannot be stored/);
  });
});
