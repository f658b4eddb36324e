/**
 * The axios instance every platform client uses: a bearer token per request (renewed once on
 * an expired-token answer), retries with Retry-After and capped jittered backoff, timeouts. A
 * Retry-After longer than the cap (or than half a minute) is not sat through here: the error goes
 * to the caller with the wait it asked for, so a job can show it.
 */
import axios, { type AxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import axiosRetry from 'axios-retry';
import type { Logger } from '../../logging/logger.ts';
import type { TokenProvider } from '../ports.ts';
import { platformCallsObserved, reportPlatformCall, serviceOfScope } from './platform-calls.ts';
import { platformErrorOf } from './platform-error.ts';
import { asksTooLong, retryAfterMs, retryDelay, shouldRetry } from './retry-policy.ts';
import type { ThrottleSignal } from './throttle-signal.ts';

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  baseURL?: string;
  tokenProvider: TokenProvider;
  /** OAuth scope of the service, e.g. `https://api.powerplatform.com/.default`. */
  scope: string;
  tenantId?: string;
  timeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Upper bound of one wait, Retry-After included (a longer Retry-After goes to the caller). */
  maxBackoffMs: number;
  /** First backoff step; doubles per retry. Default 500 ms. */
  baseBackoffMs?: number;
  headers?: Record<string, string>;
  logger?: Logger;
  /** Told of every throttled (429) answer before it is retried. */
  throttle?: ThrottleSignal;
}

interface TokenRetryConfig extends InternalAxiosRequestConfig {
  portalopsTokenRefreshed?: boolean;
  /** When this attempt was sent (`performance.now()`), for the call metrics. */
  portalopsSentAt?: number;
}

/** Creates the client. Errors stay axios errors; callers map them with `toPortalOpsError`. */
export function createHttpClient(options: HttpClientOptions): AxiosInstance {
  const client = axios.create({
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    timeout: options.timeoutMs,
    headers: { Accept: 'application/json', ...options.headers },
    // A platform answer is data, not an exception, until we decide otherwise.
    maxRedirects: 0,
  });
  const tokenOptions = options.tenantId ? { tenantId: options.tenantId } : {};

  client.interceptors.request.use(async (config) => {
    const refreshed = (config as TokenRetryConfig).portalopsTokenRefreshed === true;
    const token = await options.tokenProvider.getToken(options.scope, {
      ...tokenOptions,
      forceRefresh: refreshed,
    });
    config.headers.set('Authorization', `Bearer ${token.token}`);
    return config;
  });

  // Every attempt (retries included) is reported to the call metrics; registered before the
  // retry handler so it sees each attempt's answer.
  const service = serviceOfScope(options.scope);
  client.interceptors.request.use((config) => {
    if (platformCallsObserved()) (config as TokenRetryConfig).portalopsSentAt = performance.now();
    return config;
  });
  const reportAttempt = (config: TokenRetryConfig | undefined, status: number) => {
    if (config?.portalopsSentAt === undefined) return;
    reportPlatformCall({
      service,
      method: (config.method ?? 'get').toUpperCase(),
      status,
      durationMs: performance.now() - config.portalopsSentAt,
    });
  };
  client.interceptors.response.use(
    (response) => {
      reportAttempt(response.config, response.status);
      return response;
    },
    (error: AxiosError) => {
      reportAttempt(error.config, error.response?.status ?? 0);
      throw error;
    },
  );

  axiosRetry(client, {
    retries: options.maxRetries,
    shouldResetTimeout: true,
    retryCondition: (error) => {
      if (!shouldRetry(error)) return false;
      const retryAfter = error.response?.headers?.['retry-after'];
      if (!asksTooLong(retryAfter, options.maxBackoffMs)) return true;
      // A long wait is the caller's to show (a job on its card); bulk work still slows down.
      if (error.response?.status === 429) options.throttle?.emit(retryAfterMs(retryAfter));
      return false;
    },
    retryDelay: (attempt, error) =>
      retryDelay(attempt, error.response?.headers?.['retry-after'], {
        maxBackoffMs: options.maxBackoffMs,
        ...(options.baseBackoffMs === undefined ? {} : { baseMs: options.baseBackoffMs }),
      }),
    onRetry: (attempt, error, config) => {
      if (error.response?.status === 429)
        options.throttle?.emit(retryAfterMs(error.response.headers?.['retry-after']));
      options.logger?.debug(
        {
          attempt,
          status: error.response?.status,
          code: error.code,
          method: config.method,
          url: config.url?.split('?')[0],
        },
        'retrying platform request',
      );
    },
  });

  client.interceptors.response.use(undefined, async (error: AxiosError) => {
    const config = error.config as TokenRetryConfig | undefined;
    const platform = platformErrorOf(error.response?.data);
    if (
      error.response?.status === 401 &&
      platform.code === 'ExpiredAuthenticationToken' &&
      config &&
      !config.portalopsTokenRefreshed
    ) {
      config.portalopsTokenRefreshed = true;
      options.logger?.debug({ url: config.url?.split('?')[0] }, 'token expired; renewing once');
      return client.request(config);
    }
    throw error;
  });

  return client;
}
