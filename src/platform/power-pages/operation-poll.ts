/**
 * Reads the body of an `Operation-Location` poll. The body is not documented; this follows
 * Microsoft's own client (test/contracts/samples/power-pages-api/operation-status-poll.inferred.md,
 * power-platform-skills activate-site.js): it reads `status` or `Status`, treats `Succeeded` and
 * `Failed` as final and anything else as still running, reads the failure from `error.message`
 * or `Error.message`, and never reads a website id (the site is found by listing websites).
 */
import type { Operation } from '../../domain/website.ts';

const record = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** The operation a poll body describes; an empty or odd body is an operation still running. */
export function readOperation(body: unknown): Operation {
  const data = record(body) ?? {};
  const raw = data.status ?? data.Status;
  const rawStatus = typeof raw === 'string' ? raw : '';
  const state = rawStatus === 'Succeeded' ? 'succeeded' : rawStatus === 'Failed' ? 'failed' : 'running';
  const error = record(data.error) ?? record(data.Error);
  const message = error?.message ?? error?.Message;
  const code = error?.code ?? error?.Code;
  return {
    state,
    rawStatus,
    ...(typeof message === 'string'
      ? { error: { message, ...(typeof code === 'string' ? { code } : {}) } }
      : {}),
  };
}
