/**
 * Runs one claimed job step by step. Every change is written through the lease: if another
 * runner has taken the job over, nothing more is written and the run stops.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { asPortalOpsError, isPortalOpsError, type PortalOpsError } from '../domain/errors.ts';
import type { Job, JobError, JobStep } from '../domain/job.ts';
import type { Logger } from '../logging/logger.ts';
import type { Collection, Store } from '../storage/store.ts';
import type { JobEventBus, JobEventType } from './job-events.ts';
import type { JobKindDefinition, StepContext, StepDefinition } from './job-kind.ts';
import { type RetryPolicy, retryDelayMs } from './retry-delay.ts';
import { waitNotice } from './wait-notice.ts';

/** Why a run's signal was aborted. */
export type AbortReason = 'cancelled' | 'engine_stopped' | 'lease_lost';

/** What the runner needs from its engine. */
export interface RunnerEnvironment<D> {
  store: Store;
  jobs: Collection<Job>;
  kinds: ReadonlyMap<string, JobKindDefinition<D>>;
  deps: D;
  bus: JobEventBus;
  retry: RetryPolicy;
  engineId: string;
  now: () => number;
  logger: Logger;
}

class LeaseLost extends Error {}

/** Runs a job this engine holds the lease `token` for, until it ends, is cancelled or stops. */
export class JobRunner<D> {
  constructor(
    private readonly env: RunnerEnvironment<D>,
    private readonly jobId: string,
    private readonly token: string,
    private readonly controller: AbortController,
  ) {}

  private iso(): string {
    return new Date(this.env.now()).toISOString();
  }

  /** Applies `change` only while our lease holds; throws {@link LeaseLost} otherwise. */
  private async mutate(change: (job: Job) => Job): Promise<Job> {
    let held = false;
    const next = await this.env.jobs.update(this.jobId, (current) => {
      if (current.lease?.token !== this.token) return undefined;
      held = true;
      return { ...change(current), updatedAt: this.iso() };
    });
    if (!held || !next) {
      if (!this.controller.signal.aborted) this.controller.abort('lease_lost' satisfies AbortReason);
      throw new LeaseLost(`lease on ${this.jobId} lost`);
    }
    return next;
  }

  private async mutateStep(
    index: number,
    change: (step: JobStep, job: Job) => Partial<JobStep>,
    extra?: (job: Job) => Partial<Job>,
  ): Promise<Job> {
    return this.mutate((job) => ({
      ...job,
      ...(extra ? extra(job) : {}),
      steps: job.steps.map((s, i) => (i === index ? { ...s, ...change(s, job) } : s)),
    }));
  }

  private emit(type: JobEventType, job: Job, extra: { stepId?: string; retryInMs?: number } = {}): void {
    this.env.bus.emit({ type, job, ...extra });
  }

  private async audit(
    job: Job,
    action: string,
    outcome: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await this.env.store.appendAudit({
      actor: this.env.engineId,
      action,
      subject: `job:${job.id}`,
      outcome,
      details: { kind: job.kind, siteKey: job.siteKey, requester: job.requester.id, ...details },
    });
  }

  /** Runs to the end, or returns early when cancelled, stopped or taken over. Never throws. */
  async run(): Promise<void> {
    try {
      await this.runSteps();
    } catch (error) {
      if (error instanceof LeaseLost) return;
      this.env.logger.error({ err: error, jobId: this.jobId }, 'job runner failed');
    }
  }

  private async runSteps(): Promise<void> {
    const initial = this.env.jobs.get(this.jobId);
    if (!initial) return;
    const kind = this.env.kinds.get(initial.kind);
    if (!kind) {
      await this.fail(-1, {
        code: 'platform_error',
        message: `This PortalOps version cannot run jobs of kind "${initial.kind}".`,
        retryable: false,
      });
      return;
    }
    const definitions = new Map(kind.steps(initial).map((d) => [d.id, d]));
    for (let index = 0; index < initial.steps.length; index++) {
      const job = this.env.jobs.get(this.jobId);
      if (!job || job.lease?.token !== this.token) return;
      if (job.cancelRequested) return this.finishCancelled(index);
      const step = job.steps[index]!;
      if (step.status === 'succeeded' || step.status === 'skipped') continue;
      const definition = definitions.get(step.id);
      if (!definition) {
        await this.fail(index, {
          code: 'platform_error',
          message: `Step "${step.title}" is unknown to this PortalOps version.`,
          retryable: false,
        });
        return;
      }
      const finished = await this.runStep(index, definition);
      if (!finished) return;
    }
    const done = await this.mutate((job) => {
      const { lease: _lease, ...rest } = job;
      return { ...rest, state: 'succeeded', finishedAt: this.iso(), progress: { percent: 100 } };
    });
    this.emit('job.state', done);
    await this.audit(done, 'job.succeeded', 'succeeded', done.result ? { result: done.result } : {});
  }

