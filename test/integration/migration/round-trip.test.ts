import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_TABLES } from '../../../src/migration/config-tables.ts';
import { planImport } from '../../../src/migration/import-plan.ts';
import { pacFromRecords } from '../../../src/migration/pac-from-records.ts';
import { readPacSite, writePacSite } from '../../../src/migration/pac-layout.ts';
import { exportSite } from '../../../src/migration/site-export.ts';
import { importBatches, runImport } from '../../../src/migration/site-import.ts';
import { checksum, recordsFromPac } from '../../../src/migration/site-records.ts';
import { loadSiteSchema } from '../../../src/migration/site-schema.ts';
import { startLifecycleHarness } from '../../support/lifecycle-harness.ts';
import { addTable, FIXTURE_SITES } from '../../support/migration-seed.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

const ORDER = CONFIG_TABLES.map((t) => t.logicalName);
const TABLES_NAMED = ['gsk_action', 'feedback', 'cr798_employees', 'cr798_status', 'cr798_vacationrequests'];

describe.each(['contoso-construction', 'maynouh-site'])('round trip of %s', (fixture) => {
  let h: Awaited<ReturnType<typeof startLifecycleHarness>>;
  const cleanups: (() => void)[] = [];
  beforeEach(async () => {
    h = await startLifecycleHarness();
  });
  afterEach(async () => {
    await h.close();
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('folder → upload to dev → migrate dev to prod → download prod equals the folder, content byte for byte', async () => {
    const url = (alias: string) => h.sim.environmentsRegistry().find((e) => e.alias === alias)!.dataverseUrl;
    for (const table of TABLES_NAMED) addTable(h, 'prod', table);
    const folder = readPacSite(path.join(FIXTURE_SITES, fixture));
    const original = recordsFromPac(folder);
    const websiteId = original.find((r) => r.table === 'adx_website')!.id;

    // Upload the folder to dev and put a site on its website record.
    await runImport(
      h.deps.dataverse(url('dev')),
      importBatches(planImport(original, [], ORDER), 100, await loadSiteSchema(h.deps.dataverse(url('dev')))),
    );
    const dev = h.sim.world.findEnvironment('dev')!;
    const template = [...h.sim.world.sites.values()].find((s) => s.environmentId === dev.id)!;
    h.sim.world.sites.set(`5e7e8888-0000-4000-8000-00000000000${fixture.length % 10}`, {
      ...structuredClone(template),
      id: `5e7e8888-0000-4000-8000-00000000000${fixture.length % 10}`,
      subdomain: `rt-${fixture}`,
      name: fixture,
      websiteRecordId: websiteId,
    });

    // Migrate with the job, as chat and the CLI do.
    const job = await h.engine.submit({
      kind: 'migrate',
      params: { source: 'dev', target: 'prod', site: `rt-${fixture}` },
      requester: { id: 'alice@contoso.com' },
      siteKey: `rt/${fixture}`,
    });
    const done = await h.finished(job.id);
    expect(done.state, JSON.stringify(done.lastError)).toBe('succeeded');

    // Download prod into a folder and read it back.
    const { dir, remove } = makeTempDir('round-trip-');
    cleanups.push(remove);
    writePacSite(dir, pacFromRecords(await exportSite(h.deps.dataverse(url('prod')), websiteId)));
    const downloaded = readPacSite(dir);
    const back = new Map(recordsFromPac(downloaded).map((r) => [`${r.table}:${r.id}`, checksum(r)]));
    expect(back.size).toBe(original.length);
    for (const record of original)
      expect(back.get(`${record.table}:${record.id}`), record.id).toBe(checksum(record));

    // Every content file (HTML, templates, snippets, web file bytes) is byte-identical.
    const contentOf = (site: typeof folder) => {
      const map = new Map<string, Buffer>();
      for (const r of site.records)
        for (const [key, bytes] of Object.entries(r.content)) map.set(`${r.id}:${key}`, bytes);
      return map;
    };
    const before = contentOf(folder);
    const after = contentOf(downloaded);
    let compared = 0;
    for (const [key, bytes] of before) {
      const id = key.split(':')[0]!;
      if (folder.records.filter((r) => r.id === id).length > 1) continue; // duplicated records: the later copy wins
      expect(after.get(key)?.equals(bytes), key).toBe(true);
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
  }, 60_000);
});
