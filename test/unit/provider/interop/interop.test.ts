/** The interop namespace on the project's compiled MOF: object manager, namespaces, profiles and their associations. */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CimError } from '../../../../src/cim/errors.js';
import { CIMInstance } from '../../../../src/cim/instance.js';
import { ClassName, InstanceName } from '../../../../src/cim/path.js';
import { createCimom, type CimomServer } from '../../../../src/cimom/index.js';
import type { InstanceWithPath } from '../../../../src/cimom/operations.js';
import { compileFiles, type Repository } from '../../../../src/mof/index.js';
import { registerProviders, type Providers } from '../../../../src/provider/index.js';
import { openDatabase, type DB } from '../../../../src/store/db.js';

const INTEROP = 'root/interop';
const VIRT = 'root/virtualization';
const admin = { user: 'admin', role: 'admin' as const, host: 'srv.example' };
const ei = { LocalOnly: false, DeepInheritance: true, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null };

describe('provider/interop', () => {
  let repository: Repository;
  before(function () {
    this.timeout(60000);
    const a = compileFiles(['mof/root-interop.mof'], { namespace: INTEROP });
    const b = compileFiles(['mof/root-virtualization.mof'], { namespace: VIRT, into: a.repository });
    expect(a.errors + b.errors).to.equal(0);
    repository = b.repository;
  });
  let dir: string;
  let db: DB;
  let cimom: CimomServer;
  let providers: Providers;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cimswitch-interop-'));
    db = openDatabase(dir);
    cimom = createCimom({ repository });
    providers = registerProviders({ registry: cimom.registry, repository, db, version: '1.2.3' });
  });
  afterEach(() => {
    cimom.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const enumerate = async (cls: string, ns = INTEROP) => [...(await cimom.intrinsic('EnumerateInstances', ns, { ...ei, ClassName: cls }, admin))] as InstanceWithPath[];

  it('publishes exactly one object manager with brand and version', async () => {
    const oms = await enumerate('CIM_ObjectManager');
    expect(oms).to.have.length(1);
    expect(oms[0].get('ElementName')).to.equal('cimswitch');
    expect(oms[0].get('Description')).to.match(/Version 1\.2\.3$/);
    expect(String(oms[0].get('Name'))).to.match(/^cimswitch:[0-9A-F-]{36}$/);
    expect(oms[0].get('Started')).to.equal(true);
    expect(oms[0].path.toString('wbem')).to.contain('//srv.example/root/interop:CIM_ObjectManager.CreationClassName="CIM_ObjectManager"');
  });

  it('keeps the object manager name across restarts', async () => {
    const before = (await enumerate('CIM_ObjectManager'))[0].get('Name');
    cimom.close();
    db.close();
    db = openDatabase(dir);
    cimom = createCimom({ repository });
    registerProviders({ registry: cimom.registry, repository, db });
    expect((await enumerate('CIM_ObjectManager'))[0].get('Name')).to.equal(before);
  });

  it('lists every served namespace, also through the `interop` alias and a superclass', async () => {
    const names = (await enumerate('CIM_Namespace', 'interop')).map((i) => i.get('Name'));
    expect(names).to.deep.equal([INTEROP, VIRT]);
    const viaBase = (await enumerate('CIM_ManagedElement')).filter((i) => i.className === 'CIM_Namespace');
    expect(viaBase).to.have.length(2);
  });

  it('links namespaces to the object manager (CIM_NamespaceInManager)', async () => {
    const om = (await enumerate('CIM_ObjectManager'))[0].path;
    const ns = [...(await cimom.intrinsic('AssociatorNames', INTEROP, { ObjectName: om, AssocClass: 'CIM_NamespaceInManager', ResultClass: null, Role: null, ResultRole: null }, admin))] as InstanceName[];
    expect(ns.map((n) => n.key('Name'))).to.deep.equal([INTEROP, VIRT]);
    const back = [...(await cimom.intrinsic('AssociatorNames', INTEROP, { ObjectName: ns[1], AssocClass: null, ResultClass: 'CIM_ObjectManager', Role: 'Dependent', ResultRole: null }, admin))] as InstanceName[];
    expect(back.map((n) => n.toString())).to.deep.equal([om.toString()]);
  });

  it('links the object manager to its hosting system (CIM_HostedService)', async () => {
    const om = (await enumerate('CIM_ObjectManager'))[0];
    const hosts = [...(await cimom.intrinsic('Associators', INTEROP, { ObjectName: om.path, AssocClass: 'CIM_HostedService', ResultClass: 'CIM_System', Role: 'Dependent', ResultRole: null, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null }, admin))] as InstanceWithPath[];
    expect(hosts).to.have.length(1);
    expect(hosts[0].className).to.equal('CIM_ComputerSystem');
    expect(hosts[0].get('Name')).to.equal(om.get('SystemName'));
    expect(hosts[0].get('CreationClassName')).to.equal(om.get('SystemCreationClassName'));
  });

  it('publishes the CIM-XML communication mechanism with the functional profiles served', async () => {
    const [cm] = await enumerate('CIM_ObjectManagerCommunicationMechanism');
    expect(cm.className).to.equal('CIM_CIMXMLCommunicationMechanism');
    expect(cm.get('FunctionalProfilesSupported')).to.include.members([2, 3, 5, 6, 7, 10, 12]);
    expect(cm.get('FunctionalProfilesSupported')).to.not.include(4);
    const om = (await enumerate('CIM_ObjectManager'))[0].path;
    const via = [...(await cimom.intrinsic('AssociatorNames', INTEROP, { ObjectName: om, AssocClass: 'CIM_CommMechanismForManager', ResultClass: null, Role: null, ResultRole: null }, admin))];
    expect(via).to.have.length(1);
  });

  it('registers Profile Registration with the object manager conforming', async () => {
    const profiles = await enumerate('CIM_RegisteredProfile');
    expect(profiles.map((p) => [p.get('RegisteredOrganization'), p.get('RegisteredName'), p.get('RegisteredVersion')])).to.deep.equal([[2, 'Profile Registration', '1.0.0']]);
    const central = [...(await cimom.intrinsic('AssociatorNames', INTEROP, { ObjectName: profiles[0].path, AssocClass: 'CIM_ElementConformsToProfile', ResultClass: null, Role: null, ResultRole: null }, admin))] as InstanceName[];
    expect(central.map((c) => c.className)).to.deep.equal(['CIM_ObjectManager']);
  });

  it('lets other providers register a profile with central instances in another namespace', async () => {
    const svc = InstanceName.of('Msvm_VirtualSwitchManagementService', { CreationClassName: 'Msvm_VirtualSwitchManagementService', Name: 'vsms', SystemCreationClassName: 'Msvm_ComputerSystem', SystemName: 'HOST' }, VIRT);
    const dep = providers.profiles.register({ organization: 2, name: 'Virtual Ethernet Switch', version: '1.0.0' });
    const h = providers.profiles.register({ organization: 1, otherOrganization: 'Microsoft', name: 'Virtual Networking', version: '1.0', centralInstances: () => [svc], references: [dep] });
    expect(() => providers.profiles.register({ organization: 2, name: 'Virtual Ethernet Switch', version: '1.0.0' })).to.throw(/already registered/);
    const refs = [...(await cimom.intrinsic('ReferenceNames', INTEROP, { ObjectName: h.path, ResultClass: 'CIM_ElementConformsToProfile', Role: null }, admin))] as InstanceName[];
    expect(refs).to.have.length(1);
    const me = refs[0].key('ManagedElement') as InstanceName;
    expect(me.namespace).to.equal(VIRT);
    expect(me.key('Name')).to.equal('vsms');
    const referenced = [...(await cimom.intrinsic('AssociatorNames', INTEROP, { ObjectName: h.path, AssocClass: 'CIM_ReferencedProfile', ResultClass: null, Role: 'Dependent', ResultRole: null }, admin))] as InstanceName[];
    expect(referenced.map((r) => r.key('InstanceID'))).to.deep.equal([dep.instanceId]);
    const q = [...(await cimom.intrinsic('ExecQuery', INTEROP, { QueryLanguage: 'WQL', Query: "SELECT * FROM CIM_RegisteredProfile WHERE RegisteredName LIKE 'virtual%'" }, admin))];
    expect(q).to.have.length(2);
  });

  it('refuses to create or delete interop objects', async () => {
    const ns = (await enumerate('CIM_Namespace'))[0];
    const fresh = new CIMInstance('CIM_Namespace', ns.properties.values()).set('Name', 'root/new');
    expect(await cimom.intrinsic('CreateInstance', INTEROP, { NewInstance: fresh }, admin).catch((e: CimError) => e.statusName)).to.equal('CIM_ERR_NOT_SUPPORTED');
    expect(await cimom.intrinsic('DeleteInstance', INTEROP, { InstanceName: ns.path }, admin).catch((e: CimError) => e.statusName)).to.equal('CIM_ERR_NOT_SUPPORTED');
  });

  it('keeps plain classes in the store (default provider) next to the interop providers', async () => {
    const refs = [...(await cimom.intrinsic('ReferenceNames', INTEROP, { ObjectName: new ClassName('CIM_Namespace'), ResultClass: null, Role: null }, admin))] as ClassName[];
    expect(refs.map((r) => r.className)).to.include('CIM_NamespaceInManager');
    expect(await enumerate('CIM_IndicationFilter')).to.deep.equal([]);
  });
});
