import { AxiosError, AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';
import {
  asksTooLong,
  retryAfterMs,
  retryDelay,
  shouldRetry,
} from '../../../src/platform/http/retry-policy.ts';

function failure(method: string, status?: number, code?: string): AxiosError {
  const config = { method, headers: new AxiosHeaders() };
  const response = status ? { status, statusText: '', headers: {}, config, data: {} } : undefined;
  return new AxiosError('failed', code, config, undefined, response as never);
}

describe('retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3_000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs(new Date(10_000 + 5_000).toUTCString(), 10_000)).toBe(5_000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('honours Retry-After up to the cap, else backs off exponentially with jitter under the cap', () => {
    expect(retryDelay(1, '2', { maxBackoffMs: 5_000 })).toBe(2_000);
    expect(retryDelay(1, '2', { maxBackoffMs: 100 })).toBe(100);
    expect(retryDelay(1, undefined, { baseMs: 100, maxBackoffMs: 10_000 }, () => 1)).toBe(100);
    expect(retryDelay(4, undefined, { baseMs: 100, maxBackoffMs: 10_000 }, () => 1)).toBe(800);
    expect(retryDelay(30, undefined, { baseMs: 100, maxBackoffMs: 5_000 }, () => 1)).toBe(5_000);
    expect(retryDelay(3, undefined, { baseMs: 100, maxBackoffMs: 5_000 }, () => 0)).toBe(0);
  });

  it('leaves a Retry-After beyond the cap, or of half a minute and more, to the caller', () => {
    expect(asksTooLong('2', 5_000)).toBe(false);
    expect(asksTooLong('6', 5_000)).toBe(true);
    expect(asksTooLong('30', 60_000)).toBe(true);
    expect(asksTooLong(undefined, 5_000)).toBe(false);
  });

  it('retries throttling and outages on any method, network faults only when repeating is safe', () => {
    expect(shouldRetry(failure('post', 429))).toBe(true);
    expect(shouldRetry(failure('post', 503))).toBe(true);
    expect(shouldRetry(failure('get', 502))).toBe(true);
    expect(shouldRetry(failure('post', 502))).toBe(false);
    expect(shouldRetry(failure('get', undefined, 'ECONNRESET'))).toBe(true);
    expect(shouldRetry(failure('post', undefined, 'ECONNRESET'))).toBe(false);
    expect(shouldRetry(failure('get', 400))).toBe(false);
    expect(shouldRetry(failure('get', 404))).toBe(false);
  });
});
