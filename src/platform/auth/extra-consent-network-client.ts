/**
 * One device-code sign-in that consents to several resources.
 *
 * An access token is for one resource, so a sign-in redeems a token for the first resource and
 * gets the others silently with the refresh token; that only works for resources the person
 * (or an admin) has consented to. MSAL's answer is `extraScopesToConsent`, but msal-node offers
 * it on the authorization-code URL only: `DeviceCodeRequest` has no such field (checked in
 * msal-node 7.2: `CommonDeviceCodeRequest` is `BaseAuthRequest` + callback/cancel/timeout).
 * Entra ID's device authorization endpoint does accept scopes of several resources and asks
 * consent for all of them, while its token endpoint refuses a request naming more than one
 * resource (AADSTS28000; see MicrosoftDocs/azure-docs#42565). So this network client does what
 * `extraScopesToConsent` does for the authorize URL: it adds the extra scopes to the device
 * authorization request only, and the token redemption keeps MSAL's single-resource scope.
 */
import type { INetworkModule, NetworkRequestOptions } from '@azure/msal-node';

const DEVICE_AUTHORIZATION_PATH = /\/oauth2\/v2\.0\/devicecode$/;

/** Adds `extra` to the `scope` of a form-encoded body, keeping its order and dropping repeats. */
export function addScopesToForm(body: string, extra: readonly string[]): string {
  const form = new URLSearchParams(body);
  const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
  for (const scope of extra) if (!scopes.includes(scope)) scopes.push(scope);
  form.set('scope', scopes.join(' '));
  return form.toString();
}

/**
 * Wraps `inner` so that device authorization requests also ask consent for `extraScopes()`
 * (read at each request, so one client serves successive sign-ins).
 */
export function withExtraScopesToConsent(
  inner: INetworkModule,
  extraScopes: () => readonly string[],
): INetworkModule {
  return {
    sendGetRequestAsync: (url, options, timeout) => inner.sendGetRequestAsync(url, options, timeout),
    sendPostRequestAsync: (url: string, options?: NetworkRequestOptions) => {
      const extra = extraScopes();
      const path = new URL(url).pathname;
      if (extra.length === 0 || !DEVICE_AUTHORIZATION_PATH.test(path) || typeof options?.body !== 'string') {
        return inner.sendPostRequestAsync(url, options);
      }
      return inner.sendPostRequestAsync(url, { ...options, body: addScopesToForm(options.body, extra) });
    },
  };
}
