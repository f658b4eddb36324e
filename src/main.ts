/**
 * Composition root: configuration → store → platform clients (→ engine → surfaces, as they
 * arrive). The only module that knows whether PortalOps talks to the real cloud or to the
 * embedded simulator: it chooses the base URLs and credentials, nothing else differs.
 */

import path from 'node:path';
import type { Config } from './config/config.ts';
import { EnvironmentRegistry } from './config/environment-registry.ts';
import { readEnvironmentsFile } from './config/environments-file.ts';
import type { EnvironmentEntry } from './domain/environment.ts';
import { JobEngine } from './jobs/engine.ts';
import { LIFECYCLE_KINDS, type LifecycleDeps } from './jobs/kinds/index.ts';
import { type Logger, silentLogger } from './logging/logger.ts';
import { ApplicationPackagesClient } from './platform/application-packages/application-packages-client.ts';
import { routeApplicationPackagesByTenant } from './platform/application-packages/tenant-routed-application-packages.ts';
import { appOnlyPowerPages } from './platform/auth/app-only-power-pages.ts';
import { MsalTokenProvider } from './platform/auth/msal-token-provider.ts';
import { planSignIn, signInToTenants, type TenantSignIn } from './platform/auth/sign-in-plan.ts';
import { tokensForTenant } from './platform/auth/tenant-token-provider.ts';
import { TokenCacheFile } from './platform/auth/token-cache-file.ts';
import { createDataverseFactory } from './platform/dataverse/dataverse-factory.ts';
import { EnvironmentsClient } from './platform/environments/environments-client.ts';
import { routePowerPagesByTenant } from './platform/environments/tenant-routed-power-pages.ts';
import { ThrottleSignal } from './platform/http/throttle-signal.ts';
import type { DataverseFactory, Environments, PowerPagesApi } from './platform/ports.ts';
import { PowerPagesClient } from './platform/power-pages/power-pages-client.ts';
import type { RunningSimulator } from './simulator/simulator.ts';
import { openStore } from './storage/open-store.ts';
import type { PostgresDatabase } from './storage/postgres/database.ts';
import type { Store } from './storage/store.ts';

/** Everything a command or surface needs, wired once. */
export interface Runtime {
  config: Config;
  logger: Logger;
  store: Store;
  /** The PostgreSQL database the store lives in, when PORTALOPS_DATABASE_URL is set (readiness, locks, notices). */
  database?: PostgresDatabase;
  registry: EnvironmentRegistry;
  auth: MsalTokenProvider;
  /** What `portalops login` signs in to: each tenant of the registry and its resources. */
  signInPlan: TenantSignIn[];
  powerPages: PowerPagesApi;
  dataverse: DataverseFactory;
  environments: Environments;
  /** The job engine (not started: call `engine.start()` to run jobs). */
  engine: JobEngine<LifecycleDeps>;
  /** The embedded simulator, when PORTALOPS_SIMULATOR=embedded. */
  simulator?: RunningSimulator;
  close(): Promise<void>;
}

/** Scenario people and apps the embedded simulator signs in as. */
const LOCAL_ADMIN = 'alice@contoso.com';
const LOCAL_CLIENT_ID = 'portalops-app';

/**
 * Builds the runtime. With the embedded simulator it starts it first and signs in as the local
 * demo administrator without asking (the simulator approves the device code itself).
 */
