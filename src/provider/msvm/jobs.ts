/**
 * Msvm_ConcreteJob and Msvm_NetworkJob (reference 5): the domain's jobs, JobState 4 while
 * running then 7 (or 10 with ErrorCode), ElapsedTime measured, TimeBeforeRemoval 5 minutes
 * (the domain drops them after that). GetError / GetErrorEx describe a failed job.
 */
import { CIMInstance } from '../../cim/instance.js';
import type { Msvm_ConcreteJobMethods } from '../../generated/root-virtualization/Msvm_ConcreteJob.js';
import type { Msvm_NetworkJob } from '../../generated/root-virtualization/Msvm_NetworkJob.js';
import type { MethodContext, ProviderContext } from '../../generated/runtime.js';
import { toInstance, untypedProvider } from '../../generated/runtime.js';
import { interval, paths, timestamp, type Msvm } from './common.js';
import type { Job } from './domain/types.js';

const KEEP_MS = 5 * 60 * 1000;

/** Msvm_NetworkJob's shape is Msvm_ConcreteJob's plus three properties (set for network jobs only). */
export function jobObject(m: Msvm, j: Job): Msvm_NetworkJob {
  const done = j.state !== 4;
  const end = j.finished ?? m.now();
  const o: Msvm_NetworkJob = {
    InstanceID: j.id,
    Caption: j.description,
    Description: j.description,
    ElementName: j.description,
    Name: j.description,
    JobState: j.state,
    JobStatus: j.state === 4 ? 'Running' : j.state === 7 ? 'Job completed with no error' : 'Job failed',
    PercentComplete: done ? 100 : j.percentComplete,
    ErrorCode: j.errorCode,
    ErrorDescription: j.errorDescription,
    ErrorSummaryDescription: j.errorDescription,
    TimeSubmitted: timestamp(j.submitted),
    StartTime: timestamp(j.started),
    ElapsedTime: interval(end - j.started),
    TimeOfLastStateChange: timestamp(j.finished ?? j.started),
    TimeBeforeRemoval: interval(KEEP_MS),
    DeleteOnCompletion: true,
    Cancellable: false,
    JobRunTimes: 1,
    HealthState: 5,
    OperationalStatus: [j.state === 10 ? 6 : 2],
    StatusDescriptions: [j.state === 10 ? 'Error' : 'OK'],
  };
  if (j.jobClass === 'network') {
    o.NetworkJobType = j.networkJobType ?? 0;
    o.CreatedInternalEthernetPort = j.createdInternalPort ?? null;
    o.Hresult = j.state === 10 ? 0x80004005 : 0;
  }
  return o;
}

/** CreatedInternalEthernetPort holds a path text: the internal port's, when it still exists. */
function withPortPath(m: Msvm, ctx: ProviderContext, j: Job, o: Msvm_NetworkJob): Msvm_NetworkJob {
  if (j.jobClass !== 'network' || !j.createdInternalPort) return o;
  const ip = m.net.internalPort(j.createdInternalPort);
  if (ip) o.CreatedInternalEthernetPort = paths(m, ctx).internalPort(ip.deviceId).toString('wmi');
  return o;
}

function jobOf(m: Msvm, ctx: MethodContext): Job | undefined {
  const id = 'key' in ctx.target ? ctx.target.key('InstanceID') : undefined;
  return typeof id === 'string' ? m.net.job(id) : undefined;
}

function methods(m: Msvm): Msvm_ConcreteJobMethods {
  return {
    GetError: (_p, ctx) => {
      const j = jobOf(m, ctx);
      if (!j || j.state !== 10) return { ReturnValue: 0, out: { Error: null } };
      const cls = ctx.repository.getClass(ctx.namespace, 'Msvm_Error') ?? ctx.repository.getClass(ctx.namespace, 'CIM_Error')!;
      return { ReturnValue: 0, out: { Error: errorInstance(cls, j) } };
    },
    GetErrorEx: (_p, ctx) => {
      const j = jobOf(m, ctx);
      if (!j || j.state !== 10) return { ReturnValue: 0, out: { Errors: [] } };
      const cls = ctx.repository.getClass(ctx.namespace, 'Msvm_Error')!;
      return { ReturnValue: 0, out: { Errors: [errorInstance(cls, j)] } };
    },
  };
}

function errorInstance(cls: Parameters<typeof toInstance>[0], j: Job): CIMInstance {
  return toInstance(cls, { Message: j.errorDescription, MessageID: String(j.errorCode), ErrorType: 4, PerceivedSeverity: 2, OwningEntity: 'cimswitch' });
}

/** The instance provider of one job class. */
function jobProvider(m: Msvm, jobClass: Job['jobClass']) {
  const base = untypedProvider({ methods: methods(m) });
  const obj = (ctx: ProviderContext, j: Job) => toInstance(ctx.cls, withPortPath(m, ctx, j, jobObject(m, j)));
  return {
    ...base,
    enumerateInstances: async (ctx: ProviderContext) => m.net.jobs().filter((j) => j.jobClass === jobClass).map((j) => obj(ctx, j)),
    getInstance: async (ctx: ProviderContext, name: { key(k: string): unknown }) => {
      const id = name.key('InstanceID');
      const j = typeof id === 'string' ? m.net.job(id) : undefined;
      return j && j.jobClass === jobClass ? obj(ctx, j) : undefined;
    },
  };
}

export const concreteJobProvider = (m: Msvm) => jobProvider(m, 'concrete');
export const networkJobProvider = (m: Msvm) => jobProvider(m, 'network');
