/**
 * One PortalOps replica in a child process, for the multi-replica test and benchmark: the job
 * engine, the chat core and the alert center over a PostgreSQL store shared with the other
 * replicas, talking to one simulator. Driven over IPC by its parent:
 * - `{ type: 'submit', job }` submits a job here, answered `{ type: 'submitted', jobId | error }`;
 * - `{ type: 'message', eventId, conversationId, text }` is an inbound chat message;
 * - `{ type: 'go' }` starts a replica started with `hold` (a standby, ready before it is needed);
 * - `{ type: 'stop' }` stops the engine (leases released) and exits.
 * It reports `{ type: 'ready' }`, each chat post `{ type: 'posted', conversationId, view }`, each
 * alert it posted `{ type: 'alert', id }` and each claim `{ type: 'claimed', jobId, ms }`.
 * It SIGKILLs itself at the first of its `kills` it reaches (see {@link KillPoint}).
 */
import { AlertCenter } from '../../src/alerts/alert-center.ts';
import { AlertSubscriptions } from '../../src/alerts/subscriptions.ts';
import { ChatCore } from '../../src/chat/core/chat-core.ts';
import type { ChatSurface, ConversationRef } from '../../src/chat/core/surface.ts';
import { EnvironmentRegistry } from '../../src/config/environment-registry.ts';
import { JobEngine } from '../../src/jobs/engine.ts';
import { LIFECYCLE_KINDS, type LifecycleDeps } from '../../src/jobs/kinds/index.ts';
import { EnvironmentWatchElection } from '../../src/ops/postgres/environment-watch-election.ts';
import { ApplicationPackagesClient } from '../../src/platform/application-packages/application-packages-client.ts';
import { createDataverseFactory } from '../../src/platform/dataverse/dataverse-factory.ts';
import { EnvironmentsClient } from '../../src/platform/environments/environments-client.ts';
import type { DataverseFactory, PowerPagesApi, TokenProvider } from '../../src/platform/ports.ts';
import { PowerPagesClient } from '../../src/platform/power-pages/power-pages-client.ts';
import { Approvals } from '../../src/policy/approvals.ts';
import { LOCAL_POLICY, Policy } from '../../src/policy/policy.ts';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.ts';
import type { View } from '../../src/views/view.ts';

/**
 * Where a replica SIGKILLs itself: just before or after a platform call whose arguments
 * mention `match` (a subdomain, a site id), or at the first event of a type for one of `steps` of
 * the job of
 * `siteKey`. Whichever replica gets there first dies; the claim of `kill:<id>` in the shared
 * store makes each point fire once, so the replica that resumes the job lives.
 */
export type KillPoint =
  | { id: string; call: string; when: 'before' | 'after'; match: string }
  | { id: string; event: string; siteKey: string; steps: string[] };

/** What the parent passes in REPLICA_INPUT. */
export interface ReplicaInput {
  name: string;
  databaseUrl: string;
  simUrl: string;
  registry: ConstructorParameters<typeof EnvironmentRegistry>[0];
  tokens: Record<string, string>;
  snapshotsDir: string;
  /** Moments to die at, the same list for every replica; each fires once across all of them. */
  kills?: KillPoint[];
  leaseMs: number;
  concurrency: number;
  /** Between polls of the platform inside jobs. */
  pollIntervalMs: number;
  /** Between alert polls; 0 runs no alert center. */
  alertIntervalMs: number;
  /** Start connected but idle (no claims, no polls) until told `{ type: 'go' }`: a standby. */
  hold?: boolean;
}

const input = JSON.parse(process.env.REPLICA_INPUT ?? '{}') as ReplicaInput;
const send = (message: object) => process.send?.(message);

let store: PostgresStore;

let dying: Promise<void> = Promise.resolve();
/**
 * Dies here when `point` has not fired anywhere yet. One point at a time, so a second point
 * reached meanwhile is not claimed by a process that is about to die of the first.
 */
function dieOnce(point: KillPoint): Promise<void> {
  dying = dying.then(async () => {
    if (await store.markEventProcessed(`kill:${point.id}`)) process.kill(process.pid, 'SIGKILL');
  });
  return dying;
}

/** Wraps a client so its calls named in a kill point can end this process around them. */
function withKillPoints<T extends object>(client: T): T {
  const points = (input.kills ?? []).filter((k): k is Extract<KillPoint, { call: string }> => 'call' in k);
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      const mine = points.filter((p) => p.call === property);
      if (typeof value !== 'function' || mine.length === 0) return value;
      return async (...args: unknown[]) => {
        const text = JSON.stringify(args);
        const matching = mine.filter((p) => text.includes(p.match));
        for (const p of matching) if (p.when === 'before') await dieOnce(p);
        if (!matching.some((p) => p.when === 'after')) return value.apply(target, args);
        // A call whose end is a kill point runs while no other point may end this process: dying
        // of another point after the platform accepted this call (a create, a delete) would leave
        // this point unreachable, since the resumed job never makes the call again.
        let release = () => {};
        const previous = dying;
        dying = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
        await previous;
        try {
          const result = await value.apply(target, args);
          for (const p of matching)
            if (p.when === 'after' && (await store.markEventProcessed(`kill:${p.id}`)))
              process.kill(process.pid, 'SIGKILL');
          return result;
        } finally {
          release();
        }
      };
    },
  });
}

const tokens: TokenProvider = {
  async getToken(scope) {
    const token = input.tokens[scope.replace(/\/\.default$/, '')];
    if (!token) throw new Error(`no token for ${scope}`);
    return { token, expiresOn: Date.now() + 3_600_000 };
  },
};

