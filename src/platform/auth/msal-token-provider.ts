/**
 * Tokens from Microsoft Entra ID through MSAL: client credentials (an application user) or a
 * delegated device-code sign-in (`portalops login`).
 *
 * Every tenant gets its own MSAL application (authority `{host}/{tenantId}`) and its own cache
 * section in the token cache file, so an environment in another tenant (a tenant-to-tenant
 * migration) is signed in to separately and its tokens never mix with the home tenant's.
 * Access tokens are cached per tenant and resource and renewed before they expire; a restart
 * needs no new sign-in.
 */
import {
  type AccountInfo,
  AuthError,
  ConfidentialClientApplication,
  type Configuration,
  type ICachePlugin,
  PublicClientApplication,
  type TokenCacheContext,
} from '@azure/msal-node';
import { PortalOpsError } from '../../domain/errors.ts';
import type { Logger } from '../../logging/logger.ts';
import type { AccessToken, TokenProvider } from '../ports.ts';
import { withExtraScopesToConsent } from './extra-consent-network-client.ts';
import {
  createFetchNetworkClient,
  createRewritingNetworkClient,
  SIMULATED_AUTHORITY_HOST,
} from './rewriting-network-client.ts';
import type { TokenCacheFile } from './token-cache-file.ts';

/** How PortalOps signs in. */
export type AuthMode = 'client_credentials' | 'device_code';

/** Options of {@link MsalTokenProvider}. */
export interface MsalTokenProviderOptions {
  mode: AuthMode;
  clientId: string;
  /** The tenant of requests that name none (the home tenant of the registry). */
  tenantId: string;
  clientSecret?: string;
  /** `https://login.microsoftonline.com`, or a plain-http host such as the simulator. */
  authorityHost: string;
  /** Where the MSAL caches persist (owner-only file). */
  cache: TokenCacheFile;
  logger?: Logger;
  /** Never hand out a token that expires sooner than this. Default 5 minutes. */
  renewBeforeMs?: number;
  now?: () => number;
}

/** Who is signed in (delegated mode). */
export interface SignedInAccount {
  username: string;
  name?: string;
  tenantId: string;
}

/** What a failed token request was for, so the message can name it. */
interface AuthContext {
  scope?: string;
  tenantId?: string;
}

const resourceOf = (scope: string) => scope.replace(/\/[^/]*$/, '');

/** Maps an MSAL (or network) failure to a PortalOps error people can act on. */
export function toAuthError(
  error: unknown,
  authorityHost: string,
  context: AuthContext = {},
): PortalOpsError {
  if (error instanceof PortalOpsError) return error;
  const code = error instanceof AuthError ? error.errorCode : '';
  const subError = error instanceof AuthError ? error.subError : '';
  const text = `${code} ${subError} ${(error as Error)?.message ?? ''}`;
  const where = context.tenantId ? ` in tenant ${context.tenantId}` : '';
  if (/invalid_client|unauthorized_client|7000215|700016/i.test(text)) {
    return new PortalOpsError(
      'auth_failed',
      `Sign-in was refused for the app registration${where}. Check AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (and that the app is registered in that tenant).`,
      { cause: error },
    );
  }
  if (/consent_required|AADSTS65001/i.test(text)) {
    const resource = context.scope ? resourceOf(context.scope) : 'a resource PortalOps calls';
    return new PortalOpsError(
      'consent_required',
      `The signed-in account has not consented to ${resource}${where}. Run \`portalops login\`: it asks consent for every resource PortalOps calls.`,
      { cause: error, details: { resource, ...(context.tenantId ? { tenantId: context.tenantId } : {}) } },
    );
  }
  if (
    /invalid_grant|interaction_required|no_tokens_found|expired_token|authorization_declined|login_required/i.test(
      text,
    )
  ) {
    return new PortalOpsError(
      'sign_in_required',
      `Your sign-in${where} has expired or was declined. Run \`portalops login\` to sign in again.`,
      { cause: error },
    );
  }
  if (
    /network|ECONNREFUSED|ENOTFOUND|fetch failed|endpoints_resolution_error|endpoint_resolution/i.test(text)
  ) {
    return new PortalOpsError(
      'endpoint_unreachable',
      `Cannot reach the sign-in service at ${authorityHost}. Check AZURE_AUTHORITY_HOST and the network.`,
      { retryable: true, cause: error },
    );
  }
  if (/invalid_tenant|90002|invalid_request/i.test(text)) {
    return new PortalOpsError(
      'auth_failed',
      `The tenant${context.tenantId ? ` ${context.tenantId}` : ''} was not found. Check AZURE_TENANT_ID and the tenantId of each environment in the environments file.`,
      { cause: error },
    );
  }
  return new PortalOpsError('auth_failed', `Sign-in failed (${code || 'unknown error'}).`, { cause: error });
}

