/**
 * Msvm_VirtualSwitchManagementService ("nvspwmi", reference 2.1): the singleton instance and
 * its thirteen methods. Each method reads its REF parameters (InstanceName or hand-built
 * text), hands names to the domain and answers 0 (or 4096 + Msvm_NetworkJob for SetupSwitch /
 * TeardownSwitch, reference 1.4); a rule the domain enforces answers its 327xx code.
 * OUT paths come from the same Paths builders the enumerations use.
 */
import { ciEq } from '../../cim/names.js';
import type { InstanceName } from '../../cim/path.js';
import type {
  Msvm_VirtualSwitchManagementService as T,
  Msvm_VirtualSwitchManagementServiceInstanceProvider,
  Msvm_VirtualSwitchManagementServiceKey,
  Msvm_VirtualSwitchManagementServiceMethods,
} from '../../generated/root-virtualization/Msvm_VirtualSwitchManagementService.js';
import type { MethodContext } from '../../generated/runtime.js';
import { untypedProvider } from '../../generated/runtime.js';
import {
  answer, answerJob, CS, invalid, notSupported, NA_STATE, OK_STATUS, paths, PORT, portByRef, refKey, refParam, VSMS, VSMS_NAME, VSWITCH,
  type Msvm,
} from './common.js';
import type { SwitchPort } from './domain/types.js';

function instance(m: Msvm): T {
  return {
    CreationClassName: VSMS,
    Name: VSMS_NAME,
    SystemCreationClassName: CS,
    SystemName: m.net.host().name,
    Caption: 'Hyper-V Networking Management Service',
    Description: 'Provides Hyper-V Networking WMI management',
    ElementName: 'Hyper-V Networking Management Service',
    ...OK_STATUS,
    ...NA_STATE,
    StartMode: 'Automatic',
    Started: true,
  };
}

function instances(m: Msvm): Msvm_VirtualSwitchManagementServiceInstanceProvider {
  return {
    enumerate: () => [instance(m)],
    get: (k: Msvm_VirtualSwitchManagementServiceKey) => {
      const i = instance(m);
      return ciEq(k.Name, i.Name) && ciEq(k.SystemName, i.SystemName) ? i : undefined;
    },
  };
}

/** The switch a REF names (Name key of an Msvm_VirtualSwitch). */
export function switchOf(m: Msvm, v: unknown, what: string): string {
  const name = refKey(refParam(v, what), 'Name', what, [VSWITCH, 'CIM_ComputerSystem', 'CIM_System']);
  return m.net.switch(name)?.name ?? invalid(`${what}: no virtual switch named ${JSON.stringify(name)}`);
}

/** The port a REF names (Name and, when given, SystemName keys). */
export function portOf(m: Msvm, v: unknown, what: string): SwitchPort {
  const ref = refParam(v, what);
  refKey(ref, 'Name', what, [PORT, 'CIM_SwitchPort']);
  return portByRef(m, ref) ?? invalid(`${what}: no switch port ${ref.toString('wmi')}`);
}

/** The LAN endpoint Name a REF names (switch or VM LAN endpoint). */
function endpointOf(m: Msvm, v: unknown, what: string): string {
  const ref = refParam(v, what);
  const name = refKey(ref, 'Name', what, ['Msvm_SwitchLANEndpoint', 'Msvm_VmLANEndpoint', 'CIM_LANEndpoint']);
  return m.net.endpoint(name)?.name ?? invalid(`${what}: no LAN endpoint named ${JSON.stringify(name)}`);
}

/** The internal port (domain name) a REF names by DeviceID. */
function internalOf(m: Msvm, v: unknown, what: string): string {
  const id = refKey(refParam(v, what), 'DeviceID', what, ['Msvm_InternalEthernetPort', 'CIM_EthernetPort']);
  const p = m.net.internalPorts().find((i) => ciEq(i.deviceId, id));
  return p?.name ?? invalid(`${what}: no internal ethernet port with DeviceID ${JSON.stringify(id)}`);
}

/** The external NIC deviceId a REF names. */
function externalOf(m: Msvm, v: unknown, what: string): string {
  const id = refKey(refParam(v, what), 'DeviceID', what, ['Msvm_ExternalEthernetPort', 'CIM_EthernetPort']);
  return m.net.externalNic(id)?.deviceId ?? invalid(`${what}: no external ethernet port with DeviceID ${JSON.stringify(id)}`);
}

function connectionName(m: Msvm, ctx: MethodContext, portName: string, endpointName: string): InstanceName {
  const P = paths(m, ctx);
  return P.assoc('Msvm_ActiveConnection', { Antecedent: P.port(m.net.port(portName)!), Dependent: P.endpoint(m.net.endpoint(endpointName)!) });
}

