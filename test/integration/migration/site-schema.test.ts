import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_TABLES } from '../../../src/migration/config-tables.ts';
import { planImport } from '../../../src/migration/import-plan.ts';
import { readPacSite } from '../../../src/migration/pac-layout.ts';
import { exportSite } from '../../../src/migration/site-export.ts';
import { importBatches, runImport } from '../../../src/migration/site-import.ts';
import { checksum, recordsFromPac, type SiteRecord } from '../../../src/migration/site-records.ts';
import { loadSiteSchema } from '../../../src/migration/site-schema.ts';
import type { BatchOperation, Dataverse } from '../../../src/platform/ports.ts';
import { takeSnapshot } from '../../../src/snapshots/site-snapshot.ts';
import { startLifecycleHarness } from '../../support/lifecycle-harness.ts';

const ORDER = CONFIG_TABLES.map((t) => t.logicalName);
const FIXTURE = path.resolve('fixtures/sites/contoso-construction');

type Harness = Awaited<ReturnType<typeof startLifecycleHarness>>;
const dataverseOf = (h: Harness, alias: string): Dataverse =>
  h.deps.dataverse(h.sim.environmentsRegistry().find((e) => e.alias === alias)!.dataverseUrl);
type Write = Extract<BatchOperation, { method: 'PATCH' }>;
const bodies = (batches: BatchOperation[][]) =>
  batches.flat().filter((op): op is Write => op.method === 'PATCH');

describe('names from metadata', () => {
  let h: Harness;
  let source: SiteRecord[];
  let websiteId: string;

  beforeAll(async () => {
    h = await startLifecycleHarness();
    source = recordsFromPac(readPacSite(FIXTURE, { duplicates: 'last' }));
    websiteId = source.find((r) => r.table === 'adx_website')!.id;
  });
  afterAll(async () => {
    await h.close();
  });

  it('exports and snapshots website access and URL history through their real entity sets', async () => {
    const dev = dataverseOf(h, 'dev');
    const exported = await exportSite(dev, websiteId);
    const count = (table: string) => exported.filter((r) => r.table === table).length;
    expect(count('adx_websiteaccess')).toBe(source.filter((r) => r.table === 'adx_websiteaccess').length);
    expect(count('adx_websiteaccess')).toBeGreaterThan(0);
    expect(count('adx_urlhistory')).toBe(6);
    const snapshot = await takeSnapshot({
      dataverse: dev,
      store: h.store,
      snapshotsDir: h.deps.snapshotsDir,
      id: 'names-from-metadata',
      environmentId: 'dev',
      environment: 'dev',
      site: 'contoso-construction',
      websiteRecordId: websiteId,
    });
    expect(snapshot.tables).toMatchObject({
      adx_websiteaccess: count('adx_websiteaccess'),
      adx_urlhistory: 6,
    });
  });

  it('binds every lookup through its navigation property and writes to the metadata’s entity sets', async () => {
    const test = dataverseOf(h, 'test');
    const schema = await loadSiteSchema(test);
    const batches = importBatches(planImport(source, [], ORDER), 100, schema);
    const sets = new Set(batches.flat().map((op) => op.entitySet));
    expect(sets).toContain('adx_websiteaccesses');
    expect(sets).toContain('adx_urlhistories');
    expect([...sets].filter((s) => /(sss|ys)$/.test(s))).toEqual([]);
    const website = bodies(batches).filter((op) => op.id === websiteId);
    expect(website.some((op) => op.body['adx_DefaultLanguage@odata.bind'])).toBe(true);
    expect(website.flatMap((op) => Object.keys(op.body))).not.toContain('adx_defaultlanguage@odata.bind');
    const notes = bodies(batches).filter((op) => op.entitySet === 'annotations');
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) {
      expect(note.body['objectid_adx_webfile@odata.bind']).toMatch(/^\/adx_webfiles\([0-9a-f-]{36}\)$/);
      expect(note.body).not.toHaveProperty('objectid');
    }
    // No lookup column travels as a plain value.
    for (const op of bodies(batches)) {
      const table = [...schema.tables.values()].find((t) => t.entitySetName === op.entitySet)!;
      for (const key of Object.keys(op.body))
        expect(table.lookups.has(key), `${op.entitySet}.${key}`).toBe(false);
    }
  });

  it('migrates the fixture so the target reads back the same records, website access and URL history included', async () => {
    const test = dataverseOf(h, 'test');
    await runImport(test, importBatches(planImport(source, [], ORDER), 100, await loadSiteSchema(test)));
    const back = new Map((await exportSite(test, websiteId)).map((r) => [`${r.table}:${r.id}`, checksum(r)]));
    for (const record of source)
      expect(back.get(`${record.table}:${record.id}`), record.id).toBe(checksum(record));
    const defaultLanguage = source.find((r) => r.table === 'adx_website')!.lookups.adx_defaultlanguage;
    const [row] = await test.query('adx_websites', { filter: `adx_websiteid eq ${websiteId}` });
    expect(row?._adx_defaultlanguage_value).toBe(defaultLanguage);
  });
});

describe('columns and lookups PortalOps has never seen', () => {
  it('are carried when the target’s metadata knows them: lookups bound, read-only columns left out', async () => {
    const h = await startLifecycleHarness();
    try {
      const env = h.sim.world.findEnvironment('test')!;
      const settings = env.tables.find((t) => t.logicalName === 'adx_sitesetting')!;
      settings.columns.push('new_score', 'new_computed');
      settings.readOnlyColumns = [...(settings.readOnlyColumns ?? []), 'new_computed'];
      settings.columnTypes = { ...settings.columnTypes, new_score: 'Integer' };
      settings.lookups = [
        ...(settings.lookups ?? []),
        {
          attribute: 'new_reviewpageid',
          navigationProperty: 'new_ReviewPageId',
          targetTable: 'adx_webpage',
          relationship: 'new_adx_webpage_adx_sitesetting_ReviewPage',
        },
      ];
      const source = recordsFromPac(readPacSite(FIXTURE, { duplicates: 'last' }));
      const websiteId = source.find((r) => r.table === 'adx_website')!.id;
      const page = source.find((r) => r.table === 'adx_webpage')!;
      const setting = source.find((r) => r.table === 'adx_sitesetting')!;
      // As a pac folder carries a lookup its layout does not list: a plain id among the columns.
      setting.columns = {
        ...setting.columns,
        new_score: 7,
        new_computed: 'ignored',
        new_reviewpageid: page.id.toUpperCase(),
      };
      const test = dataverseOf(h, 'test');
      const batches = importBatches(planImport(source, [], ORDER), 100, await loadSiteSchema(test));
      const written = bodies(batches).filter((op) => op.id === setting.id);
      const keys = written.flatMap((op) => Object.keys(op.body));
      expect(keys).toContain('new_score');
      expect(keys).not.toContain('new_computed');
      expect(keys).not.toContain('new_reviewpageid');
      expect(written.map((op) => op.body['new_ReviewPageId@odata.bind']).find(Boolean)).toBe(
        `/adx_webpages(${page.id})`,
      );
      await runImport(test, batches);
      const back = (await exportSite(test, websiteId)).find((r) => r.id === setting.id)!;
      expect(back.lookups.new_reviewpageid).toBe(page.id);
      expect(back.columns.new_score).toBe(7);
      expect(back.columns).not.toHaveProperty('new_computed');
    } finally {
      await h.close();
    }
  });
});
