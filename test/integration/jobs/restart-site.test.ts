import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { siteKeyOf } from '../../../src/domain/job.ts';
import { type LifecycleHarness, startLifecycleHarness } from '../../support/lifecycle-harness.ts';

const alice = { id: 'alice@contoso.com', displayName: 'Alice Admin' };
const CONTOSO_DEV = '5e7e0001-0000-4000-8000-000000000001';

describe('restart-site job against the simulator', () => {
  let h: LifecycleHarness;

  beforeEach(async () => {
    h = await startLifecycleHarness();
  });
  afterEach(() => h.close());

  const restart = (site: string) =>
    h.engine.submit({
      kind: 'restart-site',
      params: { environment: 'dev', site },
      requester: alice,
      siteKey: siteKeyOf(h.env('dev').id, site),
    });
  const restartCalls = () =>
    h.sim.requestLog.filter(
      (r) => r.method === 'POST' && r.path.endsWith(`/websites/${CONTOSO_DEV}/restart`),
    );

  it('restarts a configured site and reports progress step by step', async () => {
    const job = await restart('contoso-dev');
    expect(job.title).toBe('Restart contoso-dev in dev');
    const done = await h.finished(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.steps.map((s) => [s.id, s.status])).toEqual([
      ['locate', 'succeeded'],
      ['restart', 'succeeded'],
      ['verify', 'succeeded'],
    ]);
    expect(done.result).toMatchObject({ websiteUrl: expect.stringContaining('/sites/contoso-dev') });
    expect(restartCalls()).toHaveLength(1);
    // The simulated site went down for the restart; the check waited for it to answer again.
    expect(h.sim.world.sites.get(CONTOSO_DEV)?.restartingUntil).toBeGreaterThan(0);
  });

  it('sends the restart again after the platform refused it for a moment', async () => {
    h.sim.faults.add({ service: 'powerpages', method: 'POST', path: '/restart', effect: { status: 503 } });
    const done = await h.finished((await restart('contoso-dev')).id);
    expect(done.state).toBe('succeeded');
    expect(restartCalls()).toHaveLength(2);
  });

  it('fails, retryable, when the site does not answer after the restart', async () => {
    h.sim.faults.add({
      service: 'sites',
      path: '/sites/contoso-dev',
      times: Number.POSITIVE_INFINITY,
      effect: { status: 503 },
    });
    const done = await h.finished((await restart('contoso-dev')).id);
    expect(done.state).toBe('failed');
    expect(done.lastError).toMatchObject({ code: 'site_not_answering', stepId: 'verify' });
    h.sim.faults.clear();
    const retried = await h.engine.retry(done.id, alice.id);
    const again = await h.finished(retried.id);
    expect(again.state).toBe('succeeded');
    // The retry goes on from the check: the site is not restarted a second time.
    expect(restartCalls()).toHaveLength(1);
  });

  it('refuses a site that is not running and sends nothing', async () => {
    const done = await h.finished((await restart('contoso-broken')).id);
    expect(done.lastError).toMatchObject({ code: 'site_state_conflict', stepId: 'locate' });
    expect(done.lastError?.message).toContain('restart provisioning contoso-broken');
    expect(h.sim.requestLog.some((r) => r.path.endsWith('/restart'))).toBe(false);
  });
});
