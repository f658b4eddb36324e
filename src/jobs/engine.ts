/**
 * The lifecycle engine: every long-running operation runs here as a persisted, leased,
 * resumable job. Chat handlers only submit, cancel, retry and subscribe.
 */
import { randomUUID } from 'node:crypto';
import { isPortalOpsError, PortalOpsError } from '../domain/errors.ts';
import {
  currentStep,
  isActive,
  type Job,
  type JobMessageLink,
  type JobRequester,
  newJobId,
  percentDone,
} from '../domain/job.ts';
import { type Logger, silentLogger } from '../logging/logger.ts';
import type { Collection, Store } from '../storage/store.ts';
import { JobEventBus, type JobListener } from './job-events.ts';
import type { JobKindDefinition } from './job-kind.ts';
import { type AbortReason, JobRunner } from './job-runner.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-delay.ts';

/** How an engine is built. Only `store`, `kinds` and `deps` are required. */
export interface JobEngineOptions<D> {
  store: Store;
  kinds: Iterable<JobKindDefinition<D>>;
  /** Handed to every step (platform clients, clock, …). */
  deps: D;
  /** Lease owner name; unique per process. */
  engineId?: string;
  now?: () => number;
  newId?: () => string;
  /** How often to look for claimable jobs when nothing wakes the engine. Default 1 s. */
  pollIntervalMs?: number;
  /** Lease length; renewed every third of it while running. Default 30 s. */
  leaseMs?: number;
  /** Jobs run at once (each on a different site). Default 4. */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  /**
   * The store is this process's alone (it holds the data dir's lock), so a lease held by any
   * other engine belongs to a process that died: its jobs are interrupted at once, not only once
   * the lease expires.
   */
  ownsStore?: boolean;
  /**
   * Called each time this engine claims a job, with how long the claim took (the store's
   * row-locked update: waiting for the store, never for the job). For metrics and benchmarks.
   */
  onClaimed?: (job: Job, claimMs: number) => void;
}

/** A request to start a job. */
export interface SubmitJobRequest {
  kind: string;
  params: Record<string, unknown>;
  requester: JobRequester;
  siteKey: string;
  /** Start in `awaiting_approval`; {@link JobEngine.release} queues it. */
  awaitApproval?: boolean;
  approvalId?: string;
  messages?: JobMessageLink[];
}

/** Filter for {@link JobEngine.list}. */
export interface JobFilter {
  state?: Job['state'] | Job['state'][];
  siteKey?: string;
  requesterId?: string;
  kind?: string;
  activeOnly?: boolean;
}

interface LocalRun {
  controller: AbortController;
  done: Promise<void>;
}

/** Runs jobs durably. One per process; several may share a store (leases keep them apart). */
export class JobEngine<D> {
  readonly engineId: string;
  private readonly jobs: Collection<Job>;
  private readonly kinds: Map<string, JobKindDefinition<D>>;
  private readonly bus: JobEventBus;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly retryPolicy: RetryPolicy;
  private readonly logger: Logger;
  private readonly running = new Map<string, LocalRun>();
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private ticking: Promise<void> | undefined;
  private tickAgain = false;
  private readonly ownsStore: boolean;
  private stopWatching: (() => void) | undefined;

