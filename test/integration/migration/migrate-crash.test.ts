import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { siteKeyOf } from '../../../src/domain/job.ts';
import { exportSite } from '../../../src/migration/site-export.ts';
import { checksum } from '../../../src/migration/site-records.ts';
import { DataverseClient } from '../../../src/platform/dataverse/dataverse-client.ts';
import { startSimulator } from '../../../src/simulator/simulator.ts';
import { LowdbStore } from '../../../src/storage/lowdb-store.ts';
import { runCrashChild } from '../../support/run-crash-child.ts';
import { simulatorTokens } from '../../support/simulator-token-provider.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

/**
 * Contoso Construction is on the standard data model; Contoso Events on the enhanced one (its
 * components in `$batch` change sets, then its web files' bytes one upload each: the last kill
 * point lands among the uploads).
 */
describe.each([
  { subdomain: 'contoso-construction', model: 'standard', killAts: [12, 20, 28], filePhase: 0 },
  { subdomain: 'contoso-events', model: 'enhanced', killAts: [14, 40, 74], filePhase: 74 },
])('a migration of $subdomain ($model data model) killed mid-import', ({ subdomain, killAts, filePhase }) => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  it.each(killAts)(
    'resumes after a SIGKILL at checkpoint %i and ends equal to the source',
    async (killAt) => {
      const sim = await startSimulator({ timeScale: 0.001 });
      try {
        const site = [...sim.world.sites.values()].find((s) => s.subdomain === subdomain)!;
        const test = sim.world.findEnvironment('test')!;
        const audiences = [
          'https://api.powerplatform.com',
          'https://service.powerapps.com',
          sim.dataverseUrl('dev'),
          sim.dataverseUrl('test'),
        ];
        const tokens = Object.fromEntries(
          audiences.map((a) => [a, sim.issueUserToken('alice@contoso.com', a)]),
        );
        const storeDir = path.join(temp.dir, `kill-${killAt}`);
        const input = {
          simUrl: sim.baseUrl,
          registry: sim.environmentsRegistry(),
          storeDir,
          tokens,
          job: {
            kind: 'migrate',
            params: { source: 'dev', target: 'test', site: subdomain, batchSize: 20 },
            siteKey: siteKeyOf(test.id, subdomain),
          },
        };
        const first = await runCrashChild({ ...input, killAt });
        expect(first.signal).toBe('SIGKILL');
        const client = (alias: 'dev' | 'test') =>
          new DataverseClient({
            dataverseUrl: sim.dataverseUrl(alias),
            tokenProvider: simulatorTokens(sim, 'alice@contoso.com'),
            timeoutMs: 5_000,
            maxRetries: 2,
            maxBackoffMs: 20,
          });
        const partial = await exportSite(client('test'), site.websiteRecordId);
        const writtenBySecond = sim.dataverseStats.writesApplied;
        const second = await runCrashChild({ ...input, killAt: 0 });
        expect(second.code).toBe(0);
        const store = await LowdbStore.open(storeDir);
        const [job] = store.collection('jobs').list();
        await store.close();
        expect(job?.state, JSON.stringify(job?.lastError)).toBe('succeeded');
        const source = await exportSite(client('dev'), site.websiteRecordId);
        const target = new Map(
          (await exportSite(client('test'), site.websiteRecordId)).map((r) => [r.id, checksum(r)]),
        );
        expect(target.size).toBe(source.length);
        const checksums = new Map(source.map((r) => [`${r.table}:${r.id}`, checksum(r)]));
        for (const record of source) expect(target.get(record.id)).toBe(checksum(record));
        // The kill landed mid-import: some batches were in, the rest came with the second run.
        expect(partial.length).toBeGreaterThan(0);
        const same = partial.filter((r) => checksum(r) === checksums.get(`${r.table}:${r.id}`)).length;
        expect(same).toBeLessThan(source.length);
        if (killAt === filePhase) {
          // Killed among the web file uploads: the second run sent only the files still missing.
          const before = new Map(partial.map((r) => [`${r.table}:${r.id}`, checksum(r)]));
          const missing = source.filter((r) => before.get(`${r.table}:${r.id}`) !== checksum(r));
          expect(missing.length).toBeGreaterThan(0);
          expect(missing.every((r) => r.table === 'annotation')).toBe(true);
          expect(sim.dataverseStats.writesApplied - writtenBySecond).toBe(missing.length);
        }
      } finally {
        await sim.close();
      }
    },
    60_000,
  );
});
