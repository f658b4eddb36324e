/**
 * Tokens from Microsoft Entra ID through MSAL: client credentials (an application user) or a
 * delegated device-code sign-in (`portalops login`). The MSAL token cache persists in the store,
 * so a restart needs no new sign-in; access tokens are renewed before they expire.
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
import type { Store } from '../../storage/store.ts';
import type { AccessToken, TokenProvider } from '../ports.ts';
import { createRewritingNetworkClient, SIMULATED_AUTHORITY_HOST } from './rewriting-network-client.ts';

/** How PortalOps signs in. */
export type AuthMode = 'client_credentials' | 'device_code';

/** Options of {@link MsalTokenProvider}. */
export interface MsalTokenProviderOptions {
  mode: AuthMode;
  clientId: string;
  tenantId: string;
  clientSecret?: string;
  /** `https://login.microsoftonline.com`, or a plain-http host such as the simulator. */
  authorityHost: string;
  store: Store;
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

/** Maps an MSAL (or network) failure to a PortalOps error people can act on. */
export function toAuthError(error: unknown, authorityHost: string): PortalOpsError {
  if (error instanceof PortalOpsError) return error;
  const code = error instanceof AuthError ? error.errorCode : '';
  const text = `${code} ${(error as Error)?.message ?? ''}`;
  if (/invalid_client|unauthorized_client|7000215|700016/i.test(text)) {
    return new PortalOpsError(
      'auth_failed',
      'Sign-in was refused for the app registration. Check AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (and AZURE_TENANT_ID).',
      { cause: error },
    );
  }
  if (
    /invalid_grant|interaction_required|no_tokens_found|expired_token|authorization_declined|login_required/i.test(
      text,
    )
  ) {
    return new PortalOpsError(
      'sign_in_required',
      'Your sign-in has expired or was declined. Run `portalops login` to sign in again.',
      {
        cause: error,
      },
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
      'The tenant was not found. Check AZURE_TENANT_ID and the environments file.',
      {
        cause: error,
      },
    );
  }
  return new PortalOpsError('auth_failed', `Sign-in failed (${code || 'unknown error'}).`, { cause: error });
}

/** The MSAL-backed {@link TokenProvider}. */
export class MsalTokenProvider implements TokenProvider {
  private readonly app: PublicClientApplication | ConfidentialClientApplication;
  private readonly tokens = new Map<string, AccessToken>();
  private readonly renewBeforeMs: number;
  private readonly now: () => number;
  private readonly cacheKey: string;

  constructor(private readonly options: MsalTokenProviderOptions) {
    this.renewBeforeMs = options.renewBeforeMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    this.cacheKey = `msal-cache:${options.mode}:${options.clientId}`;
    const secure = options.authorityHost.startsWith('https://');
    const host = secure ? options.authorityHost.replace(/\/+$/, '') : `https://${SIMULATED_AUTHORITY_HOST}`;
    const cachePlugin: ICachePlugin = {
      beforeCacheAccess: async (context: TokenCacheContext) => {
        const saved = options.store.getValue(this.cacheKey);
        if (saved) context.tokenCache.deserialize(saved);
      },
      afterCacheAccess: async (context: TokenCacheContext) => {
        if (context.cacheHasChanged)
          await options.store.setValue(this.cacheKey, context.tokenCache.serialize());
      },
    };
    const configuration: Configuration = {
      auth: {
        clientId: options.clientId,
        authority: `${host}/${options.tenantId}`,
        ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
        ...(secure ? {} : { knownAuthorities: [SIMULATED_AUTHORITY_HOST] }),
      },
      cache: { cachePlugin },
      system: {
        ...(secure ? {} : { networkClient: createRewritingNetworkClient(options.authorityHost) }),
        loggerOptions: { piiLoggingEnabled: false, loggerCallback: () => {} },
      },
    };
    if (options.mode === 'client_credentials') {
      if (!options.clientSecret) {
        throw new PortalOpsError(
          'config_invalid',
          'Client-credentials sign-in needs AZURE_CLIENT_SECRET. Set it, or use PORTALOPS_AUTH_MODE=device_code.',
        );
      }
      this.app = new ConfidentialClientApplication(configuration);
    } else {
      this.app = new PublicClientApplication(configuration);
    }
  }

  async getToken(
    scope: string,
    options: { tenantId?: string; forceRefresh?: boolean } = {},
  ): Promise<AccessToken> {
    const cached = this.tokens.get(scope);
    if (!options.forceRefresh && cached && cached.expiresOn - this.now() > this.renewBeforeMs) return cached;
    const renew = Boolean(options.forceRefresh || cached);
    const result = await this.acquire(scope, renew);
    const token = {
      token: result.accessToken,
      expiresOn: result.expiresOn?.getTime() ?? this.now() + 3_600_000,
    };
    this.tokens.set(scope, token);
    return token;
  }

  private async acquire(scope: string, renew: boolean) {
    try {
      if (this.app instanceof ConfidentialClientApplication) {
        const result = await this.app.acquireTokenByClientCredential({ scopes: [scope], skipCache: renew });
        if (!result) throw new PortalOpsError('auth_failed', 'The sign-in service returned no token.');
        return result;
      }
      const account = await this.account();
      if (!account) {
        throw new PortalOpsError(
          'sign_in_required',
          'PortalOps is not signed in. Run `portalops login` to sign in with your account.',
        );
      }
      return await this.app.acquireTokenSilent({ account, scopes: [scope], forceRefresh: renew });
    } catch (error) {
      throw toAuthError(error, this.options.authorityHost);
    }
  }

  private async account(): Promise<AccountInfo | undefined> {
    const accounts = await this.app.getTokenCache().getAllAccounts();
    return accounts[0];
  }

  /** The signed-in account (delegated mode), if any. */
  async currentAccount(): Promise<SignedInAccount | undefined> {
    if (this.options.mode !== 'device_code') return undefined;
    const account = await this.account();
    if (!account) return undefined;
    return {
      username: account.username,
      ...(account.name ? { name: account.name } : {}),
      tenantId: account.tenantId,
    };
  }

  /**
   * Runs the device-code sign-in: `onPrompt` gets the message telling the person where to go and
   * which code to enter. Resolves with the account once they have signed in.
   */
  async loginWithDeviceCode(options: {
    onPrompt: (message: string) => void;
    scopes?: string[];
    timeoutSeconds?: number;
  }): Promise<SignedInAccount> {
    if (!(this.app instanceof PublicClientApplication)) {
      throw new PortalOpsError(
        'invalid_input',
        'Sign-in with a code is for PORTALOPS_AUTH_MODE=device_code; client credentials need no login.',
      );
    }
    try {
      const result = await this.app.acquireTokenByDeviceCode({
        scopes: options.scopes ?? ['https://api.powerplatform.com/.default'],
        deviceCodeCallback: (response) => options.onPrompt(response.message),
        ...(options.timeoutSeconds ? { timeout: options.timeoutSeconds } : {}),
      });
      if (!result?.account)
        throw new PortalOpsError('auth_failed', 'The sign-in finished without an account.');
      this.tokens.clear();
      return {
        username: result.account.username,
        ...(result.account.name ? { name: result.account.name } : {}),
        tenantId: result.account.tenantId,
      };
    } catch (error) {
      throw toAuthError(error, this.options.authorityHost);
    }
  }

  /** Forgets the signed-in account and every cached token. */
  async logout(): Promise<void> {
    const cache = this.app.getTokenCache();
    for (const account of await cache.getAllAccounts()) await cache.removeAccount(account);
    this.tokens.clear();
    await this.options.store.setValue(this.cacheKey, undefined);
  }
}
