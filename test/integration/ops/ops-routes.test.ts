/**
 * The operations endpoints and what they count, in process: platform calls and 429s through the
 * real HTTP client against the simulator, repeated inbound events, chat turns, and `/readyz`
 * answering 503 with the reason when a dependency fails, hangs, or the replica drains.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { PortalOpsError } from '../../../src/domain/errors.ts';
import { countingDuplicateEvents, timeChatTurns } from '../../../src/ops/chat-metrics.ts';
import { createMetrics, type OpsMetrics } from '../../../src/ops/metrics.ts';
import { opsRoutes } from '../../../src/ops/ops-routes.ts';
import { platformSignInUsable, Readiness, storeReachable } from '../../../src/ops/readiness.ts';
import { listenOn } from '../../../src/platform/http/listen-on.ts';
import { PowerPagesClient } from '../../../src/platform/power-pages/power-pages-client.ts';
import { startSimulator } from '../../../src/simulator/simulator.ts';
import { LowdbStore } from '../../../src/storage/lowdb-store.ts';
import { alice, startChatHarness } from '../../support/chat-harness.ts';
import { simulatorTokens } from '../../support/simulator-token-provider.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

describe('operations endpoints', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const serve = async (readiness: Readiness, metrics: OpsMetrics) => {
    const app = express();
    app.use(opsRoutes({ readiness, metrics }));
    const server: Server = await listenOn(app, { what: 'test', port: 0, host: '127.0.0.1', variable: 'X' });
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const newMetrics = () => {
    const metrics = createMetrics({ processMetrics: false });
    cleanups.push(() => metrics.close());
    return metrics;
  };

  it('counts every attempt of a platform call and the throttled ones', async () => {
    const sim = await startSimulator({ timeScale: 0.002 });
    cleanups.push(() => sim.close());
    const metrics = newMetrics();
    const dev = sim.world.findEnvironment('dev')!.id;
    sim.faults.add({ service: 'powerpages', method: 'GET', effect: { status: 429, retryAfterSeconds: 0 } });
    const client = new PowerPagesClient({
      baseUrl: sim.urls.powerPlatformApi,
      tokenProvider: simulatorTokens(sim),
      timeoutMs: 2_000,
      maxRetries: 3,
      maxBackoffMs: 50,
    });
    await client.listWebsites(dev);
    const base = await serve(new Readiness([]), metrics);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain(
      'portalops_platform_requests_total{service="power-platform",method="GET",status="429"} 1',
    );
    expect(text).toMatch(
      /portalops_platform_requests_total\{service="power-platform",method="GET",status="200"\} [1-9]/,
    );
    expect(text).toContain('portalops_platform_throttled_total{service="power-platform"} 1');
    expect(text).toMatch(
      /portalops_platform_request_duration_seconds_count\{service="power-platform"\} [2-9]/,
    );
  });

  it('counts repeated inbound events by source and times chat turns', async () => {
    const metrics = newMetrics();
    const temp = makeTempDir('portalops-ops-');
    cleanups.push(() => temp.remove());
    const store = countingDuplicateEvents(await LowdbStore.open(temp.dir), metrics);
    cleanups.push(() => store.close());
    const first = await store.claimEvent('teams:msg:1');
    await first?.done();
    expect(await store.claimEvent('teams:msg:1')).toBeUndefined();
    expect(await store.markEventProcessed('alert:dev/site/provisioning_failed/1')).toBe(true);
    expect(await store.markEventProcessed('alert:dev/site/provisioning_failed/1')).toBe(false);

    const h = await startChatHarness();
    cleanups.push(() => h.close());
    timeChatTurns(h.core, metrics);
    await h.say(alice, 'help');
    await h.say(alice, 'sites in dev');

    const text = await (await fetch(`${await serve(new Readiness([]), metrics)}/metrics`)).text();
    expect(text).toContain('portalops_inbound_events_deduplicated_total{source="teams"} 1');
    expect(text).toContain('portalops_inbound_events_deduplicated_total{source="alert"} 1');
    expect(text).toMatch(/portalops_chat_turn_duration_seconds_count\{surface="\w+",kind="message"\} 2/);
  });

  it('answers /readyz 503 naming what is not ready, and stops being ready while draining', async () => {
    const signedOut = {
      getToken: async () => {
        throw new PortalOpsError('sign_in_required', 'PortalOps is not signed in. Run `portalops login`.');
      },
    };
    let signedIn = false;
    const tokens = {
      getToken: async () =>
        signedIn ? { token: 't', expiresOn: Date.now() + 60_000 } : signedOut.getToken(),
    };
    const hung = { name: 'database', run: () => new Promise<undefined>(() => {}) };
    const metrics = newMetrics();
    const stuck = await serve(new Readiness([storeReachable(), hung], 200), metrics);
    const hungAnswer = await fetch(`${stuck}/readyz`);
    expect(hungAnswer.status).toBe(503);
    expect(await hungAnswer.json()).toMatchObject({
      ready: false,
      checks: { store: { ok: true }, database: { ok: false, detail: 'no answer within 200 ms' } },
    });

    const readiness = new Readiness([
      storeReachable(),
      platformSignInUsable(tokens, 'https://api.powerplatform.com/.default'),
    ]);
    const base = await serve(readiness, metrics);
    const before = await fetch(`${base}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({
      checks: { signIn: { ok: false, detail: 'PortalOps is not signed in. Run `portalops login`.' } },
    });
    signedIn = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    readiness.startDraining();
    const draining = await fetch(`${base}/readyz`);
    expect(draining.status).toBe(503);
    expect(await draining.json()).toMatchObject({ ready: false, draining: true });
    // Alive all the same: the orchestrator must not kill a draining replica for failing liveness.
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ ok: true, draining: true });
  });
});
