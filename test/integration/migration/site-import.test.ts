import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_TABLES } from '../../../src/migration/config-tables.ts';
import { applyDeploymentProfile } from '../../../src/migration/deployment-profile.ts';
import { planImport } from '../../../src/migration/import-plan.ts';
import { readPacSite } from '../../../src/migration/pac-layout.ts';
import { exportSite } from '../../../src/migration/site-export.ts';
import { importBatches, runImport } from '../../../src/migration/site-import.ts';
import { checksum, recordsFromPac, type SiteRecord } from '../../../src/migration/site-records.ts';
import { loadSiteSchema } from '../../../src/migration/site-schema.ts';
import type { Dataverse } from '../../../src/platform/ports.ts';
import { startLifecycleHarness } from '../../support/lifecycle-harness.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

const ORDER = CONFIG_TABLES.map((t) => t.logicalName);
const FIXTURES = path.resolve('fixtures/sites');

const byKey = (records: SiteRecord[]) => new Map(records.map((r) => [`${r.table}:${r.id}`, checksum(r)]));

describe.each(['contoso-construction', 'maynouh-site'])(
  'importing %s into a simulated environment',
  (name) => {
    let h: Awaited<ReturnType<typeof startLifecycleHarness>>;
    let dataverse: Dataverse;
    let source: SiteRecord[];
    let websiteId: string;

    beforeAll(async () => {
      h = await startLifecycleHarness();
      dataverse = h.deps.dataverse(
        h.sim.environmentsRegistry().find((e) => e.alias === 'test')!.dataverseUrl,
      );
      source = recordsFromPac(readPacSite(path.join(FIXTURES, name), { duplicates: 'last' }));
      websiteId = source.find((r) => r.table === 'adx_website')!.id;
    });
    afterAll(async () => {
      await h.close();
    });

    it('writes every record, lookups and links included, so a re-read equals the folder', async () => {
      const plan = planImport(source, await exportSite(dataverse, websiteId), ORDER);
      expect(plan.writes).toBe(source.length);
      await runImport(dataverse, importBatches(plan, 100, await loadSiteSchema(dataverse)));
      const back = await exportSite(dataverse, websiteId);
      expect(byKey(back)).toEqual(byKey(source));
    });

    it('sends only what changed the next time, and deletes what the source no longer has', async () => {
      const snippets = source.filter(
        (r) => r.table === 'adx_contentsnippet' || r.table === 'adx_sitesetting',
      );
      const onePercent = Math.ceil(source.length / 100);
      expect(snippets.length).toBeGreaterThanOrEqual(onePercent);
      const changed = snippets
        .slice(0, onePercent)
        .map((r) => ({ ...r, columns: { ...r.columns, adx_value: `changed ${r.id}` } }));
      const page = source.find(
        (r) => r.table === 'adx_webpage' && !source.some((o) => Object.values(o.lookups).includes(r.id)),
      )!;
      const next = source.filter((r) => r !== page).map((r) => changed.find((c) => c.id === r.id) ?? r);
      const plan = planImport(next, await exportSite(dataverse, websiteId), ORDER);
      expect(plan.tables.flatMap((t) => t.updates.map((r) => r.id)).sort()).toEqual(
        changed.map((c) => c.id).sort(),
      );
      expect(plan.tables.flatMap((t) => t.deletes.map((r) => r.id))).toEqual([page.id]);
      expect(plan.tables.flatMap((t) => t.creates)).toHaveLength(0);
      expect(plan.writes).toBe(onePercent + 1);
      await runImport(dataverse, importBatches(plan, 100, await loadSiteSchema(dataverse)));
      expect(byKey(await exportSite(dataverse, websiteId))).toEqual(byKey(next));
    });
  },
);

