/**
 * The Dataverse Web API client (`{org}/api/data/v9.2`) for one environment: queries with
 * paging, CRUD and upsert, N:N links, `$batch` change sets, metadata and the caller's roles.
 */
import { randomUUID } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import { PortalOpsError } from '../../domain/errors.ts';
import type { Logger } from '../../logging/logger.ts';
import { createHttpClient } from '../http/http-client.ts';
import {
  type CallContext,
  codeForStatus,
  platformErrorOf,
  toPortalOpsError,
} from '../http/platform-error.ts';
import type { ThrottleSignal } from '../http/throttle-signal.ts';
import type {
  BatchOperation,
  BatchResult,
  Dataverse,
  DataverseRecord,
  QueryOptions,
  SecurityRole,
  TableMetadata,
  TokenProvider,
} from '../ports.ts';
import { boundaryOf, parseHttpMessage, parseMultipart, writeChangeSetBatch } from './batch-multipart.ts';
import { parseProvisionedLanguages, parseWhoAmI } from './dataverse-answers.ts';
import { TableCache } from './table-cache.ts';
import { ENTITY_DEFINITION_OPTIONS, parseEntityDefinition } from './table-metadata.ts';

/** Options of {@link DataverseClient}. */
export interface DataverseClientOptions {
  /** The organization URL, e.g. `https://contoso.crm.dynamics.com`. */
  dataverseUrl: string;
  tenantId?: string;
  tokenProvider: TokenProvider;
  timeoutMs: number;
  maxRetries: number;
  /** Told of throttled answers (bulk imports slow down). */
  throttle?: ThrottleSignal;
  maxBackoffMs: number;
  logger?: Logger;
}

/** Encodes OData query options with `%20` for spaces, keeping `$`, quotes and parentheses readable. */
export function odataQuery(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(
      ([key, value]) =>
        `${key}=${encodeURIComponent(String(value)).replace(/%2C/g, ',').replace(/%24/g, '$')}`,
    );
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/**
 * Statuses a failed `$batch` answers with when its body holds the failing part; throttling and
 * sign-in failures stay errors for the HTTP client to retry or report.
 */
const BATCH_FAILURE_STATUSES = new Set([400, 404, 405, 409, 412]);

const GUID_IN_PARENS = /\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)\s*$/i;

/** The real client over HTTP. */
export class DataverseClient implements Dataverse {
  private readonly http: AxiosInstance;
  /** `{org}/api/data/v9.2`, without trailing slash. */
  readonly serviceRoot: string;
  private readonly tables = new TableCache();

