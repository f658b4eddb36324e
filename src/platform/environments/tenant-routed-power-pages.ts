import type { EnvironmentRegistry } from '../../config/environment-registry.ts';
import type { PowerPagesApi } from '../ports.ts';

/** The environment id in an operation URL (`…/powerpages/environments/{id}/operations/…`), if it has one. */
function environmentOfOperation(operationUrl: string): string | undefined {
  try {
    return /\/environments\/([^/]+)\//.exec(new URL(operationUrl).pathname)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * One Power Pages API for environments in several tenants: each call goes to the client of the
 * tenant the registry gives for its environment, so its token comes from that tenant. An
 * environment the registry does not know (or an operation URL naming none) uses the default tenant.
 */
export function routePowerPagesByTenant(options: {
  registry: EnvironmentRegistry;
  defaultTenantId: string;
  clientFor: (tenantId: string) => PowerPagesApi;
}): PowerPagesApi {
  const clients = new Map<string, PowerPagesApi>();
  const forTenant = (tenantId: string) => {
    const key = tenantId.toLowerCase();
    let client = clients.get(key);
    if (!client) {
      client = options.clientFor(tenantId);
      clients.set(key, client);
    }
    return client;
  };
  const forEnvironment = (environmentId: string | undefined) =>
    forTenant((environmentId && options.registry.find(environmentId)?.tenantId) || options.defaultTenantId);
  // Every method takes the environment id first, or an operation URL naming it; a proxy keeps
  // methods the port gains later routed too.
  return new Proxy({} as PowerPagesApi, {
    get: (_target, property) => {
      if (property === 'then' || typeof property === 'symbol') return undefined;
      return (...args: unknown[]) => {
        const first = typeof args[0] === 'string' ? args[0] : undefined;
        const environmentId = first && /^https?:\/\//i.test(first) ? environmentOfOperation(first) : first;
        const client = forEnvironment(environmentId) as unknown as Record<
          string,
          (...a: unknown[]) => unknown
        >;
        const method = client[property];
        if (typeof method !== 'function') throw new TypeError(`PowerPagesApi has no method ${property}`);
        return method.apply(client, args);
      };
    },
  });
}
