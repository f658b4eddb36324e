import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.ts';
import { siteKeyOf } from '../../../src/domain/job.ts';
import { exportSite } from '../../../src/migration/site-export.ts';
import { checksum } from '../../../src/migration/site-records.ts';
import { DataverseClient } from '../../../src/platform/dataverse/dataverse-client.ts';
import { startSimulator } from '../../../src/simulator/simulator.ts';
import { runCrashChild } from '../../support/run-crash-child.ts';
import { simulatorTokens } from '../../support/simulator-token-provider.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

/**
 * A migrate whose process was SIGKILLed mid-import is left `running`; the CLI then finds it
 * interrupted, resumes it (`retry`) or stops it (`cancel`, saying what it left), and a new
 * migrate of the same site runs after a cancel.
 */
describe('portalops job control after a killed migrate', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  async function setUp(name: string) {
    const sim = await startSimulator({
      timeScale: 0.001,
      host: '127.0.0.1',
      port: 0,
      autoApproveDeviceCodeAs: 'alice@contoso.com',
    });
    const dataDir = path.join(temp.dir, name);
    const port = new URL(sim.baseUrl).port;
    const test = sim.world.findEnvironment('test')!;
    const site = [...sim.world.sites.values()].find((s) => s.subdomain === 'contoso-construction')!;
    const audiences = [
      'https://api.powerplatform.com',
      'https://service.powerapps.com',
      sim.dataverseUrl('dev'),
      sim.dataverseUrl('test'),
    ];
    const killed = await runCrashChild({
      simUrl: sim.baseUrl,
      registry: sim.environmentsRegistry(),
      storeDir: dataDir,
      killAt: 20,
      tokens: Object.fromEntries(audiences.map((a) => [a, sim.issueUserToken('alice@contoso.com', a)])),
      job: {
        kind: 'migrate',
        params: { source: 'dev', target: 'test', site: 'contoso-construction', batchSize: 20 },
        siteKey: siteKeyOf(test.id, 'contoso-construction'),
      },
    });
    expect(killed.signal).toBe('SIGKILL');
    const cli = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(args, {
        out: (t) => out.push(t),
        err: (t) => err.push(t),
        env: {
          PORTALOPS_LOG_LEVEL: 'silent',
          PORTALOPS_DATA_DIR: dataDir,
          PORTALOPS_SIMULATOR_HOST: '127.0.0.1',
          PORTALOPS_SIMULATOR_PORT: port,
          PORTALOPS_JOB_POLL_INTERVAL_MS: '10',
        },
      });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const client = (alias: 'dev' | 'test') =>
      new DataverseClient({
        dataverseUrl: sim.dataverseUrl(alias),
        tokenProvider: simulatorTokens(sim, 'alice@contoso.com'),
        timeoutMs: 5_000,
        maxRetries: 2,
        maxBackoffMs: 20,
      });
    const equalToSource = async () => {
      const source = await exportSite(client('dev'), site.websiteRecordId);
      const target = new Map(
        (await exportSite(client('test'), site.websiteRecordId)).map((r) => [r.id, checksum(r)]),
      );
      return source.every((r) => target.get(r.id) === checksum(r));
    };
    const jobs = await cli(['jobs']);
    const jobId = /^(J-\w+)/.exec(jobs.out)![1]!;
    return { sim, cli, jobId, jobs, equalToSource };
  }

  it('shows the job interrupted, refuses a second migrate naming real commands, and resumes it with retry', async () => {
    const { sim, cli, jobId, jobs, equalToSource } = await setUp('retry');
    try {
      expect(jobs.out).toMatch(new RegExp(`${jobId}\\s+interrupted`));
      const status = await cli(['status', jobId]);
      expect(status.code).toBe(0);
      expect(status.out).toContain('interrupted (nothing is running it)');
      expect(status.out).toMatch(/At step \d+ of \d+: /);
      expect(status.out).toContain(`portalops retry ${jobId}`);

      const again = await cli(['migrate', '--from', 'dev', '--to', 'test', '--site', 'contoso-construction']);
      expect(again.code).toBe(1);
      expect(again.err).toContain(`Resume it with "retry ${jobId}" or stop it with "cancel ${jobId}"`);

      const retried = await cli(['retry', jobId]);
      expect(retried.code, retried.err).toBe(0);
      expect(retried.err).toContain(`Resuming ${jobId}`);
      expect(retried.out).toContain(`done (${jobId})`);
      expect(await equalToSource()).toBe(true);
      expect((await cli(['status', jobId])).out).toContain(': succeeded.');
      // Nothing is left to resume or cancel.
      const late = await cli(['cancel', jobId]);
      expect(late.code).toBe(1);
      expect(late.err).toContain('has already finished');
    } finally {
      await sim.close();
    }
  });

  it('cancels the interrupted job at once, says what it left, and lets a new migrate run', async () => {
    const { sim, cli, jobId } = await setUp('cancel');
    try {
      const cancelled = await cli(['cancel', jobId]);
      expect(cancelled.code, cancelled.err).toBe(0);
      expect(cancelled.out).toContain(`Cancelled ${jobId}.`);
      expect(cancelled.out).toMatch(/Stopped before finishing step \d+ of \d+: /);
      expect(cancelled.out).toContain('✔ Check that the target can take the site');
      expect(cancelled.out).toMatch(/Written: /);
      expect(cancelled.out).toContain(
        `portalops restore --snapshot ${jobId}-test --confirm contoso-construction`,
      );
      expect((await cli(['jobs'])).out).toMatch(new RegExp(`${jobId}\\s+cancelled`));
      const resumed = await cli(['resume', jobId]);
      expect(resumed.code).toBe(1);
      expect(resumed.err).toContain('has nothing left to resume');

      const again = await cli(['migrate', '--from', 'dev', '--to', 'test', '--site', 'contoso-construction']);
      expect(again.code, again.err).toBe(0);
      expect(again.out).toMatch(/✔ Migrate contoso-construction from dev to test: done/);
    } finally {
      await sim.close();
    }
  });
});
