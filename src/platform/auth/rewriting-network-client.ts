/**
 * MSAL's network client, over fetch. MSAL accepts only https authorities: to sign in against a
 * plain-http token service (the local simulator), MSAL is given an https authority on a
 * reserved host name and the rewriting client, which sends those requests to the real base URL
 * instead and tells the service which host the client used (so the endpoints it advertises
 * match the authority MSAL validates). Against Entra ID the same client sends requests as they are.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { PortalOpsError } from '../../domain/errors.ts';

/** The reserved host MSAL is configured with when the real host is not https. */
export const SIMULATED_AUTHORITY_HOST = 'login.portalops.invalid';

/** Rewrites `https://login.portalops.invalid/...` to `{targetBase}/...`. */
export function rewriteUrl(url: string, targetBase: string): string {
  const parsed = new URL(url);
  if (parsed.host !== SIMULATED_AUTHORITY_HOST) return url;
  return `${targetBase.replace(/\/+$/, '')}${parsed.pathname}${parsed.search}`;
}

async function send<T>(
  method: 'GET' | 'POST',
  url: string,
  targetBase: string | undefined,
  options: NetworkRequestOptions | undefined,
  timeoutMs?: number,
): Promise<NetworkResponse<T>> {
  const target = targetBase ? rewriteUrl(url, targetBase) : url;
  const forwarded: Record<string, string> =
    target === url ? {} : { 'X-Forwarded-Host': SIMULATED_AUTHORITY_HOST, 'X-Forwarded-Proto': 'https' };
  let response: Response;
  try {
    response = await fetch(target, {
      method,
      headers: { ...options?.headers, ...forwarded },
      ...(options?.body === undefined ? {} : { body: options.body }),
      ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
    });
  } catch (error) {
    throw new PortalOpsError(
      'endpoint_unreachable',
      `Cannot reach the sign-in service at ${new URL(target).host}. Check AZURE_AUTHORITY_HOST and that the service is running.`,
      { retryable: true, cause: error },
    );
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    // Non-JSON answers are passed on as text; MSAL reports them as server errors.
  }
  return { headers, body: body as T, status: response.status };
}

/** A network client for MSAL that sends requests as they are (Entra ID over https). */
export function createFetchNetworkClient(): INetworkModule {
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>('GET', url, undefined, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
      send<T>('POST', url, undefined, options),
  };
}

/** A network client for MSAL that talks plain HTTP to `targetBase`. */
export function createRewritingNetworkClient(targetBase: string): INetworkModule {
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>('GET', url, targetBase, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
      send<T>('POST', url, targetBase, options),
  };
}
