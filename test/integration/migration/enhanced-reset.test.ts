import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteKeyOf } from '../../../src/domain/job.ts';
import { siteModelOf } from '../../../src/migration/enhanced-export.ts';
import { exportSite } from '../../../src/migration/site-export.ts';
import { checksum } from '../../../src/migration/site-records.ts';
import { listSnapshots } from '../../../src/snapshots/site-snapshot.ts';
import { startLifecycleHarness } from '../../support/lifecycle-harness.ts';

/**
 * The default scenario's Contoso Events is on the enhanced data model and carries the real
 * Spanish download (farming-es) as powerpagecomponent rows.
 */
describe('reset and restore of an enhanced-data-model site', () => {
  let h: Awaited<ReturnType<typeof startLifecycleHarness>>;
  beforeAll(async () => {
    h = await startLifecycleHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('snapshots every record before the reset, and a restore brings lost records back', async () => {
    const events = h.sim.world.sites.get('5e7e0007-0000-4000-8000-000000000007')!;
    const dataverse = h.deps.dataverse(
      h.sim.environmentsRegistry().find((e) => e.alias === 'dev')!.dataverseUrl,
    );
    expect(await siteModelOf(dataverse, events.websiteRecordId)).toBe('Enhanced');
    const before = await exportSite(dataverse, events.websiteRecordId);
    expect(before.filter((r) => r.table === 'adx_webpage').length).toBeGreaterThan(5);
    expect(before.filter((r) => r.table === 'annotation').length).toBeGreaterThan(0);

    const alice = { id: 'alice@contoso.com' };
    const reset = await h.engine.submit({
      kind: 'reset',
      params: { environment: 'dev', site: 'contoso-events', requesterUpn: alice.id },
      requester: alice,
      siteKey: siteKeyOf(h.env('dev').id, 'contoso-events'),
    });
    const done = await h.finished(reset.id, 60_000);
    expect(done.state, JSON.stringify(done.lastError)).toBe('succeeded');
    const [snapshot] = listSnapshots(h.store, 'contoso-events');
    expect(snapshot).toBeDefined();
    expect(Object.values(snapshot!.tables).reduce((a, b) => a + b, 0)).toBe(before.length);
    expect(snapshot!.tables.adx_webfile).toBeGreaterThan(0);

    // Configuration lost after the reset: some components and a web file's bytes.
    const components = h.sim.world.records.table(events.environmentId, 'powerpagecomponents');
    const pages = [...components.values()].filter((r) => r.powerpagecomponenttype === 2).slice(0, 3);
    for (const page of pages) components.delete(String(page.powerpagecomponentid));
    const file = [...components.values()].find((r) => r.powerpagecomponenttype === 3 && r.$filecontent)!;
    components.set(String(file.powerpagecomponentid), {
      ...file,
      $filecontent: Buffer.from('broken').toString('base64'),
    });
    expect((await exportSite(dataverse, events.websiteRecordId)).length).toBe(before.length - 3);

    const restore = await h.engine.submit({
      kind: 'restore',
      params: { snapshot: snapshot!.id },
      requester: alice,
      siteKey: siteKeyOf(h.env('dev').id, 'contoso-events'),
    });
    const restored = await h.finished(restore.id, 60_000);
    expect(restored.state, JSON.stringify(restored.lastError)).toBe('succeeded');
    const after = new Map(
      (await exportSite(dataverse, events.websiteRecordId)).map((r) => [`${r.table}:${r.id}`, r]),
    );
    expect(after.size).toBe(before.length);
    for (const record of before)
      expect(checksum(after.get(`${record.table}:${record.id}`)!), record.id).toBe(checksum(record));
    expect(await siteModelOf(dataverse, events.websiteRecordId)).toBe('Enhanced');
  }, 60_000);
});
