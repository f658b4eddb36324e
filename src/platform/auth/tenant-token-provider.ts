import type { TokenProvider } from '../ports.ts';

/**
 * A {@link TokenProvider} whose requests go to `tenantId` unless they name another tenant:
 * for clients that serve one tenant's environments and do not pass a tenant themselves.
 */
export function tokensForTenant(provider: TokenProvider, tenantId: string): TokenProvider {
  return {
    getToken: (scope, options = {}) =>
      provider.getToken(scope, { ...options, tenantId: options.tenantId ?? tenantId }),
  };
}
