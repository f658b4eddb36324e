import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../src/jobs/retry-delay.ts';

const policy = { maxAttempts: 5, baseMs: 1_000, maxMs: 10_000 };

describe('retryDelayMs', () => {
  it('doubles with each failed attempt, between half and the full exponential value', () => {
    expect(retryDelayMs(1, policy, undefined, () => 0)).toBe(500);
    expect(retryDelayMs(1, policy, undefined, () => 1)).toBe(1_000);
    expect(retryDelayMs(3, policy, undefined, () => 1)).toBe(4_000);
  });

  it('never exceeds the cap', () => {
    expect(retryDelayMs(20, policy, undefined, () => 1)).toBe(10_000);
  });

  it('waits at least as long as the platform asked with Retry-After', () => {
    expect(retryDelayMs(1, policy, { details: { retryAfterSeconds: 7 } }, () => 0)).toBe(7_000);
    expect(retryDelayMs(1, policy, { details: { retryAfterSeconds: 60 } }, () => 0)).toBe(10_000);
  });
});
