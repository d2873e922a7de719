/**
 * SetupSwitch and TeardownSwitch (reference §2.1) as pure mutations of a State copy, built
 * from the single-step rules: setup binds the external NIC, creates the internal port from the
 * pool and connects both to the two given ports of one switch; teardown deletes the internal
 * port and unbinds the NIC, which must be attached to the same switch.
 */
import * as sw from './rules-switch.js';
import { externalEndpointName, internalEndpointName, key, type State } from './state.js';
import { DomainError, RC, type ExternalNic, type InternalPort } from './types.js';

export interface SetupArgs {
  externalPort: string;
  internalPort: string;
  externalNic: string;
  internalName: string;
  internalFriendlyName?: string;
}

export function setupSwitch(s: State, a: SetupArgs, present: ExternalNic[], env: sw.SwitchEnv): InternalPort {
  const ext = sw.getPort(s, a.externalPort);
  const int = sw.getPort(s, a.internalPort);
  if (key(ext.switchName) !== key(int.switchName)) throw new DomainError(RC.INVALID_PARAMETER, 'ExternalSwitchPort and InternalSwitchPort must belong to the same switch');
  sw.bindExternal(s, a.externalNic, present);
  const deviceId = [...s.bindings.keys()].find((d) => key(d) === key(a.externalNic))!;
  const ip = sw.createInternalPort(s, { name: a.internalName, friendlyName: a.internalFriendlyName ?? a.internalName, mac: null }, env);
  sw.connect(s, ext.name, externalEndpointName(deviceId), env);
  sw.connect(s, int.name, internalEndpointName(ip), env);
  return ip;
}

function switchOfEndpoint(s: State, endpoint: string): string {
  const pk = [...s.links].find(([, e]) => key(e) === key(endpoint))?.[0];
  return pk === undefined ? '' : (s.ports.get(pk)?.switchName ?? '');
}

/** Returns the name of the switch the NIC was attached to ('' when none). */
export function teardownSwitch(s: State, a: { externalNic: string; internalPort?: string | null }, present: ExternalNic[]): string {
  const deviceId = [...s.bindings.keys()].find((d) => key(d) === key(String(a.externalNic ?? '')));
  if (deviceId === undefined) {
    if (present.some((n) => key(n.deviceId) === key(String(a.externalNic)))) throw new DomainError(RC.INVALID_STATE, `external ethernet port ${a.externalNic} is not bound`);
    throw new DomainError(RC.INVALID_PARAMETER, `no external ethernet port ${JSON.stringify(a.externalNic)}`);
  }
  const switchName = switchOfEndpoint(s, externalEndpointName(deviceId));
  if (a.internalPort) {
    const ip = sw.getInternal(s, a.internalPort);
    if (key(switchOfEndpoint(s, internalEndpointName(ip))) !== key(switchName))
      throw new DomainError(RC.INVALID_PARAMETER, 'the internal and external ethernet ports are not attached to the same switch');
    sw.deleteInternalPort(s, ip.name);
  }
  sw.unbindExternal(s, deviceId, present);
  return switchName;
}
