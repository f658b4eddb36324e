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
 * The wait before retry number `attempt` (1-based): the platform's Retry-After when it gives
 * one, otherwise capped exponential backoff with full jitter.
 */
export function retryDelay(
  attempt: number,
  retryAfterHeader: unknown,
  options: { baseMs?: number; maxBackoffMs: number },
  random: () => number = Math.random,
): number {
  const asked = retryAfterMs(retryAfterHeader);
  if (asked !== undefined) return asked;
  const ceiling = Math.min(options.maxBackoffMs, (options.baseMs ?? 500) * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}
