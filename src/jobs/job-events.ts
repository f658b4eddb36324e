/**
 * Job progress as events. Chat surfaces, the CLI and alerts subscribe through this one
 * interface; the engine never knows who listens.
 */
import type { Job } from '../domain/job.ts';

/** What happened. `job.state` fires on every state change (queued, running, failed, …). */
export type JobEventType =
  | 'job.created'
  | 'job.state'
  | 'step.started'
  | 'step.succeeded'
  | 'step.failed'
  | 'step.retrying'
  | 'progress'
  | 'heartbeat';

/** One event, with the job as it is after the change. */
export interface JobEvent {
  type: JobEventType;
  job: Job;
  stepId?: string;
  /** For `step.retrying`: the wait before the next attempt. */
  retryInMs?: number;
}

/** Receives job events. May be async; failures are logged and ignored. */
export type JobListener = (event: JobEvent) => void | Promise<void>;

/** A small fan-out where a failing listener never breaks the others or the engine. */
export class JobEventBus {
  private readonly listeners = new Set<JobListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: JobListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: JobEvent): void {
    for (const listener of this.listeners) {
      try {
        const result = listener(event);
        if (result && typeof (result as Promise<void>).catch === 'function') {
          (result as Promise<void>).catch(this.onListenerError);
        }
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
