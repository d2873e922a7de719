/** The default provider over MOF-declared instances: served read-through, changes stored, deletes refused. */
import { expect } from 'chai';
import type { CimError } from '../../../src/cim/errors.js';
import { CIMInstance } from '../../../src/cim/instance.js';
import { InstanceName } from '../../../src/cim/path.js';
import { createCimom } from '../../../src/cimom/index.js';
import { compileText } from '../../../src/mof/index.js';
import { DefaultProvider } from '../../../src/provider/default.js';
import { openDatabase } from '../../../src/store/db.js';
import { InstanceStore } from '../../../src/store/instances.js';

const MOF = `
Qualifier Key : boolean = false, Scope(property, reference), Flavor(DisableOverride, ToSubclass);
class T_Item { [Key] string Id; string Name; uint64 Size; };
instance of T_Item { Id = "m1"; Name = "from mof"; Size = 5; };
`;
const NS = 'root/t';
const admin = { user: 'admin', role: 'admin' as const, host: 'h' };
const gi = { LocalOnly: false, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null };

describe('store: default provider and MOF-declared instances', () => {
  function setup() {
    const { repository, errors } = compileText(MOF, 't.mof', { namespace: NS });
    expect(errors).to.equal(0);
    const db = openDatabase(':memory:');
    const cimom = createCimom({ repository });
    cimom.registry.setDefault(new DefaultProvider(new InstanceStore(db), repository));
    return { cimom, db };
  }
  const m1 = InstanceName.of('T_Item', { Id: 'm1' });

  it('serves declared instances with their declared values', async () => {
    const { cimom, db } = setup();
    const i = await cimom.intrinsic('GetInstance', NS, { ...gi, InstanceName: m1 }, admin);
    expect(i.get('Name')).to.equal('from mof');
    expect(i.get('Size')).to.equal(5n);
    db.close();
  });

  it('stores a change to a declared instance, which then shadows it', async () => {
    const { cimom, db } = setup();
    await cimom.intrinsic('SetProperty', NS, { InstanceName: m1, PropertyName: 'Name', NewValue: 'changed' }, admin);
    const all = [...(await cimom.intrinsic('EnumerateInstances', NS, { ...gi, ClassName: 'T_Item', DeepInheritance: true }, admin))];
    expect(all.map((i) => i.get('Name'))).to.deep.equal(['changed']);
    db.close();
  });

  it('refuses a duplicate of a declared instance and its deletion', async () => {
    const { cimom, db } = setup();
    const dup = new CIMInstance('T_Item').set('Id', 'm1', { type: 'string', isArray: false });
    expect(await cimom.intrinsic('CreateInstance', NS, { NewInstance: dup }, admin).catch((e: CimError) => e.statusName)).to.equal('CIM_ERR_ALREADY_EXISTS');
    expect(await cimom.intrinsic('DeleteInstance', NS, { InstanceName: m1 }, admin).catch((e: CimError) => e.statusName)).to.equal('CIM_ERR_NOT_SUPPORTED');
    db.close();
  });
});
