/**
 * How long to wait before retrying a step that failed with a transient error.
 */
import type { PortalOpsError } from '../domain/errors.ts';

/** Retry budget of a step. */
export interface RetryPolicy {
  /** Attempts per step, the first one included. */
  maxAttempts: number;
  /** Wait after the first failure; doubles after each further one. */
  baseMs: number;
  /** Upper bound of any wait. */
  maxMs: number;
}

/** Defaults for production: 5 attempts, 2 s doubling up to 2 min. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseMs: 2_000, maxMs: 120_000 };

/**
 * Capped exponential backoff with equal jitter (half fixed, half random, so retries of many
 * jobs spread out but never come back immediately). A platform `Retry-After` wins when longer.
 */
export function retryDelayMs(
  failedAttempts: number,
  policy: RetryPolicy,
  error?: Pick<PortalOpsError, 'details'>,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  const retryAfterSeconds = error?.details?.retryAfterSeconds;
  const platformWait = typeof retryAfterSeconds === 'number' ? retryAfterSeconds * 1000 : 0;
  return Math.round(Math.min(policy.maxMs, Math.max(jittered, platformWait)));
}
