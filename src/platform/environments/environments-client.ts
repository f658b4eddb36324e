/**
 * Resolves an environment alias or id into what provisioning and migration need: the
 * Dataverse URL and organization id (from the environment lookup API), the base language and
 * the installed languages (from Dataverse). Results are cached for a few minutes.
 */
import type { AxiosInstance } from 'axios';
import type { EnvironmentRegistry } from '../../config/environment-registry.ts';
import type { EnvironmentDetails } from '../../domain/environment.ts';
import type { Logger } from '../../logging/logger.ts';
import { createHttpClient } from '../http/http-client.ts';
import { toPortalOpsError } from '../http/platform-error.ts';
import type { DataverseFactory, Environments, TokenProvider } from '../ports.ts';

/** The environment lookup API version. */
export const BAP_API_VERSION = '2021-04-01';
/** OAuth scope of the environment lookup API. */
export const BAP_SCOPE = 'https://api.bap.microsoft.com/.default';

/** Options of {@link EnvironmentsClient}. */
export interface EnvironmentsClientOptions {
  registry: EnvironmentRegistry;
  /** `https://api.bap.microsoft.com` (or the simulator). */
  bapBaseUrl: string;
  tokenProvider: TokenProvider;
  dataverse: DataverseFactory;
  timeoutMs: number;
  maxRetries: number;
  maxBackoffMs: number;
  /** How long a resolved environment is reused. Default 5 minutes. */
  cacheMs?: number;
  now?: () => number;
  logger?: Logger;
}

interface LinkedMetadata {
  instanceUrl?: string;
  resourceId?: string;
  baseLanguage?: number;
}

/** The real client. */
export class EnvironmentsClient implements Environments {
  private readonly http: AxiosInstance;
  private readonly cache = new Map<string, { at: number; details: EnvironmentDetails }>();
  private readonly now: () => number;

  constructor(private readonly options: EnvironmentsClientOptions) {
    this.now = options.now ?? Date.now;
    this.http = createHttpClient({
      baseURL: options.bapBaseUrl.replace(/\/$/, ''),
      tokenProvider: options.tokenProvider,
      scope: BAP_SCOPE,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      maxBackoffMs: options.maxBackoffMs,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  async resolve(aliasOrId: string): Promise<EnvironmentDetails> {
    const entry = this.options.registry.get(aliasOrId);
    const cached = this.cache.get(entry.environmentId);
    if (cached && this.now() - cached.at < (this.options.cacheMs ?? 300_000)) return cached.details;
    let metadata: LinkedMetadata;
    let displayName = entry.displayName;
    try {
      const { data } = await this.http.get(
        `/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${encodeURIComponent(entry.environmentId)}`,
        { params: { 'api-version': BAP_API_VERSION }, headers: { 'x-ms-tenant-id': entry.tenantId } },
      );
      metadata = (data?.properties?.linkedEnvironmentMetadata ?? {}) as LinkedMetadata;
      displayName = data?.properties?.displayName ?? displayName;
    } catch (error) {
      throw toPortalOpsError(error, {
        service: 'The environment lookup',
        action: `find environment ${entry.alias}`,
      });
    }
    const dataverseUrl = (metadata.instanceUrl ?? entry.dataverseUrl).replace(/\/+$/, '');
    const installedLanguages = await this.options
      .dataverse(dataverseUrl, entry.tenantId)
      .provisionedLanguages();
    const details: EnvironmentDetails = {
      alias: entry.alias,
      environmentId: entry.environmentId,
      displayName,
      dataverseUrl,
      organizationId: metadata.resourceId ?? '',
      baseLanguage: metadata.baseLanguage ?? installedLanguages[0] ?? 1033,
      installedLanguages,
      tenantId: entry.tenantId,
      protected: entry.protected,
    };
    this.cache.set(entry.environmentId, { at: this.now(), details });
    return details;
  }
}
