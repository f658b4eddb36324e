import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAfterAckQueue } from '../../../src/chat/slack/after-ack-queue.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('after-ack queue', () => {
  // The clock is held: how far a timer got never depends on how busy the machine is.
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds work back while requests keep arriving and runs it in the first lull', async () => {
    vi.useFakeTimers();
    const queue = createAfterAckQueue({
      concurrency: 2,
      lullMs: 30,
      maxDeferMs: 5_000,
      now: () => Date.now(),
    });
    const ran: number[] = [];
    const started = Date.now();
    const done = queue.add(async () => {
      ran.push(Date.now() - started);
    });
    // A burst: a new request every 10 ms for 100 ms.
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(10);
      void queue.add(async () => undefined);
    }
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(30);
    await done;
    expect(ran[0]).toBeGreaterThanOrEqual(130);
  });

  it('never defers work longer than the limit, however busy', async () => {
    vi.useFakeTimers();
    const queue = createAfterAckQueue({ concurrency: 1, lullMs: 50, maxDeferMs: 60, now: () => Date.now() });
    let ranAt = -1;
    const started = Date.now();
    const done = queue.add(async () => {
      ranAt = Date.now() - started;
    });
    for (let i = 0; i < 20; i++) {
      await vi.advanceTimersByTimeAsync(10);
      void queue.add(async () => undefined);
    }
    await done;
    expect(ranAt).toBeGreaterThanOrEqual(60);
    expect(ranAt).toBeLessThan(80);
  });

  it('runs at most the configured number of pieces at once', async () => {
    const queue = createAfterAckQueue({ concurrency: 2, lullMs: 0, maxDeferMs: 0 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        queue.add(async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(5);
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });
});