type MsalApp = PublicClientApplication | ConfidentialClientApplication;

/** The MSAL-backed {@link TokenProvider}. */
export class MsalTokenProvider implements TokenProvider {
  /** The tenant of requests that name none. */
  readonly defaultTenantId: string;
  readonly mode: AuthMode;
  readonly clientId: string;
  private readonly apps = new Map<string, MsalApp>();
  private readonly tokens = new Map<string, AccessToken>();
  private readonly pending = new Map<string, Promise<AccessToken>>();
  private readonly renewBeforeMs: number;
  private readonly now: () => number;
  /** Scopes the device authorization request of the sign-in under way also asks consent for. */
  private consentScopes: readonly string[] = [];

  constructor(private readonly options: MsalTokenProviderOptions) {
    this.defaultTenantId = options.tenantId;
    this.mode = options.mode;
    this.clientId = options.clientId;
    this.renewBeforeMs = options.renewBeforeMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    if (options.mode === 'client_credentials' && !options.clientSecret) {
      throw new PortalOpsError(
        'config_invalid',
        'Client-credentials sign-in needs AZURE_CLIENT_SECRET. Set it, or use PORTALOPS_AUTH_MODE=device_code.',
      );
    }
  }

  /** The cache section of one tenant's sign-in. */
  private cacheKey(tenantId: string): string {
    return `${this.options.mode}:${this.options.clientId}:${tenantId.toLowerCase()}`;
  }

  /** The MSAL application of a tenant, created on first use. */
  private appFor(tenantId: string): MsalApp {
    const key = tenantId.toLowerCase();
    const existing = this.apps.get(key);
    if (existing) return existing;
    const { options } = this;
    const cacheKey = this.cacheKey(key);
    const cachePlugin: ICachePlugin = {
      beforeCacheAccess: async (context: TokenCacheContext) => {
        const saved = options.cache.read(cacheKey);
        if (saved) context.tokenCache.deserialize(saved);
      },
      afterCacheAccess: async (context: TokenCacheContext) => {
        if (context.cacheHasChanged) await options.cache.write(cacheKey, context.tokenCache.serialize());
      },
    };
    const secure = options.authorityHost.startsWith('https://');
    const host = secure ? options.authorityHost.replace(/\/+$/, '') : `https://${SIMULATED_AUTHORITY_HOST}`;
    const network = secure ? createFetchNetworkClient() : createRewritingNetworkClient(options.authorityHost);
    const configuration: Configuration = {
      auth: {
        clientId: options.clientId,
        authority: `${host}/${tenantId}`,
        ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
        ...(secure ? {} : { knownAuthorities: [SIMULATED_AUTHORITY_HOST] }),
      },
      cache: { cachePlugin },
      system: {
        networkClient: withExtraScopesToConsent(network, () => this.consentScopes),
        // Tokens and account names never reach PortalOps's logs.
        loggerOptions: { piiLoggingEnabled: false, loggerCallback: () => {} },
      },
    };
    const app =
      options.mode === 'client_credentials'
        ? new ConfidentialClientApplication(configuration)
        : new PublicClientApplication(configuration);
    this.apps.set(key, app);
    return app;
  }