describe('migrating a site between environments', () => {
  it('makes the target equal to the source, then sends nothing when nothing changed', async () => {
    const h = await startLifecycleHarness();
    try {
      const url = (alias: string) =>
        h.sim.environmentsRegistry().find((e) => e.alias === alias)!.dataverseUrl;
      const dev = h.deps.dataverse(url('dev'));
      const prod = h.deps.dataverse(url('prod'));
      const folder = recordsFromPac(
        readPacSite(path.join(FIXTURES, 'contoso-construction'), { duplicates: 'last' }),
      );
      const websiteId = folder.find((r) => r.table === 'adx_website')!.id;
      await runImport(dev, importBatches(planImport(folder, [], ORDER), 100, await loadSiteSchema(dev)));

      const source = await exportSite(dev, websiteId);
      const first = planImport(source, await exportSite(prod, websiteId), ORDER);
      expect(first.writes).toBe(source.length);
      await runImport(prod, importBatches(first, 50, await loadSiteSchema(prod)));
      expect(byKey(await exportSite(prod, websiteId))).toEqual(byKey(source));

      const again = planImport(await exportSite(dev, websiteId), await exportSite(prod, websiteId), ORDER);
      expect(again.writes).toBe(0);
      expect(importBatches(again, 50, await loadSiteSchema(prod))).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('deployment profiles', () => {
  it('put their values (with OS variables from the environment) into the target’s site settings', async () => {
    const { dir, remove } = makeTempDir('profile-');
    const h = await startLifecycleHarness();
    try {
      mkdirSync(path.join(dir, 'deployment-profiles'));
      writeFileSync(
        path.join(dir, 'deployment-profiles', 'prod.deployment.yml'),
        `adx_sitesetting:\n- adx_sitesettingid: 48F35C54-F355-ED11-9562-6045BD0EA8E5\n  adx_value: \${OS.PORTALOPS_PROFILE_SEARCH}\n`,
      );
      const folder = recordsFromPac(
        readPacSite(path.join(FIXTURES, 'contoso-construction'), { duplicates: 'last' }),
      );
      expect(() => applyDeploymentProfile(dir, 'prod', folder, {})).toThrow(/PORTALOPS_PROFILE_SEARCH/);
      expect(() => applyDeploymentProfile(dir, 'staging', folder, {})).toThrow(
        /no deployment profile "staging"/,
      );
      const records = applyDeploymentProfile(dir, 'prod', folder, { PORTALOPS_PROFILE_SEARCH: 'On in prod' });
      const prod = h.deps.dataverse(
        h.sim.environmentsRegistry().find((e) => e.alias === 'prod')!.dataverseUrl,
      );
      await runImport(prod, importBatches(planImport(records, [], ORDER), 100, await loadSiteSchema(prod)));
      const websiteId = records.find((r) => r.table === 'adx_website')!.id;
      const setting = (await exportSite(prod, websiteId)).find(
        (r) => r.id === '48f35c54-f355-ed11-9562-6045bd0ea8e5',
      );
      expect(setting?.columns).toMatchObject({ adx_name: 'Search/Enabled', adx_value: 'On in prod' });
    } finally {
      await h.close();
      remove();
    }
  });
});

describe('a record the platform refuses', () => {
  it('is named with its table, id and name, and the platform’s reason', async () => {
    const h = await startLifecycleHarness();
    try {
      const test = h.deps.dataverse(
        h.sim.environmentsRegistry().find((e) => e.alias === 'test')!.dataverseUrl,
      );
      const bad: SiteRecord = {
        table: 'adx_webpage',
        id: '0b0b0b0b-0000-4000-8000-000000000001',
        columns: { adx_name: 'Broken page', adx_notacolumn: 1 },
        lookups: {},
        links: {},
      };
      await expect(
        runImport(test, importBatches(planImport([bad], [], ORDER), 10, await loadSiteSchema(test))),
      ).rejects.toMatchObject({
        code: 'record_error',
        message: expect.stringMatching(
          /^adx_webpage 0b0b0b0b-0000-4000-8000-000000000001 \(Broken page\) was refused: .*adx_notacolumn/,
        ),
        details: { table: 'adx_webpage', name: 'Broken page' },
      });
    } finally {
      await h.close();
    }
  });
});
