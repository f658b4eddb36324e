/**
 * Serves the simulated sites themselves (`{base}/sites/{subdomain}`), so "does the site answer?"
 * can be checked over HTTP like a real site.
 */
import { Router } from 'express';
import { isServing, siteStateOf } from '../domain/site-state.ts';
import type { SimulatorWorld } from './world.ts';

/** 200 with a page once a site is configured, installed and not suspended; 503 otherwise ("Getting set up") and for a moment after a restart; 404 when there is no site. */
export function createSiteHostRouter(world: SimulatorWorld): Router {
  const router = Router();
  router.get('/sites/:subdomain', (req, res) => {
    world.advance();
    const subdomain = String(req.params.subdomain).toLowerCase();
    const site = [...world.sites.values()].find((s) => s.subdomain === subdomain && !s.deleting);
    if (!site) return res.status(404).type('text/plain').send('This site does not exist.');
    if ((site.restartingUntil ?? 0) > world.now()) {
      return res.status(503).type('text/plain').send('The site is restarting.');
    }
    if (!isServing(siteStateOf(site))) {
      return res
        .status(503)
        .type('text/html')
        .send('<!doctype html><title>Getting set up</title><p>Getting set up…</p>');
    }
    const title = site.name.replace(/[<>&"]/g, '');
    res.type('text/html').send(`<!doctype html><title>${title}</title><h1>${title}</h1>`);
  });
  return router;
}
