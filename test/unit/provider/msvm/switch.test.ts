// The switch management service through the Cimom interface: every method's success and
// failure codes (reference 1.3), OUT paths byte-identical to the enumerated paths (1.1),
// hand-built path text accepted for REF parameters, VLAN writes through ModifyInstance.
import { expect } from 'chai';
import { InstanceName } from '../../../../src/cim/path.js';
import { MSVM_PROVIDERS } from '../../../../src/provider/msvm/index.js';
import { World } from './fixture.js';

const portText = (host: string, sw: string, port: string, q = '"') =>
  `${host}root\\virtualization:Msvm_SwitchPort.CreationClassName=${q}Msvm_SwitchPort${q},Name=${q}${port}${q},SystemCreationClassName=${q}Msvm_VirtualSwitch${q},SystemName=${q}${sw}${q}`;

describe('msvm providers: switch management service', () => {
  let w: World;
  beforeEach(async () => {
    w = await World.open();
  });
  afterEach(async () => {
    await w.close();
  });

  it('enumerates every registered class without error', async () => {
    for (const [cls] of MSVM_PROVIDERS) await w.enumerate(cls);
    const svc = await w.enumerate('Msvm_VirtualSwitchManagementService');
    expect(svc).to.have.length(1);
    expect(svc[0]!.path.toString()).to.equal(
      '\\\\HV1\\root\\virtualization:Msvm_VirtualSwitchManagementService.CreationClassName="Msvm_VirtualSwitchManagementService",Name="nvspwmi",SystemCreationClassName="Msvm_ComputerSystem",SystemName="HV1"',
    );
    expect(svc[0]!.get('ElementName')).to.equal('Hyper-V Networking Management Service');
  });

  it('CreateSwitch / CreateSwitchPort return paths byte-identical to the enumeration', async () => {
    const sw = await w.vsms('CreateSwitch', { Name: '41A8AFAE-F953-447D-99A4-1B816E90D3BB', FriendlyName: 'lab', NumLearnableAddresses: 1024, ScopeOfResidence: '' });
    expect(sw.rv).to.equal(0);
    const swPath = sw.out.CreatedVirtualSwitch as InstanceName;
    expect(swPath.toString()).to.equal('\\\\HV1\\root\\virtualization:Msvm_VirtualSwitch.CreationClassName="Msvm_VirtualSwitch",Name="41A8AFAE-F953-447D-99A4-1B816E90D3BB"');
    const port = await w.vsms('CreateSwitchPort', { VirtualSwitch: swPath, Name: '2aa53219-4f90-4b60-b3e9-5dd3f9156691', FriendlyName: 'p1', ScopeOfResidence: null });
    expect(port.rv).to.equal(0);
    const pText = (port.out.CreatedSwitchPort as InstanceName).toString();
    expect(pText).to.equal(portText('\\\\HV1\\', '41A8AFAE-F953-447D-99A4-1B816E90D3BB', '2aa53219-4f90-4b60-b3e9-5dd3f9156691'));
    const listed = (await w.enumerate('Msvm_SwitchPort')).map((i) => i.path.toString());
    expect(listed).to.deep.equal([pText]);
    // VLAN endpoint and its settings exist at once (reference 2.1 CreateSwitchPort)
    const vlan = await w.associatorNames(port.out.CreatedSwitchPort as InstanceName, { AssocClass: 'Msvm_BindsTo' });
    expect(vlan.map((n) => n.className)).to.deep.equal(['Msvm_VLANEndpoint']);
    const vsd = await w.associatorNames(vlan[0]!, { ResultClass: 'Msvm_VLANEndpointSettingData' });
    expect(vsd).to.have.length(1);
    const settings = await w.get(vsd[0]!);
    expect(settings.get('ElementName')).to.equal('2aa53219-4f90-4b60-b3e9-5dd3f9156691');
    expect(settings.get('TrunkedVLANList')).to.deep.equal([]);
  });

  const failures: Array<[string, string, (w: World, sw: InstanceName) => Record<string, unknown>, number]> = [
    ['duplicate switch name', 'CreateSwitch', () => ({ Name: 'S1', FriendlyName: 'again' }), 32773],
    ['duplicate switch name in another case', 'CreateSwitch', () => ({ Name: 's1' }), 32773],
    ['empty switch name', 'CreateSwitch', () => ({ Name: '' }), 32773],
    ['port on an unknown switch', 'CreateSwitchPort', (_w, sw) => ({ VirtualSwitch: InstanceName.of(sw.className, { CreationClassName: 'Msvm_VirtualSwitch', Name: 'nope' }), Name: 'x' }), 32773],
    ['duplicate port name', 'CreateSwitchPort', (_w, sw) => ({ VirtualSwitch: sw, Name: 'P1' }), 32773],
    ['deleting an unknown port', 'DeleteSwitchPort', () => ({ SwitchPort: portText('\\\\.\\', 'S1', 'nope') }), 32773],
    ['deleting an unknown switch', 'DeleteSwitch', () => ({ VirtualSwitch: 'Msvm_VirtualSwitch.CreationClassName="Msvm_VirtualSwitch",Name="zz"' }), 32773],
    ['disconnecting an unconnected port', 'DisconnectSwitchPort', () => ({ SwitchPort: portText('//hv1/', 'S1', 'p1') }), 32775],
    ['bad MAC text', 'CreateInternalEthernetPort', () => ({ Name: 'i1', FriendlyName: 'i1', MACAddress: '00:15:5D:ZZ' }), 32773],
    ['missing MAC', 'CreateInternalEthernetPort', () => ({ Name: 'i1', FriendlyName: 'i1' }), 32773],
    ['binding an unknown NIC', 'BindExternalEthernetPort', () => ({ ExternalEthernetPort: 'Msvm_ExternalEthernetPort.CreationClassName="Msvm_ExternalEthernetPort",DeviceID="{0}",SystemCreationClassName="Msvm_ComputerSystem",SystemName="HV1"' }), 32773],
    ['a REF naming the wrong class', 'DeleteSwitchPort', (_w, sw) => ({ SwitchPort: sw }), 32773],
  ];
  for (const [what, method, params, rc] of failures) {
    it(`${method}: ${what} -> ${rc}`, async () => {
      const sw = (await w.vsms('CreateSwitch', { Name: 'S1', FriendlyName: 'one' })).out.CreatedVirtualSwitch as InstanceName;
      expect((await w.vsms('CreateSwitchPort', { VirtualSwitch: sw, Name: 'p1', FriendlyName: 'p1' })).rv).to.equal(0);
      const r = await w.vsms(method, params(w, sw) as never);
      expect(r.rv).to.equal(rc);
      expect(w.logs.at(-1)).to.match(new RegExp(`^${method} answered ${rc}: .+`));
    });
  }

  it('accepts hand-built port paths in WMI, \\\\.\\, WBEM URI and single-quoted forms', async () => {
    const sw = (await w.vsms('CreateSwitch', { Name: 'S1', FriendlyName: 'one' })).out.CreatedVirtualSwitch as InstanceName;
    const forms = [portText('\\\\HV1\\', 'S1', 'a'), portText('\\\\.\\', 'S1', 'b'), portText('//otherhost/', 'S1', 'c').replace(/\\/g, '/'), portText('', 's1', 'd', "'")];
    for (const [i, f] of forms.entries()) {
      const name = 'abcd'[i]!;
      expect((await w.vsms('CreateSwitchPort', { VirtualSwitch: sw, Name: name })).rv).to.equal(0);
      expect((await w.vsms('DeleteSwitchPort', { SwitchPort: f })).rv, f).to.equal(0);
    }
    expect(await w.enumerate('Msvm_SwitchPort')).to.have.length(0);
  });

  it('internal port: create, connect, ActiveConnection both ways, disconnect, delete', async () => {
    const sw = (await w.vsms('CreateSwitch', { Name: 'S1', FriendlyName: 'one' })).out.CreatedVirtualSwitch as InstanceName;
    const port = (await w.vsms('CreateSwitchPort', { VirtualSwitch: sw, Name: 'p1' })).out.CreatedSwitchPort as InstanceName;
    const ip = await w.vsms('CreateInternalEthernetPort', { Name: 'int1', FriendlyName: 'host nic', MACAddress: '0003FF123456' });
    expect(ip.rv).to.equal(0);
    const ipPath = ip.out.CreatedInternalEthernetPort as InstanceName;
    const ep = await w.associatorNames(ipPath, { ResultClass: 'CIM_LANEndpoint' });
    expect(ep.map((e) => e.className)).to.deep.equal(['Msvm_SwitchLANEndpoint']);
    expect((await w.get(ep[0]!)).get('MACAddress')).to.equal('0003FF123456');
    const c = await w.vsms('ConnectSwitchPort', { SwitchPort: port, LANEndpoint: ep[0]! });
    expect(c.rv).to.equal(0);
    const conns = await w.names('Msvm_ActiveConnection');
    expect(conns.map(String)).to.deep.equal([String(c.out.ActiveConnection)]);
    expect((await w.vsms('ConnectSwitchPort', { SwitchPort: port, LANEndpoint: ep[0]! })).rv).to.equal(32775);
    expect((await w.associatorNames(port, { AssocClass: 'Msvm_ActiveConnection' })).map(String)).to.deep.equal([String(ep[0])]);
    expect((await w.associatorNames(ep[0]!, { AssocClass: 'Msvm_ActiveConnection', ResultRole: 'Antecedent' })).map(String)).to.deep.equal([String(port)]);
    expect((await w.get(ep[0]!)).get('Connected')).to.equal(true);
    expect((await w.vsms('DisconnectSwitchPort', { SwitchPort: port })).rv).to.equal(0);
    expect(await w.names('Msvm_ActiveConnection')).to.have.length(0);
    const dyn = await w.vsms('CreateInternalEthernetPortDynamicMac', { Name: 'int2', FriendlyName: 'dyn' });
    expect(dyn.rv).to.equal(0);
    const mac = (await w.get(dyn.out.CreatedInternalEthernetPort as InstanceName)).get('PermanentAddress') as string;
    const pool = (await w.enumerate('Msvm_VirtualSystemManagementServiceSettingData'))[0]!;
    expect(mac.slice(0, 10)).to.equal((pool.get('MinimumMacAddress') as string).slice(0, 10));
    expect((await w.vsms('DeleteInternalEthernetPort', { InternalEthernetPort: ipPath })).rv).to.equal(0);
    expect((await w.vsms('DeleteInternalEthernetPort', { InternalEthernetPort: ipPath })).rv).to.equal(32773);
    expect((await w.vsms('DeleteSwitch', { VirtualSwitch: sw })).rv).to.equal(0);
    expect(await w.names('Msvm_SwitchPort')).to.have.length(0);
  });

  it('external NIC: bind, its endpoint, unbind; host SystemDevice lists it', async () => {
    const nics = await w.enumerate('Msvm_ExternalEthernetPort');
    expect(nics.map((n) => n.get('ElementName'))).to.deep.equal(['eth9']);
    const nic = nics[0]!.path;
    expect(nics[0]!.get('IsBound')).to.equal(false);
    const host = (await w.query("SELECT * FROM Msvm_ComputerSystem WHERE Caption = 'Hosting Computer System'"))[0]!.path;
    expect((await w.associatorNames(host, { ResultClass: 'Msvm_ExternalEthernetPort' })).map(String)).to.deep.equal([String(nic)]);
    expect((await w.vsms('BindExternalEthernetPort', { ExternalEthernetPort: nic })).rv).to.equal(0);
    expect((await w.get(nic)).get('IsBound')).to.equal(true);
    expect((await w.vsms('BindExternalEthernetPort', { ExternalEthernetPort: nic })).rv).to.equal(32775);
    const ep = await w.associatorNames(nic, { ResultClass: 'CIM_LANEndpoint' });
    expect(ep.map((e) => e.className)).to.deep.equal(['Msvm_SwitchLANEndpoint']);
    expect((await w.vsms('UnbindExternalEthernetPort', { ExternalEthernetPort: nic })).rv).to.equal(0);
    expect((await w.vsms('UnbindExternalEthernetPort', { ExternalEthernetPort: nic })).rv).to.equal(32775);
  });

  it('SetupSwitch and TeardownSwitch run as Msvm_NetworkJob (4096)', async () => {
    const sw = (await w.vsms('CreateSwitch', { Name: 'S1', FriendlyName: 'ext' })).out.CreatedVirtualSwitch as InstanceName;
    const ext = (await w.vsms('CreateSwitchPort', { VirtualSwitch: sw, Name: 'ext' })).out.CreatedSwitchPort as InstanceName;
    const int = (await w.vsms('CreateSwitchPort', { VirtualSwitch: sw, Name: 'int' })).out.CreatedSwitchPort as InstanceName;
    const nic = (await w.names('Msvm_ExternalEthernetPort'))[0]!;
    const r = await w.vsms('SetupSwitch', { ExternalSwitchPort: ext, InternalSwitchPort: int, ExternalEthernetPort: nic, InternalEthernetPortName: 'hostnic', InternalEthernetPortFriendlyName: 'host' });
    expect(r.rv).to.equal(4096);
    expect((r.out.Job as InstanceName).className).to.equal('Msvm_NetworkJob');
    const job = await w.finish(r.out.Job);
    expect([job.get('JobState'), job.get('ErrorCode'), job.get('NetworkJobType')]).to.deep.equal([7, 0, 1]);
    const internal = await w.names('Msvm_InternalEthernetPort');
    expect(job.get('CreatedInternalEthernetPort')).to.equal(internal[0]!.toString());
    expect(await w.names('Msvm_ActiveConnection')).to.have.length(2);
    const t = await w.vsms('TeardownSwitch', { ExternalEthernetPort: nic, InternalEthernetPort: internal[0]! });
    expect(t.rv).to.equal(4096);
    const tj = await w.finish(t.out.Job);
    expect([tj.get('JobState'), tj.get('NetworkJobType')]).to.deep.equal([7, 2]);
    expect(await w.names('Msvm_InternalEthernetPort')).to.have.length(0);
    expect((await w.vsms('SetupSwitch', { ExternalSwitchPort: ext, InternalSwitchPort: int, ExternalEthernetPort: 'Msvm_ExternalEthernetPort.DeviceID="x"' })).rv).to.equal(32773);
  });

  it('VLAN: ModifyInstance of AccessVLAN (as text too), trunk mode and TrunkedVLANList reach the domain', async () => {
    const sw = (await w.vsms('CreateSwitch', { Name: 'S1', FriendlyName: 'one' })).out.CreatedVirtualSwitch as InstanceName;
    const port = (await w.vsms('CreateSwitchPort', { VirtualSwitch: sw, Name: 'p1' })).out.CreatedSwitchPort as InstanceName;
    const settings = (await w.query("SELECT * FROM Msvm_VLANEndpointSettingData WHERE ElementName = 'p1'"))[0]!.path;
    await w.modify(settings, { AccessVLAN: '100' }, ['AccessVLAN']);
    expect(w.net.port('p1')!.vlan.accessVlan).to.equal(100);
    expect((await w.get(settings)).get('AccessVLAN')).to.equal(100);
    await w.modify(settings, { TrunkedVLANList: ['10', '20'], NativeVLAN: '5' }, ['TrunkedVLANList', 'NativeVLAN']);
    expect(w.net.port('p1')!.vlan.trunkedVlanList).to.deep.equal([10, 20]);
    const ep = (await w.associatorNames(port, { ResultClass: 'Msvm_VLANEndpoint' }))[0]!;
    await w.modify(ep, { DesiredEndpointMode: '5' }, ['DesiredEndpointMode']);
    const e = await w.get(ep);
    expect([e.get('DesiredEndpointMode'), e.get('OperationalEndpointMode')]).to.deep.equal([5, 5]);
    expect(w.net.port('p1')!.vlan.desiredEndpointMode).to.equal(5);
    let err: unknown;
    try {
      await w.modify(settings, { AccessVLAN: '5000' }, ['AccessVLAN']);
    } catch (x) {
      err = x;
    }
    expect(err).to.have.property('code', 4);
  });
});
