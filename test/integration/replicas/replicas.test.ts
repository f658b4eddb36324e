/**
 * Three PortalOps replicas (child processes: engine, chat core, alert center) share one
 * PostgreSQL database and one simulator. The replica running a job at each of four points (after
 * a create, after and before a delete, while waiting for provisioning) is SIGKILLed there and
 * started again, and another resumes the job. Every job must finish once, every create and delete reach the platform
 * once, every inbound event delivered to all replicas be answered once, every alert be posted once.
 * It takes 15–35 s on a busy 2-core machine; the timeout leaves room for a full parallel test run.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertSubscriptions } from '../../../src/alerts/subscriptions.ts';
import { isTerminal, siteKeyOf } from '../../../src/domain/job.ts';
import { type RunningSimulator, startSimulator } from '../../../src/simulator/simulator.ts';
import { PostgresStore } from '../../../src/storage/postgres/postgres-store.ts';
import { customerSiteParams } from '../../support/provision-params.ts';
import type { KillPoint } from '../../support/replica-child.ts';
import { type Replica, replicaSet } from '../../support/replica-set.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.ts';
import { waitUntil } from '../../support/wait-until.ts';

interface Planned {
  kind: string;
  params: Record<string, unknown>;
  siteKey: string;
  subdomain: string;
  siteId?: string;
}

function provisionJob(environmentId: string, subdomain: string): Planned {
  return {
    kind: 'provision',
    subdomain,
    siteKey: siteKeyOf(environmentId, subdomain),
    params: customerSiteParams(subdomain),
  };
}

function resetJob(environmentId: string, subdomain: string, siteId: string): Planned {
  return {
    kind: 'reset',
    subdomain,
    siteId,
    siteKey: siteKeyOf(environmentId, subdomain),
    params: { environment: 'dev', site: subdomain, requesterUpn: 'alice@contoso.com' },
  };
}

describe('three replicas on one database', () => {
  let sim: RunningSimulator;
  let database: TestDatabase;
  let observer: PostgresStore;
  const temp = makeTempDir('replicas-');

  beforeAll(async () => {
    database = await createTestDatabase();
    sim = await startSimulator({ timeScale: 0.0002 });
    observer = await PostgresStore.open({ url: database.url, maxConnections: 2 });
  });
  afterAll(async () => {
    await observer?.close();
    await sim?.close();
    await database?.drop();
    temp.remove();
  });

  /** A configured site in dev, for a reset to delete. */
  function addSite(subdomain: string): string {
    const template = sim.world.sites.get('5e7e0001-0000-4000-8000-000000000001')!;
    const id = randomUUID();
    const websiteRecordId = randomUUID();
    sim.world.sites.set(id, {
      ...structuredClone(template),
      id,
      name: subdomain,
      subdomain,
      websiteRecordId,
      status: 'OperationComplete',
      packageInstallStatus: 'Installed',
      websiteUrl: `${sim.baseUrl}/sites/${subdomain}`,
    });
    sim.world.records.table(template.environmentId, 'adx_websites').set(websiteRecordId, {
      adx_websiteid: websiteRecordId,
      adx_name: subdomain,
    });
    return id;
  }

  it('finishes every job once and answers every event and alert once while replicas die mid-job', async () => {
    const dev = sim.world.findEnvironment('dev')!;
    const audiences = [
      'https://api.powerplatform.com',
      'https://service.powerapps.com',
      sim.dataverseUrl('dev'),
    ];
    const tokens = Object.fromEntries(audiences.map((a) => [a, sim.issueUserToken('alice@contoso.com', a)]));
    await new AlertSubscriptions(observer).subscribe({
      surface: 'fake',
      conversationId: 'alerts-dev',
      environment: 'dev',
      conditions: [],
      by: 'u-alice',
    });
    const jobs: Planned[] = [
      ...Array.from({ length: 6 }, (_, i) => provisionJob(dev.id, `replica-new-${i}`)),
      ...Array.from({ length: 3 }, (_, i) =>
        resetJob(dev.id, `replica-old-${i}`, addSite(`replica-old-${i}`)),
      ),
    ];
    const kills: KillPoint[] = [
      // After the platform accepted the create, before the job saved its operation.
      { id: 'after-create', call: 'createWebsite', when: 'after', match: 'replica-new-0' },
      // After the platform accepted the delete, before the job saved that it did.
      { id: 'after-delete', call: 'deleteWebsite', when: 'after', match: jobs[6]!.siteId! },
      // Just before the delete, after the snapshot was taken.
      { id: 'before-delete', call: 'deleteWebsite', when: 'before', match: jobs[7]!.siteId! },
      // Once the job waits on the platform (provisioning, or a later step when it got there first).
      {
        id: 'mid-wait',
        event: 'step.started',
        siteKey: jobs[1]!.siteKey,
        steps: ['provisioning', 'package', 'verify'],
      },
    ];
    const set = replicaSet({
      databaseUrl: database.url,
      simUrl: sim.baseUrl,
      registry: sim.environmentsRegistry(),
      tokens,
      snapshotsDir: `${temp.dir}/snapshots`,
      kills,
      leaseMs: 4_000,
      concurrency: 3,
      pollIntervalMs: 5,
      alertIntervalMs: 150,
    });
    try {
      // Each replica that dies is started again under a new name, as an orchestrator would.
      const live = new Map<string, Replica>();
      let killed = 0;
      const restarts: Promise<unknown>[] = [];
      const supervise = (base: string, replica: Replica, life: number) => {
        live.set(base, replica);
        void replica.exited.then(({ signal }) => {
          if (signal !== 'SIGKILL') return;
          killed++;
          live.delete(base);
          restarts.push(set.start(`${base}-life${life + 1}`).then((next) => supervise(base, next, life + 1)));
        });
      };
      const started = await Promise.all(['r1', 'r2', 'r3'].map((name) => set.start(name)));
      for (const [i, replica] of started.entries()) supervise(`r${i + 1}`, replica, 1);

      const ids = await Promise.all(
        jobs.map(({ kind, params, siteKey }, i) => started[i % 3]!.submit({ kind, params, siteKey })),
      );
      await waitUntil(() => killed === kills.length, 40_000, 'every kill point to be reached').catch(
        (error) => {
          const where = ids.map((id) => {
            const job = observer.collection('jobs').get(id);
            return `${job?.siteKey}: ${job?.state} ${job?.steps.map((step) => `${step.id}=${step.status}`).join(' ')}`;
          });
          throw new Error(
            `${error.message}; died: ${JSON.stringify(set.reports.exits)}; jobs: ${where.join('; ')}`,
          );
        },
      );
      await waitUntil(() => restarts.length === killed && live.size === 3, 30_000, 'the replicas to be back');
      await Promise.all(restarts);

      // Each inbound event reaches all three replicas at once (retries, a load balancer).
      const answered = Array.from({ length: 6 }, (_, n) => `chat-${n}`);
      for (const [n, conversationId] of answered.entries())
        await Promise.all(
          [...live.values()].map((r) => r.deliver({ eventId: `evt-${n}`, conversationId, text: 'help' })),
        );
      // A site asked for on one replica while its job is active: refused on another.
      const [one, two] = [...live.values()];
      ids.push(await one!.submit(provisionJob(dev.id, 'replica-busy')));
      jobs.push(provisionJob(dev.id, 'replica-busy'));
      await expect(two!.submit(provisionJob(dev.id, 'replica-busy'))).rejects.toThrow(
        /already has an active job/,
      );

      // Finished means the final state and its audit line are both written.
      const finished = (id: string) => {
        const job = observer.collection('jobs').get(id);
        return (
          job &&
          isTerminal(job) &&
          observer.readAudit({ subject: `job:${id}`, action: `job.${job.state}` }).length > 0
        );
      };
      await waitUntil(() => ids.every(finished), 40_000, 'every job to finish');
      await waitUntil(() => set.reports.alerts.length > 0, 10_000, 'an alert to be posted');

      // Replicas only ever stopped by their kills.
      expect(set.reports.exits.map((e) => e.signal)).toEqual(kills.map(() => 'SIGKILL'));
      const problems: string[] = [];
      for (const [i, job] of jobs.entries()) {
        const stored = observer.collection('jobs').get(ids[i]!)!;
        if (stored.state !== 'succeeded')
          problems.push(
            `${job.subdomain}: ${stored.state} ${stored.lastError?.code ?? ''} ${stored.lastError?.message ?? ''}`,
          );
        const succeeded = observer.readAudit({ subject: `job:${ids[i]}`, action: 'job.succeeded' }).length;
        if (succeeded !== 1) problems.push(`${job.subdomain}: finished ${succeeded} times`);
        const creates = sim.world.stats.createsAccepted[`${dev.id}/${job.subdomain}`] ?? 0;
        const deletes = job.siteId ? (sim.world.stats.deletesAccepted[job.siteId] ?? 0) : 0;
        if (job.kind === 'provision' && creates !== 1) problems.push(`${job.subdomain}: ${creates} creates`);
        if (job.kind === 'reset' && (deletes !== 1 || creates !== 0))
          problems.push(`${job.subdomain}: ${deletes} deletes, ${creates} creates`);
      }
      expect(problems).toEqual([]);
      // Every job a dead replica held was resumed by another one at its step.
      const resumed = ids.flatMap((id) =>
        observer.readAudit({ subject: `job:${id}`, action: 'job.resumed' }),
      );
      expect(resumed.length).toBeGreaterThanOrEqual(kills.length);

      const control = set.reports.posts.filter((p) => p.conversationId === 'chat-0').length;
      expect(control).toBeGreaterThan(0);
      for (const n of answered.keys()) {
        const posts = set.reports.posts.filter((p) => p.conversationId === `chat-${n}`);
        expect(new Set(posts.map((p) => p.replica)).size, `replicas answering chat-${n}`).toBe(1);
        expect(posts, `answers to chat-${n}`).toHaveLength(control);
      }
      const alertIds = set.reports.alerts.map((a) => a.id);
      expect(alertIds.length).toBe(new Set(alertIds).size);
      for (const alert of observer.collection('alerts').list())
        expect(alertIds.filter((id) => id === alert.id).length, `posts of ${alert.id}`).toBeLessThanOrEqual(
          1,
        );
    } finally {
      await set.stopAll();
    }
  }, 120_000);
});
