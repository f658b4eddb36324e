/**
 * When and how long to wait before sending a failed platform request again.
 */

import type { AxiosError } from 'axios';
import { isNetworkError } from 'axios-retry';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']);

/**
 * Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), or undefined.
 * `now` is epoch ms.
 */
export function retryAfterMs(header: unknown, now: number = Date.now()): number | undefined {
  if (header === undefined || header === null || header === '') return undefined;
  const text = String(header).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * True when sending the request again is safe and may help: throttling and outages on any
 * method (the platform did not process the request), network faults, timeouts and gateway
 * errors only on idempotent methods (a POST may have been accepted).
 */
export function shouldRetry(error: AxiosError): boolean {
  if (error.code === 'ERR_CANCELED') return false;
  const status = error.response?.status;
  const method = (error.config?.method ?? 'get').toUpperCase();
  if (status === 429 || status === 503) return true;
  if (!IDEMPOTENT.has(method)) return false;
  if (status === 502 || status === 504) return true;
  if (status === undefined)
    return isNetworkError(error) || error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
  return false;
}

/**
 * From this long on, a wait is worth telling people about: the HTTP client does not sit through
 * it unseen but hands the error to its caller (a job shows the wait on its card and retries the
 * step; a chat answer says when to try again).
 */
export const LONG_WAIT_MS = 30_000;

/**
 * Whether a `Retry-After` asks for longer than the HTTP client waits by itself: longer than the
 * configured maximum (`PORTALOPS_HTTP_MAX_BACKOFF_MS`; retrying sooner would only be refused
 * again) or at least {@link LONG_WAIT_MS}.
 */
export function asksTooLong(
  retryAfterHeader: unknown,
  maxBackoffMs: number,
  now: number = Date.now(),
): boolean {
  const asked = retryAfterMs(retryAfterHeader, now);
  return asked !== undefined && (asked > maxBackoffMs || asked >= LONG_WAIT_MS);
}

/**
 * The wait before retry number `attempt` (1-based): the platform's Retry-After when it gives
 * one, otherwise capped exponential backoff with full jitter. Never more than `maxBackoffMs`,
 * whatever Retry-After says.
 */
export function retryDelay(
  attempt: number,
  retryAfterHeader: unknown,
  options: { baseMs?: number; maxBackoffMs: number },
  random: () => number = Math.random,
): number {
  const asked = retryAfterMs(retryAfterHeader);
  if (asked !== undefined) return Math.min(asked, options.maxBackoffMs);
  const ceiling = Math.min(options.maxBackoffMs, (options.baseMs ?? 500) * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}
