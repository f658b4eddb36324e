import { EnvironmentRegistry } from '../../src/config/environment-registry.ts';
import type { Job } from '../../src/domain/job.ts';
import { JobEngine } from '../../src/jobs/engine.ts';
import { LIFECYCLE_KINDS, type LifecycleDeps } from '../../src/jobs/kinds/index.ts';
import { ApplicationPackagesClient } from '../../src/platform/application-packages/application-packages-client.ts';
import { createDataverseFactory } from '../../src/platform/dataverse/dataverse-factory.ts';
import { EnvironmentsClient } from '../../src/platform/environments/environments-client.ts';
import { PowerPagesClient } from '../../src/platform/power-pages/power-pages-client.ts';
import { startSimulator } from '../../src/simulator/simulator.ts';
import type { StoreDisk } from '../../src/storage/append-only-file.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { simulatorTokens } from './simulator-token-provider.ts';
import { makeTempDir } from './temp-dir.ts';
import { waitUntil } from './wait-until.ts';

/**
 * A simulator, a store and an engine running the lifecycle kinds against it, with fast timings;
 * `disk` replaces how the store's appends reach the disk (to simulate a full one).
 */
export async function startLifecycleHarness(options: { disk?: StoreDisk } = {}) {
  const temp = makeTempDir();
  const sim = await startSimulator({ timeScale: 0.0005 });
  const store = await LowdbStore.open(temp.dir, options.disk ? { disk: options.disk } : {});
  const tokens = simulatorTokens(sim);
  const http = { timeoutMs: 5_000, maxRetries: 2, maxBackoffMs: 20 };
  const dataverse = createDataverseFactory({ tokenProvider: tokens, ...http });
  const deps: LifecycleDeps = {
    powerPages: new PowerPagesClient({ baseUrl: sim.urls.powerPlatformApi, tokenProvider: tokens, ...http }),
    environments: new EnvironmentsClient({
      registry: new EnvironmentRegistry(sim.environmentsRegistry()),
      bapBaseUrl: sim.urls.bapApi,
      tokenProvider: tokens,
      dataverse,
      ...http,
    }),
    applicationPackages: new ApplicationPackagesClient({
      baseUrl: sim.urls.powerPlatformApi,
      tokenProvider: tokens,
      ...http,
    }),
    dataverse,
    store,
    snapshotsDir: `${temp.dir}/snapshots`,
    pollIntervalMs: 5,
    siteCheck: { attempts: 5, intervalMs: 10 },
  };
  const engine = new JobEngine<LifecycleDeps>({
    store,
    kinds: LIFECYCLE_KINDS,
    deps,
    pollIntervalMs: 10,
    retry: { maxAttempts: 3, baseMs: 5, maxMs: 20 },
  });
  engine.start();
  return {
    sim,
    store,
    engine,
    deps,
    env: (alias: string) => sim.world.findEnvironment(alias)!,
    /** Waits for the job to end; a job that migrates a whole site gets a longer `timeoutMs` on a loaded machine. */
    finished: (id: string, timeoutMs = 10_000) =>
      waitUntil(
        () => {
          // Finished means the final state and its audit line are both written.
          const job = engine.get(id);
          if (!job || !['succeeded', 'failed', 'cancelled'].includes(job.state)) return undefined;
          const audited = store.readAudit({ subject: `job:${id}`, action: `job.${job.state}` }).length > 0;
          return audited ? (job as Job) : undefined;
        },
        timeoutMs,
        `job ${id}`,
      ),
    close: async () => {
      await engine.stop();
      await store.close();
      await sim.close();
      temp.remove();
    },
  };
}

export type LifecycleHarness = Awaited<ReturnType<typeof startLifecycleHarness>>;
