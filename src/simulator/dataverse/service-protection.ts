/**
 * Dataverse service protection limits, per caller per organization: requests per window,
 * combined execution time per window, and concurrent requests. Exceeding one answers 429 with
 * Retry-After, like the real service.
 */

/** The limits; defaults are Dataverse's documented ones. */
export interface ServiceProtectionLimits {
  windowMs: number;
  maxRequests: number;
  maxExecutionMs: number;
  maxConcurrent: number;
}

/**
 * Dataverse's limits: 1,200 s of execution per 300 s and 52 at once (api-limits.md), and the
 * request count a live environment reported, 8,000 per 300 s (throttling-429.http; the
 * documented default is 6,000, the real number is per environment).
 */
export const DATAVERSE_LIMITS: ServiceProtectionLimits = {
  windowMs: 300_000,
  maxRequests: 8_000,
  maxExecutionMs: 1_200_000,
  maxConcurrent: 52,
};

/** Why a request was refused, with the platform's error code. */
export interface Throttle {
  code: '0x80072322' | '0x80072321' | '0x80072326';
  message: string;
  retryAfterSeconds: number;
}

interface CallerWindow {
  /** Start times and execution times of requests in the window. */
  entries: { at: number; executionMs: number }[];
  inFlight: number;
}

/** Tracks usage and decides whether a request may run. */
export class ServiceProtection {
  private readonly callers = new Map<string, CallerWindow>();

  constructor(
    private readonly limits: ServiceProtectionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  private window(caller: string): CallerWindow {
    let w = this.callers.get(caller);
    if (!w) {
      w = { entries: [], inFlight: 0 };
      this.callers.set(caller, w);
    }
    const cutoff = this.now() - this.limits.windowMs;
    while (w.entries.length > 0 && w.entries[0]!.at <= cutoff) w.entries.shift();
    return w;
  }

  /**
   * Admits a request or says why not. An admitted request must be finished with
   * {@link finish}, reporting its execution time.
   */
  admit(caller: string): Throttle | { admitted: true; entry: { at: number; executionMs: number } } {
    const w = this.window(caller);
    const retryAfter = () =>
      Math.max(1, Math.ceil(((w.entries[0]?.at ?? this.now()) + this.limits.windowMs - this.now()) / 1000));
    if (w.entries.length >= this.limits.maxRequests) {
      return {
        code: '0x80072322',
        message: `Number of requests exceeded the limit of ${this.limits.maxRequests} over time window of ${this.limits.windowMs / 1000} seconds.`,
        retryAfterSeconds: retryAfter(),
      };
    }
    const executed = w.entries.reduce((sum, e) => sum + e.executionMs, 0);
    if (executed >= this.limits.maxExecutionMs) {
      return {
        code: '0x80072321',
        // The doc's text, two spaces before "milliseconds" included (throttling-429.http).
        message: `Combined execution time of incoming requests exceeded limit of ${this.limits.maxExecutionMs.toLocaleString('en-US')}  milliseconds over time window of ${this.limits.windowMs / 1000} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`,
        retryAfterSeconds: retryAfter(),
      };
    }
    if (w.inFlight >= this.limits.maxConcurrent) {
      return {
        code: '0x80072326',
        message: `Number of concurrent requests exceeded the limit of ${this.limits.maxConcurrent}.`,
        retryAfterSeconds: 1,
      };
    }
    const entry = { at: this.now(), executionMs: 0 };
    w.entries.push(entry);
    w.inFlight++;
    return { admitted: true, entry };
  }

  /** Ends an admitted request. */
  finish(caller: string, entry: { at: number; executionMs: number }, executionMs: number): void {
    const w = this.callers.get(caller);
    if (!w) return;
    // Execution time counts in the window from when the request finished.
    entry.at = this.now();
    entry.executionMs = executionMs;
    w.entries.sort((a, b) => a.at - b.at);
    w.inFlight = Math.max(0, w.inFlight - 1);
  }
}
