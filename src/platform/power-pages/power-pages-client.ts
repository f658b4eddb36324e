/**
 * The Power Pages admin API client (`/powerpages/environments/{environmentId}/websites`,
 * api-version 2024-10-01): websites, their creation and deletion, and operation polling.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AxiosInstance } from 'axios';
import { PortalOpsError } from '../../domain/errors.ts';
import type { CreateWebsiteRequest, Operation, Website } from '../../domain/website.ts';
import { type CallContext, toPortalOpsError } from '../http/platform-error.ts';
import { createPowerPlatformApiHttp, type PowerPlatformApiOptions } from '../http/power-platform-api.ts';
import { retryAfterMs } from '../http/retry-policy.ts';
import { SingleFlight } from '../http/single-flight.ts';
import type { AcceptedOperation, PowerPagesApi, WaitOptions } from '../ports.ts';
import {
  DATA_MODEL_PATHS,
  type DataModelMigrationMode,
  dataModelMigrationBody,
  dataModelVersionBody,
} from './data-model-migration.ts';
import { readOperation } from './operation-poll.ts';
import { parseWebsite, websiteListSchema } from './website-schema.ts';

/** The API version this client speaks. */
export const POWER_PAGES_API_VERSION = '2024-10-01';
export { POWER_PLATFORM_SCOPE } from '../http/power-platform-api.ts';

/** Options of {@link PowerPagesClient}. */
export type PowerPagesClientOptions = PowerPlatformApiOptions;

/** A DTO the schema refuses: named, so a support ticket can quote it. */
function toWebsite(dto: unknown, action: string): Website {
  const parsed = parseWebsite(dto);
  if ('website' in parsed) return parsed.website;
  throw new PortalOpsError(
    'platform_error',
    `Power Pages API answered the request to ${action} with a website PortalOps cannot read (${parsed.problem}).`,
  );
}

/** The real client over HTTP. */
export class PowerPagesClient implements PowerPagesApi {
  private readonly http: AxiosInstance;
  /** Site lists of an environment being read: concurrent askers share one request. */
  private readonly lists = new SingleFlight<Website[]>();

  constructor(options: PowerPagesClientOptions) {
    this.http = createPowerPlatformApiHttp(options);
  }