export async function createRuntime(
  config: Config,
  options: {
    logger?: Logger;
    /** Use a simulator already serving on the configured port (one-shot CLI commands), else start one on a free port. */
    reuseRunningSimulator?: boolean;
  } = {},
): Promise<Runtime> {
  const logger = options.logger ?? silentLogger();
  // lowdb takes the data dir's lock (a second process is refused); PostgreSQL is shared by replicas.
  const opened = await openStore(config, logger);
  const store = opened.store;
  let simulator: RunningSimulator | undefined;
  let urls = config.urls;
  let entries: EnvironmentEntry[];
  let auth: MsalTokenProvider;
  let signInPlan: TenantSignIn[];
  try {
    const cache = TokenCacheFile.open(config.dataDir, { logger });
    if (config.simulator.mode === 'embedded') {
      const running = options.reuseRunningSimulator ? await findRunningSimulator(config) : undefined;
      if (running) {
        urls = { powerPlatformApi: running.baseUrl, bapApi: running.baseUrl, authorityHost: running.baseUrl };
        entries = config.environmentsFile ? readEnvironmentsFile(config.environmentsFile) : running.registry;
      } else {
        const { startSimulator } = await import('./simulator/simulator.ts');
        simulator = await startSimulator({
          host: config.simulator.host,
          port: options.reuseRunningSimulator ? 0 : config.simulator.port,
          timeScale: config.simulator.timeScale,
          autoApproveDeviceCodeAs: LOCAL_ADMIN,
          ...(config.simulator.scenarioFile ? { scenario: config.simulator.scenarioFile } : {}),
        });
        urls = simulator.urls;
        entries = config.environmentsFile
          ? readEnvironmentsFile(config.environmentsFile)
          : simulator.environmentsRegistry();
      }
      const tenantId = entries[0]?.tenantId ?? 'common';
      auth = new MsalTokenProvider({
        mode: 'device_code',
        clientId: config.auth.clientId ?? LOCAL_CLIENT_ID,
        tenantId,
        authorityHost: urls.authorityHost,
        cache,
        logger,
      });
      signInPlan = planSignIn(entries, tenantId);
      // Each embedded simulator signs with a fresh key, so tokens cached by an earlier run are void.
      await auth.logout();
      await signInToTenants(auth, signInPlan, {
        onPrompt: (message) => logger.debug({ message }, 'local sign-in'),
      });
    } else {
      entries = readEnvironmentsFile(config.environmentsFile!);
      const tenantId = config.auth.tenantId ?? entries[0]?.tenantId ?? 'organizations';
      auth = new MsalTokenProvider({
        mode: config.auth.mode,
        clientId: config.auth.clientId ?? '',
        tenantId,
        ...(config.auth.clientSecret ? { clientSecret: config.auth.clientSecret } : {}),
        authorityHost: urls.authorityHost,
        cache,
        logger,
      });
      signInPlan = planSignIn(entries, tenantId);
    }
    await removeLegacyTokenCache(store, auth);
  } catch (error) {
    await simulator?.close();
    await opened.close();
    throw error;
  }

  const http = {
    timeoutMs: config.http.timeoutMs,
    maxRetries: config.http.maxRetries,
    maxBackoffMs: config.http.maxBackoffMs,
    logger,
  };
  const registry = new EnvironmentRegistry(entries);
  // Microsoft documents no service principal sign-in for the Power Pages admin API: under client
  // credentials its calls fail at once with guidance instead of a 401 from the platform.
  const powerPages =
    auth.mode === 'client_credentials'
      ? appOnlyPowerPages()
      : routePowerPagesByTenant({
          registry,
          defaultTenantId: auth.defaultTenantId,
          clientFor: (tenantId) =>
            new PowerPagesClient({
              baseUrl: urls.powerPlatformApi,
              tokenProvider: tokensForTenant(auth, tenantId),
              ...http,
            }),
        });
  const applicationPackages = routeApplicationPackagesByTenant({
    registry,
    defaultTenantId: auth.defaultTenantId,
    clientFor: (tenantId) =>
      new ApplicationPackagesClient({
        baseUrl: urls.powerPlatformApi,
        tokenProvider: tokensForTenant(auth, tenantId),
        ...http,
      }),
  });
  const throttle = new ThrottleSignal();
  const dataverse = createDataverseFactory({ tokenProvider: auth, ...http, throttle });
  const environments = new EnvironmentsClient({
    registry,
    bapBaseUrl: urls.bapApi,
    tokenProvider: auth,
    dataverse,
    ...http,
  });
  const engine = new JobEngine<LifecycleDeps>({
    store,
    kinds: LIFECYCLE_KINDS,
    deps: {
      powerPages,
      applicationPackages,
      environments,
      dataverse,
      store,
      snapshotsDir: path.join(config.dataDir, 'snapshots'),
      throttle,
      pollIntervalMs: config.jobs.pollIntervalMs,
      siteCheck: { attempts: 10, intervalMs: Math.min(config.jobs.pollIntervalMs, 5_000) },
      deadlines: config.jobs.deadlines,
    },
    concurrency: config.jobs.concurrency,
    leaseMs: config.jobs.leaseMs,
    logger,
    // Under the data dir's lock any other lease is a dead process's; on a shared database leases expire.
    ownsStore: opened.exclusive,
  });
  return {
    config,
    logger,
    store,
    registry,
    auth,
    signInPlan,
    powerPages,
    dataverse,
    environments,
    engine,
    ...(simulator ? { simulator } : {}),
    ...(opened.database ? { database: opened.database } : {}),
    close: async () => {
      await engine.stop();
      await simulator?.close();
      await opened.close();
    },
  };
}

/**
 * Earlier versions kept the MSAL cache in the store, whose files are not owner-only; it now
 * lives in the credentials directory, so the old copy is deleted (one new sign-in after upgrading).
 */
async function removeLegacyTokenCache(store: Store, auth: MsalTokenProvider): Promise<void> {
  for (const mode of ['device_code', 'client_credentials']) {
    const key = `msal-cache:${mode}:${auth.clientId}`;
    if (store.getValue(key) !== undefined) await store.setValue(key, undefined);
  }
}

/** A simulator already listening on the configured port (started by `npm start` or `portalops simulator`). */
async function findRunningSimulator(
  config: Config,
): Promise<{ baseUrl: string; registry: EnvironmentEntry[] } | undefined> {
  const baseUrl = `http://${config.simulator.host}:${config.simulator.port}`;
  try {
    const response = await fetch(`${baseUrl}/portalops/registry`, { signal: AbortSignal.timeout(1_000) });
    if (!response.ok) return undefined;
    return { baseUrl, registry: (await response.json()) as EnvironmentEntry[] };
  } catch {
    return undefined;
  }
}
