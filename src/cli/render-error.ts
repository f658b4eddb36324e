import { isPortalOpsError } from '../domain/errors.ts';

/** Finds a user-facing fix for an error code; the guidance catalog plugs in here. */
export type FixLookup = (code: string) => string | undefined;

/**
 * The one place that turns any failure into what a person reads on the command line: one line
 * saying what failed and, when known, one line saying what to do. Never a stack trace.
 */
export function renderCliError(error: unknown, lookupFix?: FixLookup): string {
  if (isPortalOpsError(error)) {
    const fix = lookupFix?.(error.code);
    return fix ? `✖ ${error.message}\n  → ${fix}` : `✖ ${error.message}`;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `✖ Unexpected failure: ${message}\n  → Run again with --debug for details, and report it if it persists.`;
}
