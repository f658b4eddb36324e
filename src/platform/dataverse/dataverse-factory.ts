/**
 * Opens Dataverse clients per organization URL, one per URL (and tenant), so token caches and
 * connections are shared.
 */
import type { Logger } from '../../logging/logger.ts';
import type { ThrottleSignal } from '../http/throttle-signal.ts';
import type { Dataverse, DataverseFactory, TokenProvider } from '../ports.ts';
import { DataverseClient } from './dataverse-client.ts';

/** What every Dataverse client shares. */
export interface DataverseFactoryOptions {
  tokenProvider: TokenProvider;
  timeoutMs: number;
  maxRetries: number;
  maxBackoffMs: number;
  logger?: Logger;
  /** Told of throttled answers of any client. */
  throttle?: ThrottleSignal;
}

/** A factory that caches one client per organization URL and tenant. */
export function createDataverseFactory(options: DataverseFactoryOptions): DataverseFactory {
  const clients = new Map<string, Dataverse>();
  return (dataverseUrl, tenantId) => {
    const key = `${dataverseUrl.replace(/\/+$/, '').toLowerCase()}|${tenantId ?? ''}`;
    let client = clients.get(key);
    if (!client) {
      client = new DataverseClient({ ...options, dataverseUrl, ...(tenantId ? { tenantId } : {}) });
      clients.set(key, client);
    }
    return client;
  };
}
