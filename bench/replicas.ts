/**
 * Replicas benchmark: the same job load (site provisionings, each waiting on the platform's
 * provisioning and package install) run by one replica and by three, each replica a process of
 * its own on one PostgreSQL database (a fresh one per run) against one simulator. While the
 * jobs run, chat events are delivered to every replica, as retries and a load balancer do.
 *
 * The platform is the limit: each provisioning takes the simulator ~4 s, and a replica runs a
 * fixed number of jobs at once, so more replicas finish more jobs per minute while PortalOps
 * itself mostly waits. Prints one JSON object last:
 * jobsPerMinute1, jobsPerMinute3, speedup, duplicateSubmissions (creates past the first per
 * site), lostJobs (jobs not succeeded), duplicateReplies (events answered more than once or by
 * more than one replica), p99ClaimLatencyMs (the claim's row-locked update, both runs).
 *
 * Env: BENCH_JOBS (default 24), BENCH_CONCURRENCY (jobs per replica, default 2),
 * BENCH_TIME_SCALE (simulator, default 0.1), PORTALOPS_TEST_DATABASE_URL (server).
 */
import { isTerminal, siteKeyOf } from '../src/domain/job.ts';
import { type RunningSimulator, startSimulator } from '../src/simulator/simulator.ts';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { customerSiteParams } from '../test/support/provision-params.ts';
import { type Replica, replicaSet } from '../test/support/replica-set.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';
import { createTestDatabase } from '../test/support/test-database.ts';
import { waitUntil } from '../test/support/wait-until.ts';
import { percentile } from './lib/shared.ts';

const JOBS = Number(process.env.BENCH_JOBS ?? 24);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 0.1);
const EVENTS = 10;

interface RunResult {
  replicas: number;
  jobsPerMinute: number;
  elapsedMs: number;
  duplicateSubmissions: number;
  lostJobs: number;
  duplicateReplies: number;
  claimMs: number[];
}

async function run(sim: RunningSimulator, replicas: number, label: string): Promise<RunResult> {
  const database = await createTestDatabase('portalops_bench');
  const temp = makeTempDir('bench-replicas-');
  const dev = sim.world.findEnvironment('dev')!;
  const audiences = [
    'https://api.powerplatform.com',
    'https://service.powerapps.com',
    sim.dataverseUrl('dev'),
  ];
  const tokens = Object.fromEntries(
    audiences.map((a) => [a, sim.issueUserToken('alice@contoso.com', a, 7200)]),
  );
  const set = replicaSet({
    databaseUrl: database.url,
    simUrl: sim.baseUrl,
    registry: sim.environmentsRegistry(),
    tokens,
    snapshotsDir: `${temp.dir}/snapshots`,
    leaseMs: 10_000,
    concurrency: CONCURRENCY,
    pollIntervalMs: 100,
    alertIntervalMs: 0,
  });
  const observer = await PostgresStore.open({ url: database.url, maxConnections: 2 });
  try {
    const started: Replica[] = await Promise.all(
      Array.from({ length: replicas }, (_, i) => set.start(`${label}-r${i + 1}`)),
    );
    const subdomains = Array.from({ length: JOBS }, (_, i) => `${label}-site-${i}`);
    const begin = performance.now();
    const ids = await Promise.all(
      subdomains.map((subdomain, i) =>
        started[i % replicas]!.submit({
          kind: 'provision',
          siteKey: siteKeyOf(dev.id, subdomain),
          params: customerSiteParams(subdomain),
        }),
      ),
    );
    // Every event reaches every replica (and twice when there is one: a platform retry).
    for (let n = 0; n < EVENTS; n++) {
      const targets = replicas === 1 ? [started[0]!, started[0]!] : started;
      const event = { eventId: `${label}-evt-${n}`, conversationId: `${label}-chat-${n}`, text: 'help' };
      await Promise.all(targets.map((r) => r.deliver(event)));
    }
    let finishedAt = performance.now();
    await waitUntil(
      () => {
        const done = ids.every((id) => {
          const job = observer.collection('jobs').get(id);
          return job !== undefined && isTerminal(job);
        });
        if (done) finishedAt = performance.now();
        return done;
      },
      10 * 60_000,
      'every job to finish',
    ).catch(() => undefined);
    const elapsedMs = finishedAt - begin;
    const succeeded = ids.filter((id) => observer.collection('jobs').get(id)?.state === 'succeeded').length;
    const duplicateSubmissions = subdomains.reduce(
      (sum, s) => sum + Math.max(0, (sim.world.stats.createsAccepted[`${dev.id}/${s}`] ?? 0) - 1),
      0,
    );
    const answers = Array.from({ length: EVENTS }, (_, n) =>
      set.reports.posts.filter((p) => p.conversationId === `${label}-chat-${n}`),
    );
    const perEvent = answers[0]?.length ?? 0;
    const duplicateReplies = answers.filter(
      (posts) => posts.length > perEvent || new Set(posts.map((p) => p.replica)).size > 1,
    ).length;
    return {
      replicas,
      elapsedMs,
      jobsPerMinute: (succeeded / elapsedMs) * 60_000,
      duplicateSubmissions,
      lostJobs: JOBS - succeeded,
      duplicateReplies,
      claimMs: set.reports.claims.map((c) => c.ms),
    };
  } finally {
    await set.stopAll();
    await observer.close();
    await database.drop();
    temp.remove();
  }
}

const sim = await startSimulator({ timeScale: TIME_SCALE });
try {
  const one = await run(sim, 1, 'one');
  console.log(
    `1 replica: ${JOBS} jobs in ${(one.elapsedMs / 1000).toFixed(1)} s (${one.jobsPerMinute.toFixed(1)}/min)`,
  );
  const three = await run(sim, 3, 'three');
  console.log(
    `3 replicas: ${JOBS} jobs in ${(three.elapsedMs / 1000).toFixed(1)} s (${three.jobsPerMinute.toFixed(1)}/min)`,
  );
  const round = (n: number) => Math.round(n * 10) / 10;
  console.log(
    JSON.stringify({
      benchmark: 'replicas',
      jobs: JOBS,
      concurrencyPerReplica: CONCURRENCY,
      simulatorTimeScale: TIME_SCALE,
      jobsPerMinute1: round(one.jobsPerMinute),
      jobsPerMinute3: round(three.jobsPerMinute),
      speedup: round(three.jobsPerMinute / one.jobsPerMinute),
      duplicateSubmissions: one.duplicateSubmissions + three.duplicateSubmissions,
      lostJobs: one.lostJobs + three.lostJobs,
      duplicateReplies: one.duplicateReplies + three.duplicateReplies,
      p99ClaimLatencyMs: round(percentile([...one.claimMs, ...three.claimMs], 99)),
    }),
  );
} finally {
  await sim.close();
}
