// The VM management service and VM state through the Cimom interface: embedded instances
// as WMI writes them (reference 1.5), sync/async answers (1.4), return codes (1.3), the
// runtime objects of a running VM and the traversal port -> ActiveConnection -> LAN endpoint
// -> NIC device -> VM (acceptance 2), templates and the pool model (4.9), WQL.
import { expect } from 'chai';
import { CIMInstance } from '../../../../src/cim/instance.js';
import { InstanceName } from '../../../../src/cim/path.js';
import { vsgsdText, wmiNicText, World } from './fixture.js';

const SEPSD = 'Msvm_SyntheticEthernetPortSettingData';

describe('msvm providers: virtual machines', () => {
  let w: World;
  let sw: InstanceName;
  let p1: InstanceName;
  let p2: InstanceName;
  beforeEach(async () => {
    w = await World.open();
    sw = (await w.vsms('CreateSwitch', { Name: 'S1', FriendlyName: 'lab' })).out.CreatedVirtualSwitch as InstanceName;
    p1 = (await w.vsms('CreateSwitchPort', { VirtualSwitch: sw, Name: 'p1', FriendlyName: 'p1' })).out.CreatedSwitchPort as InstanceName;
    p2 = (await w.vsms('CreateSwitchPort', { VirtualSwitch: sw, Name: 'p2', FriendlyName: 'p2' })).out.CreatedSwitchPort as InstanceName;
  });
  afterEach(async () => {
    await w.close();
  });

  async function define(name: string, nics: string[] = []): Promise<InstanceName> {
    const r = await w.vmms('DefineVirtualSystem', { SystemSettingData: vsgsdText(name), ResourceSettingData: nics, SourceSetting: null });
    expect(r.rv).to.equal(0);
    expect(r.out.Job ?? null).to.equal(null);
    return r.out.DefinedSystem as InstanceName;
  }
  async function rsc(vm: InstanceName, state: number): Promise<{ rv: number; job?: CIMInstance }> {
    const r = await w.invoke(vm, 'RequestStateChange', { RequestedState: state });
    if (r.rv !== 4096) return { rv: r.rv };
    return { rv: r.rv, job: await w.finish(r.out.Job) };
  }

  it('WQL finds the switch by ElementName and the templates by InstanceID LIKE', async () => {
    const hits = await w.query("SELECT * FROM Msvm_VirtualSwitch WHERE ElementName = 'lab'");
    expect(hits.map((h) => h.path.toString())).to.deep.equal([sw.toString()]);
    const t = await w.query(`SELECT * FROM ${SEPSD} WHERE InstanceID LIKE '%Default'`);
    expect(t.map((i) => i.get('InstanceID'))).to.deep.equal(['Microsoft:Definition\\6A45335D-4C3A-44B7-B61F-C9808BBDF8ED\\Default']);
    expect(t[0]!.get('Address')).to.equal(null);
    expect(await w.query("SELECT * FROM Msvm_EmulatedEthernetPortSettingData WHERE InstanceID LIKE '%Default%'")).to.have.length(1);
  });

  it('finds the default template through pool -> capabilities -> SettingsDefineCapabilities', async () => {
    const pools = await w.query("SELECT * FROM Msvm_ResourcePool WHERE ResourceType = '10' AND ResourceSubType = 'Microsoft Synthetic Ethernet Port' AND OtherResourceType = null");
    expect(pools).to.have.length(1);
    const caps = await w.associatorNames(pools[0]!.path, { ResultClass: 'Msvm_AllocationCapabilities' });
    expect(caps).to.have.length(1);
    const refs = await w.cimom.intrinsic('References', 'root/virtualization', { ObjectName: caps[0]!, ResultClass: 'Msvm_SettingsDefineCapabilities', Role: null, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null }, { user: 'a', role: 'admin', host: 'HV1' });
    const def = [...refs].filter((r) => (r as CIMInstance).get('ValueRole') === 0) as CIMInstance[];
    expect(def).to.have.length(1);
    const tmpl = await w.get(def[0]!.get('PartComponent') as InstanceName);
    expect(tmpl.get('InstanceID')).to.match(/\\Default$/);
    expect(tmpl.get('PoolID')).to.equal(pools[0]!.get('PoolID'));
  });

  it('DefineVirtualSystem with WMI-text NICs; paths equal the enumerated ones; settings and RASDs associated', async () => {
    const vm = await define('vm1', [wmiNicText(SEPSD, { ElementName: 'nic0', Address: '00155D000101', StaticMacAddress: true, Connection: [p1.toString()] })]);
    expect((await w.names('Msvm_ComputerSystem')).map(String)).to.include(vm.toString());
    expect((await w.get(vm)).get('EnabledState')).to.equal(3);
    const vssd = await w.associatorNames(vm, { AssocClass: 'Msvm_SettingsDefineState' });
    expect(vssd.map(String)).to.deep.equal([`\\\\HV1\\root\\virtualization:Msvm_VirtualSystemSettingData.InstanceID="Microsoft:${vm.key('Name')}"`]);
    const s = await w.get(vssd[0]!);
    expect([s.get('ElementName'), s.get('SettingType')]).to.deep.equal(['vm1', 3]);
    const nics = await w.associatorNames(vssd[0]!, { ResultClass: 'CIM_ResourceAllocationSettingData' });
    expect(nics.map((n) => n.className)).to.deep.equal([SEPSD]);
    expect(await w.associatorNames(vssd[0]!, { ResultClass: 'Msvm_ResourceAllocationSettingData' })).to.have.length(0);
    const rasd = await w.get(nics[0]!);
    expect(rasd.get('InstanceID')).to.match(new RegExp(`^Microsoft:${vm.key('Name')}\\\\[0-9A-F-]{36}$`));
    expect(rasd.get('Connection')).to.deep.equal([p1.toString()]);
    const byMac = await w.query("SELECT * FROM CIM_ResourceAllocationSettingData WHERE Address = '00155d000101'");
    expect(byMac.map((i) => i.path.toString())).to.deep.equal([nics[0]!.toString()]);
    const global = await w.associatorNames(vm, { ResultClass: 'Msvm_VirtualSystemGlobalSettingData' });
    expect((await w.get(global[0]!)).get('AutomaticStartupAction')).to.equal(2);
  });

  it('start: devices, endpoints and the ActiveConnection; port -> endpoint -> device -> VM; stop removes them', async () => {
    const vm = await define('vm1', [wmiNicText(SEPSD, { ElementName: 'nic0', Address: '00155D000101', StaticMacAddress: true, Connection: [p1.toString()] })]);
    const r = await rsc(vm, 2);
    expect(r.rv).to.equal(4096);
    expect([r.job!.get('JobState'), r.job!.get('ErrorCode')]).to.deep.equal([7, 0]);
    expect(String(r.job!.get('TimeBeforeRemoval'))).to.equal('00000000000500.000000:000');
    expect((await w.get(vm)).get('EnabledState')).to.equal(2);
    const ep = await w.associatorNames(p1, { AssocClass: 'Msvm_ActiveConnection', ResultClass: 'CIM_LANEndpoint' });
    expect(ep.map((e) => e.className)).to.deep.equal(['Msvm_VmLANEndpoint']);
    expect((await w.get(ep[0]!)).get('MACAddress')).to.equal('00155D000101');
    const dev = await w.associatorNames(ep[0]!, { ResultClass: 'CIM_EthernetPort' });
    expect(dev.map((d) => d.className)).to.deep.equal(['Msvm_SyntheticEthernetPort']);
    const device = await w.get(dev[0]!);
    expect(device.get('OtherIdentifyingInfo')).to.deep.equal([`netns=cimswitch-${vm.key('Name')}`, 'ifname=eth0']);
    expect([device.get('PermanentAddress'), device.get('ElementName'), device.get('PortNumber')]).to.deep.equal(['00155D000101', 'nic0', 0]);
    const owner = await w.associatorNames(dev[0]!, { AssocClass: 'Msvm_SystemDevice' });
    expect(owner.map(String)).to.deep.equal([vm.toString()]);
    const rasd = await w.associatorNames(dev[0]!, { ResultClass: SEPSD });
    expect(rasd).to.have.length(1);
    expect((await rsc(vm, 2)).rv).to.equal(32775);
    const add = await w.vmms('AddVirtualSystemResources', { TargetSystem: vm, ResourceSettingData: [wmiNicText(SEPSD, { ElementName: 'hot' })] });
    expect(add.rv).to.equal(32775);
    expect((await w.vmms('DestroyVirtualSystem', { ComputerSystem: vm })).rv).to.equal(32775);
    expect((await rsc(vm, 3)).rv).to.equal(4096);
    for (const cls of ['Msvm_SyntheticEthernetPort', 'Msvm_VmLANEndpoint', 'Msvm_ActiveConnection', 'Msvm_DeviceSAPImplementation']) {
      expect(await w.names(cls), cls).to.have.length(0);
    }
    expect((await w.get(rasd[0]!)).get('Connection')).to.deep.equal([p1.toString()]);
    expect(await w.names('Msvm_SwitchPort')).to.have.length(2);
    const d = await w.vmms('DestroyVirtualSystem', { ComputerSystem: vm });
    expect(d.rv).to.equal(4096);
    expect((await w.finish(d.out.Job)).get('JobState')).to.equal(7);
    expect(await w.names('Msvm_VirtualSystemSettingData')).to.have.length(0);
  });

  it('Add / Modify / Remove NICs: template clone gets a new InstanceID, Connection set on a running VM reconnects', async () => {
    const vm = await define('vm2');
    const add = await w.vmms('AddVirtualSystemResources', {
      TargetSystem: vm,
      ResourceSettingData: [wmiNicText(SEPSD, { ElementName: 'n0', StaticMacAddress: false })],
    });
    expect(add.rv).to.equal(0);
    const nic = (add.out.NewResources as InstanceName[])[0]!;
    expect(nic.key('InstanceID')).to.not.match(/Default/);
    expect((await w.names(SEPSD)).map(String)).to.include(nic.toString());
    expect((await rsc(vm, 2)).rv).to.equal(4096);
    expect(await w.names('Msvm_ActiveConnection')).to.have.length(0);
    const dynamic = await w.get(nic);
    expect(dynamic.get('Address')).to.match(/^00155D[0-9A-F]{6}$/);
    // neutron's flow: read the RASD, set Connection, send it back whole
    const text = wmiNicText(SEPSD, { InstanceID: String(nic.key('InstanceID')), ElementName: 'n0', Address: dynamic.get('Address') as string, StaticMacAddress: false, Connection: [p2.toString().replace('\\\\HV1\\', '\\\\.\\')] });
    const mod = await w.vmms('ModifyVirtualSystemResources', { ComputerSystem: vm, ResourceSettingData: [text] });
    expect(mod.rv).to.equal(0);
    expect((await w.get(nic)).get('Connection')).to.deep.equal([p2.toString()]);
    const conns = await w.associatorNames(p2, { AssocClass: 'Msvm_ActiveConnection' });
    expect(conns.map((c) => c.className)).to.deep.equal(['Msvm_VmLANEndpoint']);
    expect((await rsc(vm, 3)).rv).to.equal(4096);
    const bad = wmiNicText(SEPSD, { InstanceID: 'Microsoft:nope\\nope', ElementName: 'x' });
    expect((await w.vmms('ModifyVirtualSystemResources', { ComputerSystem: vm, ResourceSettingData: [bad] })).rv).to.equal(32773);
    expect((await w.vmms('RemoveVirtualSystemResources', { TargetSystem: vm, ResourceSettingData: [nic] })).rv).to.equal(0);
    expect(await w.names(SEPSD)).to.have.length(4);
  });

  it('ConnectSwitchPort to a running VM endpoint writes the port path into the RASD, byte-identical', async () => {
    const vm = await define('vm5', [wmiNicText(SEPSD, { ElementName: 'n', Address: '00155D000202', StaticMacAddress: true })]);
    expect((await rsc(vm, 2)).rv).to.equal(4096);
    const ep = (await w.names('Msvm_VmLANEndpoint'))[0]!;
    const c = await w.vsms('ConnectSwitchPort', { SwitchPort: p2, LANEndpoint: ep });
    expect(c.rv).to.equal(0);
    expect((await w.names('Msvm_ActiveConnection')).map(String)).to.deep.equal([String(c.out.ActiveConnection)]);
    const rasd = (await w.enumerate(SEPSD)).find((r) => r.get('ElementName') === 'n')!;
    expect(rasd.get('Connection')).to.deep.equal([p2.toString()]);
    expect((await w.vsms('DisconnectSwitchPort', { SwitchPort: p2 })).rv).to.equal(0);
    expect(await w.names('Msvm_ActiveConnection')).to.have.length(0);
  });

  const failures: Array<[string, string, (vm: InstanceName) => Record<string, unknown>, number]> = [
    ['bad MAC text in a static NIC', 'AddVirtualSystemResources', (vm) => ({ TargetSystem: vm, ResourceSettingData: [wmiNicText(SEPSD, { Address: '00-15-5D-XX', StaticMacAddress: true })] }), 32773],
    ['a non-NIC resource', 'AddVirtualSystemResources', (vm) => ({ TargetSystem: vm, ResourceSettingData: [wmiNicText('Msvm_ResourceAllocationSettingData', {}).replace('<VALUE>10</VALUE>', '<VALUE>22</VALUE>')] }), 32773],
    ['no target system', 'AddVirtualSystemResources', () => ({ ResourceSettingData: [wmiNicText(SEPSD, {})] }), 32773],
    ['no resources', 'AddVirtualSystemResources', (vm) => ({ TargetSystem: vm, ResourceSettingData: [] }), 32773],
    ['removing a NIC of another VM', 'RemoveVirtualSystemResources', (vm) => ({ TargetSystem: vm, ResourceSettingData: ['Msvm_SyntheticEthernetPortSettingData.InstanceID="Microsoft:X\\\\Y"'] }), 32773],
    ['destroying the host', 'DestroyVirtualSystem', () => ({ ComputerSystem: 'Msvm_ComputerSystem.CreationClassName="Msvm_ComputerSystem",Name="HV1"' }), 32773],
    ['an unknown VM', 'DestroyVirtualSystem', () => ({ ComputerSystem: 'Msvm_ComputerSystem.CreationClassName="Msvm_ComputerSystem",Name="00000000-0000-0000-0000-000000000000"' }), 32773],
    ['bad pool bounds', 'ModifyServiceSettings', () => ({ SettingData: '<INSTANCE CLASSNAME="Msvm_VirtualSystemManagementServiceSettingData"><PROPERTY NAME="MinimumMacAddress" TYPE="string"><VALUE>00155D0000FF</VALUE></PROPERTY><PROPERTY NAME="MaximumMacAddress" TYPE="string"><VALUE>00155D000000</VALUE></PROPERTY></INSTANCE>' }), 32773],
  ];
  for (const [what, method, params, rc] of failures) {
    it(`${method}: ${what} -> ${rc}`, async () => {
      const vm = await define('vmx');
      expect((await w.vmms(method, params(vm) as never)).rv).to.equal(rc);
    });
  }

  it('garbage embedded text is CIM_ERR_INVALID_PARAMETER with a description (cimom decodes it)', async () => {
    const vm = await define('vmx');
    const err = await w.vmms('AddVirtualSystemResources', { TargetSystem: vm, ResourceSettingData: ['<INSTANCE CLASSNAME="x"><oops'] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.have.property('code', 4);
    expect((err as Error).message).to.match(/ResourceSettingData/);
  });

  it('RequestStateChange: bad state 32773, on the host 32770, save, resume, reset, pause, off; 32775 when already there', async () => {
    const vm = await define('vm3');
    expect((await rsc(vm, 7)).rv).to.equal(32773);
    const host = (await w.query("SELECT * FROM Msvm_ComputerSystem WHERE Name = 'hv1'"))[0]!.path;
    expect((await rsc(host, 2)).rv).to.equal(32770);
    expect((await rsc(vm, 2)).rv).to.equal(4096);
    expect((await rsc(vm, 32769)).rv).to.equal(4096);
    expect((await w.get(vm)).get('EnabledState')).to.equal(32769);
    expect((await rsc(vm, 2)).rv).to.equal(4096);
    expect((await rsc(vm, 10)).rv).to.equal(4096);
    expect((await w.get(vm)).get('EnabledState')).to.equal(2);
    expect((await rsc(vm, 32768)).rv).to.equal(4096);
    expect((await w.get(vm)).get('EnabledState')).to.equal(32768);
    expect((await rsc(vm, 32768)).rv).to.equal(32775);
    expect((await rsc(vm, 2)).rv).to.equal(4096);
    expect((await rsc(vm, 3)).rv).to.equal(4096);
    expect((await rsc(vm, 3)).rv).to.equal(32775);
  });

  it('ModifyVirtualSystem renames; ModifyServiceSettings moves the MAC pool; GetSummaryInformation', async () => {
    const vm = await define('old');
    const mod = await w.vmms('ModifyVirtualSystem', { ComputerSystem: vm, SystemSettingData: vsgsdText('new') });
    expect(mod.rv).to.equal(0);
    expect((await w.get(mod.out.ModifiedSettingData as InstanceName)).get('ElementName')).to.equal('new');
    expect((await w.get(vm)).get('ElementName')).to.equal('new');
    const pool = '<INSTANCE CLASSNAME="Msvm_VirtualSystemManagementServiceSettingData"><PROPERTY NAME="MinimumMacAddress" TYPE="string"><VALUE>00155D110000</VALUE></PROPERTY><PROPERTY NAME="MaximumMacAddress" TYPE="string"><VALUE>00155D1100FF</VALUE></PROPERTY></INSTANCE>';
    expect((await w.vmms('ModifyServiceSettings', { SettingData: pool })).rv).to.equal(0);
    const s = (await w.enumerate('Msvm_VirtualSystemManagementServiceSettingData'))[0]!;
    expect([s.get('MinimumMacAddress'), s.get('MaximumMacAddress')]).to.deep.equal(['00155D110000', '00155D1100FF']);
    const vssd = (await w.associatorNames(vm, { ResultClass: 'Msvm_VirtualSystemSettingData' }))[0]!;
    const sum = await w.vmms('GetSummaryInformation', { SettingData: [vssd], RequestedInformation: [1, 100] });
    expect(sum.rv).to.equal(0);
    const info = (sum.out.SummaryInformation as CIMInstance[])[0]!;
    expect([info.get('ElementName'), info.get('EnabledState')]).to.deep.equal(['new', 3]);
  });

  it('host: HostedService reaches both services, HostedDependency each VM', async () => {
    const vm = await define('vm4');
    const host = (await w.query("SELECT * FROM Msvm_ComputerSystem WHERE Caption = 'Hosting Computer System'"))[0]!.path;
    const svcs = await w.associatorNames(host, { AssocClass: 'Msvm_HostedService', ResultRole: 'Dependent' });
    expect(svcs.map((s) => s.className).sort()).to.deep.equal(['Msvm_VirtualSwitchManagementService', 'Msvm_VirtualSystemManagementService']);
    expect((await w.associatorNames(host, { AssocClass: 'Msvm_HostedDependency' })).map(String)).to.deep.equal([vm.toString()]);
    expect((await w.associatorNames(sw, { ResultClass: 'Msvm_SwitchPort' })).length).to.equal(2);
    expect((await w.associatorNames(p1, { ResultClass: 'Msvm_VirtualSwitch' })).map(String)).to.deep.equal([sw.toString()]);
  });
});
