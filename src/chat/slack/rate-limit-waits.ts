/**
 * Slack's Web API client sits through whatever `Retry-After` a 429 names (an hour, if Slack says
 * so) with the whole request queue paused. This client waits at most the configured maximum
 * (`PORTALOPS_HTTP_MAX_BACKOFF_MS`) before trying a rate-limited call again, a few times, and then
 * fails it like any other call.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, type WebAPICallResult, WebClient, type WebClientOptions } from '@slack/web-api';

/** Tries of a rate-limited call, the first one included. */
const ATTEMPTS = 4;

/** A Web API client whose waits for rate limits are capped. */
export class CappedWaitWebClient extends WebClient {
  constructor(
    token: string,
    options: WebClientOptions,
    /** Longest wait before trying a rate-limited call again. */
    private readonly maxWaitMs: number,
  ) {
    // The client throws rate limits at once, with the wait Slack named, instead of waiting.
    super(token, { ...options, rejectRateLimitedCalls: true });
  }

  // Every method (`chat.postMessage`, …) is bound to this at construction.
  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await super.apiCall(method, options);
      } catch (error) {
        const limited = error as { code?: string; retryAfter?: number };
        if (limited.code !== ErrorCode.RateLimitedError || attempt >= ATTEMPTS) throw error;
        await sleep(Math.min(this.maxWaitMs, Math.max(0, limited.retryAfter ?? 1) * 1000));
      }
    }
  }
}
