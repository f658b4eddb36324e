import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API,
  type PowerPagesOverHttp,
  startPowerPagesOverHttp,
} from '../../support/power-pages-over-http.ts';
import { testClock } from '../../support/test-clock.ts';

describe('simulator: restarting a site', () => {
  let api: PowerPagesOverHttp;
  const clock = testClock();
  beforeAll(async () => {
    // A restart keeps the site down for 5 s at time scale 1: 50 ms here, on a clock the test holds.
    api = await startPowerPagesOverHttp({ timeScale: 0.01, now: clock.now });
  });
  afterAll(() => api.sim.close());

  const site = () => [...api.sim.world.sites.values()].find((s) => s.subdomain === 'contoso-dev')!;
  const restart = (id: string) =>
    fetch(`${api.sim.baseUrl}/powerpages/environments/${api.dev.id}/websites/${id}/restart?${API}`, {
      method: 'POST',
      headers: api.headers,
    });
  const page = () => fetch(`${api.sim.baseUrl}/sites/contoso-dev`).then((r) => r.status);

  it('answers 204, then the site does not answer for a moment and comes back', async () => {
    clock.hold();
    expect(await page()).toBe(200);
    expect((await restart(site().id)).status).toBe(204);
    expect(await page()).toBe(503);
    clock.advance(60);
    expect(await page()).toBe(200);
    clock.release();
  });

  it('refuses to restart a site whose provisioning failed', async () => {
    const broken = [...api.sim.world.sites.values()].find((s) => s.subdomain === 'contoso-broken')!;
    const answer = await restart(broken.id);
    expect(answer.status).toBe(409);
    expect(await answer.json()).toMatchObject({ error: { code: 'InvalidWebsiteState' } });
  });
});
