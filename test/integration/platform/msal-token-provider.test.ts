import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentRegistry } from '../../../src/config/environment-registry.ts';
import type { Logger } from '../../../src/logging/logger.ts';
import { appOnlyPowerPages } from '../../../src/platform/auth/app-only-power-pages.ts';
import { MsalTokenProvider } from '../../../src/platform/auth/msal-token-provider.ts';
import { planSignIn, signInToTenants } from '../../../src/platform/auth/sign-in-plan.ts';
import { tokensForTenant } from '../../../src/platform/auth/tenant-token-provider.ts';
import { TokenCacheFile } from '../../../src/platform/auth/token-cache-file.ts';
import { createDataverseFactory } from '../../../src/platform/dataverse/dataverse-factory.ts';
import { BAP_SCOPE, EnvironmentsClient } from '../../../src/platform/environments/environments-client.ts';
import { routePowerPagesByTenant } from '../../../src/platform/environments/tenant-routed-power-pages.ts';
import {
  POWER_PLATFORM_SCOPE,
  PowerPagesClient,
} from '../../../src/platform/power-pages/power-pages-client.ts';
import { type RunningSimulator, startSimulator } from '../../../src/simulator/simulator.ts';
import { failureOf } from '../../support/failure-of.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { FABRIKAM, twoTenantScenario } from '../../support/two-tenant-scenario.ts';

