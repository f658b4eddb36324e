/**
 * The operations endpoints served on the bot's port: `GET /healthz` (the process is alive and
 * its event loop answers), `GET /readyz` (it should get traffic: see readiness.ts) and
 * `GET /metrics` (Prometheus text format).
 */
import express from 'express';
import type { OpsMetrics } from './metrics.ts';
import type { Readiness } from './readiness.ts';

/** What the routes report on. */
export interface OpsRoutesOptions {
  readiness: Readiness;
  metrics: OpsMetrics;
  /** Shown by `/healthz` (e.g. `teams` or `local`). */
  mode?: string;
}

/** An express router with the three endpoints; mount it before the bot's catch-all. */
export function opsRoutes(options: OpsRoutesOptions): express.Router {
  const router = express.Router();
  const startedAt = Date.now();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({
      ok: true,
      ...(options.mode ? { mode: options.mode } : {}),
      draining: options.readiness.draining,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    });
  });
  router.get('/readyz', async (_req, res) => {
    const report = await options.readiness.report();
    res.set('Cache-Control', 'no-store');
    res.status(report.ready ? 200 : 503).json(report);
  });
  router.get('/metrics', async (_req, res) => {
    try {
      const body = await options.metrics.registry.metrics();
      res.set('Content-Type', options.metrics.registry.contentType);
      res.send(body);
    } catch (error) {
      res
        .status(500)
        .type('text/plain')
        .send(`metrics could not be collected: ${(error as Error).message}`);
    }
  });
  return router;
}
