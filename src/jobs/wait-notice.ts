/**
 * What a job's card says while the job waits a long time before trying a step again, in the
 * words of whoever asked: "Dataverse asked us to wait 5 min; resuming at 10:42:07 UTC".
 */
import type { PortalOpsError } from '../domain/errors.ts';
import { LONG_WAIT_MS } from '../platform/http/retry-policy.ts';

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}

/** The clock time `at` (UTC, the server's clock; seconds for waits under ten minutes). */
function clock(at: number, waitMs: number): string {
  const iso = new Date(at).toISOString();
  return `${waitMs < 600_000 ? iso.slice(11, 19) : iso.slice(11, 16)} UTC`;
}

/**
 * The card's line for a wait of `waitMs` from `now` after `error`; undefined for a wait too
 * short to mention. The service and the wait it asked for come from the error's details
 * (`service`, `retryAfterSeconds`, set for throttling and outage answers).
 */
export function waitNotice(
  error: Pick<PortalOpsError, 'details'>,
  waitMs: number,
  now: number,
): string | undefined {
  // The HTTP client hands waits this long to the job, so the card is where they show.
  if (waitMs < LONG_WAIT_MS) return undefined;
  const askedSeconds = error.details.retryAfterSeconds;
  const service = typeof error.details.service === 'string' ? error.details.service : undefined;
  const at = clock(now + waitMs, waitMs);
  if (typeof askedSeconds === 'number' && service) {
    const asked = askedSeconds * 1000;
    // Waits are capped: a job tries again sooner than a very long Retry-After, and says so.
    const next = asked > waitMs + 1_000 ? `trying again at ${at}` : `resuming at ${at}`;
    return `${service} asked us to wait ${duration(asked)}; ${next}`;
  }
  return `Waiting ${duration(waitMs)} before trying again; resuming at ${at}`;
}
