/**
 * Msvm_VirtualSystemManagementService ("vmms", reference 2.2): the singleton and the
 * NIC-relevant methods. As on the recorded host (reference 1.4): DefineVirtualSystem,
 * Add/Modify/RemoveVirtualSystemResources, ModifyVirtualSystem and ModifyServiceSettings
 * answer 0 with a NULL Job; DestroyVirtualSystem answers 4096 with an Msvm_ConcreteJob.
 */
import { CIMInstance } from '../../cim/instance.js';
import { ciEq } from '../../cim/names.js';
import type {
  Msvm_VirtualSystemManagementService as T,
  Msvm_VirtualSystemManagementServiceKey as K,
  Msvm_VirtualSystemManagementServiceMethods,
} from '../../generated/root-virtualization/Msvm_VirtualSystemManagementService.js';
import type { MethodContext } from '../../generated/runtime.js';
import { toInstance, untypedProvider } from '../../generated/runtime.js';
import { answer, answerJob, CS, embedded, invalid, notSupported, paths, prop, refKey, refParam, str, timestamp, VSYSMS, VSYSMS_NAME, type Msvm } from './common.js';
import type { Vm } from './domain/types.js';
import { nicChange, nicInput, vmInput } from './vm-input.js';

function instance(m: Msvm): T {
  return {
    CreationClassName: VSYSMS,
    Name: VSYSMS_NAME,
    SystemCreationClassName: CS,
    SystemName: m.net.host().name,
    Caption: 'Virtual System Management Service',
    ElementName: 'Virtual System Management Service',
    Description: 'Service for creating, manipulating, and managing virtual systems',
    OperationalStatus: [2],
    StatusDescriptions: ['The service is running normally'],
    HealthState: 5,
    EnabledState: 2,
    RequestedState: 12,
    EnabledDefault: 2,
    StartMode: 'Automatic',
    Started: true,
  };
}

/** The VM a REF names (Msvm_ComputerSystem with a VM GUID Name); 32773 when unknown or the host. */
export function vmOf(m: Msvm, v: unknown, what: string): Vm {
  const name = refKey(refParam(v, what), 'Name', what, [CS, 'CIM_ComputerSystem', 'CIM_System']);
  return m.net.vm(name) ?? invalid(`${what}: no virtual machine named ${JSON.stringify(name)}`);
}

/** The NIC InstanceID a RASD REF names. */
function rasdIdOf(v: unknown, what: string): string {
  const ref = refParam(v, what);
  const id = ref.key('InstanceID');
  if (typeof id !== 'string' || id === '') return invalid(`${what} lacks key InstanceID`);
  return id;
}

function list<V>(v: V[] | null | undefined): V[] {
  return (v ?? []).filter((x): x is V => x !== null && x !== undefined);
}

/** GetSummaryInformation (reference 2.2): codes 0 name, 1 element name, 2 creation time, 3 notes, 100 state, 101/102 health/status, 103 memory, 105 uptime. */
function summary(m: Msvm, ctx: MethodContext, vm: Vm, requested: number[]): CIMInstance {
  const cls = ctx.repository.getClass(ctx.namespace, 'Msvm_SummaryInformation')!;
  const running = vm.enabledState === 2;
  const all: Record<number, Record<string, unknown>> = {
    0: { Name: vm.guid },
    1: { ElementName: vm.elementName },
    2: { CreationTime: timestamp(vm.creationTime) },
    3: { Notes: vm.notes },
    4: { NumberOfProcessors: 1 },
    100: { EnabledState: vm.enabledState },
    101: { HealthState: 5 },
    102: { OperationalStatus: [2] },
    103: { MemoryUsage: 0n },
    105: { UpTime: BigInt(running ? Math.max(0, m.now() - vm.timeOfLastStateChange) : 0) },
  };
  const obj: Record<string, unknown> = { Name: vm.guid, ElementName: vm.elementName };
  for (const r of requested.length ? requested : Object.keys(all).map(Number)) Object.assign(obj, all[r] ?? {});
  return toInstance(cls, obj);
}

