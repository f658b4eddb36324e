/**
 * One alert watcher per environment across replicas, on the real PostgreSQL: three replicas
 * (three pools, three alert centers on one shared store) poll each environment once per round
 * in total and post an occurrence once; when one replica's session dies, the others take its
 * environments over and still poll each once.
 */
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertCenter } from '../../../src/alerts/alert-center.ts';
import { AlertSubscriptions } from '../../../src/alerts/subscriptions.ts';
import type { ChatSurface } from '../../../src/chat/core/surface.ts';
import { EnvironmentRegistry } from '../../../src/config/environment-registry.ts';
import type { Website } from '../../../src/domain/website.ts';
import { JobEngine } from '../../../src/jobs/engine.ts';
import type { LifecycleDeps } from '../../../src/jobs/kinds/index.ts';
import { EnvironmentWatchElection } from '../../../src/ops/postgres/environment-watch-election.ts';
import { LowdbStore } from '../../../src/storage/lowdb-store.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { waitUntil } from '../../support/wait-until.ts';
import { createFreshDatabase, type FreshDatabase } from './fresh-database.ts';

const ENVIRONMENTS = ['dev', 'test', 'uat', 'prod'].map((alias, i) => ({
  alias,
  displayName: alias,
  environmentId: `00000000-0000-4000-8000-00000000000${i + 1}`,
  dataverseUrl: `https://${alias}.crm.dynamics.com`,
  tenantId: '11111111-1111-4111-8111-111111111111',
  protected: false,
}));
const BROKEN: Website = {
  id: 'broken-site',
  name: 'Broken',
  subdomain: 'contoso-broken',
  status: 'OperationFailed',
  packageInstallStatus: 'None',
  type: 'Production',
  trialExpiringInDays: null,
  suspendedWebsiteDeletingInDays: null,
} as Website;

interface Replica {
  pool: pg.Pool;
  election: EnvironmentWatchElection;
  alerts: AlertCenter;
}

describe('alert watcher election on PostgreSQL', () => {
  let db: FreshDatabase;
  let temp: ReturnType<typeof makeTempDir>;
  let store: LowdbStore;
  let replicas: Replica[];
  const listCalls = new Map<string, number>();
  const posted: string[] = [];

  beforeEach(async () => {
    db = await createFreshDatabase();
    temp = makeTempDir('portalops-election-');
    // The shared store stands for the replicas' shared database store.
    store = await LowdbStore.open(temp.dir);
    const subscriptions = new AlertSubscriptions(store);
    for (const e of ENVIRONMENTS)
      await subscriptions.subscribe({
        surface: 'fake',
        conversationId: 'ops-channel',
        environment: e.alias,
        conditions: [],
        by: 'alice',
      });
    listCalls.clear();
    posted.length = 0;
    const surface: ChatSurface = {
      name: 'fake',
      post: async (_c, view) => {
        posted.push(JSON.stringify(view));
        return `m${posted.length}`;
      },
      update: async () => {},
    };
    const registry = new EnvironmentRegistry(ENVIRONMENTS);
    replicas = [];
    for (let i = 0; i < 3; i++) {
      const pool = db.pool(2, `replica-${i}`);
      const election = new EnvironmentWatchElection({
        pool,
        environmentIds: () => ENVIRONMENTS.map((e) => e.environmentId),
        retryIntervalMs: 50,
      });
      const alerts = new AlertCenter({
        store,
        registry,
        powerPages: {
          listWebsites: async (environmentId) => {
            listCalls.set(environmentId, (listCalls.get(environmentId) ?? 0) + 1);
            return environmentId === ENVIRONMENTS[0]?.environmentId ? [BROKEN] : [];
          },
        },
        engine: new JobEngine<LifecycleDeps>({ store, kinds: [], deps: {} as LifecycleDeps }),
        subscriptions,
        surface: () => surface,
        conversation: (s, id) => ({ surface: s, conversationId: id }),
        intervalMs: 60_000,
        busyIntervalMs: 60_000,
        warnDays: 7,
        watches: (id) => election.holds(id),
      });
      replicas.push({ pool, election, alerts });
    }
    await Promise.all(replicas.map((r) => r.election.start()));
  });

  afterEach(async () => {
    await Promise.all(replicas.map((r) => r.election.stop()));
    await store.close();
    await db.drop();
    temp.remove();
  });

  /** Resolves once every environment has exactly one watcher among `live`. */
  const settled = (live: Replica[]) =>
    waitUntil(
      () =>
        ENVIRONMENTS.every((e) => live.filter((r) => r.election.holds(e.environmentId)).length === 1) &&
        live.every((r) => r.election.watched.length <= Math.ceil(ENVIRONMENTS.length / live.length)),
      15_000,
      'one watcher per environment',
    );

  const pollRound = (live: Replica[]) => Promise.all(live.map((r) => r.alerts.pollOnce()));

  it('polls each environment once per round in total and posts an occurrence once, whatever replica dies', async () => {
    await settled(replicas);
    // The environments are shared out, not all on the first replica to start.
    expect(replicas.filter((r) => r.election.watched.length > 0).length).toBeGreaterThan(1);

    for (let round = 0; round < 3; round++) await pollRound(replicas);
    for (const e of ENVIRONMENTS) expect(listCalls.get(e.environmentId)).toBe(3);
    expect(posted.filter((p) => p.includes('contoso-broken'))).toHaveLength(1);

    // The replica watching dev loses its database session (a crash, a network cut).
    const watcherOfDev = replicas.findIndex((r) => r.election.holds(ENVIRONMENTS[0]!.environmentId));
    // Its pool takes no new connections (the process is gone), then its sessions end.
    const ended = replicas[watcherOfDev]!.pool.end();
    expect(await db.terminateSessions(`replica-${watcherOfDev}`)).toBeGreaterThan(0);
    await ended;
    const survivors = replicas.filter((_, i) => i !== watcherOfDev);
    await waitUntil(() => !replicas[watcherOfDev]!.election.holds(ENVIRONMENTS[0]!.environmentId), 15_000);
    await settled(survivors);

    listCalls.clear();
    for (let round = 0; round < 2; round++) await pollRound(survivors);
    for (const e of ENVIRONMENTS) expect(listCalls.get(e.environmentId)).toBe(2);
    // The new watcher of dev finds the occurrence already posted.
    expect(posted.filter((p) => p.includes('contoso-broken'))).toHaveLength(1);
  });

  it('a replica that stops gives its environments back at once', async () => {
    await settled(replicas);
    const [first, ...others] = replicas as [Replica, ...Replica[]];
    await first.election.stop();
    await settled(others);
    expect(others.flatMap((r) => r.election.watched).sort()).toEqual(
      ENVIRONMENTS.map((e) => e.environmentId).sort(),
    );
  });
});