  private async call<T>(context: CallContext, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toPortalOpsError(error, context);
    }
  }

  /** A call that changes an environment's sites: no later list joins a read sent before it ended. */
  private async write<T>(environmentId: string, context: CallContext, run: () => Promise<T>): Promise<T> {
    this.lists.forget(environmentId);
    try {
      return await this.call(context, run);
    } finally {
      this.lists.forget(environmentId);
    }
  }

  private websitesPath(environmentId: string): string {
    return `/powerpages/environments/${encodeURIComponent(environmentId)}/websites`;
  }

  async listWebsites(environmentId: string): Promise<Website[]> {
    // Every asker gets its own copy: the answer is shared between them.
    return structuredClone(await this.lists.run(environmentId, () => this.readWebsites(environmentId)));
  }

  private async readWebsites(environmentId: string): Promise<Website[]> {
    return this.call({ service: 'Power Pages API', action: 'list websites' }, async () => {
      const sites: Website[] = [];
      let url: string | undefined = this.websitesPath(environmentId);
      let params: Record<string, string> | undefined = { 'api-version': POWER_PAGES_API_VERSION };
      while (url) {
        const response: { data: unknown } = await this.http.get(url, { ...(params ? { params } : {}) });
        const page = websiteListSchema.safeParse(response.data ?? {});
        if (!page.success) {
          throw new PortalOpsError(
            'platform_error',
            'Power Pages API answered the website list with a body PortalOps cannot read.',
          );
        }
        for (const item of page.data.value) sites.push(toWebsite(item, 'list websites'));
        // The next page's URL is absolute and carries its own `skip` and api-version.
        url = page.data['@odata.nextLink'] ?? undefined;
        params = undefined;
      }
      return sites;
    });
  }

  async getWebsite(environmentId: string, websiteId: string): Promise<Website> {
    return this.call({ service: 'Power Pages API', action: `read website ${websiteId}` }, async () => {
      const response = await this.http.get(
        `${this.websitesPath(environmentId)}/${encodeURIComponent(websiteId)}`,
        {
          params: { 'api-version': POWER_PAGES_API_VERSION },
        },
      );
      return toWebsite(response.data, `read website ${websiteId}`);
    });
  }

  private accepted(headers: Record<string, unknown>, action: string): AcceptedOperation {
    const location = headers['operation-location'];
    if (typeof location !== 'string' || location === '') {
      throw new PortalOpsError(
        'platform_error',
        `Power Pages API accepted the request to ${action} but gave no operation to follow.`,
      );
    }
    const retryAfter = retryAfterMs(headers['retry-after']);
    return {
      operationUrl: location,
      ...(retryAfter === undefined ? {} : { retryAfterSeconds: Math.ceil(retryAfter / 1000) }),
    };
  }

  async createWebsite(environmentId: string, request: CreateWebsiteRequest): Promise<AcceptedOperation> {
    const action = `create website ${request.subdomain}`;
    return this.write(environmentId, { service: 'Power Pages API', action }, async () => {
      const response = await this.http.post(this.websitesPath(environmentId), request, {
        params: { 'api-version': POWER_PAGES_API_VERSION },
      });
      return this.accepted(response.headers as Record<string, unknown>, action);
    });
  }

  async deleteWebsite(environmentId: string, websiteId: string): Promise<AcceptedOperation | undefined> {
    const action = `delete website ${websiteId}`;
    return this.write(environmentId, { service: 'Power Pages API', action }, async () => {
      const response = await this.http.delete(
        `${this.websitesPath(environmentId)}/${encodeURIComponent(websiteId)}`,
        {
          params: { 'api-version': POWER_PAGES_API_VERSION },
        },
      );
      // The success code is not documented (delete-and-restart.http): any 2xx is accepted, and
      // without an Operation-Location the caller waits for the site to leave the list.
      const headers = response.headers as Record<string, unknown>;
      const location = headers['operation-location'];
      return typeof location === 'string' && location !== '' ? this.accepted(headers, action) : undefined;
    });
  }

  async restartWebsite(environmentId: string, websiteId: string): Promise<void> {
    await this.write(
      environmentId,
      { service: 'Power Pages API', action: `restart website ${websiteId}` },
      async () => {
        await this.http.post(
          `${this.websitesPath(environmentId)}/${encodeURIComponent(websiteId)}/restart`,
          undefined,
          {
            params: { 'api-version': POWER_PAGES_API_VERSION },
          },
        );
      },
    );
  }

  async startDataModelMigration(
    environmentId: string,
    websiteId: string,
    mode: DataModelMigrationMode,
  ): Promise<AcceptedOperation> {
    const action = `move website ${websiteId} to the enhanced data model`;
    return this.write(environmentId, { service: 'Power Pages API', action }, async () => {
      const response = await this.http.post(
        `${this.websitesPath(environmentId)}/${encodeURIComponent(websiteId)}/${DATA_MODEL_PATHS.migrate}`,
        dataModelMigrationBody(mode),
        { params: { 'api-version': POWER_PAGES_API_VERSION } },
      );
      return this.accepted(response.headers as Record<string, unknown>, action);
    });
  }

  async setDataModelVersion(environmentId: string, websiteId: string, enhanced: boolean): Promise<void> {
    const action = `switch website ${websiteId} to the ${enhanced ? 'enhanced' : 'standard'} data model`;
    await this.write(environmentId, { service: 'Power Pages API', action }, async () => {
      await this.http.post(
        `${this.websitesPath(environmentId)}/${encodeURIComponent(websiteId)}/${DATA_MODEL_PATHS.setVersion}`,
        dataModelVersionBody(enhanced),
        { params: { 'api-version': POWER_PAGES_API_VERSION } },
      );
    });
  }

  async getOperation(operationUrl: string): Promise<Operation> {
    return (await this.pollOnce(operationUrl)).operation;
  }

  private async pollOnce(operationUrl: string): Promise<{ operation: Operation; retryAfterMs?: number }> {
    return this.call({ service: 'Power Pages API', action: 'read the operation status' }, async () => {
      const response = await this.http.get(operationUrl, { headers: { Accept: 'application/json' } });
      const operation = readOperation(response.data);
      const wait = retryAfterMs(response.headers['retry-after']);
      return { operation, ...(wait === undefined ? {} : { retryAfterMs: wait }) };
    });
  }

  async waitForOperation(operationUrl: string, options: WaitOptions = {}): Promise<Operation> {
    const deadline =
      options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
    for (;;) {
      options.signal?.throwIfAborted();
      const { operation, retryAfterMs: asked } = await this.pollOnce(operationUrl);
      options.onPoll?.(operation);
      if (operation.state !== 'running') return operation;
      const wait = options.pollIntervalMs ?? asked ?? 5_000;
      if (Date.now() + wait > deadline) {
        throw new PortalOpsError(
          'operation_deadline_passed',
          `The platform operation did not finish in the time allowed (last status "${operation.rawStatus || 'none'}").`,
          {
            retryable: true,
            details: { operationUrl, lastStatus: operation.rawStatus },
          },
        );
      }
      await sleep(wait, undefined, options.signal ? { signal: options.signal } : {});
    }
  }
}
