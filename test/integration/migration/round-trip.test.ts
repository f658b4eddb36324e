import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_TABLES } from '../../../src/migration/config-tables.ts';
import { planImport } from '../../../src/migration/import-plan.ts';
import { pacFromRecords } from '../../../src/migration/pac-from-records.ts';
import { folderLeftOut, type PacSite, readPacSite, writePacSite } from '../../../src/migration/pac-layout.ts';
import { tablesNamedBy } from '../../../src/migration/preflight.ts';
import { exportSite } from '../../../src/migration/site-export.ts';
import { importBatches, runImport } from '../../../src/migration/site-import.ts';
import { checksum, recordsFromPac, type SiteRecord } from '../../../src/migration/site-records.ts';
import { loadSiteSchema } from '../../../src/migration/site-schema.ts';
import { startLifecycleHarness } from '../../support/lifecycle-harness.ts';
import { addTable, FIXTURE_SITES } from '../../support/migration-seed.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

const ORDER = CONFIG_TABLES.map((t) => t.logicalName);

/**
 * Each real download as it is. Contoso Construction renamed a page to "Content Page 1-deleted"
 * and pac left the page's old folder `content-page-1` beside the new one, with the same ids: the
 * environment manifest names the current one, so the old copy is left out and reported.
 */
const FIXTURES: { name: string; remove?: string[]; skipped?: string[]; notPartOfSite?: string[] }[] = [
  {
    name: 'contoso-construction',
    skipped: [
      'web-pages/content-page-1/Content-Page-1.webpage.yml',
      'web-pages/content-page-1/content-pages/Content-Page-1.en-US.webpage.yml',
    ],
  },
  { name: 'maynouh-site' },
  { name: 'comet-self-service' },
  {
    name: 'farming-es',
    skipped: [
      'ux-components/fabricantes/Fabricantes.uxcomponent.yml',
      'ux-components/fabricantes/Fabricantes.uxcomponent.params.json',
    ],
  },
];

describe.each(FIXTURES)('round trip of $name', (fixture) => {
  let h: Awaited<ReturnType<typeof startLifecycleHarness>>;
  const cleanups: (() => void)[] = [];
  beforeEach(async () => {
    h = await startLifecycleHarness();
  });
  afterEach(async () => {
    await h.close();
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('folder → upload to test → migrate test to prod → download prod equals the folder; a second upload sends nothing', async () => {
    const url = (alias: string) => h.sim.environmentsRegistry().find((e) => e.alias === alias)!.dataverseUrl;
    const temp = (prefix: string) => {
      const made = makeTempDir(prefix);
      cleanups.push(made.remove);
      return made.dir;
    };
    const source = temp('round-trip-source-');
    cpSync(path.join(FIXTURE_SITES, fixture.name), source, { recursive: true });
    for (const rel of fixture.remove ?? []) rmSync(path.join(source, rel), { recursive: true });
    const folder = readPacSite(source);
    const original = recordsFromPac(folder);
    const websiteId = original.find((r) => r.table === 'adx_website')!.id;
    expect(folderLeftOut(folder)).toEqual({
      skipped: (fixture.skipped ?? []).map((file) => ({ file, reason: expect.any(String) })),
      notPartOfSite: fixture.notPartOfSite ?? [],
    });
    // The tables the site's forms, lists and permissions work on are the target's business.
    for (const alias of ['test', 'prod'])
      for (const table of tablesNamedBy(original))
        if (!h.sim.world.findEnvironment(alias)!.tables.some((t) => t.logicalName === table))
          addTable(h, alias, table);

    // Upload the folder to test (on the default scenario's tables; dev already holds two of the
    // downloads as sites) and put a site on it.
    const dev = h.deps.dataverse(url('test'));
    await runImport(dev, importBatches(planImport(original, [], ORDER), 100, await loadSiteSchema(dev)));
    const again = planImport(original, await exportSite(dev, websiteId), ORDER, { deleteMissing: false });
    expect(changedRecords(again), 'a second upload sends nothing').toEqual([]);
    const devEnvironment = h.sim.world.findEnvironment('test')!;
    const template = [...h.sim.world.sites.values()].find((s) => s.environmentId === devEnvironment.id)!;
    const siteId = `5e7e8888-0000-4000-8000-00000000000${FIXTURES.indexOf(fixture)}`;
    h.sim.world.sites.set(siteId, {
      ...structuredClone(template),
      id: siteId,
      subdomain: `rt-${fixture.name}`,
      name: fixture.name,
      websiteRecordId: websiteId,
    });

    // Migrate with the job, as chat and the CLI do.
    const job = await h.engine.submit({
      kind: 'migrate',
      params: { source: 'test', target: 'prod', site: `rt-${fixture.name}` },
      requester: { id: 'alice@contoso.com' },
      siteKey: `rt/${fixture.name}`,
    });
    const done = await h.finished(job.id, 60_000);
    expect(done.state, JSON.stringify(done.lastError)).toBe('succeeded');

    // Download prod into a folder and read it back: record for record, the same data.
    const dir = temp('round-trip-');
    writePacSite(dir, pacFromRecords(await exportSite(h.deps.dataverse(url('prod')), websiteId)));
    const downloaded = readPacSite(dir);
    const back = recordsFromPac(downloaded);
    const backById = new Map(back.map((r) => [`${r.table}:${r.id}`, r]));
    expect(back.length).toBe(original.length);
    for (const record of original) {
      const copy = backById.get(`${record.table}:${record.id}`);
      expect(copy && checksum(copy), `${record.table} ${record.id}`).toBe(checksum(record));
    }

    // Deactivated records stay deactivated; site-setting values stay the text the file wrote.
    const inactive = (records: SiteRecord[]) =>
      records
        .filter((r) => r.columns.statecode === 1)
        .map((r) => `${r.table}:${r.id}:${r.columns.statuscode}`);
    expect(inactive(back).sort()).toEqual(inactive(original).sort());
    for (const setting of back.filter((r) => r.table === 'adx_sitesetting'))
      if (setting.columns.adx_value !== undefined) expect(typeof setting.columns.adx_value).toBe('string');

    // Every content file (HTML, CSS, scripts, templates, snippets, web file bytes) is byte-identical.
    const before = contentOf(folder);
    const after = contentOf(downloaded);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [key, bytes] of before) expect(after.get(key)?.equals(bytes), key).toBe(true);
    expect(before.size).toBeGreaterThan(20);

    // The downloaded folder uploads to prod as it is: nothing to send.
    const prod = h.deps.dataverse(url('prod'));
    const fromDownload = planImport(back, await exportSite(prod, websiteId), ORDER, { deleteMissing: false });
    expect(changedRecords(fromDownload)).toEqual([]);
  }, 60_000);
});

function contentOf(site: PacSite): Map<string, Buffer> {
  const map = new Map<string, Buffer>();
  for (const r of site.records)
    for (const [key, bytes] of Object.entries(r.content))
      map.set(`${r.table}:${r.id?.toLowerCase()}:${key}`, bytes);
  return map;
}

function changedRecords(plan: ReturnType<typeof planImport>): string[] {
  return plan.tables.flatMap((t) => [...t.creates, ...t.updates].map((r) => `${t.table}:${r.id}`));
}
