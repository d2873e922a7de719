/**
 * Msvm_SyntheticEthernetPort / Msvm_EmulatedEthernetPort (reference 4.7): the NIC devices of
 * running VMs (gone while off or saved). SystemName is the VM GUID, DeviceID derived from the
 * NIC's device GUID; ElementName mirrors the RASD. Where the VM's NIC is reachable from Linux
 * (namespace + interface, or a datagram socket) is published in OtherIdentifyingInfo as
 * "netns=...", "ifname=..." (root) or "socket=..." (the switch's socket, QEMU remote.path) and
 * "peer=..." (where the VM binds, QEMU local.path) so a QEMU VM or a script can attach.
 */
import type { Msvm_SyntheticEthernetPort as Device } from '../../generated/root-virtualization/Msvm_SyntheticEthernetPort.js';
import type { ProviderContext } from '../../generated/runtime.js';
import { toInstance } from '../../generated/runtime.js';
import { CS, DEVICE_CLASS, deviceId, type Msvm } from './common.js';
import type { Nic, NicKind, NicRuntime } from './domain/types.js';

export interface RunningNic {
  nic: Nic;
  rt: NicRuntime;
}

/** NICs of running VMs (those with runtime facts), optionally of one kind. */
export function runningNics(m: Msvm, kind?: NicKind): RunningNic[] {
  const out: RunningNic[] = [];
  for (const vm of m.net.vms()) {
    for (const nic of vm.nics) {
      if (kind && nic.kind !== kind) continue;
      const rt = m.net.nicRuntime(nic.instanceId);
      if (rt) out.push({ nic, rt });
    }
  }
  return out;
}

/** Both device classes have the same properties (CIM_EthernetPort's); one typed shape serves them. */
export function deviceObject(r: RunningNic): Device {
  const { nic, rt } = r;
  const where = [
    rt.netns && `netns=${rt.netns}`,
    rt.nsIfname && `ifname=${rt.nsIfname}`,
    rt.socketPath && `socket=${rt.socketPath}`,
    rt.peerSocketPath && `peer=${rt.peerSocketPath}`,
  ].filter(
    (x): x is string => !!x,
  );
  const synthetic = nic.kind === 'synthetic';
  return {
    CreationClassName: DEVICE_CLASS[nic.kind],
    DeviceID: deviceId(nic),
    SystemCreationClassName: CS,
    SystemName: nic.vmGuid,
    Name: 'Ethernet Port',
    ElementName: nic.elementName,
    Caption: 'Ethernet Port',
    Description: synthetic ? 'Microsoft Synthetic Ethernet Port' : 'Microsoft Emulated Ethernet Port',
    PermanentAddress: nic.address,
    NetworkAddresses: [nic.address],
    PortNumber: synthetic ? 0 : 1, // reference 4.7 (per class, as recorded)
    Speed: 1000000000n,
    MaxSpeed: 1000000000n,
    RequestedSpeed: 1000000000n,
    SupportedMaximumTransmissionUnit: 1500n,
    ActiveMaximumTransmissionUnit: 1500n,
    MaxDataSize: 1500,
    LinkTechnology: 2,
    PortType: 1,
    OtherPortType: 'Virtual Ethernet',
    FullDuplex: true,
    AutoSense: true,
    AdditionalAvailability: [6],
    UsageRestriction: 4,
    LocationIndicator: 4,
    EnabledState: 2,
    RequestedState: 12,
    EnabledDefault: 2,
    HealthState: 5,
    OperationalStatus: [2],
    OtherIdentifyingInfo: where,
    IdentifyingDescriptions: where.map((w) => w.slice(0, w.indexOf('='))),
  };
}

function objects(m: Msvm, kind: NicKind): Device[] {
  return runningNics(m, kind).map(deviceObject);
}

/** The instance provider of one NIC device class. */
export function nicDeviceInstances(m: Msvm, kind: NicKind) {
  return {
    enumerateInstances: (ctx: ProviderContext) => objects(m, kind).map((o) => toInstance(ctx.cls, o)),
  };
}

export const syntheticPortProvider = (m: Msvm) => nicDeviceInstances(m, 'synthetic');
export const emulatedPortProvider = (m: Msvm) => nicDeviceInstances(m, 'emulated');
