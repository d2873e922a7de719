/**
 * Msvm_ComputerSystem (reference 4.1): the host (Name = its NetBIOS-style name, Caption
 * "Hosting Computer System") and every VM (Name = VM GUID). RequestStateChange (2 on, 3 off,
 * 10 reset, 32768 pause, 32769 save; 11 is taken as 10) answers 4096 with an Msvm_ConcreteJob
 * as the recorded host did, 32775 when the VM is already in that state, 32770 on the host.
 */
import { ciEq } from '../../cim/names.js';
import type {
  Msvm_ComputerSystem as T,
  Msvm_ComputerSystemKey as K,
  Msvm_ComputerSystemMethods,
} from '../../generated/root-virtualization/Msvm_ComputerSystem.js';
import { untypedProvider } from '../../generated/runtime.js';
import { answerJob, CS, invalid, notSupported, paths, timestamp, type Msvm } from './common.js';
import { DomainError, RC, type RequestedVmState, type Vm } from './domain/types.js';

export function hostInstance(m: Msvm): T {
  const name = m.net.host().name;
  return {
    CreationClassName: CS,
    Name: name,
    ElementName: name,
    Caption: 'Hosting Computer System',
    Description: 'Microsoft Hosting Computer System',
    EnabledState: 2,
    RequestedState: 12,
    EnabledDefault: 2,
    HealthState: 5,
    OperationalStatus: [2],
    ResetCapability: 1,
    Dedicated: [0],
  };
}

export function vmInstance(m: Msvm, vm: Vm): T {
  const running = vm.enabledState === 2 || vm.enabledState === 32768;
  return {
    CreationClassName: CS,
    Name: vm.guid,
    ElementName: vm.elementName,
    Caption: 'Virtual Machine',
    Description: 'Microsoft Virtual Computer System',
    EnabledState: vm.enabledState,
    RequestedState: vm.requestedState,
    EnabledDefault: 2,
    HealthState: 5,
    OperationalStatus: [2],
    ProcessID: running ? process.pid : 0,
    OnTimeInMilliseconds: BigInt(running ? Math.max(0, m.now() - vm.timeOfLastStateChange) : 0),
    InstallDate: timestamp(vm.creationTime),
    TimeOfLastStateChange: timestamp(vm.timeOfLastStateChange),
    TimeOfLastConfigurationChange: timestamp(vm.creationTime),
    ResetCapability: 1,
    Dedicated: [0],
  };
}

const STATES: Record<number, RequestedVmState> = { 2: 2, 3: 3, 10: 10, 11: 10, 32768: 32768, 32769: 32769 };

function methods(m: Msvm): Msvm_ComputerSystemMethods {
  return {
    SetPowerState: notSupported,
    RequestStateChange: (p, ctx) =>
      answerJob(m, 'RequestStateChange', () => {
        const target = ctx.target;
        const name = 'key' in target ? target.key('Name') : undefined;
        const vm = typeof name === 'string' ? m.net.vm(name) : undefined;
        if (!vm) {
          if (typeof name === 'string' && ciEq(name, m.net.host().name)) throw new DomainError(RC.NOT_SUPPORTED, 'the host cannot change state');
          return invalid('RequestStateChange needs a virtual machine instance');
        }
        const state = STATES[Number(p.RequestedState)];
        if (state === undefined) invalid(`RequestedState ${String(p.RequestedState)} is not one of 2, 3, 10, 32768, 32769`);
        return { Job: paths(m, ctx).job(m.net.requestStateChange(vm.guid, state)) };
      }),
  };
}

export function computerSystemProvider(m: Msvm) {
  return untypedProvider<T, K>({
    instances: {
      enumerate: () => [hostInstance(m), ...m.net.vms().map((vm) => vmInstance(m, vm))],
      get: (k) => {
        if (ciEq(k.Name, m.net.host().name)) return hostInstance(m);
        const vm = m.net.vm(k.Name);
        return vm ? vmInstance(m, vm) : undefined;
      },
    },
    methods: methods(m),
  });
}

