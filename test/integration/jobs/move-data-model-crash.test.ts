import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteKeyOf } from '../../../src/domain/job.ts';
import { type RunningSimulator, startSimulator } from '../../../src/simulator/simulator.ts';
import { LowdbStore } from '../../../src/storage/lowdb-store.ts';
import { runCrashChild } from '../../support/run-crash-child.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

describe('a move to the enhanced data model survives a SIGKILL', () => {
  let sim: RunningSimulator;
  const temp = makeTempDir();

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 0.001 });
  });
  afterAll(async () => {
    await sim.close();
    temp.remove();
  });

  /** A configured standard-model site in dev with a few configuration records. */
  function addSite(subdomain: string): string {
    const template = sim.world.sites.get('5e7e0001-0000-4000-8000-000000000001')!;
    const id = randomUUID();
    const record = randomUUID();
    sim.world.sites.set(id, {
      ...structuredClone(template),
      id,
      name: subdomain,
      subdomain,
      templateName: 'StarterLayout1',
      websiteRecordId: record,
      dataModel: 'Standard',
    });
    const env = template.environmentId;
    sim.world.records.table(env, 'adx_websites').set(record, { adx_websiteid: record, adx_name: subdomain });
    for (const [name, value] of [
      ['Search/Enabled', 'true'],
      ['Profile/ShowMarketingOptionsPanel', 'false'],
    ]) {
      const settingId = randomUUID();
      sim.world.records.table(env, 'adx_sitesettings').set(settingId, {
        adx_sitesettingid: settingId,
        adx_name: name,
        adx_value: value,
        _adx_websiteid_value: record,
      });
    }
    return id;
  }

  // Kill points (each job event is one checkpoint, each platform call two): around the sending of
  // the migration (sent or not, its operation not yet saved), while it is followed, around the
  // switch and during the verification. Which window each one hit is checked below.
  const killPoints = [49, 50, 52, 58];

  it(`resumes to an enhanced site with the migration sent once (${killPoints.length} kill points)`, async () => {
    const dev = sim.world.findEnvironment('dev')!;
    const audiences = [
      'https://api.powerplatform.com',
      'https://service.powerapps.com',
      sim.dataverseUrl('dev'),
    ];
    const tokens = Object.fromEntries(audiences.map((a) => [a, sim.issueUserToken('alice@contoso.com', a)]));
    const limit = pLimit(3);
    const outcomes = await Promise.all(
      killPoints.map((killAt) =>
        limit(async () => {
          const subdomain = `move-crash-${killAt}`;
          const siteId = addSite(subdomain);
          const storeDir = path.join(temp.dir, subdomain);
          const input = {
            simUrl: sim.baseUrl,
            registry: sim.environmentsRegistry(),
            storeDir,
            tokens,
            job: {
              kind: 'move-data-model',
              params: { environment: 'dev', site: subdomain },
              siteKey: siteKeyOf(dev.id, subdomain),
            },
          };
          const first = await runCrashChild({ ...input, killAt });
          const killedIn = await LowdbStore.open(storeDir).then(async (s) => {
            const context = s.collection('jobs').list()[0]?.context ?? {};
            await s.close();
            return context.migrated
              ? 'after'
              : context.migrationOperationUrl
                ? 'following'
                : context.migrationSubmittedAt
                  ? 'sending'
                  : 'before';
          });
          const second = await runCrashChild({ ...input, killAt: 0 });
          const store = await LowdbStore.open(storeDir);
          const [job] = store.collection('jobs').list();
          await store.close();
          return { killAt, siteId, killed: first.signal === 'SIGKILL', killedIn, second, job };
        }),
      ),
    );
    const problems: string[] = [];
    for (const { killAt, siteId, job, second } of outcomes) {
      const where = `kill at ${killAt}`;
      if (second.code !== 0) problems.push(`${where}: the restarted runner exited with ${second.code}`);
      if (job?.state !== 'succeeded')
        problems.push(
          `${where}: job ended ${job?.state} ${job?.lastError?.code ?? ''} ${job?.lastError?.message ?? ''}`,
        );
      if (sim.world.sites.get(siteId)?.dataModel !== 'Enhanced')
        problems.push(`${where}: the site is not enhanced`);
      const sent = sim.world.dataModel.accepted[siteId] ?? 0;
      if (sent !== 1) problems.push(`${where}: the migration was accepted ${sent} times`);
      const switched = sim.world.dataModel.switches[siteId] ?? 0;
      if (switched !== 1) problems.push(`${where}: the switch was accepted ${switched} times`);
    }
    expect(problems).toEqual([]);
    // The kills hit the job while the migration was being sent, while it was followed, and after it.
    const windows = new Set(outcomes.filter((o) => o.killed).map((o) => o.killedIn));
    expect([...windows].sort()).toEqual(expect.arrayContaining(['after', 'following', 'sending']));
  }, 120_000);
});
