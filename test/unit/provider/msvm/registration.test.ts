// Registration through registerProviders (the server's composition): the Virtual Networking
// profile in root/interop conforming to the switch management service; and the same paths
// after the domain is closed and reopened over its state dir (restart).
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InstanceName } from '../../../../src/cim/path.js';
import { createCimom } from '../../../../src/cimom/index.js';
import { decodeEmbeddedObject } from '../../../../src/cimxml/decode-object.js';
import { loadRepository } from '../../../../src/generated/load.js';
import { registerProviders } from '../../../../src/provider/index.js';
import { VirtualNetwork } from '../../../../src/provider/msvm/domain/index.js';
import { registerMsvmProviders } from '../../../../src/provider/msvm/index.js';
import { openDatabase } from '../../../../src/store/db.js';
import { HOST, RC, wmiNicText, World } from './fixture.js';

describe('msvm providers: registration and restart', () => {
  it('registers the Virtual Networking profile conforming to the switch service', async () => {
    const w = await World.open();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msvm-reg-'));
    const db = openDatabase(dir);
    const repository = loadRepository();
    const cimom = createCimom({ repository, decodeEmbedded: decodeEmbeddedObject });
    try {
      registerProviders({ registry: cimom.registry, repository, db, msvm: { network: w.net } });
      const profiles = [...(await cimom.intrinsic('EnumerateInstances', 'root/interop', {
        ClassName: 'CIM_RegisteredProfile', LocalOnly: false, DeepInheritance: true, IncludeQualifiers: false, IncludeClassOrigin: false, PropertyList: null,
      }, RC))];
      const vn = profiles.find((p) => p.get('RegisteredName') === 'Virtual Networking');
      expect(vn?.get('OtherRegisteredOrganization')).to.equal('Microsoft');
      const central = [...(await cimom.intrinsic('AssociatorNames', 'root/interop', {
        ObjectName: vn!.path, AssocClass: 'CIM_ElementConformsToProfile', ResultClass: null, Role: null, ResultRole: null,
      }, RC))] as InstanceName[];
      const svc = (await w.names('Msvm_VirtualSwitchManagementService'))[0]!;
      expect(central.map((c) => c.toString())).to.deep.equal([svc.toString()]);
      const svcs = await cimom.intrinsic('EnumerateInstanceNames', 'root/virtualization', { ClassName: 'Msvm_VirtualSwitchManagementService' }, RC);
      expect([...svcs].map(String)).to.deep.equal([svc.toString()]);
    } finally {
      cimom.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
      await w.close();
    }
  });

  it('after a restart every object shows the same path, running VMs come back running', async () => {
    const w = await World.open();
    try {
      const sw = (await w.vsms('CreateSwitch', { Name: 'S1', FriendlyName: 'lab' })).out.CreatedVirtualSwitch as InstanceName;
      const p1 = (await w.vsms('CreateSwitchPort', { VirtualSwitch: sw, Name: 'p1' })).out.CreatedSwitchPort as InstanceName;
      const def = await w.vmms('DefineVirtualSystem', {
        SystemSettingData: '<INSTANCE CLASSNAME="Msvm_VirtualSystemGlobalSettingData"><PROPERTY NAME="ElementName" TYPE="string"><VALUE>vm1</VALUE></PROPERTY></INSTANCE>',
        ResourceSettingData: [wmiNicText('Msvm_SyntheticEthernetPortSettingData', { ElementName: 'n', StaticMacAddress: false, Connection: [p1.toString()] })],
      });
      const vm = def.out.DefinedSystem as InstanceName;
      await w.finish((await w.invoke(vm, 'RequestStateChange', { RequestedState: 2 })).out.Job);
      const classes = ['Msvm_ComputerSystem', 'Msvm_VirtualSwitch', 'Msvm_SwitchPort', 'Msvm_SyntheticEthernetPortSettingData', 'Msvm_VmLANEndpoint', 'Msvm_ActiveConnection', 'Msvm_SyntheticEthernetPort'];
      const snap = async () => {
        const out: string[] = [];
        for (const c of classes) out.push(...(await w.enumerate(c)).map((i) => i.path.toString() + ' ' + String(i.get('Address') ?? '')));
        return out;
      };
      const before = await snap();
      expect(before.some((l) => l.startsWith('\\\\HV1\\root\\virtualization:Msvm_ActiveConnection'))).to.equal(true);
      const opts = { stateDir: w.dirs[0]!, dataplane: 'none' as const, vmMode: 'netns' as const, hostName: HOST, machineId: 'msvm-test', sysClassNet: w.dirs[1]! };
      await w.net.close();
      w.net = await VirtualNetwork.open(opts);
      w.cimom = createCimom({ repository: loadRepository(), decodeEmbedded: decodeEmbeddedObject });
      registerMsvmProviders(w.cimom.registry, { network: w.net });
      expect(await snap()).to.deep.equal(before);
    } finally {
      await w.close();
    }
  });
});
