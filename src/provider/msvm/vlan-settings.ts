/**
 * Msvm_VLANEndpointSettingData (reference 3.4): the VLAN settings of one switch port,
 * InstanceID "Microsoft:<port Name>\Root", ElementName the port's Name. ModifyInstance of
 * AccessVLAN (also sent as a string by .NET clients), NativeVLAN, TrunkedVLANList and the
 * other VLAN fields takes effect in the dataplane before the call returns. TrunkedVLANList is
 * never NULL (clients append to it).
 */
import type {
  Msvm_VLANEndpointSettingData as T,
  Msvm_VLANEndpointSettingDataKey as K,
} from '../../generated/root-virtualization/Msvm_VLANEndpointSettingData.js';
import { untypedProvider } from '../../generated/runtime.js';
import { changed, uint, uintArray, vlanSettingsId, type Msvm } from './common.js';
import type { SwitchPort, VlanSettings } from './domain/types.js';
import { writeVlan } from './vlan-endpoint.js';

const CLASS = 'Msvm_VLANEndpointSettingData';

export function vlanSettingsInstance(p: SwitchPort): T {
  const v = p.vlan;
  return {
    InstanceID: vlanSettingsId(p.name),
    ElementName: p.name,
    Caption: 'VLAN Endpoint Settings',
    Description: 'Microsoft Virtual VLAN Endpoint Settings',
    AccessVLAN: v.accessVlan,
    NativeVLAN: v.nativeVlan,
    DefaultVLAN: v.defaultVlan,
    TrunkedVLANList: [...v.trunkedVlanList],
    PruneEligibleVLANList: [...v.pruneEligibleVlanList],
    PrimaryVlan: v.primaryVlan,
    SecondaryVlan: v.secondaryVlan,
    PVlanMode: v.pVlanMode as T["PVlanMode"],
  };
}

/** The port whose settings an InstanceID names ("Microsoft:<port>\Root"). */
export function portOfSettings(m: Msvm, instanceId: string): SwitchPort | undefined {
  const r = /^Microsoft:(.*)\\Root$/i.exec(instanceId);
  const p = r ? m.net.port(r[1]!) : undefined;
  return p && vlanSettingsId(p.name) === instanceId ? p : undefined;
}

const list = (v: unknown, w: string) => uintArray(v, w) ?? [];
const SETTINGS_FIELDS: Record<string, [keyof VlanSettings, (v: unknown, what: string) => unknown]> = {
  AccessVLAN: ['accessVlan', (v, w) => uint(v, w) ?? 0],
  NativeVLAN: ['nativeVlan', (v, w) => uint(v, w) ?? 0],
  DefaultVLAN: ['defaultVlan', (v, w) => uint(v, w)],
  TrunkedVLANList: ['trunkedVlanList', list],
  PruneEligibleVLANList: ['pruneEligibleVlanList', list],
  PrimaryVlan: ['primaryVlan', (v, w) => uint(v, w)],
  SecondaryVlan: ['secondaryVlan', (v, w) => uint(v, w)],
  PVlanMode: ['pVlanMode', (v, w) => uint(v, w, 255)],
};

export function vlanSettingsProvider(m: Msvm) {
  return untypedProvider<T, K>({
    instances: {
      enumerate: () => m.net.ports().map(vlanSettingsInstance),
      get: (k) => {
        const p = portOfSettings(m, k.InstanceID);
        return p ? vlanSettingsInstance(p) : undefined;
      },
      modify: async (k, changes) => {
        const p = portOfSettings(m, k.InstanceID)!;
        await writeVlan(m, p.name, changed(changes), SETTINGS_FIELDS, `modifying ${CLASS} ${k.InstanceID}`);
      },
    },
  });
}
