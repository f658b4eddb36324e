/**
 * Resolves an environment alias or id into what provisioning and migration need: the
 * Dataverse URL and organization id (from the environment lookup API), the base language and
 * the installed languages (from Dataverse). Results are cached for a few minutes.
 */
import type { AxiosInstance } from 'axios';
import type { EnvironmentRegistry } from '../../config/environment-registry.ts';
import type { EnvironmentDetails, EnvironmentEntry } from '../../domain/environment.ts';
import { PortalOpsError } from '../../domain/errors.ts';
import type { Logger } from '../../logging/logger.ts';
import { createHttpClient } from '../http/http-client.ts';
import { toPortalOpsError } from '../http/platform-error.ts';
import type { DataverseFactory, Environments, TokenProvider } from '../ports.ts';
import { parseBapEnvironment } from './bap-environment-schema.ts';

/** The environment lookup API version (the one powerplatform-vscode sends for this call). */
export const BAP_API_VERSION = '2021-04-01';
/**
 * OAuth scope of the environment lookup API. The samples show two audiences in use:
 * cli-microsoft365 and powerplatform-vscode ask for `https://api.bap.microsoft.com`, Microsoft's
 * Terraform provider for `https://service.powerapps.com` (bap/requests-and-token-scopes.md).
 * PortalOps uses the PowerApps service one, as Terraform does: Terraform is the client that
 * calls BAP with a service principal as well as with a person, which PortalOps needs for
 * client credentials, and "PowerApps Service" (permission `User`) is the API an admin adds to
 * the app registration — there is no separate BAP entry to consent to.
 */
export const BAP_SCOPE = 'https://service.powerapps.com/.default';

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

/** The real client. */
export class EnvironmentsClient implements Environments {
  /** One HTTP client per tenant: each asks for tokens from its environment's own tenant. */
  private readonly clients = new Map<string, AxiosInstance>();
  private readonly cache = new Map<string, { at: number; details: EnvironmentDetails }>();
  private readonly now: () => number;

  constructor(private readonly options: EnvironmentsClientOptions) {
    this.now = options.now ?? Date.now;
  }

  private httpFor(tenantId: string): AxiosInstance {
    const key = tenantId.toLowerCase();
    let http = this.clients.get(key);
    if (!http) {
      http = createHttpClient({
        baseURL: this.options.bapBaseUrl.replace(/\/$/, ''),
        tokenProvider: this.options.tokenProvider,
        scope: BAP_SCOPE,
        tenantId,
        timeoutMs: this.options.timeoutMs,
        maxRetries: this.options.maxRetries,
        maxBackoffMs: this.options.maxBackoffMs,
        ...(this.options.logger ? { logger: this.options.logger } : {}),
      });
      this.clients.set(key, http);
    }
    return http;
  }

  async resolve(aliasOrId: string): Promise<EnvironmentDetails> {
    const entry = this.options.registry.get(aliasOrId);
    const cached = this.cache.get(entry.environmentId);
    if (cached && this.now() - cached.at < (this.options.cacheMs ?? 300_000)) return cached.details;
    const environment = await this.lookUp(entry);
    const metadata = environment.properties.linkedEnvironmentMetadata;
    if (!metadata) {
      throw new PortalOpsError(
        'not_found',
        `Environment ${entry.alias} has no Dataverse database, and Power Pages sites need one. Add a database to it in the Power Platform admin center, or pick another environment.`,
        { details: { environmentId: entry.environmentId } },
      );
    }
    // instanceUrl is the organization URL Dataverse tokens are issued for; the Web API answers there too.
    const dataverseUrl = metadata.instanceUrl.replace(/\/+$/, '');
    if (dataverseUrl.toLowerCase() !== entry.dataverseUrl.toLowerCase()) {
      this.options.logger?.warn(
        { environment: entry.alias, registry: entry.dataverseUrl, platform: dataverseUrl },
        'the environments file names another Dataverse URL than the platform; using the platform one',
      );
    }
    const installedLanguages = await this.options
      .dataverse(dataverseUrl, entry.tenantId)
      .provisionedLanguages();
    const details: EnvironmentDetails = {
      alias: entry.alias,
      environmentId: entry.environmentId,
      displayName: environment.properties.displayName || entry.displayName,
      dataverseUrl,
      organizationId: metadata.resourceId,
      baseLanguage: metadata.baseLanguage,
      installedLanguages,
      tenantId: entry.tenantId,
      protected: entry.protected,
    };
    this.cache.set(entry.environmentId, { at: this.now(), details });
    return details;
  }

  /** `GET …/scopes/admin/environments/{id}` with a token from the environment's tenant. */
  private async lookUp(entry: EnvironmentEntry) {
    let data: unknown;
    try {
      ({ data } = await this.httpFor(entry.tenantId).get(
        `/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${encodeURIComponent(entry.environmentId)}`,
        { params: { 'api-version': BAP_API_VERSION } },
      ));
    } catch (error) {
      throw toPortalOpsError(error, {
        service: 'The environment lookup',
        action: `find environment ${entry.alias}`,
      });
    }
    const parsed = parseBapEnvironment(data);
    if ('problem' in parsed) {
      throw new PortalOpsError(
        'platform_error',
        `The environment lookup answered for ${entry.alias} in a shape PortalOps cannot read (${parsed.problem}).`,
      );
    }
    if (parsed.environment.properties.tenantId.toLowerCase() !== entry.tenantId.toLowerCase()) {
      throw new PortalOpsError(
        'environments_file_invalid',
        `The environments file says ${entry.alias} is in tenant ${entry.tenantId}, but the platform says ${parsed.environment.properties.tenantId}. Correct its tenantId.`,
      );
    }
    return parsed.environment;
  }
}
