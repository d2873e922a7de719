/**
 * Msvm vocabulary for the acceptance suite, spoken only through wbemcli (test/helpers/wbemcli.ts):
 * the two management services, port and VM paths, VM definition with a synthetic NIC, power
 * changes that wait for their job, and the kernel-side checks (a VM's namespace, pings).
 */
import { expect } from 'chai';
import os from 'node:os';
import { ping, run, waitFor } from '../../helpers/netns.js';
import { embeddedInstance, parsePath, type MethodResult, type Param, type Wbemcli } from '../../helpers/wbemcli.js';

export const VSMS = 'Msvm_VirtualSwitchManagementService';
export const VMMS = 'Msvm_VirtualSystemManagementService';
/** Reference 1.3 return values. */
export const RC = { OK: 0, JOB: 4096, FAILED: 32768, INVALID_PARAMETER: 32773, INVALID_STATE: 32775 } as const;

export const switchPath = (name: string): string => `Msvm_VirtualSwitch.CreationClassName="Msvm_VirtualSwitch",Name="${name}"`;
export const portPath = (sw: string, name: string): string =>
  `Msvm_SwitchPort.CreationClassName="Msvm_SwitchPort",Name="${name}",SystemCreationClassName="Msvm_VirtualSwitch",SystemName="${sw}"`;
/** The WMI text form a client writes into a NIC's Connection (reference 1.1), host prefix as clients build it. */
export const portConnection = (sw: string, name: string): string => `\\\\${os.hostname()}\\root\\virtualization:${portPath(sw, name)}`;

export interface TestVm {
  name: string;
  path: string;
  guid: string;
  /** Path of the NIC's RASD (Msvm_SyntheticEthernetPortSettingData). */
  nic: string;
  /** The VM's network namespace. */
  ns: string;
}

export class Msvm {
  constructor(readonly w: Wbemcli) {}

  async service(cls: typeof VSMS | typeof VMMS): Promise<string> {
    const names = await this.w.names(cls);
    expect(names, cls).to.have.length(1);
    return names[0]!;
  }

  /** A switch-service method; expects `expectRv` (default 0). */
  async vsms(method: string, params: Record<string, Param>, expectRv: number = RC.OK): Promise<MethodResult> {
    const r = await this.w.invoke(await this.service(VSMS), method, params);
    expect(r.rv, `${method}: ${r.raw}`).to.equal(expectRv);
    return r;
  }

  async vmms(method: string, params: Record<string, Param>, o: { xml?: boolean } = {}): Promise<MethodResult> {
    return this.w.invoke(await this.service(VMMS), method, params, o);
  }

  async createSwitch(name: string): Promise<string> {
    const r = await this.vsms('CreateSwitch', { Name: name, FriendlyName: name, NumLearnableAddresses: 1024, ScopeOfResidence: '' });
    return r.out.CreatedVirtualSwitch as string;
  }

  async createPort(sw: string, name: string): Promise<string> {
    const r = await this.vsms('CreateSwitchPort', { Name: name, FriendlyName: name, ScopeOfResidence: '', VirtualSwitch: { ref: switchPath(sw) } });
    expect(r.out.CreatedSwitchPort).to.equal(portPath(sw, name));
    return r.out.CreatedSwitchPort as string;
  }

  /** DefineVirtualSystem (embedded VSGSD) + AddVirtualSystemResources (embedded SEPSD naming `port`). */
  async defineVm(name: string, sw: string, port: string, mac?: string): Promise<TestVm> {
    const d = await this.vmms('DefineVirtualSystem', { SystemSettingData: embeddedInstance('Msvm_VirtualSystemGlobalSettingData', { ElementName: name }) });
    expect(d.rv, d.raw).to.equal(RC.OK);
    const path = d.out.DefinedSystem as string;
    const guid = parsePath(path).keys.Name!;
    const nicProps = {
      ElementName: `${name} nic`, Connection: [portConnection(sw, port)], StaticMacAddress: mac !== undefined,
      ...(mac ? { Address: mac } : {}),
    };
    const a = await this.vmms('AddVirtualSystemResources', {
      ResourceSettingData: embeddedInstance('Msvm_SyntheticEthernetPortSettingData', nicProps), TargetSystem: { ref: path },
    }, { xml: true });
    expect(a.rv, a.raw).to.equal(RC.OK);
    const nics = a.out.NewResources as string[];
    expect(nics).to.have.length(1);
    return { name, path, guid, nic: nics[0]!, ns: `cimswitch-${guid}` };
  }

  /** RequestStateChange, then polls the job (GetInstance) until it is no longer 3/4; expects JobState 7. */
  async power(vm: TestVm, state: number): Promise<void> {
    const r = await this.w.invoke(vm.path, 'RequestStateChange', { RequestedState: state });
    expect([RC.OK, RC.JOB], r.raw).to.include(r.rv);
    if (r.rv === RC.JOB) await this.finish(r.out.Job as string);
    const cs = await this.w.get(vm.path, ['EnabledState']);
    expect(cs.props.EnabledState, `${vm.name} EnabledState`).to.equal(state);
  }

  /** Waits until a job has finished and expects it Completed (7) with ErrorCode 0. */
  async finish(job: string): Promise<void> {
    const done = await waitFor(`job ${job}`, async () => {
      const j = await this.w.get(job, ['JobState', 'ErrorCode', 'ErrorDescription']);
      return j.props.JobState !== 3 && j.props.JobState !== 4 ? j : undefined;
    }, { timeoutMs: 30_000, intervalMs: 50 });
    expect([done.props.JobState, done.props.ErrorCode, done.props.ErrorDescription], job).to.deep.equal([7, 0, done.props.ErrorDescription]);
  }
}

/** Pings until one reply comes back (the switch may still be learning). */
export async function reachable(ns: string | undefined, dst: string, iface?: string): Promise<void> {
  await waitFor(`${ns ?? 'host'} to reach ${dst}`, async () => (await ping(ns, dst, { count: 1, waitS: 1, ...(iface ? { iface } : {}) })).received === 1, { timeoutMs: 10_000 });
}

/** True when three pings get no reply at all. */
export async function unreachable(ns: string, dst: string): Promise<boolean> {
  return (await ping(ns, dst, { count: 3, intervalS: 0.2, waitS: 1 })).received === 0;
}

export async function namespaces(): Promise<string[]> {
  return (await run('ip', ['netns', 'list'])).stdout.split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
}

export async function linksWithPrefix(prefix: string): Promise<string[]> {
  const links = JSON.parse((await run('ip', ['-j', 'link', 'show'])).stdout) as Array<{ ifname: string }>;
  return links.map((l) => l.ifname).filter((n) => n.startsWith(prefix));
}
