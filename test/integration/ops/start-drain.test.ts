/**
 * `portalops start` on PostgreSQL as a child process: `/healthz`, `/readyz` and `/metrics` on the
 * bot's port, then SIGTERM while a job runs: the process exits by itself within the drain bound,
 * and the job is left running with its lease released, so another replica resumes it at once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { siteKeyOf } from '../../../src/domain/job.ts';
import { JobEngine } from '../../../src/jobs/engine.ts';
import { LIFECYCLE_KINDS, type LifecycleDeps } from '../../../src/jobs/kinds/index.ts';
import { PostgresStore } from '../../../src/storage/postgres/postgres-store.ts';
import { customerSiteParams } from '../../support/provision-params.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { waitUntil } from '../../support/wait-until.ts';
import { createFreshDatabase, type FreshDatabase } from './fresh-database.ts';

const DEV = '0a1b2c3d-1111-4000-8000-000000000001';
const DRAIN_BOUND_MS = 15_000;

describe('portalops start: health, readiness, metrics and drain', () => {
  let db: FreshDatabase;
  let temp: ReturnType<typeof makeTempDir>;
  let child: ChildProcess | undefined;
  let output = '';

  beforeEach(async () => {
    db = await createFreshDatabase();
    temp = makeTempDir('portalops-start-');
    output = '';
  });
  afterEach(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await db.drop();
    temp.remove();
  });

  const start = async () => {
    const bot = spawn(process.execPath, ['bin/portalops.js', 'start'], {
      env: {
        ...process.env,
        PORTALOPS_DATA_DIR: temp.dir,
        PORTALOPS_DATABASE_URL: db.url,
        PORTALOPS_PLAYGROUND: 'off',
        PORTALOPS_SIMULATOR_PORT: '0',
        TEAMS_PORT: '0',
        PORTALOPS_LOG_LEVEL: 'warn',
        PORTALOPS_JOB_POLL_INTERVAL_MS: '200',
        PORTALOPS_DRAIN_TIMEOUT_MS: String(DRAIN_BOUND_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = bot;
    bot.stdout?.on('data', (chunk) => {
      output += String(chunk);
    });
    bot.stderr?.on('data', (chunk) => {
      output += String(chunk);
    });
    await waitUntil(
      () => {
        if (bot.exitCode !== null) throw new Error(`portalops start exited (${bot.exitCode}):\n${output}`);
        return output.includes('Press Ctrl-C to stop.');
      },
      90_000,
      'portalops start to be up',
    );
    const base = /Health (http:\/\/\S+)\/healthz/.exec(output)?.[1];
    if (!base) throw new Error(`no health address in:\n${output}`);
    return { bot, base };
  };

  it('answers /healthz, /readyz and /metrics, and drains a running job on SIGTERM', async () => {
    const { bot, base } = await start();

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, draining: false });

    const ready = await fetch(`${base}/readyz`);
    const readiness = (await ready.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
    expect({ status: ready.status, readiness }).toMatchObject({
      status: 200,
      readiness: {
        ready: true,
        checks: { store: { ok: true }, migrations: { ok: true }, signIn: { ok: true } },
      },
    });

    // A job queued through the shared database (as another replica's chat would).
    const store = await PostgresStore.open({ url: db.url, applicationName: 'other-replica' });
    try {
      const submitter = new JobEngine<LifecycleDeps>({
        store,
        kinds: LIFECYCLE_KINDS,
        deps: {} as LifecycleDeps,
      });
      const job = await submitter.submit({
        kind: 'provision',
        siteKey: siteKeyOf(DEV, 'drain-demo'),
        requester: { id: 'alice@contoso.com' },
        params: customerSiteParams('drain-demo', 'Drain demo'),
      });
      const running = () =>
        db.query<{ data: Record<string, unknown> }>('SELECT data FROM portalops.jobs WHERE id = $1', [
          job.id,
        ]);
      await waitUntil(
        async () => {
          const data = (await running())[0]?.data as { state?: string; lease?: unknown } | undefined;
          return data?.state === 'running' && data.lease !== undefined;
        },
        30_000,
        'the replica to claim the job',
      );

      const metrics = await (await fetch(`${base}/metrics`)).text();
      // Listing each environment's sites at start-up went through the instrumented HTTP client.
      expect(metrics).toMatch(
        /portalops_platform_requests_total\{service="power-platform",method="GET",status="200"\} [1-9]/,
      );
      expect(metrics).toMatch(/portalops_jobs\{kind="provision",state="running"\} 1/);
      expect(metrics).toContain('# TYPE portalops_chat_turn_duration_seconds histogram');
      expect(metrics).toContain('# TYPE portalops_inbound_events_deduplicated_total counter');

      const signalledAt = Date.now();
      const exited = new Promise<number | null>((resolve) => bot.once('exit', (code) => resolve(code)));
      bot.kill('SIGTERM');
      const code = await exited;
      const tookMs = Date.now() - signalledAt;
      expect({ code, output }).toMatchObject({ code: 0, output: expect.stringMatching(/Stopped in \d+ ms/) });
      expect(tookMs).toBeLessThan(DRAIN_BOUND_MS);

      // Still running, nobody's lease: the next replica takes it at once, from its saved step.
      const after = (await running())[0]?.data as { state: string; lease?: unknown };
      expect(after.state).toBe('running');
      expect(after.lease).toBeUndefined();
      // The bot's port is closed.
      await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    } finally {
      await store.close();
    }
  }, 150_000);
});
