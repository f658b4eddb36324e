/**
 * Calls to the Bot Connector honour its throttling: a 429 (or 503) is retried after the
 * `Retry-After` it names, a few times, before the error is passed on.
 */

/** How many times a throttled call is tried, the first one included. */
const MAX_ATTEMPTS = 4;
/** Longest wait between attempts by default, whatever `Retry-After` says (`PORTALOPS_HTTP_MAX_BACKOFF_MS`). */
export const DEFAULT_CONNECTOR_MAX_WAIT_MS = 30_000;

type ResponseHeaders = Headers | Record<string, string | string[] | undefined>;

interface ThrottleError {
  status?: number;
  response?: { status?: number; headers?: ResponseHeaders };
}

function header(headers: ResponseHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The wait before trying a throttled call again, at most `maxWaitMs`; undefined when the error
 * is not throttling.
 */
export function throttleWaitMs(
  error: unknown,
  attempt: number,
  maxWaitMs: number = DEFAULT_CONNECTOR_MAX_WAIT_MS,
): number | undefined {
  const e = error as ThrottleError;
  const status = e?.status ?? e?.response?.status;
  if (status !== 429 && status !== 503) return undefined;
  const retryAfter = header(e.response?.headers, 'retry-after');
  const seconds = retryAfter === undefined || retryAfter === '' ? Number.NaN : Number(retryAfter);
  const asked = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000 * 2 ** attempt;
  return Math.min(maxWaitMs, asked);
}

/** Runs a connector call, waiting out throttling responses (each wait at most `maxWaitMs`). */
export async function withConnectorRetry<T>(
  call: () => Promise<T>,
  maxWaitMs: number = DEFAULT_CONNECTOR_MAX_WAIT_MS,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const wait = attempt < MAX_ATTEMPTS ? throttleWaitMs(error, attempt, maxWaitMs) : undefined;
      if (wait === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
