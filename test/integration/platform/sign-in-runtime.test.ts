/**
 * The composition root's sign-in wiring against a simulator treated as the real cloud
 * (PORTALOPS_SIMULATOR=off, URLs pointing at it): a two-tenant registry signs in to both tenants
 * and routes each environment's calls to its tenant; client credentials read the platform but
 * refuse the Power Pages admin API before sending anything.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.ts';
import { createRuntime } from '../../../src/main.ts';
import { signInToTenants } from '../../../src/platform/auth/sign-in-plan.ts';
import { type RunningSimulator, startSimulator } from '../../../src/simulator/simulator.ts';
import { failureOf } from '../../support/failure-of.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { FABRIKAM, twoTenantScenario } from '../../support/two-tenant-scenario.ts';

describe('createRuntime sign-in against a cloud with two tenants', () => {
  let sim: RunningSimulator;
  let temp: ReturnType<typeof makeTempDir>;
  let registryFile: string;

  beforeAll(async () => {
    sim = await startSimulator({
      scenario: twoTenantScenario(),
      autoApproveDeviceCodeAs: ['alice@contoso.com', 'fiona@fabrikam.com'],
    });
    temp = makeTempDir();
    registryFile = path.join(temp.dir, 'environments.json');
    writeFileSync(registryFile, JSON.stringify({ environments: sim.environmentsRegistry() }));
  });
  afterAll(async () => {
    await sim.close();
    temp.remove();
  });

  const configFor = (mode: 'device_code' | 'client_credentials', dataDir: string) =>
    loadConfig({
      PORTALOPS_SIMULATOR: 'off',
      PORTALOPS_ENVIRONMENTS_FILE: registryFile,
      PORTALOPS_DATA_DIR: dataDir,
      PORTALOPS_PLAYGROUND: 'off',
      POWER_PLATFORM_API_URL: sim.baseUrl,
      BAP_API_URL: sim.baseUrl,
      AZURE_AUTHORITY_HOST: sim.baseUrl,
      AZURE_TENANT_ID: sim.world.findEnvironment('dev')!.tenantId,
      AZURE_CLIENT_ID: 'portalops-app',
      PORTALOPS_AUTH_MODE: mode,
      ...(mode === 'client_credentials' ? { AZURE_CLIENT_SECRET: 'simulator-secret' } : {}),
    });

  it('login signs in to each tenant, and prod’s sites and Dataverse are reached with the Fabrikam sign-in', async () => {
    const runtime = await createRuntime(configFor('device_code', path.join(temp.dir, 'delegated')));
    try {
      expect(runtime.signInPlan.map((t) => t.environments)).toEqual([['dev', 'test'], ['prod']]);
      const results = await signInToTenants(runtime.auth, runtime.signInPlan, { onPrompt: () => {} });
      expect(results.map((r) => r.account.username)).toEqual(['alice@contoso.com', 'fiona@fabrikam.com']);
      const prod = await runtime.environments.resolve('prod');
      expect(prod.tenantId).toBe(FABRIKAM);
      expect((await runtime.powerPages.listWebsites(prod.environmentId)).length).toBeGreaterThan(0);
      const dev = await runtime.environments.resolve('dev');
      expect((await runtime.powerPages.listWebsites(dev.environmentId)).length).toBeGreaterThan(0);
      expect((await runtime.dataverse(prod.dataverseUrl, prod.tenantId).whoAmI()).userId).toBe(
        'f10a0000-0000-4000-8000-0000000000fb',
      );
    } finally {
      await runtime.close();
    }
  });

  it('client credentials resolve environments in both tenants and fail Power Pages calls before any request', async () => {
    const runtime = await createRuntime(configFor('client_credentials', path.join(temp.dir, 'app')));
    try {
      const prod = await runtime.environments.resolve('prod');
      expect(prod.organizationId).toBe(sim.world.findEnvironment('prod')!.organizationId);
      const before = sim.requestLog.length;
      const error = await failureOf(runtime.powerPages.listWebsites(prod.environmentId));
      expect(error.code).toBe('app_only_not_supported');
      expect(error.message).toContain('portalops login');
      expect(sim.requestLog.length).toBe(before);
    } finally {
      await runtime.close();
    }
  });
});
