/**
 * Turns any failed platform call into a {@link PortalOpsError} with a stable code and one clear
 * line: what failed, where, and the platform's own reason. Never includes tokens or bodies sent.
 */
import { AxiosError } from 'axios';
import type { ErrorCode } from '../../domain/error-codes.ts';
import { isPortalOpsError, PortalOpsError } from '../../domain/errors.ts';
import { retryAfterMs } from './retry-policy.ts';

/** What the failed call was, for the message. */
export interface CallContext {
  /** Service name people know, e.g. "Power Pages API". */
  service: string;
  /** What PortalOps was doing, e.g. "list websites". */
  action: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** The `{error:{code,message}}` of a platform answer (also AAD's `{error, error_description}`). */
export function platformErrorOf(data: unknown): { code?: string; message?: string } {
  if (!data || typeof data !== 'object') return {};
  const error = (data as { error?: unknown; error_description?: unknown }).error;
  if (error && typeof error === 'object') {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof message === 'string' ? { message } : {}),
    };
  }
  if (typeof error === 'string') {
    const description = (data as { error_description?: unknown }).error_description;
    return {
      code: error,
      ...(typeof description === 'string' ? { message: description.split('\n')[0] } : {}),
    };
  }
  return {};
}

function hostOf(error: AxiosError): string {
  try {
    const url = new URL(error.config?.url ?? '', error.config?.baseURL);
    return url.host;
  } catch {
    return 'the service';
  }
}

/** Maps an HTTP status (and the platform's code) to PortalOps's code and retryability. */
export function codeForStatus(
  status: number,
  platformCode?: string,
): { code: ErrorCode; retryable: boolean } {
  if (status === 401) {
    return {
      code: platformCode === 'ExpiredAuthenticationToken' ? 'token_expired' : 'auth_failed',
      retryable: false,
    };
  }
  if (status === 403) {
    return {
      code: platformCode === 'MissingSiteAppPermission' ? 'missing_site_app_permission' : 'forbidden',
      retryable: false,
    };
  }
  if (status === 404) return { code: 'not_found', retryable: false };
  if (status === 409 || status === 412) return { code: 'conflict', retryable: false };
  if (status === 429) return { code: 'throttled', retryable: true };
  if (status === 503) return { code: 'service_unavailable', retryable: true };
  if (status >= 500) return { code: 'platform_error', retryable: true };
  return { code: 'bad_request', retryable: false };
}

/** A stand-in for an axios error that keeps what helps debugging and drops headers (tokens). */
function sanitized(error: AxiosError): Error {
  const method = (error.config?.method ?? 'get').toUpperCase();
  let where = '';
  try {
    const url = new URL(error.config?.url ?? '', error.config?.baseURL);
    where = `${url.origin}${url.pathname}`;
  } catch {
    where = error.config?.url ?? '';
  }
  return new Error(`${method} ${where} failed: ${error.response?.status ?? error.code ?? error.message}`);
}

/** Converts anything a platform call threw. */
export function toPortalOpsError(error: unknown, context: CallContext): PortalOpsError {
  if (isPortalOpsError(error)) return error;
  const what = `${context.service} could not ${context.action}`;
  if (!(error instanceof AxiosError)) {
    return new PortalOpsError('platform_error', `${what}: ${(error as Error)?.message ?? 'unknown error'}.`, {
      cause: error,
    });
  }
  const response = error.response;
  if (!response) {
    const host = hostOf(error);
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' || /timeout/i.test(error.message)) {
      return new PortalOpsError(
        'request_timeout',
        `${what}: ${host} did not answer in time. Try again in a moment.`,
        {
          retryable: true,
          cause: sanitized(error),
        },
      );
    }
    const network = NETWORK_CODES.has(error.code ?? '') || /socket hang up|ECONN/i.test(error.message);
    return new PortalOpsError(
      network ? 'endpoint_unreachable' : 'platform_error',
      `${what}: cannot reach ${host} (${error.code ?? error.message}). Check the URL and the network.`,
      { retryable: true, cause: sanitized(error) },
    );
  }
  const platform = platformErrorOf(response.data);
  const { code, retryable } = codeForStatus(response.status, platform.code);
  const reason = platform.message ?? response.statusText ?? `HTTP ${response.status}`;
  const retryAfter = retryAfterMs(response.headers?.['retry-after']);
  return new PortalOpsError(code, `${what}: ${reason}${platform.code ? ` (${platform.code})` : ''}`, {
    retryable,
    status: response.status,
    ...(platform.code ? { platformCode: platform.code } : {}),
    // Who asked to wait, and how long: a job shows both on its card while it waits.
    details:
      retryAfter === undefined
        ? {}
        : { retryAfterSeconds: Math.ceil(retryAfter / 1000), service: context.service },
    cause: sanitized(error),
  });
}
