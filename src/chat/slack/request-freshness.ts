/**
 * Refusing Slack requests whose signed timestamp is not close to now. Slack signs
 * `v0:<timestamp>:<body>` and asks apps to refuse a timestamp more than five minutes from local
 * time (docs.slack.dev/authentication/verifying-requests-from-slack), so a captured request cannot
 * be replayed later. Bolt 5's receiver refuses old timestamps only; one from the future would
 * stay replayable until that future came, so this check runs in front of it (signed-requests.ts).
 */

/** How far a request's timestamp may be from the local clock, either way. */
export const MAX_TIMESTAMP_SKEW_SECONDS = 5 * 60;

/**
 * Whether a `X-Slack-Request-Timestamp` is within five minutes of `nowMs`, before or after.
 * A missing header is left to the signature check (which refuses it).
 */
export function isFreshTimestamp(header: string | string[] | undefined, nowMs: number): boolean {
  if (header === undefined) return true;
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || !/^\d{1,12}$/.test(text.trim())) return false;
  return Math.abs(Number(text) - nowMs / 1000) <= MAX_TIMESTAMP_SKEW_SECONDS;
}
