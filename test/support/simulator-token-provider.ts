import type { AccessToken, TokenProvider } from '../../src/platform/ports.ts';
import type { RunningSimulator } from '../../src/simulator/simulator.ts';

/**
 * Tokens straight from the simulator for a scenario user, so client contract tests do not
 * depend on the MSAL provider. Counts requests per scope and whether they forced a refresh.
 */
export function simulatorTokens(
  sim: RunningSimulator,
  user = 'alice@contoso.com',
  ttlSeconds = 3600,
): TokenProvider & { requests: { scope: string; forceRefresh: boolean }[]; ttlSeconds: number } {
  const provider = {
    requests: [] as { scope: string; forceRefresh: boolean }[],
    ttlSeconds,
    async getToken(scope: string, options: { forceRefresh?: boolean } = {}): Promise<AccessToken> {
      provider.requests.push({ scope, forceRefresh: options.forceRefresh === true });
      const audience = scope.replace(/\/\.default$/, '');
      return {
        token: sim.issueUserToken(user, audience, provider.ttlSeconds),
        expiresOn: Date.now() + provider.ttlSeconds * 1000,
      };
    },
  };
  return provider;
}