  constructor(options: DataverseClientOptions) {
    const orgUrl = options.dataverseUrl.replace(/\/+$/, '');
    this.serviceRoot = `${orgUrl}/api/data/v9.2`;
    this.http = createHttpClient({
      baseURL: `${this.serviceRoot}/`,
      tokenProvider: options.tokenProvider,
      scope: `${orgUrl}/.default`,
      ...(options.tenantId ? { tenantId: options.tenantId } : {}),
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      ...(options.throttle ? { throttle: options.throttle } : {}),
      maxBackoffMs: options.maxBackoffMs,
      headers: { 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' },
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  private async call<T>(action: string, run: () => Promise<T>): Promise<T> {
    const context: CallContext = { service: 'Dataverse', action };
    try {
      return await run();
    } catch (error) {
      throw toPortalOpsError(error, context);
    }
  }

  async query(entitySet: string, options: QueryOptions = {}): Promise<DataverseRecord[]> {
    return this.call(`query ${entitySet}`, async () => {
      const prefer = [`odata.maxpagesize=${options.pageSize ?? 5000}`];
      if (options.includeAnnotations)
        prefer.push(`odata.include-annotations="${options.includeAnnotations}"`);
      const rows: DataverseRecord[] = [];
      let url: string | undefined =
        entitySet +
        odataQuery({
          $select: options.select?.join(','),
          $filter: options.filter,
          $orderby: options.orderBy,
          $top: options.top,
        });
      while (url) {
        const response: { data: { value?: DataverseRecord[]; '@odata.nextLink'?: string } } =
          await this.http.get(url, {
            headers: { Prefer: prefer.join(',') },
          });
        rows.push(...(response.data.value ?? []));
        if (options.top !== undefined && rows.length >= options.top) return rows.slice(0, options.top);
        url = response.data['@odata.nextLink'];
      }
      return rows;
    });
  }

  async create(entitySet: string, record: DataverseRecord): Promise<string> {
    return this.call(`create a ${entitySet} record`, async () => {
      const response = await this.http.post(entitySet, record);
      const entityId = String(response.headers['odata-entityid'] ?? '');
      const id = GUID_IN_PARENS.exec(entityId)?.[1];
      if (!id)
        throw new PortalOpsError(
          'platform_error',
          `Dataverse created a ${entitySet} record but did not say its id.`,
        );
      return id.toLowerCase();
    });
  }

  async upsert(entitySet: string, id: string, record: DataverseRecord): Promise<void> {
    await this.call(`save ${entitySet}(${id})`, () => this.http.patch(`${entitySet}(${id})`, record));
  }

  async delete(entitySet: string, id: string): Promise<void> {
    await this.call(`delete ${entitySet}(${id})`, async () => {
      await this.http.delete(`${entitySet}(${id})`, {
        validateStatus: (s) => (s >= 200 && s < 300) || s === 404,
      });
    });
  }

  async associate(
    entitySet: string,
    id: string,
    relationship: string,
    targetEntitySet: string,
    targetId: string,
  ): Promise<void> {
    await this.call(`link ${entitySet}(${id}) through ${relationship}`, () =>
      this.http.post(`${entitySet}(${id})/${relationship}/$ref`, {
        '@odata.id': `${this.serviceRoot}/${targetEntitySet}(${targetId})`,
      }),
    );
  }

  async executeBatch(operations: BatchOperation[]): Promise<BatchResult[]> {
    if (operations.length === 0) return [];
    const batchBoundary = `batch_${randomUUID()}`;
    const body = writeChangeSetBatch(
      operations.map((op) => {
        switch (op.method) {
          case 'POST':
            return { method: 'POST', url: `${this.serviceRoot}/${op.entitySet}`, body: op.body };
          case 'PATCH':
            return { method: 'PATCH', url: `${this.serviceRoot}/${op.entitySet}(${op.id})`, body: op.body };
          case 'DELETE':
            return { method: 'DELETE', url: `${this.serviceRoot}/${op.entitySet}(${op.id})` };
          case 'ASSOCIATE':
            return {
              method: 'POST',
              url: `${this.serviceRoot}/${op.entitySet}(${op.id})/${op.relationship}/$ref`,
              body: { '@odata.id': `${this.serviceRoot}/${op.targetEntitySet}(${op.targetId})` },
            };
          default:
            throw new PortalOpsError('invalid_input', 'Unknown batch operation.');
        }
      }),
      batchBoundary,
      `changeset_${randomUUID()}`,
    );
    const response = await this.call(`apply a batch of ${operations.length} changes`, () =>
      this.http.post('$batch', body, {
        headers: { 'Content-Type': `multipart/mixed; boundary=${batchBoundary}`, Accept: 'application/json' },
        responseType: 'text',
        transformResponse: (data: unknown) => data,
        // Without continue-on-error a failing batch answers 400 with the failing part in a
        // multipart body (batch-error.responses.http); that body names the failing change.
        validateStatus: (status) => (status >= 200 && status < 300) || BATCH_FAILURE_STATUSES.has(status),
      }),
    );
    if (response.status >= 300 && !boundaryOf(String(response.headers['content-type'] ?? ''))) {
      let platform: { code?: string; message?: string } = {};
      try {
        platform = platformErrorOf(JSON.parse(String(response.data ?? '')));
      } catch {
        // Not JSON: only the status is known.
      }
      throw new PortalOpsError(
        codeForStatus(response.status, platform.code).code,
        `Dataverse could not apply a batch of ${operations.length} changes: ${platform.message ?? `HTTP ${response.status}`}`,
        { status: response.status, ...(platform.code ? { platformCode: platform.code } : {}) },
      );
    }
    return readBatchResponse(
      String(response.data ?? ''),
      String(response.headers['content-type'] ?? ''),
      operations,
    );
  }

  // File columns (learn.microsoft.com power-apps/developer/data-platform/file-column-data): a
  // single request up to 128 MB, `Content-Type: application/octet-stream` and `x-ms-file-name`;
  // the download answers with the bytes and `x-ms-file-name`, 404 when the column is empty.
  async uploadFile(
    entitySet: string,
    id: string,
    column: string,
    fileName: string,
    bytes: Buffer,
  ): Promise<void> {
    await this.call(`upload the file of ${entitySet}(${id})`, () =>
      this.http.patch(`${entitySet}(${id})/${column}`, bytes, {
        headers: {
          'Content-Type': 'application/octet-stream',
          'x-ms-file-name': encodeURIComponent(fileName),
        },
        transformRequest: (data: unknown) => data,
      }),
    );
  }

  async downloadFile(
    entitySet: string,
    id: string,
    column: string,
  ): Promise<{ fileName: string; bytes: Buffer } | null> {
    return this.call(`download the file of ${entitySet}(${id})`, async () => {
      const response = await this.http.get(`${entitySet}(${id})/${column}/$value`, {
        responseType: 'arraybuffer',
        validateStatus: (s) => (s >= 200 && s < 300) || s === 404,
      });
      if (response.status === 404) return null;
      const name = String(response.headers['x-ms-file-name'] ?? '');
      return { fileName: decodeURIComponent(name), bytes: Buffer.from(response.data as ArrayBuffer) };
    });
  }

  async deleteFile(entitySet: string, id: string, column: string): Promise<void> {
    await this.call(`delete the file of ${entitySet}(${id})`, () =>
      this.http.delete(`${entitySet}(${id})/${column}`, {
        validateStatus: (s) => (s >= 200 && s < 300) || s === 404,
      }),
    );
  }

  async getTable(logicalName: string, options: { refresh?: boolean } = {}): Promise<TableMetadata | null> {
    return this.tables.get(logicalName, () => this.readTable(logicalName), options.refresh);
  }

  forgetTables(): void {
    this.tables.clear();
  }

  private async readTable(logicalName: string): Promise<TableMetadata | null> {
    const action = `read the definition of ${logicalName}`;
    let data: unknown;
    try {
      const response = await this.http.get(
        `EntityDefinitions(LogicalName='${logicalName}')${odataQuery(ENTITY_DEFINITION_OPTIONS)}`,
      );
      data = response.data;
    } catch (error) {
      const mapped = toPortalOpsError(error, { service: 'Dataverse', action });
      if (mapped.code === 'not_found') return null;
      throw mapped;
    }
    try {
      return parseEntityDefinition(data);
    } catch (error) {
      throw new PortalOpsError(
        'platform_error',
        `Dataverse could not ${action}: the answer is not a table definition.`,
        { cause: error },
      );
    }
  }

  async whoAmI(): Promise<{ userId: string; organizationId: string; businessUnitId: string }> {
    return this.call('identify the signed-in user', async () => {
      const { data } = await this.http.get('WhoAmI');
      return parseWhoAmI(data);
    });
  }

  async getUserRoles(userId: string): Promise<SecurityRole[]> {
    return this.call('read the security roles', async () => {
      const { data } = await this.http.get(
        `systemusers(${userId})/systemuserroles_association${odataQuery({ $select: 'name,roleid' })}`,
      );
      return ((data.value ?? []) as { roleid: string; name: string }[]).map((r) => ({
        roleId: r.roleid,
        name: r.name,
      }));
    });
  }

  async provisionedLanguages(): Promise<number[]> {
    return this.call('read the installed languages', async () => {
      const { data } = await this.http.get('RetrieveProvisionedLanguages()');
      return parseProvisionedLanguages(data);
    });
  }
}

/** Reads a `$batch` response; rejects with `batch_failed` naming the operation that failed. */
export function readBatchResponse(
  text: string,
  contentType: string,
  operations: BatchOperation[],
): BatchResult[] {
  const boundary = boundaryOf(contentType);
  if (!boundary)
    throw new PortalOpsError('platform_error', 'Dataverse answered the batch in an unexpected format.');
  const results: BatchResult[] = [];
  for (const part of parseMultipart(text, boundary)) {
    const nested = boundaryOf(part.headers['content-type']);
    const inner = nested ? parseMultipart(part.body, nested) : [part];
    for (const item of inner) {
      const message = parseHttpMessage(item.body);
      const status = Number(/^HTTP\/\d\.\d\s+(\d{3})/.exec(message.startLine)?.[1] ?? 0);
      const contentId = Number(item.headers['content-id'] ?? results.length + 1);
      const index = Number.isFinite(contentId) && contentId > 0 ? contentId - 1 : results.length;
      if (status >= 400 || status === 0) {
        let platform: { code?: string; message?: string } = {};
        try {
          platform = platformErrorOf(JSON.parse(message.body));
        } catch {
          // A body that is not JSON leaves only the status to report.
        }
        const op = operations[index];
        const target = op
          ? `${op.method} ${op.entitySet}${'id' in op ? `(${op.id})` : ''}`
          : `operation ${index + 1}`;
        throw new PortalOpsError(
          'batch_failed',
          `Dataverse rejected change ${index + 1} of ${operations.length} (${target}): ${platform.message ?? `HTTP ${status}`}. Nothing in the batch was applied.`,
          {
            status,
            ...(platform.code ? { platformCode: platform.code } : {}),
            details: { index, status, platformCode: platform.code, reason: platform.message },
            retryable: status === 429 || status === 503,
          },
        );
      }
      const id = GUID_IN_PARENS.exec(message.headers['odata-entityid'] ?? '')?.[1]?.toLowerCase();
      results.push({ status, ...(id ? { id } : {}) });
    }
  }
  return results;
}
