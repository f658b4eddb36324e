import type { PowerPagesApi } from '../ports.ts';
import { clientsByTenant, type TenantClientsOptions } from './tenant-clients.ts';

/**
 * One Power Pages API for environments in several tenants: each call goes to the client of the
 * tenant the registry gives for its environment, so its token comes from that tenant. An
 * environment the registry does not know (or an operation URL naming none) uses the default tenant.
 */
export function routePowerPagesByTenant(options: TenantClientsOptions<PowerPagesApi>): PowerPagesApi {
  const of = clientsByTenant(options);
  // Every method takes the environment id first, or an operation URL naming it; a proxy keeps
  // methods the port gains later routed too.
  return new Proxy({} as PowerPagesApi, {
    get: (_target, property) => {
      if (property === 'then' || typeof property === 'symbol') return undefined;
      return (...args: unknown[]) => {
        const client = of(typeof args[0] === 'string' ? args[0] : undefined) as unknown as Record<
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
