/**
 * What every Power Platform API client (`https://api.powerplatform.com`: Power Pages websites,
 * application packages) is built from: its options and its HTTP client for the API's scope.
 */
import type { AxiosInstance } from 'axios';
import type { Logger } from '../../logging/logger.ts';
import type { TokenProvider } from '../ports.ts';
import { createHttpClient } from './http-client.ts';

/** OAuth scope of the Power Platform API. */
export const POWER_PLATFORM_SCOPE = 'https://api.powerplatform.com/.default';

/** Options of a Power Platform API client. */
export interface PowerPlatformApiOptions {
  /** `https://api.powerplatform.com` (or the simulator). */
  baseUrl: string;
  tokenProvider: TokenProvider;
  timeoutMs: number;
  maxRetries: number;
  maxBackoffMs: number;
  logger?: Logger;
}

/** The HTTP client of a Power Platform API client, rooted at `options.baseUrl` without its trailing slash. */
export function createPowerPlatformApiHttp(options: PowerPlatformApiOptions): AxiosInstance {
  return createHttpClient({
    baseURL: options.baseUrl.replace(/\/$/, ''),
    tokenProvider: options.tokenProvider,
    scope: POWER_PLATFORM_SCOPE,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    maxBackoffMs: options.maxBackoffMs,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