  async getToken(
    scope: string,
    options: { tenantId?: string; forceRefresh?: boolean } = {},
  ): Promise<AccessToken> {
    const tenantId = options.tenantId ?? this.defaultTenantId;
    const key = `${tenantId.toLowerCase()}|${scope}`;
    const cached = this.tokens.get(key);
    if (!options.forceRefresh && cached && cached.expiresOn - this.now() > this.renewBeforeMs) return cached;
    const inFlight = this.pending.get(key);
    if (inFlight && !options.forceRefresh) return inFlight;
    const renew = Boolean(options.forceRefresh || cached);
    const request = this.acquire(scope, tenantId, renew)
      .then((result) => {
        const token = {
          token: result.accessToken,
          expiresOn: result.expiresOn?.getTime() ?? this.now() + 3_600_000,
        };
        this.tokens.set(key, token);
        return token;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, request);
    return request;
  }

  private async acquire(scope: string, tenantId: string, renew: boolean) {
    const app = this.appFor(tenantId);
    try {
      if (app instanceof ConfidentialClientApplication) {
        const result = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: renew });
        if (!result) throw new PortalOpsError('auth_failed', 'The sign-in service returned no token.');
        return result;
      }
      const account = await this.accountOf(app);
      if (!account) {
        throw new PortalOpsError(
          'sign_in_required',
          tenantId === this.defaultTenantId
            ? 'PortalOps is not signed in. Run `portalops login` to sign in with your account.'
            : `PortalOps is not signed in to tenant ${tenantId}. Run \`portalops login\`: it signs in to every tenant in the environments file.`,
          { details: { tenantId } },
        );
      }
      return await app.acquireTokenSilent({ account, scopes: [scope], forceRefresh: renew });
    } catch (error) {
      throw toAuthError(error, this.options.authorityHost, { scope, tenantId });
    }
  }

  private async accountOf(app: MsalApp): Promise<AccountInfo | undefined> {
    const accounts = await app.getTokenCache().getAllAccounts();
    return accounts[0];
  }

  /** The account signed in to `tenantId` (default: the home tenant), in delegated mode. */
  async currentAccount(tenantId: string = this.defaultTenantId): Promise<SignedInAccount | undefined> {
    if (this.options.mode !== 'device_code') return undefined;
    const account = await this.accountOf(this.appFor(tenantId));
    return account ? toSignedIn(account, tenantId) : undefined;
  }

  /**
   * Runs the device-code sign-in to one tenant: `onPrompt` gets the message telling the person
   * where to go and which code to enter. The token is redeemed for `scopes` (one resource);
   * `extraScopesToConsent` (other resources' delegated permissions) are consented in the same
   * sign-in, so their tokens then come silently. Resolves with the account once signed in.
   */
  async loginWithDeviceCode(options: {
    onPrompt: (message: string) => void;
    tenantId?: string;
    scopes?: string[];
    extraScopesToConsent?: string[];
    timeoutSeconds?: number;
  }): Promise<SignedInAccount> {
    if (this.options.mode !== 'device_code') {
      throw new PortalOpsError(
        'invalid_input',
        'Sign-in with a code is for PORTALOPS_AUTH_MODE=device_code; client credentials need no login (but cannot call the Power Pages admin API).',
      );
    }
    const tenantId = options.tenantId ?? this.defaultTenantId;
    const app = this.appFor(tenantId) as PublicClientApplication;
    const scopes = options.scopes ?? ['https://api.powerplatform.com/.default'];
    this.consentScopes = options.extraScopesToConsent ?? [];
    try {
      const result = await app.acquireTokenByDeviceCode({
        scopes,
        deviceCodeCallback: (response) => options.onPrompt(response.message),
        ...(options.timeoutSeconds ? { timeout: options.timeoutSeconds } : {}),
      });
      if (!result?.account)
        throw new PortalOpsError('auth_failed', 'The sign-in finished without an account.');
      // The new sign-in replaces an earlier one in this tenant, so switching accounts mixes nothing.
      const cache = app.getTokenCache();
      for (const account of await cache.getAllAccounts()) {
        if (account.homeAccountId !== result.account.homeAccountId) await cache.removeAccount(account);
      }
      this.forgetTokens(tenantId);
      return toSignedIn(result.account, tenantId);
    } catch (error) {
      throw toAuthError(error, this.options.authorityHost, { tenantId });
    } finally {
      this.consentScopes = [];
    }
  }

  /** Forgets every signed-in account and cached token, in every tenant. */
  async logout(): Promise<void> {
    for (const app of this.apps.values()) {
      const cache = app.getTokenCache();
      for (const account of await cache.getAllAccounts()) await cache.removeAccount(account);
    }
    this.apps.clear();
    this.tokens.clear();
    const prefix = `${this.options.mode}:${this.options.clientId}:`;
    for (const key of this.options.cache.keys()) {
      if (key.startsWith(prefix)) await this.options.cache.write(key, undefined);
    }
  }

  private forgetTokens(tenantId: string): void {
    const prefix = `${tenantId.toLowerCase()}|`;
    for (const key of [...this.tokens.keys()]) if (key.startsWith(prefix)) this.tokens.delete(key);
  }
}

function toSignedIn(account: AccountInfo, tenantId: string): SignedInAccount {
  return {
    username: account.username,
    ...(account.name ? { name: account.name } : {}),
    // The tenant signed in to; a guest's home tenant is another one.
    tenantId: account.tenantId || tenantId,
  };
}
