/**
 * A PortalOps job runner in a child process for the crash test. It submits one job (unless the
 * store already has it), runs the engine, and kills itself with SIGKILL at the KILL_AT-th
 * checkpoint: every job event and every moment just before and just after a platform call.
 */
import { EnvironmentRegistry } from '../../src/config/environment-registry.ts';
import { isTerminal } from '../../src/domain/job.ts';
import { JobEngine } from '../../src/jobs/engine.ts';
import { LIFECYCLE_KINDS, type LifecycleDeps } from '../../src/jobs/kinds/index.ts';
import { createDataverseFactory } from '../../src/platform/dataverse/dataverse-factory.ts';
import { EnvironmentsClient } from '../../src/platform/environments/environments-client.ts';
import type { DataverseFactory, PowerPagesApi, TokenProvider } from '../../src/platform/ports.ts';
import { PowerPagesClient } from '../../src/platform/power-pages/power-pages-client.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';

const input = JSON.parse(process.env.CRASH_INPUT ?? '{}') as {
  simUrl: string;
  registry: ConstructorParameters<typeof EnvironmentRegistry>[0];
  storeDir: string;
  killAt: number;
  tokens: Record<string, string>;
  job: { kind: string; params: Record<string, unknown>; siteKey: string };
};

let checkpoints = 0;
function checkpoint(): void {
  checkpoints++;
  if (checkpoints === input.killAt) process.kill(process.pid, 'SIGKILL');
}

const tokens: TokenProvider = {
  async getToken(scope) {
    const token = input.tokens[scope.replace(/\/\.default$/, '')];
    if (!token) throw new Error(`no token for ${scope}`);
    return { token, expiresOn: Date.now() + 3_600_000 };
  },
};

const http = { timeoutMs: 5_000, maxRetries: 2, maxBackoffMs: 20 };
const store = await LowdbStore.open(input.storeDir);
const plainDataverse = createDataverseFactory({ tokenProvider: tokens, ...http });
/** Dataverse clients whose batch writes and file uploads are checkpoints too (a kill can land between them). */
const dataverse: DataverseFactory = (url, tenantId) => {
  const client = plainDataverse(url, tenantId);
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if ((property !== 'executeBatch' && property !== 'uploadFile') || typeof value !== 'function')
        return value;
      return async (...args: unknown[]) => {
        checkpoint();
        const result = await value.apply(target, args);
        checkpoint();
        return result;
      };
    },
  });
};
const client = new PowerPagesClient({ baseUrl: input.simUrl, tokenProvider: tokens, ...http });
const powerPages = new Proxy(client, {
  get(target, property, receiver) {
    const value = Reflect.get(target, property, receiver);
    if (typeof value !== 'function') return value;
    return async (...args: unknown[]) => {
      checkpoint();
      const result = await value.apply(target, args);
      checkpoint();
      return result;
    };
  },
}) as PowerPagesApi;

const deps: LifecycleDeps = {
  powerPages,
  environments: new EnvironmentsClient({
    registry: new EnvironmentRegistry(input.registry),
    bapBaseUrl: input.simUrl,
    tokenProvider: tokens,
    dataverse,
    ...http,
  }),
  dataverse,
  store,
  snapshotsDir: `${input.storeDir}/snapshots`,
  pollIntervalMs: 5,
  siteCheck: { attempts: 20, intervalMs: 10 },
};
const engine = new JobEngine<LifecycleDeps>({
  store,
  kinds: LIFECYCLE_KINDS,
  deps,
  leaseMs: 300,
  pollIntervalMs: 10,
  retry: { maxAttempts: 3, baseMs: 5, maxMs: 20 },
});
engine.subscribe(() => checkpoint());
if (engine.list({ siteKey: input.job.siteKey }).length === 0) {
  await engine.submit({ ...input.job, requester: { id: 'alice@contoso.com' } });
}
engine.start();
const deadline = Date.now() + 30_000;
while (!engine.list({ siteKey: input.job.siteKey }).every(isTerminal) && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 10));
}
await engine.stop();
await store.close();
process.stdout.write(`${JSON.stringify({ checkpoints })}\n`);