  constructor(private readonly options: JobEngineOptions<D>) {
    this.engineId = options.engineId ?? `engine-${randomUUID().slice(0, 8)}`;
    this.jobs = options.store.collection('jobs');
    this.kinds = new Map([...options.kinds].map((k) => [k.kind, k]));
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? newJobId;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.concurrency = options.concurrency ?? 4;
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.logger = options.logger ?? silentLogger();
    this.ownsStore = options.ownsStore === true;
    this.bus = new JobEventBus((error) => this.logger.warn({ err: error }, 'job listener failed'));
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Subscribes to every job event; returns the unsubscribe function. */
  subscribe(listener: JobListener): () => void {
    return this.bus.subscribe(listener);
  }

  /** A job by id; ids are matched case-insensitively because people type them. */
  get(jobId: string): Job | undefined {
    return this.jobs.get(jobId) ?? this.jobs.get(jobId.trim().toUpperCase());
  }

  /** Jobs matching `filter`, newest first. */
  list(filter: JobFilter = {}): Job[] {
    const states = filter.state === undefined ? undefined : [filter.state].flat();
    return this.jobs
      .list(
        (j) =>
          (!states || states.includes(j.state)) &&
          (!filter.siteKey || j.siteKey === filter.siteKey) &&
          (!filter.requesterId || j.requester.id === filter.requesterId) &&
          (!filter.kind || j.kind === filter.kind) &&
          (!filter.activeOnly || isActive(j)),
      )
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /**
   * Creates a job. Refused with `site_busy` (naming the active job and its progress) when the
   * site already has an active job. The check and the insert happen in one synchronous turn,
   * so two requests in the same process cannot both pass; a store shared by several processes
   * refuses the second active job of a site itself (a `conflict`), which is told the same way.
   */
  async submit(request: SubmitJobRequest): Promise<Job> {
    const kind = this.kinds.get(request.kind);
    if (!kind) throw new PortalOpsError('invalid_input', `There is no job kind "${request.kind}".`);
    this.assertSiteFree(request.siteKey);
    let id = this.newId();
    while (this.jobs.get(id)) id = this.newId();
    const at = this.iso();
    const draft = { params: request.params, siteKey: request.siteKey };
    let job: Job = {
      id,
      kind: request.kind,
      title: kind.title(draft),
      params: request.params,
      requester: request.requester,
      siteKey: request.siteKey,
      state: request.awaitApproval ? 'awaiting_approval' : 'queued',
      steps: kind.steps(draft).map((s) => ({ id: s.id, title: s.title, status: 'pending', attempts: 0 })),
      attempt: 1,
      createdAt: at,
      updatedAt: at,
      context: {},
      messages: request.messages ?? [],
      ...(request.approvalId ? { approvalId: request.approvalId } : {}),
    };
    let stored: Job | undefined;
    for (let tries = 1; !stored; tries++) {
      try {
        stored = await this.jobs.insert(job);
      } catch (error) {
        // Another process drew the same id a moment ago: draw again (never replace its job).
        const idTaken = isPortalOpsError(error) && error.code === 'conflict' && error.details.id === job.id;
        if (!idTaken || tries >= 5) this.siteTaken(error, request.siteKey);
        do id = this.newId();
        while (this.jobs.get(id));
        job = { ...job, id };
      }
    }
    await this.audit(request.requester.id, stored, 'job.created', stored.state);
    this.bus.emit({ type: 'job.created', job: stored });
    this.bus.emit({ type: 'job.state', job: stored });
    this.wake();
    return stored;
  }

  /**
   * Turns the store's refusal of a second active job for a site (another process got there
   * first) into the `site_busy` answer naming that job; other errors pass through.
   */
  private siteTaken(error: unknown, siteKey: string, exceptJobId?: string): never {
    if (isPortalOpsError(error) && error.code === 'conflict' && error.details.siteKey === siteKey) {
      this.assertSiteFree(siteKey, exceptJobId);
      throw new PortalOpsError(
        'site_busy',
        'This site already has an active job, started by another PortalOps replica. Try "jobs" to see it.',
        {
          details: { siteKey },
        },
      );
    }
    throw error;
  }

  private assertSiteFree(siteKey: string, exceptJobId?: string): void {
    const busy = this.jobs.list((j) => j.siteKey === siteKey && isActive(j) && j.id !== exceptJobId)[0];
    if (!busy) return;
    const step = currentStep(busy);
    const percent = percentDone(busy);
    const interrupted = this.isInterrupted(busy);
    const where =
      busy.state === 'running' && step
        ? `${interrupted ? 'interrupted ' : ''}at "${step.title}", ${percent}% done`
        : busy.state.replace('_', ' ');
    const next = interrupted
      ? `Resume it with "retry ${busy.id}" or stop it with "cancel ${busy.id}".`
      : `Follow it with "status ${busy.id}", or stop it with "cancel ${busy.id}".`;
    throw new PortalOpsError(
      'site_busy',
      `This site already has an active job: ${busy.id} (${busy.title}), ${where}. ${next}`,
      {
        details: {
          jobId: busy.id,
          state: busy.state,
          percent,
          interrupted,
          ...(step ? { step: step.title } : {}),
        },
      },
    );
  }

  /**
   * True when `job` is `running` but nothing runs it: not this engine, and its lease expired or
   * was released (or, when this process owns the store, is held by a process that is gone).
   * Such a job can be resumed (taking over its lease) or cancelled at once.
   */
  isInterrupted(job: Job): boolean {
    if (job.state !== 'running' || this.running.has(job.id)) return false;
    if (!job.lease || Date.parse(job.lease.expiresAt) <= this.now()) return true;
    return this.ownsStore && job.lease.owner !== this.engineId;
  }

  /** Moves a job that waited for approval into the queue. */
  async release(jobId: string, by: string): Promise<Job> {
    const job = await this.transition(
      jobId,
      (j) => (j.state === 'awaiting_approval' ? { ...j, state: 'queued' } : undefined),
      'can only be released while it awaits approval',
    );
    await this.audit(by, job, 'job.released', job.state);
    this.bus.emit({ type: 'job.state', job });
    this.wake();
    return job;
  }

  /**
   * Cancels a job: at once when queued, awaiting approval or interrupted (running, but nothing
   * runs it: see {@link isInterrupted}); a job running here or in a live process stops at the
   * next step boundary (its current wait is interrupted). Finished jobs cannot be cancelled.
   */
  async cancel(jobId: string, by: string): Promise<Job> {
    const at = this.iso();
    const job = await this.transition(
      jobId,
      (j) => {
        if (j.state === 'queued' || j.state === 'awaiting_approval' || this.isInterrupted(j)) {
          const { lease: _lease, ...rest } = j;
          return {
            ...rest,
            state: 'cancelled',
            finishedAt: at,
            cancelRequested: { by, at },
            steps: j.steps.map((s) =>
              s.status === 'pending' || s.status === 'running' ? { ...s, status: 'cancelled' } : s,
            ),
          };
        }
        if (j.state === 'running' && !j.cancelRequested) return { ...j, cancelRequested: { by, at } };
        return undefined;
      },
      'has already finished and cannot be cancelled',
    );
    if (job.state === 'cancelled') {
      await this.audit(by, job, 'job.cancelled', 'cancelled', { by });
      this.bus.emit({ type: 'job.state', job });
    } else {
      await this.audit(by, job, 'job.cancel_requested', job.state, { by });
      this.running.get(job.id)?.controller.abort('cancelled' satisfies AbortReason);
    }
    return job;
  }

  /**
   * Re-queues a failed job; it resumes at the failed step, finished steps are not run again.
   * An interrupted job (see {@link isInterrupted}) is resumed instead, as {@link resume} does.
   */
  async retry(jobId: string, by: string): Promise<Job> {
    const existing = this.get(jobId);
    if (existing && this.isInterrupted(existing)) return this.resume(existing.id, by);
    if (existing) this.assertSiteFree(existing.siteKey, existing.id);
    const job = await this.transition(
      jobId,
      (j) => {
        if (j.state !== 'failed') return undefined;
        const { lastError: _e, finishedAt: _f, cancelRequested: _c, ...rest } = j;
        return {
          ...rest,
          state: 'queued',
          attempt: j.attempt + 1,
          steps: j.steps.map((s) => {
            if (s.status !== 'failed' && s.status !== 'cancelled') return s;
            const { error: _se, finishedAt: _sf, ...step } = s;
            return { ...step, status: 'pending', attempts: 0 };
          }),
        };
      },
      'can only be retried after it failed',
    );
    await this.audit(by, job, 'job.retried', job.state, { attempt: job.attempt });
    this.bus.emit({ type: 'job.state', job });
    this.wake();
    return job;
  }

  /**
   * Resumes an interrupted job here at once: this engine takes over its lease and runs it from
   * the step it was at (a failed job is retried). A job that a live process still holds is
   * refused with when its lease ends.
   */
  async resume(jobId: string, by: string): Promise<Job> {
    const existing = this.get(jobId);
    if (!existing)
      throw new PortalOpsError('job_not_found', `There is no job ${jobId}. Try "jobs" to list recent ones.`);
    if (existing.state === 'failed') return this.retry(existing.id, by);
    if (this.running.has(existing.id)) return existing;
    if (!this.isInterrupted(existing)) throw this.notResumable(existing);
    const token = randomUUID();
    const previous = existing.lease?.owner;
    const claimed = await this.jobs.update(existing.id, (current) =>
      this.isInterrupted(current)
        ? {
            ...current,
            lease: {
              owner: this.engineId,
              token,
              expiresAt: new Date(this.now() + this.leaseMs).toISOString(),
            },
            updatedAt: this.iso(),
          }
        : undefined,
    );
    if (claimed?.lease?.token !== token) throw this.notResumable(this.get(existing.id) ?? existing);
    this.launch(claimed, token);
    await this.audit(by, claimed, 'job.resumed', 'running', {
      by,
      ...(previous ? { previousLeaseOwner: previous } : {}),
    });
    this.bus.emit({ type: 'job.state', job: claimed });
    return claimed;
  }

  private notResumable(job: Job): PortalOpsError {
    const details = { jobId: job.id, state: job.state };
    if (job.state === 'running' && job.lease) {
      const seconds = Math.max(1, Math.ceil((Date.parse(job.lease.expiresAt) - this.now()) / 1000));
      return new PortalOpsError(
        'job_state_conflict',
        `Job ${job.id} is running in another PortalOps process (${job.lease.owner}); if that process is gone, its lease ends in ${seconds} s and the job can be resumed then. To stop it instead: "cancel ${job.id}".`,
        { details: { ...details, leaseExpiresAt: job.lease.expiresAt } },
      );
    }
    const why =
      job.state === 'queued' || job.state === 'awaiting_approval'
        ? `is ${job.state.replace('_', ' ')}; it starts by itself`
        : `is ${job.state} and has nothing left to resume`;
    return new PortalOpsError('job_state_conflict', `Job ${job.id} ${why}.`, { details });
  }

  /** Remembers a chat message that shows the job, so progress can update it in place. */
  async attachMessage(jobId: string, link: JobMessageLink): Promise<Job | undefined> {
    return this.jobs.update(jobId, (j) =>
      j.messages.some((m) => m.surface === link.surface && m.messageId === link.messageId)
        ? undefined
        : { ...j, messages: [...j.messages, link], updatedAt: this.iso() },
    );
  }

  private async transition(
    jobId: string,
    change: (job: Job) => Job | undefined,
    refusal: string,
  ): Promise<Job> {
    let changed = false;
    const known = this.get(jobId);
    const id = known?.id ?? jobId;
    const job = await this.jobs
      .update(id, (current) => {
        const next = change(current);
        if (!next) return undefined;
        changed = true;
        return { ...next, updatedAt: this.iso() };
      })
      .catch((error) => (known ? this.siteTaken(error, known.siteKey, known.id) : Promise.reject(error)));
    if (!job)
      throw new PortalOpsError('job_not_found', `There is no job ${jobId}. Try "jobs" to list recent ones.`);
    if (!changed) {
      throw new PortalOpsError(
        'job_state_conflict',
        `Job ${job.id} is ${job.state.replace('_', ' ')} and ${refusal}.`,
        {
          details: { jobId: job.id, state: job.state },
        },
      );
    }
    return job;
  }

  private async audit(
    actor: string,
    job: Job,
    action: string,
    outcome: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await this.options.store.appendAudit({
      actor,
      action,
      subject: `job:${job.id}`,
      outcome,
      details: { kind: job.kind, siteKey: job.siteKey, requester: job.requester.id, ...details },
    });
  }

  /** Starts claiming and running jobs, including those a previous process left unfinished. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.timer = setInterval(() => this.wake(), this.pollIntervalMs);
    this.timer.unref();
    // A job queued (or a lease released) by another process sharing the store is claimed at
    // once, not at the next poll.
    this.stopWatching = this.options.store.subscribeChanges?.((change) => {
      if (change.collection === 'jobs' && change.record && this.claimable(change.record as Job)) this.wake();
    });
    this.wake();
  }

  /**
   * Stops claiming, interrupts running steps and waits for them to settle. Jobs stay
   * `running` with their lease released, so the next engine resumes them at once.
   */
  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.timer);
    this.stopWatching?.();
    this.stopWatching = undefined;
    await this.ticking;
    for (const run of this.running.values()) run.controller.abort('engine_stopped' satisfies AbortReason);
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  /** Number of jobs this engine is running now. */
  get activeRuns(): number {
    return this.running.size;
  }

  private wake(): void {
    if (!this.started) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = this.tick()
      .catch((error) => this.logger.error({ err: error }, 'job engine tick failed'))
      .finally(() => {
        this.ticking = undefined;
        if (this.tickAgain) {
          this.tickAgain = false;
          this.wake();
        }
      });
  }

  /** A queued job, or an interrupted one (see {@link isInterrupted}), not already running here. */
  private claimable(job: Job): boolean {
    return (job.state === 'queued' && !this.running.has(job.id)) || this.isInterrupted(job);
  }

  private async tick(): Promise<void> {
    // Nothing to claim while every slot is taken: with many jobs queued, listing (and copying)
    // them all at every wake-up was most of what a burst of submissions cost.
    if (!this.started || this.running.size >= this.concurrency) return;
    // Only what the claim needs is kept from each record the filter sees, so none is copied.
    const candidates: Pick<Job, 'id' | 'state' | 'createdAt'>[] = [];
    this.jobs.list((j) => {
      if (this.claimable(j)) candidates.push({ id: j.id, state: j.state, createdAt: j.createdAt });
      return false;
    });
    candidates.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const candidate of candidates) {
      if (!this.started || this.running.size >= this.concurrency) return;
      const token = randomUUID();
      const resumed = candidate.state === 'running';
      const claimStarted = performance.now();
      // A job another process is claiming at this moment is skipped, not waited for.
      const claimed = await this.jobs.update(
        candidate.id,
        (current) => {
          if (!this.claimable(current)) return undefined;
          return {
            ...current,
            state: 'running',
            lease: {
              owner: this.engineId,
              token,
              expiresAt: new Date(this.now() + this.leaseMs).toISOString(),
            },
            startedAt: current.startedAt ?? this.iso(),
            updatedAt: this.iso(),
          };
        },
        { skipLocked: true },
      );
      if (claimed?.lease?.token !== token) continue;
      this.options.onClaimed?.(claimed, performance.now() - claimStarted);
      this.launch(claimed, token);
      await this.audit(this.engineId, claimed, resumed ? 'job.resumed' : 'job.running', 'running');
      if (!resumed) this.bus.emit({ type: 'job.state', job: claimed });
    }
  }

