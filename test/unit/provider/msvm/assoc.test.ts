// Associations over a full topology (switch with an internal port connected, a bound external
// NIC, a running VM with a synthetic and an emulated NIC, finished jobs): every reference of
// every association resolves through GetInstance to the same path (no dangling or
// differently printed ends), traversal in both directions with case-insensitive filters.
import { expect } from 'chai';
import type { CIMInstance } from '../../../../src/cim/instance.js';
import { InstanceName } from '../../../../src/cim/path.js';
import { MSVM_PROVIDERS } from '../../../../src/provider/msvm/index.js';
import { vsgsdText, wmiNicText, World } from './fixture.js';

describe('msvm providers: associations', () => {
  let w: World;
  let sw: InstanceName;
  let p1: InstanceName;
  let vm: InstanceName;
  let intEp: InstanceName;
  before(async () => {
    w = await World.open();
    sw = (await w.vsms('CreateSwitch', { Name: 'S1', FriendlyName: 'lab' })).out.CreatedVirtualSwitch as InstanceName;
    p1 = (await w.vsms('CreateSwitchPort', { VirtualSwitch: sw, Name: 'p1' })).out.CreatedSwitchPort as InstanceName;
    const p2 = (await w.vsms('CreateSwitchPort', { VirtualSwitch: sw, Name: 'p2' })).out.CreatedSwitchPort as InstanceName;
    const p3 = (await w.vsms('CreateSwitchPort', { VirtualSwitch: sw, Name: 'p3' })).out.CreatedSwitchPort as InstanceName;
    const ip = (await w.vsms('CreateInternalEthernetPort', { Name: 'int1', FriendlyName: 'host', MACAddress: '00155D0000AA' })).out.CreatedInternalEthernetPort as InstanceName;
    intEp = (await w.associatorNames(ip, { ResultClass: 'CIM_LANEndpoint' }))[0]!;
    expect((await w.vsms('ConnectSwitchPort', { SwitchPort: p3, LANEndpoint: intEp })).rv).to.equal(0);
    const nic = (await w.names('Msvm_ExternalEthernetPort'))[0]!;
    expect((await w.vsms('BindExternalEthernetPort', { ExternalEthernetPort: nic })).rv).to.equal(0);
    const def = await w.vmms('DefineVirtualSystem', {
      SystemSettingData: vsgsdText('vm1'),
      ResourceSettingData: [
        wmiNicText('Msvm_SyntheticEthernetPortSettingData', { ElementName: 'syn', Address: '00155D000001', StaticMacAddress: true, Connection: [p1.toString()] }),
        wmiNicText('Msvm_EmulatedEthernetPortSettingData', { ElementName: 'legacy', StaticMacAddress: false, Connection: [p2.toString()] }),
      ],
    });
    vm = def.out.DefinedSystem as InstanceName;
    await w.finish((await w.invoke(vm, 'RequestStateChange', { RequestedState: 2 })).out.Job);
  });
  after(async () => {
    await w.close();
  });

  it('every reference of every association resolves to an instance printed the same way', async () => {
    const seen = new Set<string>();
    for (const [cls] of MSVM_PROVIDERS) {
      const c = w.cimom.repository.getClass('root/virtualization', cls)!;
      if (!c.isAssociation) continue;
      const rows = await w.enumerate(cls);
      if (!['Msvm_SwitchPortDynamicForwarding', 'Msvm_TransparentBridgingDynamicForwarding'].includes(cls)) expect(rows.length, cls).to.be.greaterThan(0);
      for (const r of rows) {
        for (const p of r.properties.values()) {
          if (!(p.value instanceof InstanceName)) continue;
          const target = await w.get(p.value);
          expect(target.className, `${cls}.${p.name}`).to.equal(p.value.className);
          const listed = (await w.names(p.value.className)).map(String);
          expect(listed, `${cls}.${p.name}`).to.include(p.value.toString());
          seen.add(p.value.className);
        }
      }
    }
    expect([...seen].sort()).to.include.members(['Msvm_EmulatedEthernetPort', 'Msvm_SyntheticEthernetPort', 'Msvm_VmLANEndpoint', 'Msvm_SwitchLANEndpoint', 'Msvm_ConcreteJob']);
  });

  it('from a port without filters: the switch, the VLAN endpoint and the connected endpoint', async () => {
    const all = await w.associatorNames(p1);
    expect(all.map((n) => n.className).sort()).to.deep.equal(['Msvm_VLANEndpoint', 'Msvm_VirtualSwitch', 'Msvm_VmLANEndpoint']);
  });

  const cases: Array<[string, () => InstanceName, { AssocClass?: string; ResultClass?: string; Role?: string; ResultRole?: string }, string[]]> = [
    ['port -> VLAN endpoint, lower-case assoc class', () => p1, { AssocClass: 'msvm_bindsto' }, ['Msvm_VLANEndpoint']],
    ['port -> VM endpoint, odd-case result class', () => p1, { ResultClass: 'Msvm_VMLanEndPoint' }, ['Msvm_VmLANEndpoint']],
    ['port -> endpoint by superclass, Role Antecedent', () => p1, { ResultClass: 'CIM_LANEndpoint', Role: 'Antecedent' }, ['Msvm_VmLANEndpoint']],
    ['port -> nothing with Role Dependent on ActiveConnection', () => p1, { AssocClass: 'Msvm_ActiveConnection', Role: 'Dependent' }, []],
    ['switch -> ports', () => sw, { AssocClass: 'Msvm_HostedAccessPoint', ResultRole: 'Dependent' }, ['Msvm_SwitchPort', 'Msvm_SwitchPort', 'Msvm_SwitchPort']],
    ['switch -> bridging service', () => sw, { AssocClass: 'Msvm_HostedSwitchService' }, ['Msvm_TransparentBridgingService']],
    ['internal endpoint -> port', () => intEp, { AssocClass: 'Msvm_ActiveConnection' }, ['Msvm_SwitchPort']],
    ['internal endpoint -> internal port', () => intEp, { AssocClass: 'Msvm_GlobalEthernetPortSAPImplementation' }, ['Msvm_InternalEthernetPort']],
    ['VM -> its NIC devices', () => vm, { AssocClass: 'Msvm_SystemDevice' }, ['Msvm_EmulatedEthernetPort', 'Msvm_SyntheticEthernetPort']],
    ['VM -> current settings', () => vm, { AssocClass: 'Msvm_SettingsDefineState' }, ['Msvm_VirtualSystemSettingData']],
    ['VM -> global settings', () => vm, { AssocClass: 'Msvm_ElementSettingData' }, ['Msvm_VirtualSystemGlobalSettingData']],
    ['VM -> management service', () => vm, { AssocClass: 'Msvm_ServiceAffectsElement' }, ['Msvm_VirtualSystemManagementService']],
    ['VM -> host', () => vm, { AssocClass: 'Msvm_HostedDependency' }, ['Msvm_ComputerSystem']],
    ['VM -> its jobs', () => vm, { AssocClass: 'Msvm_AffectedJobElement' }, ['Msvm_ConcreteJob']],
  ];
  for (const [what, from, f, classes] of cases) {
    it(what, async () => {
      const got = await w.associatorNames(from(), f);
      expect(got.map((n) => n.className).sort()).to.deep.equal(classes);
    });
  }

  it('NIC device <-> RASD through Msvm_ElementSettingData, both directions', async () => {
    for (const dev of [...(await w.names('Msvm_SyntheticEthernetPort')), ...(await w.names('Msvm_EmulatedEthernetPort'))]) {
      const rasd = await w.associatorNames(dev, { AssocClass: 'Msvm_ElementSettingData', ResultRole: 'SettingData' });
      expect(rasd).to.have.length(1);
      const back = await w.associatorNames(rasd[0]!, { AssocClass: 'Msvm_ElementSettingData' });
      expect(back.map(String)).to.deep.equal([dev.toString()]);
    }
    const emulated = (await w.enumerate('Msvm_EmulatedEthernetPortSettingData')).filter((i) => i.get('ElementName') === 'legacy')[0] as CIMInstance;
    expect(emulated.get('Address')).to.match(/^00155D[0-9A-F]{6}$/);
  });

  it('ModifyInstance renames a switch; DeleteSwitch with a connected port answers 0 and removes the connection', async () => {
    await w.modify(sw, { ElementName: 'renamed' }, ['ElementName']);
    expect((await w.query("SELECT * FROM Msvm_VirtualSwitch WHERE ElementName = 'RENAMED'")).map((i) => i.path.toString())).to.deep.equal([sw.toString()]);
    expect((await w.vsms('DeleteSwitch', { VirtualSwitch: sw })).rv).to.equal(0);
    expect(await w.names('Msvm_ActiveConnection')).to.have.length(0);
    expect((await w.get(intEp)).get('Connected')).to.equal(false);
  });
});