store = await PostgresStore.open({
  url: input.databaseUrl,
  maxConnections: 6,
  applicationName: input.name,
});
const http = { timeoutMs: 10_000, maxRetries: 2, maxBackoffMs: 20 };
const plainDataverse = createDataverseFactory({ tokenProvider: tokens, ...http });
const dataverse: DataverseFactory = (url, tenantId) => withKillPoints(plainDataverse(url, tenantId));
const plainPowerPages = new PowerPagesClient({ baseUrl: input.simUrl, tokenProvider: tokens, ...http });
// Only the jobs' platform calls can be kill points (the alert center polls the plain client).
const powerPages = withKillPoints(plainPowerPages) as PowerPagesApi;
const registry = new EnvironmentRegistry(input.registry);
const environments = new EnvironmentsClient({
  registry,
  bapBaseUrl: input.simUrl,
  tokenProvider: tokens,
  dataverse,
  ...http,
});
const deps: LifecycleDeps = {
  powerPages,
  applicationPackages: new ApplicationPackagesClient({
    baseUrl: input.simUrl,
    tokenProvider: tokens,
    ...http,
  }),
  environments,
  dataverse,
  store,
  snapshotsDir: input.snapshotsDir,
  pollIntervalMs: input.pollIntervalMs,
  siteCheck: { attempts: 20, intervalMs: 10 },
};
const engine = new JobEngine<LifecycleDeps>({
  store,
  kinds: LIFECYCLE_KINDS,
  deps,
  engineId: input.name,
  leaseMs: input.leaseMs,
  concurrency: input.concurrency,
  pollIntervalMs: 50,
  retry: { maxAttempts: 3, baseMs: 5, maxMs: 20 },
  onClaimed: (job, ms) => send({ type: 'claimed', jobId: job.id, ms }),
});
const eventPoints = (input.kills ?? []).filter(
  (k): k is Extract<KillPoint, { event: string }> => 'event' in k,
);
// Several steps qualify, so the point is still reached when another kill moved the job on.
engine.subscribe((event) => {
  for (const p of eventPoints)
    if (event.type === p.event && event.job.siteKey === p.siteKey && p.steps.includes(event.stepId ?? ''))
      void dieOnce(p);
});

/** A chat surface that tells the parent what it posts. */
const surface: ChatSurface = {
  name: 'fake',
  async post(conversation: ConversationRef, view: View) {
    send({ type: 'posted', conversationId: conversation.conversationId, view: view.type });
    return `${input.name}-${Date.now()}-${Math.random()}`;
  },
  async update() {},
};
const now = Date.now;
const policy = new Policy(LOCAL_POLICY);
const subscriptions = new AlertSubscriptions(store);
const core = new ChatCore({
  store,
  deps: {
    engine,
    approvals: new Approvals(store, policy, now),
    policy,
    registry,
    environments,
    powerPages,
    now,
    subscriptions,
    store,
    dataverse,
    snapshotsDir: input.snapshotsDir,
  },
});
core.register(surface);
let alerts: AlertCenter | undefined;
// One watcher per environment across the replicas, as in production.
const election = new EnvironmentWatchElection({
  pool: store.database.pool,
  environmentIds: () => registry.entries.map((e) => e.environmentId),
  retryIntervalMs: 300,
});
if (input.alertIntervalMs > 0) {
  alerts = new AlertCenter({
    watches: (environmentId) => election.holds(environmentId),
    store,
    registry,
    powerPages: plainPowerPages,
    engine,
    subscriptions,
    surface: (name) => core.surface(name),
    conversation: (s, c) => core.conversationRef(s, c),
    intervalMs: input.alertIntervalMs,
    busyIntervalMs: input.alertIntervalMs,
    warnDays: 7,
    minUpdateIntervalMs: 20,
  });
  core.attachAlerts(alerts);
  const posted = alerts.posted;
  const push = posted.push.bind(posted);
  posted.push = (...ids: string[]) => {
    for (const id of ids) send({ type: 'alert', id });
    return push(...ids);
  };
}
function go(): void {
  if (alerts) void election.start().then(() => alerts?.start());
  engine.start();
}
if (!input.hold) go();

const user = { id: 'u-alice', email: 'alice@contoso.com', displayName: 'Alice Admin' };
process.on('unhandledRejection', (error) => {
  process.stderr.write(`${input.name}: unhandled rejection: ${(error as Error)?.stack ?? error}\n`);
});
process.on('message', (message: { type: string } & Record<string, unknown>) => {
  if (message.type === 'submit') {
    const job = message.job as { kind: string; params: Record<string, unknown>; siteKey: string };
    engine
      .submit({ ...job, requester: { id: 'alice@contoso.com' } })
      .then((submitted) => send({ type: 'submitted', ref: message.ref, jobId: submitted.id }))
      .catch((error: Error) => send({ type: 'submitted', ref: message.ref, error: error.message }));
  } else if (message.type === 'message') {
    void core
      .handleMessage({
        eventId: String(message.eventId),
        conversation: { surface: 'fake', conversationId: String(message.conversationId) },
        user,
        text: String(message.text),
      })
      .catch(() => undefined)
      .finally(() => send({ type: 'handled', eventId: message.eventId }));
  } else if (message.type === 'go') {
    go();
  } else if (message.type === 'stop') {
    void (async () => {
      await alerts?.stop();
      await election.stop();
      await engine.stop();
      await store.close();
      process.exit(0);
    })();
  }
});
send({ type: 'ready' });