  private launch(job: Job, token: string): void {
    const controller = new AbortController();
    const runner = new JobRunner<D>(
      {
        store: this.options.store,
        jobs: this.jobs,
        kinds: this.kinds,
        deps: this.options.deps,
        bus: this.bus,
        retry: this.retryPolicy,
        engineId: this.engineId,
        now: this.now,
        logger: this.logger,
      },
      job.id,
      token,
      controller,
    );
    const renewal = setInterval(
      () => void this.renew(job.id, token, controller),
      Math.max(10, this.leaseMs / 3),
    );
    const done = runner.run().finally(async () => {
      clearInterval(renewal);
      await this.releaseLease(job.id, token);
      this.running.delete(job.id);
      this.wake();
    });
    this.running.set(job.id, { controller, done });
  }

  private async renew(jobId: string, token: string, controller: AbortController): Promise<void> {
    const job = await this.jobs.update(jobId, (current) =>
      current.lease?.token === token
        ? {
            ...current,
            lease: { ...current.lease, expiresAt: new Date(this.now() + this.leaseMs).toISOString() },
          }
        : undefined,
    );
    if (controller.signal.aborted) return;
    if (job?.lease?.token !== token) controller.abort('lease_lost' satisfies AbortReason);
    else if (job.cancelRequested) controller.abort('cancelled' satisfies AbortReason);
  }

  private async releaseLease(jobId: string, token: string): Promise<void> {
    await this.jobs.update(jobId, (current) => {
      if (current.lease?.token !== token) return undefined;
      const { lease: _lease, ...rest } = current;
      return rest;
    });
  }
}
