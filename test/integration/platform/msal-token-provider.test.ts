import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MsalTokenProvider } from '../../../src/platform/auth/msal-token-provider.ts';
import { PowerPagesClient } from '../../../src/platform/power-pages/power-pages-client.ts';
import { type RunningSimulator, startSimulator } from '../../../src/simulator/simulator.ts';
import { LowdbStore } from '../../../src/storage/lowdb-store.ts';
import { failureOf } from '../../support/failure-of.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

describe('MsalTokenProvider against the simulator’s token endpoint', () => {
  let sim: RunningSimulator;
  let tenantId: string;
  const temps: ReturnType<typeof makeTempDir>[] = [];
  const stores: LowdbStore[] = [];

  const openStore = async (dir?: string) => {
    let folder = dir;
    if (!folder) {
      const temp = makeTempDir();
      temps.push(temp);
      folder = temp.dir;
    }
    const store = await LowdbStore.open(folder);
    stores.push(store);
    return { store, dir: folder };
  };

  /** Counts token endpoint calls from now on. */
  const tokenRequests = () => {
    const from = sim.requestLog.length;
    return {
      get count() {
        return sim.requestLog.slice(from).filter((r) => r.path.endsWith('/oauth2/v2.0/token')).length;
      },
    };
  };

  beforeAll(async () => {
    sim = await startSimulator({ autoApproveDeviceCodeAs: 'alice@contoso.com' });
    tenantId = sim.environmentsRegistry()[0]!.tenantId;
  });
  afterEach(async () => {
    sim.setAccessTokenTtl(3600);
    await Promise.all(stores.splice(0).map((s) => s.close()));
    for (const t of temps.splice(0)) t.remove();
  });
  afterAll(() => sim.close());

  const clientCredentials = (
    store: LowdbStore,
    secret = 'simulator-secret',
    authorityHost = sim.urls.authorityHost,
  ) =>
    new MsalTokenProvider({
      mode: 'client_credentials',
      clientId: 'portalops-app',
      clientSecret: secret,
      tenantId,
      authorityHost,
      store,
    });

  it('gets an application token for Dataverse and reuses it without asking again', async () => {
    const { store } = await openStore();
    const provider = clientCredentials(store);
    const scope = `${sim.dataverseUrl('dev')}/.default`;
    const counter = tokenRequests();
    const first = await provider.getToken(scope);
    const second = await provider.getToken(scope);
    expect(second.token).toBe(first.token);
    expect(first.expiresOn).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(counter.count).toBe(1);
    const response = await fetch(`${sim.dataverseUrl('dev')}/api/data/v9.2/WhoAmI`, {
      headers: { Authorization: `Bearer ${first.token}` },
    });
    expect(response.status).toBe(200);
  });

  it('renews a token that is about to expire instead of handing it out', async () => {
    const { store } = await openStore();
    sim.setAccessTokenTtl(120);
    const provider = clientCredentials(store);
    const scope = `${sim.dataverseUrl('test')}/.default`;
    const counter = tokenRequests();
    const first = await provider.getToken(scope);
    const second = await provider.getToken(scope);
    expect(counter.count).toBe(2);
    expect(second.token).not.toBe(first.token);
  });

  it('says auth_failed, naming the settings to check, for a wrong secret', async () => {
    const { store } = await openStore();
    const error = await failureOf(
      clientCredentials(store, 'wrong').getToken(`${sim.dataverseUrl('dev')}/.default`),
    );
    expect(error).toMatchObject({ code: 'auth_failed' });
    expect(error.message).toContain('AZURE_CLIENT_SECRET');
    expect(error.message).not.toContain('wrong');
  });

  it('says endpoint_unreachable when the sign-in service cannot be reached', async () => {
    const { store } = await openStore();
    await expect(
      clientCredentials(store, 'simulator-secret', 'http://127.0.0.1:9').getToken('https://x/.default'),
    ).rejects.toMatchObject({
      code: 'endpoint_unreachable',
    });
  });

  it('signs in with a device code, calls the Power Pages API as the user, and a new process reuses the sign-in', async () => {
    const { store, dir } = await openStore();
    const delegated = (s: LowdbStore) =>
      new MsalTokenProvider({
        mode: 'device_code',
        clientId: 'portalops-app',
        tenantId,
        authorityHost: sim.urls.authorityHost,
        store: s,
      });
    const provider = delegated(store);
    await expect(provider.getToken('https://api.powerplatform.com/.default')).rejects.toMatchObject({
      code: 'sign_in_required',
    });
    const prompts: string[] = [];
    const account = await provider.loginWithDeviceCode({ onPrompt: (m) => prompts.push(m) });
    expect(account.username).toBe('alice@contoso.com');
    expect(prompts[0]).toMatch(/\/device .*code/);

    const api = new PowerPagesClient({
      baseUrl: sim.urls.powerPlatformApi,
      tokenProvider: provider,
      timeoutMs: 2_000,
      maxRetries: 0,
      maxBackoffMs: 10,
    });
    expect((await api.listWebsites(sim.world.findEnvironment('dev')!.id)).length).toBeGreaterThan(0);
    await store.close();
    stores.splice(stores.indexOf(store), 1);

    const { store: reopened } = await openStore(dir);
    const restarted = delegated(reopened);
    expect(await restarted.currentAccount()).toMatchObject({ username: 'alice@contoso.com' });
    const token = await restarted.getToken(`${sim.dataverseUrl('dev')}/.default`);
    expect(token.token.split('.')).toHaveLength(3);
    await restarted.logout();
    expect(await restarted.currentAccount()).toBeUndefined();
  });
});