  /** Runs one step with retries. Returns false when the job must not go on (failed, cancelled, stopped). */
  private async runStep(index: number, definition: StepDefinition<D>): Promise<boolean> {
    const signal = this.controller.signal;
    for (;;) {
      let job = await this.mutateStep(
        index,
        (s) => ({ status: 'running', attempts: s.attempts + 1, startedAt: this.iso() }),
        () => ({ progress: { stepId: definition.id } }),
      );
      this.emit('step.started', job, { stepId: definition.id });
      try {
        const outcome = await definition.run(this.stepContext(job, definition.id));
        job = await this.mutateStep(index, () => ({
          status: outcome?.skipped ? 'skipped' : 'succeeded',
          finishedAt: this.iso(),
          ...(outcome?.output ? { output: outcome.output } : {}),
        }));
        this.emit('step.succeeded', job, { stepId: definition.id });
        return true;
      } catch (thrown) {
        if (thrown instanceof LeaseLost) throw thrown;
        if (signal.aborted) return this.onAborted(index);
        const error = asPortalOpsError(
          thrown,
          'platform_error',
          `Step "${definition.title}" failed unexpectedly.`,
        );
        const attempts = this.env.jobs.get(this.jobId)?.steps[index]?.attempts ?? 1;
        if (!error.retryable || attempts >= this.env.retry.maxAttempts) {
          if (!isPortalOpsError(thrown)) {
            this.env.logger.error({ err: thrown, jobId: this.jobId, step: definition.id }, 'step threw');
          }
          await this.fail(index, toJobError(error, definition.id));
          return false;
        }
        const waitMs = retryDelayMs(attempts, this.env.retry, error);
        const notice = waitNotice(error, waitMs, this.env.now());
        job = await this.mutateStep(
          index,
          () => ({ status: 'pending', error: toJobError(error, definition.id) }),
          // A long wait is shown on the job's card until the step starts again.
          (j) => (notice ? { progress: { ...j.progress, detail: notice } } : {}),
        );
        this.emit('step.retrying', job, { stepId: definition.id, retryInMs: waitMs });
        try {
          await sleep(waitMs, undefined, { signal });
        } catch {
          return this.onAborted(index);
        }
      }
    }
  }

  private async onAborted(index: number): Promise<boolean> {
    if (this.controller.signal.reason === ('cancelled' satisfies AbortReason))
      await this.finishCancelled(index);
    return false;
  }

  private stepContext(job: Job, stepId: string): StepContext<D> {
    let snapshot = job;
    const write = async (change: (job: Job) => Job, event?: JobEventType): Promise<void> => {
      snapshot = await this.mutate(change);
      if (event) this.emit(event, snapshot, { stepId });
    };
    // Progress and heartbeats are often not awaited: once the lease is lost they do nothing (the
    // run's signal is aborted, which stops the step) instead of rejecting into nobody's hands.
    const notice = (change: (job: Job) => Job, event: JobEventType): Promise<void> =>
      write(change, event).catch((error) => {
        if (!(error instanceof LeaseLost)) throw error;
      });
    return {
      get job() {
        return snapshot;
      },
      saveContext: (patch) => write((j) => ({ ...j, context: { ...j.context, ...patch } })),
      setResult: (patch) => write((j) => ({ ...j, result: { ...j.result, ...patch } })),
      progress: (percent, detail) =>
        notice(
          (j) => ({
            ...j,
            progress: {
              ...j.progress,
              stepId,
              ...(percent === undefined ? {} : { percent: Math.max(0, Math.min(100, percent)) }),
              ...(detail === undefined ? {} : { detail }),
            },
          }),
          'progress',
        ),
      heartbeat: (detail) =>
        notice(
          (j) => ({
            ...j,
            progress: {
              ...j.progress,
              stepId,
              heartbeatAt: this.iso(),
              ...(detail === undefined ? {} : { detail }),
            },
          }),
          'heartbeat',
        ),
      signal: this.controller.signal,
      deps: this.env.deps,
    };
  }

  private async fail(index: number, error: JobError): Promise<void> {
    const job = await this.mutate((current) => {
      const { lease: _lease, ...rest } = current;
      return {
        ...rest,
        state: 'failed',
        finishedAt: this.iso(),
        lastError: error,
        steps: current.steps.map((s, i) =>
          i === index ? { ...s, status: 'failed', finishedAt: this.iso(), error } : s,
        ),
      };
    });
    if (index >= 0) this.emit('step.failed', job, { stepId: job.steps[index]!.id });
    this.emit('job.state', job);
    await this.audit(job, 'job.failed', 'failed', { code: error.code, step: error.stepId });
  }

  private async finishCancelled(index: number): Promise<void> {
    const job = await this.mutate((current) => {
      const { lease: _lease, ...rest } = current;
      return {
        ...rest,
        state: 'cancelled',
        finishedAt: this.iso(),
        steps: current.steps.map((s, i) =>
          i >= index && (s.status === 'pending' || s.status === 'running')
            ? { ...s, status: 'cancelled' }
            : s,
        ),
      };
    });
    this.emit('job.state', job);
    await this.audit(job, 'job.cancelled', 'cancelled', { by: job.cancelRequested?.by });
  }
}

function toJobError(error: PortalOpsError, stepId: string): JobError {
  return {
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    stepId,
    ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
  };
}
