/**
 * The Power Pages admin API client (`/powerpages/environments/{environmentId}/websites`,
 * api-version 2024-10-01): websites, their creation and deletion, and operation polling.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AxiosInstance } from 'axios';
import { PortalOpsError } from '../../domain/errors.ts';
import type { CreateWebsiteRequest, Operation, Website } from '../../domain/website.ts';
import type { Logger } from '../../logging/logger.ts';
import { createHttpClient } from '../http/http-client.ts';
import { type CallContext, toPortalOpsError } from '../http/platform-error.ts';
import { retryAfterMs } from '../http/retry-policy.ts';
import { SingleFlight } from '../http/single-flight.ts';
import type { AcceptedOperation, PowerPagesApi, TokenProvider, WaitOptions } from '../ports.ts';
import { toWebsite } from './website-mapper.ts';

/** The API version this client speaks. */
export const POWER_PAGES_API_VERSION = '2024-10-01';
/** OAuth scope of the Power Platform API. */
export const POWER_PLATFORM_SCOPE = 'https://api.powerplatform.com/.default';

/** Options of {@link PowerPagesClient}. */
export interface PowerPagesClientOptions {
  /** `https://api.powerplatform.com` (or the simulator). */
  baseUrl: string;
  tokenProvider: TokenProvider;
  timeoutMs: number;
  maxRetries: number;
  maxBackoffMs: number;
  logger?: Logger;
}

const TERMINAL = new Set(['Succeeded', 'Failed', 'Cancelled']);

/** The real client over HTTP. */
export class PowerPagesClient implements PowerPagesApi {
  private readonly http: AxiosInstance;
  /** Site lists of an environment being read: concurrent askers share one request. */
  private readonly lists = new SingleFlight<Website[]>();

  constructor(options: PowerPagesClientOptions) {
    this.http = createHttpClient({
      baseURL: options.baseUrl.replace(/\/$/, ''),
      tokenProvider: options.tokenProvider,
      scope: POWER_PLATFORM_SCOPE,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      maxBackoffMs: options.maxBackoffMs,
      ...(options.logger ? { logger: options.logger } : {}),
    });
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
        const response: { data: { value?: unknown[]; '@odata.nextLink'?: string } } = await this.http.get(
          url,
          {
            ...(params ? { params } : {}),
          },
        );
        for (const item of response.data.value ?? []) sites.push(toWebsite(item));
        url = response.data['@odata.nextLink'];
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
      return toWebsite(response.data);
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

  async deleteWebsite(environmentId: string, websiteId: string): Promise<AcceptedOperation> {
    const action = `delete website ${websiteId}`;
    return this.write(environmentId, { service: 'Power Pages API', action }, async () => {
      const response = await this.http.delete(
        `${this.websitesPath(environmentId)}/${encodeURIComponent(websiteId)}`,
        {
          params: { 'api-version': POWER_PAGES_API_VERSION },
        },
      );
      return this.accepted(response.headers as Record<string, unknown>, action);
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

  async getOperation(operationUrl: string): Promise<Operation> {
    return (await this.pollOnce(operationUrl)).operation;
  }

  private async pollOnce(operationUrl: string): Promise<{ operation: Operation; retryAfterMs?: number }> {
    return this.call({ service: 'Power Pages API', action: 'read the operation status' }, async () => {
      const response = await this.http.get(operationUrl);
      const data = (response.data ?? {}) as Partial<Operation>;
      const operation: Operation = {
        id: String(data.id ?? ''),
        status: (data.status ?? 'Running') as Operation['status'],
        createdDateTime: String(data.createdDateTime ?? ''),
        lastActionDateTime: String(data.lastActionDateTime ?? ''),
        ...(typeof data.percentComplete === 'number' ? { percentComplete: data.percentComplete } : {}),
        ...(data.websiteId ? { websiteId: String(data.websiteId) } : {}),
        ...(data.error ? { error: data.error } : {}),
      };
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
      if (TERMINAL.has(operation.status)) return operation;
      const wait = options.pollIntervalMs ?? asked ?? 5_000;
      if (Date.now() + wait > deadline) {
        throw new PortalOpsError(
          'request_timeout',
          'The platform operation did not finish in the time allowed.',
          {
            retryable: true,
            details: { operationUrl, lastStatus: operation.status },
          },
        );
      }
      await sleep(wait, undefined, options.signal ? { signal: options.signal } : {});
    }
  }
}
