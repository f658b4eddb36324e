import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportSite } from '../../../src/migration/site-export.ts';
import { startLifecycleHarness } from '../../support/lifecycle-harness.ts';
import { addTable } from '../../support/migration-seed.ts';

const requester = { id: 'alice@contoso.com', displayName: 'Alice Admin' };

describe('a migration and its source', () => {
  let h: Awaited<ReturnType<typeof startLifecycleHarness>>;
  beforeEach(async () => {
    h = await startLifecycleHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const entry = (alias: string) => h.sim.environmentsRegistry().find((e) => e.alias === alias)!;
  const sitesIn = async (alias: string) =>
    (await h.deps.powerPages.listWebsites(entry(alias).environmentId)).map((s) => ({
      id: s.id,
      subdomain: s.subdomain,
      websiteRecordId: s.websiteRecordId,
    }));

  it('leaves the dev site in dev when migrating dev to prod reactivates the site in prod', async () => {
    // The default scenario's Contoso Construction in dev, with the configuration of a real download.
    const devBefore = await sitesIn('dev');
    const source = devBefore.find((s) => s.subdomain === 'contoso-construction')!;
    expect(source).toBeDefined();
    const devDataverse = h.deps.dataverse(entry('dev').dataverseUrl);
    const records = (await exportSite(devDataverse, source.websiteRecordId)).length;
    addTable(h, 'prod', 'gsk_action');
    addTable(h, 'prod', 'feedback');

    const job = await h.engine.submit({
      kind: 'migrate',
      params: { source: 'dev', target: 'prod', site: 'contoso-construction' },
      requester,
      siteKey: 'migrate/contoso-construction',
    });
    const done = await h.finished(job.id);
    expect(done.state, JSON.stringify(done.lastError)).toBe('succeeded');

    // Both environments list their own site; dev's sites are exactly what they were.
    expect(await sitesIn('dev')).toEqual(devBefore);
    const target = (await sitesIn('prod')).find((s) => s.websiteRecordId === source.websiteRecordId);
    expect(target).toMatchObject({ subdomain: 'contoso-construction-prod' });
    expect(target!.id).not.toBe(source.id);
    expect((await exportSite(devDataverse, source.websiteRecordId)).length).toBe(records);
  });
});
