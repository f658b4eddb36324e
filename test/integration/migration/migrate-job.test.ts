import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_TABLES } from '../../../src/migration/config-tables.ts';
import { planImport } from '../../../src/migration/import-plan.ts';
import { exportSite } from '../../../src/migration/site-export.ts';
import { importBatches, runImport } from '../../../src/migration/site-import.ts';
import { checksum } from '../../../src/migration/site-records.ts';
import { loadSiteSchema } from '../../../src/migration/site-schema.ts';
import { startLifecycleHarness } from '../../support/lifecycle-harness.ts';
import { addTable, seedFixtureSite } from '../../support/migration-seed.ts';

const requester = { id: 'alice@contoso.com', displayName: 'Alice Admin' };
const ORDER = CONFIG_TABLES.map((t) => t.logicalName);

// Whole-site migrations: a loaded machine is slow, not wrong.
describe('the migrate job', { timeout: 60_000 }, () => {
  let h: Awaited<ReturnType<typeof startLifecycleHarness>>;
  beforeEach(async () => {
    h = await startLifecycleHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const dataverseOf = (alias: string) =>
    h.deps.dataverse(h.sim.environmentsRegistry().find((e) => e.alias === alias)!.dataverseUrl);
  const submit = (params: Record<string, unknown>) =>
    h.engine.submit({ kind: 'migrate', params, requester, siteKey: `migrate/${String(params.site)}` });

  it('copies the site into the target, snapshotting it first, and verifies the result', async () => {
    const seeded = await seedFixtureSite(h, 'dev', 'contoso-construction');
    addTable(h, 'test', 'gsk_action');
    addTable(h, 'test', 'feedback');
    const job = await submit({ source: 'dev', target: 'test', site: seeded.subdomain });
    const done = await h.finished(job.id, 60_000);
    expect(done.state, JSON.stringify(done.lastError)).toBe('succeeded');
    expect(done.result).toMatchObject({ verified: `${seeded.records.length} records equal` });
    const target = new Map(
      (await exportSite(dataverseOf('test'), seeded.websiteId)).map((r) => [r.id, checksum(r)]),
    );
    for (const record of seeded.records) expect(target.get(record.id)).toBe(checksum(record));
    expect(
      h.store
        .collection('snapshots')
        .list()
        .some((s) => s.jobId === job.id),
    ).toBe(true);

    // Run again: nothing to send.
    const again = await h.finished(
      (await submit({ source: 'dev', target: 'test', site: seeded.subdomain })).id,
      60_000,
    );
    expect(again.state).toBe('succeeded');
    expect(again.result).toMatchObject({ planned: expect.stringMatching(/^0 new, 0 changed, 0 removed/) });

    // Change 1% of the records in dev and delete a page: the next migration sends only those.
    const dev = dataverseOf('dev');
    const current = await exportSite(dev, seeded.websiteId);
    const onePercent = Math.ceil(current.length / 100);
    const changed = current
      .filter((r) => r.table === 'adx_contentsnippet' || r.table === 'adx_sitesetting')
      .slice(0, onePercent)
      .map((r) => ({ ...r, columns: { ...r.columns, adx_value: `edited ${r.id}` } }));
    const page = current.find(
      (r) => r.table === 'adx_webpage' && !current.some((o) => Object.values(o.lookups).includes(r.id)),
    )!;
    const next = current.filter((r) => r !== page).map((r) => changed.find((c) => c.id === r.id) ?? r);
    await runImport(dev, importBatches(planImport(next, current, ORDER), 100, await loadSiteSchema(dev)));
    const delta = await h.finished(
      (await submit({ source: 'dev', target: 'test', site: seeded.subdomain })).id,
      60_000,
    );
    expect(delta.state, JSON.stringify(delta.lastError)).toBe('succeeded');
    expect(delta.result).toMatchObject({
      planned: `0 new, ${onePercent} changed, 1 removed, ${next.length - onePercent} unchanged`,
      written: String(onePercent + 1),
      verified: `${next.length} records equal`,
    });
    const prod = await exportSite(dataverseOf('test'), seeded.websiteId);
    expect(prod.some((r) => r.id === page.id)).toBe(false);
    for (const c of changed)
      expect(prod.find((r) => r.id === c.id)?.columns.adx_value).toBe(`edited ${c.id}`);
  });

  it('undoes a migration by restoring the snapshot taken before it', async () => {
    const seeded = await seedFixtureSite(h, 'dev', 'maynouh-site');
    for (const table of ['cr798_employees', 'cr798_status', 'cr798_vacationrequests', 'feedback'])
      addTable(h, 'prod', table);
    // prod has an older version of the site: a few records, one of them different.
    const older = seeded.records.filter((r) =>
      ['adx_website', 'adx_websitelanguage', 'adx_publishingstate', 'adx_sitesetting'].includes(r.table),
    );
    const changed = older.map((r) =>
      r.table === 'adx_sitesetting' ? { ...r, columns: { ...r.columns, adx_value: 'old value' } } : r,
    );
    const prod = dataverseOf('prod');
    await runImport(prod, importBatches(planImport(changed, [], ORDER), 100, await loadSiteSchema(prod)));
    const migrated = await h.finished(
      (await submit({ source: 'dev', target: 'prod', site: seeded.subdomain })).id,
      60_000,
    );
    expect(migrated.state, JSON.stringify(migrated.lastError)).toBe('succeeded');
    expect((await exportSite(prod, seeded.websiteId)).length).toBe(seeded.records.length);

    const snapshot = String(migrated.result?.snapshot);
    const restored = await h.finished(
      (
        await h.engine.submit({
          kind: 'restore',
          params: { snapshot },
          requester,
          siteKey: `restore/${snapshot}`,
        })
      ).id,
    );
    expect(restored.state, JSON.stringify(restored.lastError)).toBe('succeeded');
    const now = new Map((await exportSite(prod, seeded.websiteId)).map((r) => [r.id, checksum(r)]));
    expect(now.size).toBe(changed.length);
    for (const record of changed) expect(now.get(record.id)).toBe(checksum(record));
    expect(restored.result?.snapshotBeforeRestore).toBeDefined();
  });

  it('stops before writing anything when the target lacks a table or the language, listing every problem', async () => {
    const seeded = await seedFixtureSite(h, 'dev', 'contoso-construction');
    const test = h.sim.world.findEnvironment('test')!;
    test.baseLanguage = 1036;
    test.tables = test.tables.filter(
      (t) => !['feedback', 'gsk_action', 'adx_urlhistory'].includes(t.logicalName),
    );
    test.solutions = [{ uniqueName: 'MicrosoftPortalBase', version: '8.3.0.100' }];
    for (const site of h.sim.world.sites.values())
      if (site.subdomain === seeded.subdomain) site.templateName = 'FieldService';
    const job = await submit({ source: 'dev', target: 'test', site: seeded.subdomain });
    const done = await h.finished(job.id, 60_000);
    expect(done.state).toBe('failed');
    expect(done.lastError?.code).toBe('migration_preflight_failed');
    const problems = (done.lastError?.details?.problems ?? []) as { field: string }[];
    expect(problems.map((p) => p.field)).toEqual([
      'default language',
      'portal solution',
      'template',
      'configuration table adx_urlhistory',
      'table feedback',
      'table gsk_action',
    ]);
    expect(await exportSite(dataverseOf('test'), seeded.websiteId)).toEqual([]);
  });

  it('refuses a site whose website record has no configuration instead of emptying the target', async () => {
    const seeded = await seedFixtureSite(h, 'prod', 'maynouh-site');
    // The same site in dev without its website record there (neither adx_website nor powerpagesite).
    const prodSite = [...h.sim.world.sites.values()].find((s) => s.subdomain === seeded.subdomain)!;
    const dev = h.sim.world.findEnvironment('dev')!;
    h.sim.world.sites.set('5e7e9999-0000-4000-8000-0000000000ed', {
      ...structuredClone(prodSite),
      id: '5e7e9999-0000-4000-8000-0000000000ed',
      environmentId: dev.id,
    });
    const done = await h.finished(
      (await submit({ source: 'dev', target: 'prod', site: seeded.subdomain })).id,
      60_000,
    );
    expect(done.state).toBe('failed');
    expect(done.lastError?.code).toBe('migration_preflight_failed');
    const problems = (done.lastError?.details?.problems ?? []) as { field: string; message: string }[];
    expect(problems[0]).toMatchObject({
      field: 'website record',
      message: expect.stringMatching(/no website record/),
    });
    expect(await exportSite(dataverseOf('prod'), seeded.websiteId)).toHaveLength(seeded.records.length);
  });

  it('plans without writing on a dry run', async () => {
    const seeded = await seedFixtureSite(h, 'dev', 'maynouh-site');
    for (const table of ['cr798_employees', 'cr798_status', 'cr798_vacationrequests', 'feedback'])
      addTable(h, 'test', table);
    const done = await h.finished(
      (await submit({ source: 'dev', target: 'test', site: seeded.subdomain, dryRun: true })).id,
      60_000,
    );
    expect(done.state, JSON.stringify(done.lastError)).toBe('succeeded');
    expect(done.result).toMatchObject({
      planned: `${seeded.records.length} new, 0 changed, 0 removed, 0 unchanged`,
    });
    expect(await exportSite(dataverseOf('test'), seeded.websiteId)).toEqual([]);
  });
});

describe('the default scenario', () => {
  it('gives the dev site Contoso Construction the configuration of the real download', async () => {
    const h = await startLifecycleHarness();
    try {
      const site = [...h.sim.world.sites.values()].find((s) => s.subdomain === 'contoso-construction')!;
      const dev = h.deps.dataverse(h.sim.environmentsRegistry().find((e) => e.alias === 'dev')!.dataverseUrl);
      const records = await exportSite(dev, site.websiteRecordId);
      expect(records.filter((r) => r.table === 'adx_webpage').length).toBeGreaterThan(10);
      expect(records.find((r) => r.table === 'adx_website')?.columns.adx_name).toMatch(
        /Contoso Construction/,
      );
    } finally {
      await h.close();
    }
  });
});
