import type { INetworkModule, NetworkRequestOptions } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import {
  addScopesToForm,
  withExtraScopesToConsent,
} from '../../../src/platform/auth/extra-consent-network-client.ts';

/** A network module that records the bodies it was asked to send. */
function recording() {
  const posts: { url: string; body?: string }[] = [];
  const inner: INetworkModule = {
    sendGetRequestAsync: async () => ({ headers: {}, body: {} as never, status: 200 }),
    sendPostRequestAsync: async (url: string, options?: NetworkRequestOptions) => {
      posts.push({ url, ...(options?.body === undefined ? {} : { body: options.body }) });
      return { headers: {}, body: {} as never, status: 200 };
    },
  };
  return { inner, posts };
}

const scopesOf = (body: string | undefined) => new URLSearchParams(body).get('scope')?.split(' ');
const form =
  'client_id=app&scope=https%3A%2F%2Fapi.powerplatform.com%2F.default+openid+profile+offline_access';
const extra = ['https://service.powerapps.com/User', 'https://contoso.crm.dynamics.com/user_impersonation'];

describe('extra scopes to consent on a device-code sign-in', () => {
  it('adds the extra scopes to the device authorization request, after MSAL’s own', async () => {
    const { inner, posts } = recording();
    const client = withExtraScopesToConsent(inner, () => extra);
    await client.sendPostRequestAsync('https://login.microsoftonline.com/t/oauth2/v2.0/devicecode', {
      body: form,
    });
    expect(scopesOf(posts[0]!.body)).toEqual([
      'https://api.powerplatform.com/.default',
      'openid',
      'profile',
      'offline_access',
      ...extra,
    ]);
  });

  it('leaves the token redemption with its one resource, so Entra ID does not refuse several (AADSTS28000)', async () => {
    const { inner, posts } = recording();
    const client = withExtraScopesToConsent(inner, () => extra);
    await client.sendPostRequestAsync('https://login.microsoftonline.com/t/oauth2/v2.0/token', {
      body: form,
    });
    expect(posts[0]!.body).toBe(form);
  });

  it('does not repeat a scope already asked for', () => {
    expect(scopesOf(addScopesToForm('scope=a%2F.default+b%2FUser', ['b/User', 'c/x']))).toEqual([
      'a/.default',
      'b/User',
      'c/x',
    ]);
  });
});
