/**
 * Pull-enumeration contexts (DSP0200 "Pulled Read", cim-xml-protocol.md 4.4): an Open
 * computes its whole result, hands out the first MaxObjectCount items and parks the rest in
 * a context keyed by an unguessable id, bound to its result kind (and working in the
 * namespace of its Open, whatever namespace a pull request names). Each response
 * restarts the context's OperationTimeout; expired contexts answer
 * INVALID_ENUMERATION_CONTEXT and are freed by a sweeper whose timer is unref'd (it never
 * keeps the process alive). The clock is injected so tests expire contexts without sleeping.
 */
import { randomBytes } from 'node:crypto';
import { CimError } from '../cim/errors.js';
import { ciKey } from '../cim/names.js';
import type { PullResult } from './operations.js';

export type PullKind = 'withPath' | 'paths' | 'instances';

export interface PullLimits {
  /** Seconds a context lives between requests when the client sends no OperationTimeout. */
  defaultTimeout: number;
  /** Largest OperationTimeout accepted (seconds); larger is INVALID_OPERATION_TIMEOUT. */
  maxTimeout: number;
  /** Open contexts at once; one more is SERVER_LIMITS_EXCEEDED. */
  maxContexts: number;
  /** Largest MaxObjectCount honoured in one response (larger asks are capped). */
  maxObjectCount: number;
  /** Sweep period in milliseconds. */
  sweepMs: number;
}

export const DEFAULT_PULL_LIMITS: PullLimits = {
  defaultTimeout: 60,
  maxTimeout: 3600,
  maxContexts: 512,
  maxObjectCount: 100000,
  sweepMs: 10000,
};

interface Context {
  kind: PullKind;
  ns: string;
  items: unknown[];
  cursor: number;
  timeoutMs: number;
  deadline: number;
}

export class PullContexts {
  private readonly contexts = new Map<string, Context>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clock: () => number = Date.now,
    readonly limits: PullLimits = DEFAULT_PULL_LIMITS,
  ) {}

  get size(): number {
    return this.contexts.size;
  }

  /** DSP0200: checks the Open parameters common to every Open operation; returns the timeout in ms. */
  checkOpen(timeout: number | null, continueOnError: boolean, maxObjectCount: number): number {
    if (continueOnError) {
      throw new CimError('CIM_ERR_CONTINUATION_ON_ERROR_NOT_SUPPORTED', 'ContinueOnError=true is not supported: an error ends the enumeration');
    }
    if (timeout === 0) throw new CimError('CIM_ERR_INVALID_OPERATION_TIMEOUT', 'OperationTimeout 0 (never time out) is not supported');
    if (timeout !== null && (timeout < 0 || !Number.isFinite(timeout) || timeout > this.limits.maxTimeout)) {
      throw new CimError('CIM_ERR_INVALID_OPERATION_TIMEOUT', `OperationTimeout ${timeout} is outside 1..${this.limits.maxTimeout} seconds`);
    }
    if (maxObjectCount < 0) throw new CimError('CIM_ERR_INVALID_PARAMETER', 'MaxObjectCount must not be negative');
    if (this.contexts.size >= this.limits.maxContexts) {
      this.sweep();
      if (this.contexts.size >= this.limits.maxContexts) throw new CimError('CIM_ERR_SERVER_LIMITS_EXCEEDED', 'too many open enumeration contexts');
    }
    return (timeout ?? this.limits.defaultTimeout) * 1000;
  }

  /** Starts an enumeration over `items` and returns the first batch. */
  open<T>(kind: PullKind, ns: string, items: T[], maxObjectCount: number, timeoutMs: number): PullResult<T> {
    const ctx: Context = { kind, ns: ciKey(ns), items, cursor: 0, timeoutMs, deadline: 0 };
    const id = randomBytes(16).toString('hex');
    this.contexts.set(id, ctx);
    this.ensureTimer();
    return this.batch(id, ctx, maxObjectCount) as PullResult<T>;
  }

  /** The next batch of an open enumeration of the given kind. */
  pull<T>(kind: PullKind, ns: string, id: string, maxObjectCount: number): PullResult<T> {
    const ctx = this.lookup(kind, ns, id);
    if (maxObjectCount < 0) throw new CimError('CIM_ERR_INVALID_PARAMETER', 'MaxObjectCount must not be negative');
    return this.batch(id, ctx, maxObjectCount) as PullResult<T>;
  }

  close(ns: string, id: string): void {
    this.lookup(null, ns, id);
    this.contexts.delete(id);
  }

  /** Items not yet pulled. */
  remaining(ns: string, id: string): number {
    const ctx = this.lookup(null, ns, id);
    ctx.deadline = this.clock() + ctx.timeoutMs;
    return ctx.items.length - ctx.cursor;
  }

  /** Frees every expired context; returns how many. */
  sweep(): number {
    const now = this.clock();
    let n = 0;
    for (const [id, ctx] of this.contexts) {
      if (ctx.deadline <= now) {
        this.contexts.delete(id);
        n++;
      }
    }
    if (this.contexts.size === 0) this.stopTimer();
    return n;
  }

  dispose(): void {
    this.contexts.clear();
    this.stopTimer();
  }

  /** DSP0200: a pull works in the namespace of its Open, whatever namespace the pull names. */
  private lookup(kind: PullKind | null, _ns: string, id: string): Context {
    const ctx = this.contexts.get(id);
    const bad = (why: string): never => {
      throw new CimError('CIM_ERR_INVALID_ENUMERATION_CONTEXT', `enumeration context ${JSON.stringify(id)} ${why}`);
    };
    if (!ctx) return bad('is unknown, closed or finished');
    if (ctx.deadline <= this.clock()) {
      this.contexts.delete(id);
      return bad('has timed out');
    }
    if (kind && ctx.kind !== kind) return bad(`was opened for ${ctx.kind === 'withPath' ? 'PullInstancesWithPath' : ctx.kind === 'paths' ? 'PullInstancePaths' : 'PullInstances'}`);
    return ctx;
  }

  private batch(id: string, ctx: Context, max: number): PullResult<unknown> {
    const n = Math.min(max, this.limits.maxObjectCount);
    const items = ctx.items.slice(ctx.cursor, ctx.cursor + n);
    ctx.cursor += items.length;
    if (ctx.cursor >= ctx.items.length) {
      this.contexts.delete(id);
      return { items, EndOfSequence: true, EnumerationContext: null };
    }
    ctx.deadline = this.clock() + ctx.timeoutMs;
    return { items, EndOfSequence: false, EnumerationContext: id };
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(), this.limits.sweepMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
