import { describe, expect, it } from 'vitest';
import { createAfterAckQueue } from '../../../src/chat/slack/after-ack-queue.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('after-ack queue', () => {
  it('holds work back while requests keep arriving and runs it in the first lull', async () => {
    const queue = createAfterAckQueue({ concurrency: 2, lullMs: 30, maxDeferMs: 5_000 });
    const ran: number[] = [];
    const started = performance.now();
    const done = queue.add(async () => {
      ran.push(performance.now() - started);
    });
    // A burst: a new request every 10 ms for 100 ms.
    for (let i = 0; i < 10; i++) {
      await sleep(10);
      void queue.add(async () => undefined);
    }
    expect(ran).toEqual([]);
    await done;
    expect(ran[0]).toBeGreaterThanOrEqual(100);
  });

  it('never defers work longer than the limit, however busy', async () => {
    const queue = createAfterAckQueue({ concurrency: 1, lullMs: 50, maxDeferMs: 60 });
    let ranAt = 0;
    const started = performance.now();
    const done = queue.add(async () => {
      ranAt = performance.now() - started;
    });
    const burst = (async () => {
      for (let i = 0; i < 20; i++) {
        await sleep(10);
        void queue.add(async () => undefined);
      }
    })();
    await done;
    expect(ranAt).toBeGreaterThanOrEqual(55);
    expect(ranAt).toBeLessThan(150);
    await burst;
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
