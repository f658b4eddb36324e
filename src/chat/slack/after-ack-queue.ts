import pLimit from 'p-limit';

/** How the work behind acknowledged requests is scheduled. */
export interface AfterAckQueueOptions {
  /** Pieces of work that run at once. */
  concurrency: number;
  /** Work waits until no request has arrived for this long… */
  lullMs: number;
  /** …but never longer than this after it was queued. */
  maxDeferMs: number;
  now?: () => number;
}

/** Runs the work behind already acknowledged requests. */
export interface AfterAckQueue {
  /** Queues work for a request that has just been acknowledged. */
  add(work: () => Promise<unknown>): Promise<void>;
}

/**
 * Slack must have its acknowledgement within 3 seconds, while the answer may come later. During a
 * burst of requests this queue lets acknowledgements go first: queued work starts in a lull
 * (no new request for `lullMs`) or once it has waited `maxDeferMs`, a few pieces at a time.
 */
export function createAfterAckQueue(options: AfterAckQueueOptions): AfterAckQueue {
  const now = options.now ?? (() => performance.now());
  const limit = pLimit(options.concurrency);
  let lastRequestAt = Number.NEGATIVE_INFINITY;
  const startWhenQuiet = async (queuedAt: number): Promise<void> => {
    for (;;) {
      const t = now();
      const quietFor = t - lastRequestAt;
      const waited = t - queuedAt;
      if (quietFor >= options.lullMs || waited >= options.maxDeferMs) return;
      const wait = Math.min(options.lullMs - quietFor, options.maxDeferMs - waited);
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait)));
    }
  };
  return {
    add(work) {
      const queuedAt = now();
      lastRequestAt = queuedAt;
      return limit(async () => {
        await startWhenQuiet(queuedAt);
        await work();
      });
    },
  };
}