function methods(m: Msvm): Msvm_VirtualSystemManagementServiceMethods {
  return {
    RequestStateChange: notSupported,
    StartService: notSupported,
    StopService: notSupported,
    DefineVirtualSystem: (p, ctx) =>
      answer(m, 'DefineVirtualSystem', async () => {
        if (p.SourceSetting) invalid('SourceSetting (defining from a template) is not supported');
        const input = p.SystemSettingData == null ? {} : vmInput(m, ctx, p.SystemSettingData, 'SystemSettingData');
        const nics = list(p.ResourceSettingData).map((r, i) => nicInput(m, ctx, r, `ResourceSettingData[${i}]`));
        const vm = await m.net.defineVm(input, nics);
        return { DefinedSystem: paths(m, ctx).vm(vm.guid), Job: null };
      }),
    DestroyVirtualSystem: (p, ctx) =>
      answerJob(m, 'DestroyVirtualSystem', () => ({ Job: paths(m, ctx).job(m.net.destroyVm(vmOf(m, p.ComputerSystem, 'ComputerSystem').guid)) })),
    AddVirtualSystemResources: (p, ctx) =>
      answer(m, 'AddVirtualSystemResources', async () => {
        const vm = vmOf(m, p.TargetSystem, 'TargetSystem');
        const rasds = list(p.ResourceSettingData);
        if (rasds.length === 0) invalid('ResourceSettingData is empty');
        const added = await m.net.addNics(vm.guid, rasds.map((r, i) => nicInput(m, ctx, r, `ResourceSettingData[${i}]`)));
        return { NewResources: added.map((n) => paths(m, ctx).rasd(n)), Job: null };
      }),
    ModifyVirtualSystemResources: (p, ctx) =>
      answer(m, 'ModifyVirtualSystemResources', async () => {
        const vm = vmOf(m, p.ComputerSystem, 'ComputerSystem');
        const changes = list(p.ResourceSettingData).map((r, i) => nicChange(m, ctx, r, `ResourceSettingData[${i}]`));
        if (changes.length === 0) invalid('ResourceSettingData is empty');
        for (const c of changes) if (!vm.nics.some((n) => n.instanceId === c.instanceId)) invalid(`VM ${vm.guid} has no NIC ${c.instanceId}`);
        await m.net.modifyNics(vm.guid, changes);
        return { Job: null };
      }),
    RemoveVirtualSystemResources: (p) =>
      answer(m, 'RemoveVirtualSystemResources', async () => {
        const vm = vmOf(m, p.TargetSystem, 'TargetSystem');
        const ids = list(p.ResourceSettingData).map((r, i) => rasdIdOf(r, `ResourceSettingData[${i}]`));
        if (ids.length === 0) invalid('ResourceSettingData is empty');
        for (const id of ids) if (!vm.nics.some((n) => n.instanceId === id)) invalid(`VM ${vm.guid} has no NIC ${id}`);
        await m.net.removeNics(vm.guid, ids);
        return { Job: null };
      }),
    ModifyVirtualSystem: (p, ctx) =>
      answer(m, 'ModifyVirtualSystem', async () => {
        const vm = vmOf(m, p.ComputerSystem, 'ComputerSystem');
        await m.net.modifyVm(vm.guid, vmInput(m, ctx, p.SystemSettingData, 'SystemSettingData'));
        return { ModifiedSettingData: paths(m, ctx).vssd(vm.guid), Job: null };
      }),
    ModifyServiceSettings: (p) =>
      answer(m, 'ModifyServiceSettings', async () => {
        const inst = embedded(m, p.SettingData, 'SettingData');
        const cur = m.net.host().macPool;
        const min = str(prop(inst, 'MinimumMacAddress')) ?? cur.min;
        const max = str(prop(inst, 'MaximumMacAddress')) ?? cur.max;
        await m.net.setMacPool({ min, max });
        return { Job: null };
      }),
    GetSummaryInformation: (p, ctx) =>
      answer(m, 'GetSummaryInformation', () => {
        const requested = list(p.RequestedInformation).map(Number);
        const vms = list(p.SettingData).map((s, i) => {
          const id = refParam(s, `SettingData[${i}]`).key('InstanceID');
          const guid = typeof id === 'string' ? id.replace(/^Microsoft:/i, '') : '';
          return m.net.vm(guid) ?? invalid(`SettingData[${i}] names no virtual machine settings`);
        });
        const chosen = vms.length ? vms : m.net.vms();
        return { SummaryInformation: chosen.map((vm) => summary(m, ctx, vm, requested)) };
      }),
  };
}

export function systemServiceProvider(m: Msvm) {
  return untypedProvider<T, K>({
    instances: {
      enumerate: () => [instance(m)],
      get: (k) => (ciEq(k.Name, VSYSMS_NAME) && ciEq(k.SystemName, m.net.host().name) ? instance(m) : undefined),
    },
    methods: methods(m),
  });
}