const http = { timeoutMs: 2_000, maxRetries: 0, maxBackoffMs: 10 };
const mode = (file: string) => statSync(file).mode & 0o777;
const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('MsalTokenProvider against the simulator’s token endpoint', () => {
  let sim: RunningSimulator;
  let tenantId: string;
  const temps: ReturnType<typeof makeTempDir>[] = [];

  const dataDir = () => {
    const temp = makeTempDir();
    temps.push(temp);
    return temp.dir;
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
  afterEach(() => {
    sim.setAccessTokenTtl(3600);
    for (const t of temps.splice(0)) t.remove();
  });
  afterAll(() => sim.close());

  const clientCredentials = (
    dir: string,
    secret = 'simulator-secret',
    authorityHost = sim.urls.authorityHost,
  ) =>
    new MsalTokenProvider({
      mode: 'client_credentials',
      clientId: 'portalops-app',
      clientSecret: secret,
      tenantId,
      authorityHost,
      cache: TokenCacheFile.open(dir),
    });

  const delegated = (dir: string, logger?: Logger) =>
    new MsalTokenProvider({
      mode: 'device_code',
      clientId: 'portalops-app',
      tenantId,
      authorityHost: sim.urls.authorityHost,
      cache: TokenCacheFile.open(dir, logger ? { logger } : {}),
      ...(logger ? { logger } : {}),
    });

  it('gets an application token for Dataverse and reuses it without asking again', async () => {
    const provider = clientCredentials(dataDir());
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
    sim.setAccessTokenTtl(120);
    const provider = clientCredentials(dataDir());
    const scope = `${sim.dataverseUrl('test')}/.default`;
    const counter = tokenRequests();
    const first = await provider.getToken(scope);
    const second = await provider.getToken(scope);
    expect(counter.count).toBe(2);
    expect(second.token).not.toBe(first.token);
  });

  it('says auth_failed, naming the settings to check, for a wrong secret', async () => {
    const error = await failureOf(
      clientCredentials(dataDir(), 'wrong').getToken(`${sim.dataverseUrl('dev')}/.default`),
    );
    expect(error).toMatchObject({ code: 'auth_failed' });
    expect(error.message).toContain('AZURE_CLIENT_SECRET');
    expect(error.message).not.toContain('wrong');
  });

  it('says endpoint_unreachable when the sign-in service cannot be reached', async () => {
    await expect(
      clientCredentials(dataDir(), 'simulator-secret', 'http://127.0.0.1:9').getToken('https://x/.default'),
    ).rejects.toMatchObject({
      code: 'endpoint_unreachable',
    });
  });

  it('with client credentials, reads the environment lookup and Dataverse, and refuses Power Pages before any request', async () => {
    const provider = clientCredentials(dataDir());
    const registry = new EnvironmentRegistry(sim.environmentsRegistry());
    const environments = new EnvironmentsClient({
      registry,
      bapBaseUrl: sim.urls.bapApi,
      tokenProvider: provider,
      dataverse: createDataverseFactory({ tokenProvider: provider, ...http }),
      ...http,
    });
    const dev = await environments.resolve('dev');
    expect(dev.organizationId).toBe(sim.world.findEnvironment('dev')!.organizationId);
    expect(dev.installedLanguages.length).toBeGreaterThan(0);

    const powerPages = appOnlyPowerPages();
    const before = sim.requestLog.length;
    const error = await failureOf(powerPages.listWebsites(dev.environmentId));
    expect(error.code).toBe('app_only_not_supported');
    expect(error.message).toMatch(/service principal/);
    expect(error.message).toContain('portalops login');
    expect(error.message).toContain('PORTALOPS_AUTH_MODE=device_code');
    await expect(powerPages.createWebsite(dev.environmentId, {} as never)).rejects.toMatchObject({
      code: 'app_only_not_supported',
    });
    expect(sim.requestLog.length).toBe(before);
  });

  it('signs in with a device code, calls the Power Pages API as the user, and a new process reuses the sign-in', async () => {
    const dir = dataDir();
    const provider = delegated(dir);
    await expect(provider.getToken(POWER_PLATFORM_SCOPE)).rejects.toMatchObject({
      code: 'sign_in_required',
    });
    const prompts: string[] = [];
    const [result] = await signInToTenants(provider, planSignIn(sim.environmentsRegistry(), tenantId), {
      onPrompt: (m) => prompts.push(m),
    });
    expect(result!.account.username).toBe('alice@contoso.com');
    expect(prompts[0]).toMatch(/\/device .*code/);

    const api = new PowerPagesClient({
      baseUrl: sim.urls.powerPlatformApi,
      tokenProvider: provider,
      ...http,
    });
    expect((await api.listWebsites(sim.world.findEnvironment('dev')!.id)).length).toBeGreaterThan(0);

    const restarted = delegated(dir);
    expect(await restarted.currentAccount()).toMatchObject({ username: 'alice@contoso.com' });
    const counter = tokenRequests();
    const token = await restarted.getToken(`${sim.dataverseUrl('dev')}/.default`);
    expect(claimsOf(token.token)).toMatchObject({ aud: sim.dataverseUrl('dev'), tid: tenantId });
    expect(counter.count).toBe(0);
    await restarted.logout();
    expect(await restarted.currentAccount()).toBeUndefined();
    expect(await delegated(dir).currentAccount()).toBeUndefined();
  });

  it('one device code consents to the Power Platform API, the environment lookup and every Dataverse of the registry', async () => {
    const provider = delegated(dataDir());
    const plan = planSignIn(sim.environmentsRegistry(), tenantId);
    expect(plan).toHaveLength(1);
    expect(plan[0]!.resources.map((r) => r.scope)).toEqual([
      POWER_PLATFORM_SCOPE,
      BAP_SCOPE,
      `${sim.dataverseUrl('dev')}/.default`,
      `${sim.dataverseUrl('test')}/.default`,
      `${sim.dataverseUrl('prod')}/.default`,
    ]);
    const from = sim.requestLog.length;
    const prompts: string[] = [];
    const [result] = await signInToTenants(provider, plan, { onPrompt: (m) => prompts.push(m) });
    expect(prompts).toHaveLength(1);
    expect(sim.requestLog.slice(from).filter((r) => r.path.endsWith('/devicecode'))).toHaveLength(1);
    expect(result!.missing).toEqual([]);
    expect(result!.consented).toHaveLength(5);
    const bap = await provider.getToken(BAP_SCOPE);
    expect(claimsOf(bap.token).aud).toBe('https://service.powerapps.com');
    for (const alias of ['dev', 'test', 'prod']) {
      const token = await provider.getToken(`${sim.dataverseUrl(alias)}/.default`);
      expect(claimsOf(token.token).aud).toBe(sim.dataverseUrl(alias));
    }
  });

  it('a sign-in that consented only to the Power Platform API fails the others with consent_required, and login again fixes it', async () => {
    // A simulator of its own: consent given in the other tests would otherwise carry over.
    const fresh = await startSimulator({ autoApproveDeviceCodeAs: 'alice@contoso.com' });
    const provider = new MsalTokenProvider({
      mode: 'device_code',
      clientId: 'portalops-app',
      tenantId,
      authorityHost: fresh.urls.authorityHost,
      cache: TokenCacheFile.open(dataDir()),
    });
    // What an older sign-in asked for: the Power Platform API alone.
    await provider.loginWithDeviceCode({ onPrompt: () => {}, scopes: [POWER_PLATFORM_SCOPE] });
    const error = await failureOf(provider.getToken(BAP_SCOPE));
    expect(error.code).toBe('consent_required');
    expect(error.message).toContain('https://service.powerapps.com');
    expect(error.message).toContain('portalops login');
    await expect(provider.getToken(`${fresh.dataverseUrl('dev')}/.default`)).rejects.toMatchObject({
      code: 'consent_required',
    });

    try {
      const [result] = await signInToTenants(provider, planSignIn(fresh.environmentsRegistry(), tenantId), {
        onPrompt: () => {},
      });
      expect(result!.missing).toEqual([]);
      expect((await provider.getToken(BAP_SCOPE)).token.split('.')).toHaveLength(3);
      expect(
        (await provider.getToken(`${fresh.dataverseUrl('dev')}/.default`)).token.split('.'),
      ).toHaveLength(3);
    } finally {
      await fresh.close();
    }
  });

  it('creates the token cache 0600 in a 0700 directory, tightens a looser one on open, and logs no token', async () => {
    const dir = dataDir();
    const lines: string[] = [];
    const capture = (level: string) => (obj: unknown, msg?: string) =>
      lines.push(`${level} ${JSON.stringify(obj)} ${msg ?? ''}`);
    const logger = {
      trace: capture('trace'),
      debug: capture('debug'),
      info: capture('info'),
      warn: capture('warn'),
      error: capture('error'),
      fatal: capture('fatal'),
      child: () => logger,
    } as unknown as Logger;
    const provider = delegated(dir, logger);
    await signInToTenants(provider, planSignIn(sim.environmentsRegistry(), tenantId), { onPrompt: () => {} });
    const credentials = path.join(dir, 'credentials');
    const file = path.join(credentials, 'msal-token-cache.json');
    expect(mode(credentials)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    const cached = JSON.parse(readFileSync(file, 'utf8')) as { caches: Record<string, string> };
    expect(Object.keys(cached.caches)).toEqual([`device_code:portalops-app:${tenantId}`]);
    expect(cached.caches[`device_code:portalops-app:${tenantId}`]).toContain('RefreshToken');

    const token = (await provider.getToken(POWER_PLATFORM_SCOPE)).token;
    expect(lines.join('\n')).not.toContain(token);
    const refresh = /"secret":"([^"]+)"/.exec(cached.caches[`device_code:portalops-app:${tenantId}`]!)?.[1];
    expect(refresh).toBeTruthy();
    expect(lines.join('\n')).not.toContain(refresh);

    chmodSync(file, 0o644);
    chmodSync(credentials, 0o755);
    const reopened = delegated(dir, logger);
    expect(mode(file)).toBe(0o600);
    expect(mode(credentials)).toBe(0o700);
    expect(lines.some((l) => l.startsWith('warn') && l.includes('tightened'))).toBe(true);
    expect(await reopened.currentAccount()).toMatchObject({ username: 'alice@contoso.com' });
  });

  it('a cache file left world-readable by an older version is tightened before it is read', () => {
    const dir = dataDir();
    const credentials = path.join(dir, 'credentials');
    mkdirSync(credentials, { mode: 0o755 });
    chmodSync(credentials, 0o755);
    const file = path.join(credentials, 'msal-token-cache.json');
    writeFileSync(file, JSON.stringify({ version: 1, caches: {} }), { mode: 0o644 });
    chmodSync(file, 0o644);
    TokenCacheFile.open(dir);
    expect(mode(file)).toBe(0o600);
    expect(mode(credentials)).toBe(0o700);
  });
});

