import type { ErrorCode } from './error-codes.ts';

/** Options for {@link PortalOpsError}. */
export interface PortalOpsErrorOptions {
  /** True when the same call may succeed if tried again later (throttling, outages, timeouts). */
  retryable?: boolean;
  /** The underlying error, kept for logs; never shown to users. */
  cause?: unknown;
  /** HTTP status of the failed call, when there was one. */
  status?: number;
  /** The platform's own error code (e.g. Dataverse `0x80040217`), when it gave one. */
  platformCode?: string;
  /** Machine-readable extras (field names, record ids, retry-after seconds, ...). No secrets. */
  details?: Record<string, unknown>;
}

/**
 * The one error type PortalOps raises for anything a user may see. `message` is safe to show
 * (no secrets, no stack); the fix for the user comes from the guidance catalog by `code`.
 */
export class PortalOpsError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly status?: number;
  readonly platformCode?: string;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: PortalOpsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PortalOpsError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    if (options.status !== undefined) this.status = options.status;
    if (options.platformCode !== undefined) this.platformCode = options.platformCode;
    this.details = options.details ?? {};
  }

  /** A JSON-safe summary (no cause, no stack) for stores, audit lines and `--json` output. */
  toJSON(): {
    code: ErrorCode;
    message: string;
    retryable: boolean;
    status?: number;
    details: Record<string, unknown>;
  } {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.status === undefined ? {} : { status: this.status }),
      details: this.details,
    };
  }
}

/** True when `value` is a {@link PortalOpsError}. */
export function isPortalOpsError(value: unknown): value is PortalOpsError {
  return value instanceof PortalOpsError;
}

/**
 * Wraps anything thrown into a {@link PortalOpsError}, keeping the original as `cause`.
 * @example asPortalOpsError(e, 'platform_error', 'Could not list sites')
 */
export function asPortalOpsError(value: unknown, fallback: ErrorCode, message: string): PortalOpsError {
  if (isPortalOpsError(value)) return value;
  return new PortalOpsError(fallback, message, { cause: value });
}
