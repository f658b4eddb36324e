/**
 * A job: one long-running operation on one site (provision, reset, restart provisioning,
 * migrate, …), persisted as plain data so any process can resume it after a crash.
 */
import { randomInt } from 'node:crypto';
import type { ErrorCode } from './error-codes.ts';

/** Where a job is in its life. */
export type JobState = 'queued' | 'awaiting_approval' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Where one step is. */
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** The person (or system) a job runs for. */
export interface JobRequester {
  id: string;
  displayName?: string;
}

/** The failure a job or step ended with. The fix comes from the guidance catalog by `code`. */
export interface JobError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  stepId?: string;
  details?: Record<string, unknown>;
}

/** One step of a job, as stored. What it does lives in the job kind's definition. */
export interface JobStep {
  id: string;
  title: string;
  status: StepStatus;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  output?: Record<string, unknown>;
  error?: JobError;
}

/** A chat message that shows this job, so progress can edit it in place. */
export interface JobMessageLink {
  surface: string;
  conversationId: string;
  messageId: string;
}

/** Progress within the running step. */
export interface JobProgress {
  stepId?: string;
  percent?: number;
  detail?: string;
  /** Last time the platform was seen working on it (waiting-for-platform heartbeat). */
  heartbeatAt?: string;
}

/** The claim of one runner on a job; expires unless renewed. */
export interface JobLease {
  owner: string;
  /** Distinguishes two claims by the same owner. */
  token: string;
  expiresAt: string;
}

/** A persisted job. */
export interface Job {
  id: string;
  kind: string;
  title: string;
  params: Record<string, unknown>;
  requester: JobRequester;
  /** Environment id + site; at most one active job per key. */
  siteKey: string;
  state: JobState;
  steps: JobStep[];
  /** How many times the job was started (1 + retries). */
  attempt: number;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Data kept between steps and across restarts (e.g. an operation URL). */
  context: Record<string, unknown>;
  lastError?: JobError;
  progress?: JobProgress;
  result?: Record<string, unknown>;
  messages: JobMessageLink[];
  lease?: JobLease;
  cancelRequested?: { by: string; at: string };
  /** The approval this job waits for, when it needs one. */
  approvalId?: string;
}

const ACTIVE_STATES: readonly JobState[] = ['queued', 'awaiting_approval', 'running'];
const TERMINAL_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

/** True while a job holds its site (queued, awaiting approval or running). */
export function isActive(job: Pick<Job, 'state'>): boolean {
  return ACTIVE_STATES.includes(job.state);
}

/** True once a job can no longer change by itself. */
export function isTerminal(job: Pick<Job, 'state'>): boolean {
  return TERMINAL_STATES.includes(job.state);
}

/** The step running now, or the next one to run, or the one that failed. */
export function currentStep(job: Pick<Job, 'steps'>): JobStep | undefined {
  return (
    job.steps.find((s) => s.status === 'running' || s.status === 'failed') ??
    job.steps.find((s) => s.status === 'pending')
  );
}

/**
 * Percent done: finished steps count fully, the running step by its own percentage when the
 * platform gives one. Rounded; 100 only when every step is done.
 */
export function percentDone(job: Pick<Job, 'steps' | 'progress' | 'state'>): number {
  if (job.state === 'succeeded') return 100;
  const total = job.steps.length;
  if (total === 0) return 0;
  const done = job.steps.filter((s) => s.status === 'succeeded' || s.status === 'skipped').length;
  const running = job.steps.find((s) => s.status === 'running');
  const partial = running && job.progress?.stepId === running.id ? (job.progress.percent ?? 0) / 100 : 0;
  return Math.min(99, Math.round(((done + partial) / total) * 100));
}

/** Letters and digits that cannot be misread for each other when typed from a card (no 0/O, 1/I/L). */
const ID_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A short, human-typable job id such as `J-7K2Q9`. */
export function newJobId(): string {
  let id = 'J-';
  for (let i = 0; i < 5; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** The key that serializes work on one site. */
export function siteKeyOf(environmentId: string, site: string): string {
  return `${environmentId}/${site.toLowerCase()}`;
}