describe('A registry with environments in two tenants', () => {
  let sim: RunningSimulator;
  let contoso: string;
  const temps: ReturnType<typeof makeTempDir>[] = [];

  beforeAll(async () => {
    sim = await startSimulator({
      scenario: twoTenantScenario(),
      autoApproveDeviceCodeAs: ['alice@contoso.com', 'fiona@fabrikam.com'],
    });
    contoso = sim.world.findEnvironment('dev')!.tenantId;
  });
  afterAll(async () => {
    await sim.close();
    for (const t of temps.splice(0)) t.remove();
  });

  const provider = (mode: 'device_code' | 'client_credentials') => {
    const temp = makeTempDir();
    temps.push(temp);
    return new MsalTokenProvider({
      mode,
      clientId: 'portalops-app',
      ...(mode === 'client_credentials' ? { clientSecret: 'simulator-secret' } : {}),
      tenantId: contoso,
      authorityHost: sim.urls.authorityHost,
      cache: TokenCacheFile.open(temp.dir),
    });
  };

  it('signs in once per tenant, each with its own account, and every client gets tokens from the environment’s tenant', async () => {
    const auth = provider('device_code');
    const entries = sim.environmentsRegistry();
    const plan = planSignIn(entries, contoso);
    expect(plan.map((t) => [t.tenantId, t.environments])).toEqual([
      [contoso, ['dev', 'test']],
      [FABRIKAM, ['prod']],
    ]);
    const prompts: string[] = [];
    const results = await signInToTenants(auth, plan, {
      onPrompt: (_m, tenant) => prompts.push(tenant.tenantId),
    });
    expect(prompts).toEqual([contoso, FABRIKAM]);
    expect(results.map((r) => [r.account.username, r.missing.length])).toEqual([
      ['alice@contoso.com', 0],
      ['fiona@fabrikam.com', 0],
    ]);
    expect(await auth.currentAccount(FABRIKAM)).toMatchObject({ username: 'fiona@fabrikam.com' });

    const registry = new EnvironmentRegistry(entries);
    const environments = new EnvironmentsClient({
      registry,
      bapBaseUrl: sim.urls.bapApi,
      tokenProvider: auth,
      dataverse: createDataverseFactory({ tokenProvider: auth, ...http }),
      ...http,
    });
    const [dev, prod] = [await environments.resolve('dev'), await environments.resolve('prod')];
    expect(dev.tenantId).toBe(contoso);
    expect(prod).toMatchObject({
      tenantId: FABRIKAM,
      organizationId: sim.world.findEnvironment('prod')!.organizationId,
    });

    const prodToken = await auth.getToken(`${sim.dataverseUrl('prod')}/.default`, { tenantId: FABRIKAM });
    expect(claimsOf(prodToken.token)).toMatchObject({ tid: FABRIKAM, upn: 'fiona@fabrikam.com' });
    const bapHome = await auth.getToken(BAP_SCOPE);
    const bapFabrikam = await auth.getToken(BAP_SCOPE, { tenantId: FABRIKAM });
    expect([claimsOf(bapHome.token).tid, claimsOf(bapFabrikam.token).tid]).toEqual([contoso, FABRIKAM]);

    const powerPages = routePowerPagesByTenant({
      registry,
      defaultTenantId: contoso,
      clientFor: (tenantId) =>
        new PowerPagesClient({
          baseUrl: sim.urls.powerPlatformApi,
          tokenProvider: tokensForTenant(auth, tenantId),
          ...http,
        }),
    });
    expect((await powerPages.listWebsites(prod.environmentId)).length).toBeGreaterThan(0);
    expect((await powerPages.listWebsites(dev.environmentId)).length).toBeGreaterThan(0);
  });

  it('the simulator serves an environment only to tokens from its own tenant', async () => {
    const prod = sim.world.findEnvironment('prod')!;
    const wrongTenant = sim.issueUserToken('alice@contoso.com', sim.dataverseUrl('prod'));
    const dataverse = await fetch(`${sim.dataverseUrl('prod')}/api/data/v9.2/WhoAmI`, {
      headers: { Authorization: `Bearer ${wrongTenant}` },
    });
    expect(dataverse.status).toBe(401);
    const bap = await fetch(
      `${sim.urls.bapApi}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${prod.id}?api-version=2021-04-01`,
      {
        headers: {
          Authorization: `Bearer ${sim.issueUserToken('alice@contoso.com', 'https://service.powerapps.com')}`,
        },
      },
    );
    expect(bap.status).toBe(404);
  });

  it('client credentials get app tokens from each environment’s tenant', async () => {
    const auth = provider('client_credentials');
    const environments = new EnvironmentsClient({
      registry: new EnvironmentRegistry(sim.environmentsRegistry()),
      bapBaseUrl: sim.urls.bapApi,
      tokenProvider: auth,
      dataverse: createDataverseFactory({ tokenProvider: auth, ...http }),
      ...http,
    });
    expect((await environments.resolve('prod')).tenantId).toBe(FABRIKAM);
    const token = await auth.getToken(`${sim.dataverseUrl('prod')}/.default`, { tenantId: FABRIKAM });
    expect(claimsOf(token.token)).toMatchObject({ tid: FABRIKAM, idtyp: 'app' });
  });
});
