/**
 * The contract between the engine and a job kind (provision, reset, migrate, …). A kind says
 * which steps a job has; the engine runs them in order, persists after each one and resumes
 * after a crash.
 */
import type { Job } from '../domain/job.ts';

/**
 * What a step gets while it runs.
 *
 * Resumability contract: a step may be run again after a crash, a lost lease or a retry,
 * with the context saved so far. So a step must be idempotent: before any call that changes
 * the platform, it checks the saved context (e.g. an operation URL already stored means the
 * create was accepted: poll it, never submit again) and it saves what it learns with
 * {@link StepContext.saveContext} the moment it knows it.
 */
export interface StepContext<D> {
  /** The job as it was when the step started, plus context saved since. Read-only. */
  readonly job: Readonly<Job>;
  /** Persists a patch of the job's context before resolving. */
  saveContext(patch: Record<string, unknown>): Promise<void>;
  /** Reports progress within this step (0–100 when known) with a short human detail. */
  progress(percent?: number, detail?: string): Promise<void>;
  /** Says the platform is still working (long waits), so watchers see the job is alive. */
  heartbeat(detail?: string): Promise<void>;
  /** Merges into the job's result (shown when it finishes, e.g. the site URL). */
  setResult(patch: Record<string, unknown>): Promise<void>;
  /** Aborted when the job is cancelled, the lease is lost or the engine stops. */
  readonly signal: AbortSignal;
  /** The dependencies the engine was given (platform clients, store, clock, …). */
  readonly deps: D;
}

/** What a step returns: an optional output kept on the step. */
export type StepOutcome = undefined | { output?: Record<string, unknown>; skipped?: boolean };

/** One step: a stable id (stored with the job), a title people read, and its work. */
export interface StepDefinition<D> {
  id: string;
  title: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: most steps return nothing, and saying so must type-check
  run(ctx: StepContext<D>): Promise<StepOutcome | void>;
}

/** A kind of job. `steps` is called once at submission; its ids and titles are stored. */
export interface JobKindDefinition<D> {
  kind: string;
  /** A one-line description, e.g. "Reset contoso-dev in dev". */
  title(job: Pick<Job, 'params' | 'siteKey'>): string;
  steps(job: Pick<Job, 'params' | 'siteKey'>): StepDefinition<D>[];
}
