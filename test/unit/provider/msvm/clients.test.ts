// Client habits from reference 1.1, 1.2 and 10 against the Msvm providers: parameter names in
// any case, GetInstance on RASD Connection[0] text, the association class queried with a
// REF compared to a path string, writable switch-port properties through ModifyInstance.
import { expect } from 'chai';
import { InstanceName } from '../../../../src/cim/path.js';
import { vsgsdText, wmiNicText, World } from './fixture.js';

describe('msvm providers: client habits', () => {
  let w: World;
  before(async () => {
    w = await World.open();
  });
  after(async () => {
    await w.close();
  });

  it('method and parameter names in any case', async () => {
    const r = await w.vsms('createswitch', { name: 'S1', FRIENDLYNAME: 'lab', numlearnableaddresses: '1024', ScopeofResidence: '' });
    expect(r.rv).to.equal(0);
    const sw = (await w.enumerate('MsVM_VirtualSwitch'))[0]!;
    expect([sw.get('ElementName'), sw.get('NumLearnableAddresses')]).to.deep.equal(['lab', 1024]);
    const p = await w.vsms('CreateSwitchPort', { virtualswitch: sw.path.toString(), NAME: 'p1', friendlyName: 'p1' });
    expect(p.rv).to.equal(0);
  });

  it("GetInstance on a RASD's Connection[0] text and its \\\\.\\ and // forms", async () => {
    const port = (await w.names('Msvm_SwitchPort'))[0]!;
    const vm = (await w.vmms('DefineVirtualSystem', { SystemSettingData: vsgsdText('vm'), ResourceSettingData: [wmiNicText('Msvm_SyntheticEthernetPortSettingData', { ElementName: 'n', Connection: [port.toString()] })] })).out.DefinedSystem as InstanceName;
    expect(vm.className).to.equal('Msvm_ComputerSystem');
    const rasd = (await w.query("SELECT * FROM Msvm_SyntheticEthernetPortSettingData WHERE ElementName = 'n'"))[0]!;
    const text = (rasd.get('Connection') as string[])[0]!;
    expect(text.slice(text.indexOf('SystemName="') + 12, text.indexOf('SystemName="') + 14)).to.equal('S1');
    for (const t of [text, text.replace('\\\\HV1\\', '\\\\.\\'), text.replace(/\\/g, '/')]) {
      expect((await w.get(t)).get('Name'), t).to.equal('p1');
    }
  });

  it('SELECT ... FROM MSVM_SettingsDefineCapabilities WHERE ValueRange=0 AND GroupComponent = <path text>', async () => {
    const caps = (await w.query("SELECT * FROM MSVM_AllocationCapabilities WHERE ResourceType = 10 AND ResourceSubType = 'Microsoft Synthetic Ethernet Port'"))[0]!;
    const q = `SELECT * FROM MSVM_SettingsDefineCapabilities WHERE ValueRange=0 AND GroupComponent = '${caps.path.toString().replace(/\\/g, '\\\\').replace(/"/g, '\\"')}'`;
    const hits = await w.query(q);
    expect(hits).to.have.length(1);
    expect(String((hits[0]!.get('PartComponent') as InstanceName).key('InstanceID'))).to.match(/\\Default$/);
  });

  it('writable switch-port properties through ModifyInstance', async () => {
    const port = (await w.names('Msvm_SwitchPort'))[0]!;
    await w.modify(port, { AllowMacSpoofing: 'TRUE', VMQOffloadWeight: '0', ElementName: 'renamed' }, ['AllowMacSpoofing', 'VMQOffloadWeight', 'ElementName']);
    const p = await w.get(port);
    expect([p.get('AllowMacSpoofing'), p.get('VMQOffloadWeight'), p.get('ElementName')]).to.deep.equal([true, 0, 'renamed']);
  });

  it('inherited methods documented "not supported" answer 32770', async () => {
    expect((await w.vsms('StopService')).rv).to.equal(32770);
    expect((await w.vmms('RequestStateChange', { RequestedState: 3 })).rv).to.equal(32770);
  });

  it('external NICs by boolean query forms', async () => {
    for (const q of ['IsBound=FALSE', 'isbound=false', "IsBound = 'FALSE'"]) {
      expect(await w.query(`SELECT * FROM Msvm_ExternalEthernetPort WHERE ${q}`), q).to.have.length(1);
    }
  });

  it('without root (dgram mode) a running NIC device publishes its socket paths', async () => {
    const d = await World.open('dgram');
    try {
      const vm = (await d.vmms('DefineVirtualSystem', { SystemSettingData: vsgsdText('q'), ResourceSettingData: [wmiNicText('Msvm_EmulatedEthernetPortSettingData', { ElementName: 'legacy', Address: '00155D000303', StaticMacAddress: true })] })).out.DefinedSystem as InstanceName;
      await d.finish((await d.invoke(vm, 'RequestStateChange', { RequestedState: 2 })).out.Job);
      const dev = (await d.enumerate('Msvm_EmulatedEthernetPort'))[0]!;
      const info = dev.get('OtherIdentifyingInfo') as string[];
      expect(info.map((i) => i.slice(0, i.indexOf('=')))).to.deep.equal(['socket', 'peer']);
      expect(info[0]!.slice(7).startsWith(d.dirs[0]!)).to.equal(true);
      expect(dev.get('IdentifyingDescriptions')).to.deep.equal(['socket', 'peer']);
    } finally {
      await d.close();
    }
  });
});
