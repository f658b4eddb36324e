/**
 * A simulator started for tests that speak the Power Pages admin API over plain HTTP, with
 * alice's bearer token and a create call that fills in every required field of a dev site.
 */

import type { SimEnvironment } from '../../src/simulator/model.ts';
import {
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../src/simulator/simulator.ts';

/** The api-version query of every Power Pages admin API call. */
export const API = 'api-version=2024-10-01';

/** What {@link startPowerPagesOverHttp} gives a test. */
export interface PowerPagesOverHttp {
  sim: RunningSimulator;
  dev: SimEnvironment;
  /** Authorization (alice, Power Platform API audience) and JSON content type. */
  headers: Record<string, string>;
  /** The dev environment's websites collection, with extra query text before the api-version. */
  websitesUrl(query?: string): string;
  /** POSTs a create for a dev site with this subdomain; `extra` overrides body fields. */
  createWebsite(subdomain: string, extra?: Record<string, unknown>): Promise<Response>;
}

/** Starts a fast simulator (time scale 0.002 unless given) for HTTP-level tests. */
export async function startPowerPagesOverHttp(options: SimulatorOptions = {}): Promise<PowerPagesOverHttp> {
  const sim = await startSimulator({ timeScale: 0.002, ...options });
  const dev = sim.world.findEnvironment('dev')!;
  const headers = {
    Authorization: `Bearer ${sim.issueUserToken('alice@contoso.com', 'https://api.powerplatform.com')}`,
    'Content-Type': 'application/json',
  };
  const websitesUrl = (query = '') =>
    `${sim.baseUrl}/powerpages/environments/${dev.id}/websites?${query}${query ? '&' : ''}${API}`;
  const createWebsite = (subdomain: string, extra: Record<string, unknown> = {}) =>
    fetch(websitesUrl(), {
      method: 'POST',
      headers,
      body: JSON.stringify({
        dataverseOrganizationId: dev.organizationId,
        name: subdomain,
        selectedBaseLanguage: 1033,
        subdomain,
        templateName: 'DefaultPortalTemplate',
        ...extra,
      }),
    });
  return { sim, dev, headers, websitesUrl, createWebsite };
}
