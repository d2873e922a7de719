/**
 * The in-memory job table (reference §5): a job is created running (state 4, never 2 or 3:
 * some clients poll only while 4), finishes as 7 or 10 with the error code and text, and is
 * removed `retentionMs` after finishing (TimeBeforeRemoval, 5 minutes). Listeners hear every
 * change; `sweep` removes expired jobs (also run by an unref'd timer).
 */
import { newGuid } from './paths.js';
import { DomainError, JobState, RC, type Job, type JobType } from './types.js';

const jobKey = (id: string): string => String(id).toUpperCase().replace(/[{}]/g, '');

export class JobTable {
  private readonly jobs = new Map<string, Job>();
  private readonly waiters = new Map<string, Array<(j: Job) => void>>();
  private readonly listeners = new Set<(j: Job) => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly now: () => number,
    readonly retentionMs = 5 * 60_000,
  ) {}

  onJob(l: (j: Job) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  list(): Job[] {
    this.sweep();
    return [...this.jobs.values()].map((j) => structuredClone(j));
  }

  get(id: string): Job | undefined {
    this.sweep();
    const j = this.jobs.get(jobKey(id));
    return j && structuredClone(j);
  }

  /** Creates a running job and runs `work`; the job completes when it resolves, fails when it throws. */
  start(type: JobType, description: string, init: Partial<Job>, work: (job: Job) => Promise<void>): Job {
    const t = this.now();
    const job: Job = {
      id: newGuid(),
      type,
      jobClass: type === 'setup-switch' || type === 'teardown-switch' ? 'network' : 'concrete',
      description,
      state: JobState.RUNNING,
      percentComplete: 0,
      errorCode: 0,
      errorDescription: '',
      submitted: t,
      started: t,
      affected: {},
      ...init,
    };
    this.jobs.set(job.id, job);
    this.emit(job);
    void work(job).then(
      () => this.finish(job, JobState.COMPLETED, 0, ''),
      (e: unknown) => this.finish(job, JobState.EXCEPTION, e instanceof DomainError ? e.code : RC.FAILED, e instanceof Error ? e.message : String(e)),
    );
    return structuredClone(job);
  }

  /** Resolves when the job has finished; rejects for an unknown id. */
  wait(id: string): Promise<Job> {
    const j = this.jobs.get(jobKey(id));
    if (!j) return Promise.reject(new DomainError(RC.INVALID_PARAMETER, `no job ${id}`));
    if (j.state !== JobState.RUNNING) return Promise.resolve(structuredClone(j));
    return new Promise((resolve) => this.waiters.set(j.id, [...(this.waiters.get(j.id) ?? []), resolve]));
  }

  private finish(job: Job, state: 7 | 10, code: number, text: string): void {
    Object.assign(job, { state, errorCode: code, errorDescription: text, percentComplete: 100, finished: this.now() });
    this.emit(job);
    for (const w of this.waiters.get(job.id) ?? []) w(structuredClone(job));
    this.waiters.delete(job.id);
    this.schedule();
  }

  private emit(job: Job): void {
    for (const l of this.listeners) {
      try {
        l(structuredClone(job));
      } catch {
        /* a listener's failure must not stop the others */
      }
    }
  }

  /** Removes finished jobs older than the retention time. */
  sweep(): void {
    const t = this.now();
    for (const [id, j] of this.jobs) if (j.finished !== undefined && t - j.finished >= this.retentionMs) this.jobs.delete(id);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sweep();
      if ([...this.jobs.values()].some((j) => j.finished !== undefined)) this.schedule();
    }, this.retentionMs + 1000);
    this.timer.unref();
  }

  /** Stops the timer (close). Running jobs keep their promises. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
