import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteKeyOf } from '../../../src/domain/job.ts';
import { type RunningSimulator, startSimulator } from '../../../src/simulator/simulator.ts';
import { LowdbStore } from '../../../src/storage/lowdb-store.ts';
import { customerSiteParams } from '../../support/provision-params.ts';
import { runCrashChild } from '../../support/run-crash-child.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

interface Scenario {
  name: string;
  kind: 'provision' | 'reset' | 'restart-provisioning';
  killAt: number;
  reprovision?: boolean;
}

describe('jobs survive a SIGKILL at any point', () => {
  let sim: RunningSimulator;
  const temp = makeTempDir();

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 0.001 });
  });
  afterAll(async () => {
    await sim.close();
    temp.remove();
  });

  /** Adds a site in the given state to dev, with its website record. */
  function addSite(subdomain: string, status: 'OperationComplete' | 'OperationFailed') {
    const template = sim.world.sites.get('5e7e0001-0000-4000-8000-000000000001')!;
    const id = randomUUID();
    const websiteRecordId = randomUUID();
    sim.world.sites.set(id, {
      ...structuredClone(template),
      id,
      name: subdomain,
      subdomain,
      websiteRecordId,
      status,
      packageInstallStatus: status === 'OperationComplete' ? 'Installed' : 'None',
      websiteUrl: `${sim.baseUrl}/sites/${subdomain}`,
    });
    sim.world.records.table(template.environmentId, 'adx_websites').set(websiteRecordId, {
      adx_websiteid: websiteRecordId,
      adx_name: subdomain,
    });
    return id;
  }

  const scenarios: Scenario[] = [
    ...Array.from({ length: 14 }, (_, i) => ({
      name: `provision-${i + 1}`,
      kind: 'provision' as const,
      killAt: i + 1,
    })),
    ...Array.from({ length: 10 }, (_, i) => ({
      name: `reset-${i + 1}`,
      kind: 'reset' as const,
      killAt: i + 1,
    })),
    ...[6, 11, 16].map((killAt) => ({
      name: `reset-reprovision-${killAt}`,
      kind: 'reset' as const,
      killAt,
      reprovision: true,
    })),
    ...[5, 9, 13].map((killAt) => ({
      name: `restart-${killAt}`,
      kind: 'restart-provisioning' as const,
      killAt,
    })),
  ];

  it(`resumes every job to its right end, with exactly one create or delete accepted (${scenarios.length} kill points)`, async () => {
    const dev = sim.world.findEnvironment('dev')!;
    const audiences = [
      'https://api.powerplatform.com',
      'https://service.powerapps.com',
      sim.dataverseUrl('dev'),
    ];
    const tokens = Object.fromEntries(audiences.map((a) => [a, sim.issueUserToken('alice@contoso.com', a)]));
    const limit = pLimit(4);
    const outcomes = await Promise.all(
      scenarios.map((scenario) =>
        limit(async () => {
          const subdomain = `crash-${scenario.name}`;
          let siteId: string | undefined;
          let params: Record<string, unknown>;
          if (scenario.kind === 'provision') {
            params = customerSiteParams(subdomain);
          } else {
            siteId = addSite(
              subdomain,
              scenario.kind === 'reset' && !scenario.reprovision ? 'OperationComplete' : 'OperationFailed',
            );
            params = {
              environment: 'dev',
              site: subdomain,
              requesterUpn: 'alice@contoso.com',
              reprovision: scenario.reprovision,
            };
          }
          const storeDir = path.join(temp.dir, scenario.name);
          const input = {
            simUrl: sim.baseUrl,
            registry: sim.environmentsRegistry(),
            storeDir,
            tokens,
            job: { kind: scenario.kind, params, siteKey: siteKeyOf(dev.id, subdomain) },
          };
          const first = await runCrashChild({ ...input, killAt: scenario.killAt });
          const second = await runCrashChild({ ...input, killAt: 0 });
          const store = await LowdbStore.open(storeDir);
          const [job] = store.collection('jobs').list();
          const snapshots = store.collection('snapshots').list();
          await store.close();
          return { scenario, subdomain, siteId, killed: first.signal === 'SIGKILL', second, job, snapshots };
        }),
      ),
    );

    const problems: string[] = [];
    for (const { scenario, subdomain, siteId, job, second, snapshots } of outcomes) {
      const where = `${scenario.name} (kill at ${scenario.killAt})`;
      if (second.code !== 0)
        problems.push(`${where}: the restarted runner exited with ${second.code ?? second.signal}`);
      if (job?.state !== 'succeeded') {
        problems.push(
          `${where}: job ended ${job?.state} ${job?.lastError?.code ?? ''} ${job?.lastError?.message ?? ''}`,
        );
        continue;
      }
      const creates = sim.world.stats.createsAccepted[`${dev.id}/${subdomain}`] ?? 0;
      const deletes = siteId ? (sim.world.stats.deletesAccepted[siteId] ?? 0) : 0;
      const site = [...sim.world.sites.values()].find((s) => s.subdomain === subdomain);
      if (scenario.kind === 'reset') {
        if (deletes !== 1) problems.push(`${where}: ${deletes} deletes accepted`);
        if (snapshots.length !== 1 || !existsSync(snapshots[0]!.path))
          problems.push(`${where}: snapshot missing`);
      }
      const expectsCreate = scenario.kind !== 'reset' || scenario.reprovision;
      if (expectsCreate && creates !== 1) problems.push(`${where}: ${creates} creates accepted`);
      if (!expectsCreate && creates !== 0) problems.push(`${where}: a reset created a site`);
      if (
        expectsCreate &&
        (site?.status !== 'OperationComplete' || site.packageInstallStatus !== 'Installed')
      )
        problems.push(`${where}: site is ${site?.status}/${site?.packageInstallStatus}`);
      if (!expectsCreate && site) problems.push(`${where}: the reset site still exists`);
    }
    expect(problems).toEqual([]);
    const killPoints = outcomes.filter((o) => o.killed).length;
    expect(killPoints).toBeGreaterThanOrEqual(20);
  }, 240_000);
});
