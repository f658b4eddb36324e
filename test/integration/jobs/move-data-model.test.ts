import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { siteKeyOf } from '../../../src/domain/job.ts';
import { guidanceFor } from '../../../src/guidance/catalog.ts';
import { type LifecycleHarness, startLifecycleHarness } from '../../support/lifecycle-harness.ts';

const alice = { id: 'alice@contoso.com', displayName: 'Alice Admin' };

describe('move-data-model job against the simulator', () => {
  let h: LifecycleHarness;

  beforeEach(async () => {
    // dev has the Customer Self Service template's enhanced-model solution (default scenario).
    h = await startLifecycleHarness();
  });
  afterEach(() => h.close());

  const move = (site: string) =>
    h.engine.submit({
      kind: 'move-data-model',
      params: { environment: 'dev', site },
      requester: alice,
      siteKey: siteKeyOf(h.env('dev').id, site),
    });
  const siteOf = (subdomain: string) =>
    [...h.sim.world.sites.values()].find((s) => s.subdomain === subdomain)!;

  it('moves a standard site: snapshot, one migration, the switch, every record found', async () => {
    const done = await h.finished((await move('contoso-construction')).id);
    expect(done.lastError).toBeUndefined();
    expect(done.state).toBe('succeeded');
    const site = siteOf('contoso-construction');
    expect(site.dataModel).toBe('Enhanced');
    expect(h.sim.world.dataModel.accepted[site.id]).toBe(1);
    expect(Number(done.result?.records)).toBeGreaterThan(20);
    expect(String(done.result?.['After the move (by a person)'])).toContain('learn.microsoft.com');
  });

  it('fails with guidance when the platform refuses the template, sending nothing else', async () => {
    h.env('dev').solutions = h
      .env('dev')
      .solutions.filter((s) => s.uniqueName !== 'PowerPages_CustomerPortal_V2');
    const done = await h.finished((await move('contoso-construction')).id);
    expect(done.state).toBe('failed');
    expect(done.lastError).toMatchObject({ code: 'data_model_move_refused', stepId: 'migrate' });
    expect(done.lastError?.message).toContain('PowerPages_CustomerPortal_V2');
    expect(guidanceFor('data_model_move_refused').steps.join(' ')).toContain(
      'enhanced data model switched on',
    );
    expect(siteOf('contoso-construction').dataModel).not.toBe('Enhanced');
  });

  it('a failed migration is retried once per attempt, then explained with guidance', async () => {
    for (let i = 0; i < 3; i++)
      h.sim.faults.failNextDataModelMigration({ message: 'The migration could not copy the web files.' });
    const failed = await h.finished((await move('contoso-construction')).id);
    expect(failed.lastError).toMatchObject({ code: 'data_model_migration_failed', stepId: 'migrate' });
    expect(failed.lastError?.message).toContain('could not copy the web files');
    // The engine's three attempts, each sending the migration once.
    expect(h.sim.world.dataModel.accepted[siteOf('contoso-construction').id]).toBe(3);
    expect(siteOf('contoso-construction').dataModel).toBe('Standard');
    expect(guidanceFor('data_model_migration_failed').actions).toContain('retry');
  });
});
