/**
 * One client per tenant, picked by environment: calls for an environment go to the client of the
 * tenant the registry gives for it, so their tokens come from that tenant. An environment the
 * registry does not know (or an operation URL naming none) uses the default tenant.
 */
import type { EnvironmentRegistry } from '../../config/environment-registry.ts';

/** The environment id in an operation URL (`…/environments/{id}/operations/…`), if it names one. */
export function environmentOfOperationUrl(operationUrl: string): string | undefined {
  try {
    return /\/environments\/([^/]+)\//.exec(new URL(operationUrl).pathname)?.[1];
  } catch {
    return undefined;
  }
}

/** Options of {@link clientsByTenant}. */
export interface TenantClientsOptions<T> {
  registry: Pick<EnvironmentRegistry, 'find'>;
  defaultTenantId: string;
  clientFor: (tenantId: string) => T;
}

/**
 * A lookup from an environment id, or an absolute operation URL naming one, to the client of its
 * tenant; each tenant's client is made once.
 */
export function clientsByTenant<T>(options: TenantClientsOptions<T>): (environmentIdOrUrl?: string) => T {
  const clients = new Map<string, T>();
  return (environmentIdOrUrl) => {
    const environmentId =
      environmentIdOrUrl && /^https?:\/\//i.test(environmentIdOrUrl)
        ? environmentOfOperationUrl(environmentIdOrUrl)
        : environmentIdOrUrl;
    const tenantId =
      (environmentId ? options.registry.find(environmentId)?.tenantId : undefined) || options.defaultTenantId;
    const key = tenantId.toLowerCase();
    let client = clients.get(key);
    if (!client) {
      client = options.clientFor(tenantId);
      clients.set(key, client);
    }
    return client;
  };
}
