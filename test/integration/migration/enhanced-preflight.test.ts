import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteKeyOf } from '../../../src/domain/job.ts';
import { CONFIG_TABLES } from '../../../src/migration/config-tables.ts';
import { enhancedFitProblems } from '../../../src/migration/data-model-preflight.ts';
import { siteModelOf } from '../../../src/migration/enhanced-export.ts';
import { planImport } from '../../../src/migration/import-plan.ts';
import { readPacSite } from '../../../src/migration/pac-layout.ts';
import { exportSite } from '../../../src/migration/site-export.ts';
import { recordsFromPac } from '../../../src/migration/site-records.ts';
import { writeSitePlan } from '../../../src/migration/site-write.ts';
import { startLifecycleHarness } from '../../support/lifecycle-harness.ts';
import { FIXTURE_SITES } from '../../support/migration-seed.ts';

const ORDER = CONFIG_TABLES.map((t) => t.logicalName);
const alice = { id: 'alice@contoso.com' };

/** Moving a site between data models is refused before anything is written, with the way forward. */
describe('data-model checks of a migration', () => {
  let h: Awaited<ReturnType<typeof startLifecycleHarness>>;
  const dataverseOf = (alias: string) =>
    h.deps.dataverse(h.sim.environmentsRegistry().find((e) => e.alias === alias)!.dataverseUrl);
  const migrate = async (site: string) =>
    h.finished(
      (
        await h.engine.submit({
          kind: 'migrate',
          params: { source: 'dev', target: 'test', site },
          requester: alice,
          siteKey: siteKeyOf(h.env('test').id, site),
        })
      ).id,
      60_000,
    );
  beforeAll(async () => {
    h = await startLifecycleHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses an enhanced site into a target that holds its record on the standard model, and the reverse', async () => {
    // test gets Contoso Events' website record on the standard model (adx_* rows).
    const events = [...h.sim.world.sites.values()].find((s) => s.subdomain === 'contoso-events')!;
    const farming = recordsFromPac(readPacSite(path.join(FIXTURE_SITES, 'farming-es')));
    const test = dataverseOf('test');
    const asStandard = {
      model: 'Standard' as const,
      websiteRecordId: events.websiteRecordId,
      desired: farming,
    };
    await writeSitePlan(test, planImport(farming, [], ORDER), asStandard);
    const before = await exportSite(test, events.websiteRecordId);
    const refused = await migrate('contoso-events');
    expect(refused.lastError?.code).toBe('migration_preflight_failed');
    const problems = refused.lastError?.details?.problems as {
      field: string;
      message: string;
      fix: string;
    }[];
    expect(problems[0]).toMatchObject({
      field: 'data model',
      message: expect.stringMatching(
        /enhanced data model and test holds its website record on the standard data model/,
      ),
      fix: expect.stringMatching(/pac pages migrate-datamodel/),
    });
    expect(await siteModelOf(test, events.websiteRecordId)).toBe('Standard');
    expect(await exportSite(test, events.websiteRecordId)).toEqual(before);

    // test holds Contoso Construction's record on the enhanced model: the standard site is refused.
    const construction = [...h.sim.world.sites.values()].find((s) => s.subdomain === 'contoso-construction')!;
    const records = await exportSite(dataverseOf('dev'), construction.websiteRecordId);
    const asEnhanced = {
      model: 'Enhanced' as const,
      websiteRecordId: construction.websiteRecordId,
      desired: records,
    };
    await writeSitePlan(test, planImport(records, [], ORDER), asEnhanced);
    const reverse = await migrate('contoso-construction');
    expect(reverse.lastError?.code).toBe('migration_preflight_failed');
    const reasons = reverse.lastError?.details?.problems as { field: string; fix: string }[];
    expect(reasons[0]?.fix).toContain('move contoso-construction to the enhanced data model');
  }, 60_000);

  it('lists what an enhanced site cannot hold: a forum permission linking web roles, custom columns', () => {
    const comet = recordsFromPac(readPacSite(path.join(FIXTURE_SITES, 'comet-self-service')));
    const fields = enhancedFitProblems(comet).map((p) => p.field);
    expect(fields).toEqual(['adx_communityforumaccesspermission 0f00e357-08da-ed11-a7c6-000d3a854be1']);
    const page = comet.find((r) => r.table === 'adx_webpage')!;
    const custom = { ...page, columns: { ...page.columns, new_rating: 4 } };
    expect(enhancedFitProblems([custom])[0]?.message).toMatch(/new_rating/);
  });

  it('refuses the writes the enhanced model refuses: an unknown component type, content that is not JSON, a component without its site', async () => {
    const dev = dataverseOf('dev');
    const events = [...h.sim.world.sites.values()].find((s) => s.subdomain === 'contoso-events')!;
    const site = { 'powerpagesiteid@odata.bind': `/powerpagesites(${events.websiteRecordId})` };
    const write = (body: Record<string, unknown>) =>
      dev.executeBatch([
        {
          method: 'PATCH',
          entitySet: 'powerpagecomponents',
          id: 'c0c0c0c0-0000-4000-8000-000000000001',
          body,
        },
      ]);
    await expect(
      write({ name: 'x', powerpagecomponenttype: 14, content: '{}', ...site }),
    ).rejects.toMatchObject({
      code: 'batch_failed',
      message: expect.stringMatching(/not a valid value of powerpagecomponenttype/),
    });
    await expect(
      write({ name: 'x', powerpagecomponenttype: 9, content: '{value', ...site }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/not valid JSON/),
    });
    await expect(write({ name: 'x', powerpagecomponenttype: 9, content: '{}' })).rejects.toMatchObject({
      message: expect.stringMatching(/must belong to a site/),
    });
    await expect(
      write({ name: 'x', powerpagecomponenttype: 9, content: '{}', filecontent: 'AAAA', ...site }),
    ).resolves.toHaveLength(1);
    // The file column is read-only in a write: only its upload sets it.
    await expect(
      dev.downloadFile('powerpagecomponents', 'c0c0c0c0-0000-4000-8000-000000000001', 'filecontent'),
    ).resolves.toBeNull();
  });
});