function methods(m: Msvm): Msvm_VirtualSwitchManagementServiceMethods {
  const P = (ctx: MethodContext) => paths(m, ctx);
  return {
    RequestStateChange: notSupported,
    StartService: notSupported,
    StopService: notSupported,
    CreateSwitch: (p, ctx) =>
      answer(m, 'CreateSwitch', async () => {
        const sw = await m.net.createSwitch({
          name: p.Name as string, friendlyName: p.FriendlyName ?? undefined,
          numLearnableAddresses: p.NumLearnableAddresses ?? undefined, scopeOfResidence: p.ScopeOfResidence ?? undefined,
        });
        return { CreatedVirtualSwitch: P(ctx).vswitch(sw.name) };
      }),
    DeleteSwitch: (p) => answer(m, 'DeleteSwitch', async () => (await m.net.deleteSwitch(switchOf(m, p.VirtualSwitch, 'VirtualSwitch')), {})),
    CreateSwitchPort: (p, ctx) =>
      answer(m, 'CreateSwitchPort', async () => {
        const port = await m.net.createPort({
          switchName: switchOf(m, p.VirtualSwitch, 'VirtualSwitch'), name: p.Name as string,
          friendlyName: p.FriendlyName ?? undefined, scopeOfResidence: p.ScopeOfResidence ?? undefined,
        });
        return { CreatedSwitchPort: P(ctx).port(port) };
      }),
    DeleteSwitchPort: (p) => answer(m, 'DeleteSwitchPort', async () => (await m.net.deletePort(portOf(m, p.SwitchPort, 'SwitchPort').name), {})),
    ConnectSwitchPort: (p, ctx) =>
      answer(m, 'ConnectSwitchPort', async () => {
        const port = portOf(m, p.SwitchPort, 'SwitchPort');
        const c = await m.net.connect(port.name, endpointOf(m, p.LANEndpoint, 'LANEndpoint'));
        return { ActiveConnection: connectionName(m, ctx, c.portName, c.endpointName) };
      }),
    DisconnectSwitchPort: (p) =>
      answer(m, 'DisconnectSwitchPort', async () => (await m.net.disconnect(portOf(m, p.SwitchPort, 'SwitchPort').name), {})),
    CreateInternalEthernetPort: (p, ctx) =>
      answer(m, 'CreateInternalEthernetPort', async () => {
        if (p.MACAddress === null || p.MACAddress === undefined) invalid('MACAddress is required');
        const ip = await m.net.createInternalPort({ name: p.Name as string, friendlyName: p.FriendlyName ?? undefined, mac: p.MACAddress });
        return { CreatedInternalEthernetPort: P(ctx).internalPort(ip.deviceId) };
      }),
    CreateInternalEthernetPortDynamicMac: (p, ctx) =>
      answer(m, 'CreateInternalEthernetPortDynamicMac', async () => {
        const ip = await m.net.createInternalPort({ name: p.Name as string, friendlyName: p.FriendlyName ?? undefined, mac: null });
        return { CreatedInternalEthernetPort: P(ctx).internalPort(ip.deviceId) };
      }),
    DeleteInternalEthernetPort: (p) =>
      answer(m, 'DeleteInternalEthernetPort', async () => (await m.net.deleteInternalPort(internalOf(m, p.InternalEthernetPort, 'InternalEthernetPort')), {})),
    BindExternalEthernetPort: (p) =>
      answer(m, 'BindExternalEthernetPort', async () => (await m.net.bindExternal(externalOf(m, p.ExternalEthernetPort, 'ExternalEthernetPort')), {})),
    UnbindExternalEthernetPort: (p) =>
      answer(m, 'UnbindExternalEthernetPort', async () => (await m.net.unbindExternal(externalOf(m, p.ExternalEthernetPort, 'ExternalEthernetPort')), {})),
    SetupSwitch: (p, ctx) =>
      answerJob(m, 'SetupSwitch', () => {
        const job = m.net.setupSwitch({
          externalPort: portOf(m, p.ExternalSwitchPort, 'ExternalSwitchPort').name,
          internalPort: portOf(m, p.InternalSwitchPort, 'InternalSwitchPort').name,
          externalNic: externalOf(m, p.ExternalEthernetPort, 'ExternalEthernetPort'),
          internalName: p.InternalEthernetPortName as string,
          internalFriendlyName: p.InternalEthernetPortFriendlyName ?? undefined,
        });
        return { Job: P(ctx).job(job) };
      }),
    TeardownSwitch: (p, ctx) =>
      answerJob(m, 'TeardownSwitch', () => {
        const internal = p.InternalEthernetPort == null ? null : internalOf(m, p.InternalEthernetPort, 'InternalEthernetPort');
        const job = m.net.teardownSwitch({ externalNic: externalOf(m, p.ExternalEthernetPort, 'ExternalEthernetPort'), internalPort: internal });
        return { Job: P(ctx).job(job) };
      }),
  };
}

export function switchServiceProvider(m: Msvm) {
  return untypedProvider<T, Msvm_VirtualSwitchManagementServiceKey>({ instances: instances(m), methods: methods(m) });
}
