/**
 * What `portalops login` signs in to: each tenant of the environments registry once, asking
 * consent in that one sign-in for every resource PortalOps calls there — the Power Platform API
 * (Power Pages admin API), the environment lookup, and the Dataverse organization of each
 * environment in the tenant.
 */
import type { EnvironmentEntry } from '../../domain/environment.ts';
import { PortalOpsError } from '../../domain/errors.ts';
import { BAP_SCOPE } from '../environments/environments-client.ts';
import { POWER_PLATFORM_SCOPE } from '../power-pages/power-pages-client.ts';
import type { MsalTokenProvider, SignedInAccount } from './msal-token-provider.ts';

/** One resource a sign-in asks consent for. */
export interface ResourceToConsent {
  /** The scope tokens are requested with (`{resource}/.default`). */
  scope: string;
  /**
   * The scope named when asking consent alongside another resource. Entra ID takes one
   * `.default` per request, so the others name their delegated permission: Dynamics CRM's
   * `user_impersonation` and PowerApps Service's `User` (the permissions Microsoft's Terraform
   * provider's app-registration guide lists for the same APIs).
   */
  consentScope: string;
  /** What to call it in messages. */
  label: string;
}

/** The sign-in to one tenant. */
export interface TenantSignIn {
  tenantId: string;
  /** Aliases of the registered environments in this tenant. */
  environments: string[];
  /** The first is redeemed by the device code; the rest are consented with it and fetched silently. */
  resources: ResourceToConsent[];
}

const resourceOf = (scope: string) => scope.replace(/\/\.default$/, '');

/** The resources of one tenant, Power Platform API first. */
function resourcesFor(entries: readonly EnvironmentEntry[]): ResourceToConsent[] {
  const resources: ResourceToConsent[] = [
    {
      scope: POWER_PLATFORM_SCOPE,
      consentScope: POWER_PLATFORM_SCOPE,
      label: 'Power Platform API (Power Pages)',
    },
    {
      scope: BAP_SCOPE,
      consentScope: `${resourceOf(BAP_SCOPE)}/User`,
      label: 'environment lookup (PowerApps service)',
    },
  ];
  const aliasesByUrl = new Map<string, { url: string; aliases: string[] }>();
  for (const entry of entries) {
    const url = entry.dataverseUrl.replace(/\/+$/, '');
    const same = aliasesByUrl.get(url.toLowerCase());
    if (same) same.aliases.push(entry.alias);
    else aliasesByUrl.set(url.toLowerCase(), { url, aliases: [entry.alias] });
  }
  for (const { url, aliases } of aliasesByUrl.values()) {
    resources.push({
      scope: `${url}/.default`,
      consentScope: `${url}/user_impersonation`,
      label: `Dataverse of ${aliases.join(', ')} (${url})`,
    });
  }
  return resources;
}

/**
 * The sign-ins the registry needs, the default tenant first.
 * @example planSignIn(registry.entries, config.auth.tenantId)
 */
export function planSignIn(entries: readonly EnvironmentEntry[], defaultTenantId?: string): TenantSignIn[] {
  const byTenant = new Map<string, EnvironmentEntry[]>();
  if (defaultTenantId) byTenant.set(defaultTenantId.toLowerCase(), []);
  for (const entry of entries) {
    const key = entry.tenantId.toLowerCase();
    byTenant.set(key, [...(byTenant.get(key) ?? []), entry]);
  }
  return [...byTenant.entries()].map(([key, inTenant]) => ({
    tenantId: inTenant[0]?.tenantId ?? defaultTenantId ?? key,
    environments: inTenant.map((e) => e.alias),
    resources: resourcesFor(inTenant),
  }));
}

/** How the sign-in to one tenant went. */
export interface TenantSignInResult {
  tenantId: string;
  environments: string[];
  account: SignedInAccount;
  /** Labels of the resources a token was obtained for. */
  consented: string[];
  /** Resources still refused after the sign-in, with the reason. */
  missing: { label: string; error: PortalOpsError }[];
}

/**
 * Signs in to each tenant of `plan` with one device code per tenant, then fetches a token for
 * every other resource silently, so a resource left without consent shows up now and not in
 * the middle of a job.
 */
export async function signInToTenants(
  provider: MsalTokenProvider,
  plan: readonly TenantSignIn[],
  options: {
    onPrompt: (message: string, tenant: TenantSignIn) => void;
    timeoutSeconds?: number;
  },
): Promise<TenantSignInResult[]> {
  const results: TenantSignInResult[] = [];
  for (const tenant of plan) {
    const [first, ...others] = tenant.resources;
    if (!first) continue;
    const account = await provider.loginWithDeviceCode({
      tenantId: tenant.tenantId,
      scopes: [first.scope],
      extraScopesToConsent: others.map((r) => r.consentScope),
      onPrompt: (message) => options.onPrompt(message, tenant),
      ...(options.timeoutSeconds ? { timeoutSeconds: options.timeoutSeconds } : {}),
    });
    const result: TenantSignInResult = {
      tenantId: tenant.tenantId,
      environments: tenant.environments,
      account,
      consented: [first.label],
      missing: [],
    };
    for (const resource of others) {
      try {
        await provider.getToken(resource.scope, { tenantId: tenant.tenantId, forceRefresh: true });
        result.consented.push(resource.label);
      } catch (error) {
        if (!(error instanceof PortalOpsError)) throw error;
        result.missing.push({ label: resource.label, error });
      }
    }
    results.push(result);
  }
  return results;
}
