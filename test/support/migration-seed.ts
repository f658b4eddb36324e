import path from 'node:path';
import { CONFIG_TABLES } from '../../src/migration/config-tables.ts';
import { planImport } from '../../src/migration/import-plan.ts';
import { readPacSite } from '../../src/migration/pac-layout.ts';
import { importBatches, runImport } from '../../src/migration/site-import.ts';
import { recordsFromPac, type SiteRecord } from '../../src/migration/site-records.ts';
import { loadSiteSchema } from '../../src/migration/site-schema.ts';
import type { SimSite } from '../../src/simulator/model.ts';
import type { startLifecycleHarness } from './lifecycle-harness.ts';

/** The fixture sites (real `pac pages download` folders). */
export const FIXTURE_SITES = path.resolve('fixtures/sites');

/**
 * Puts a fixture site into a simulated environment: its configuration records in Dataverse
 * and a Power Pages site on its website record. Returns the records and the site's subdomain.
 */
export async function seedFixtureSite(
  h: Awaited<ReturnType<typeof startLifecycleHarness>>,
  alias: string,
  fixture: string,
): Promise<{ records: SiteRecord[]; subdomain: string; websiteId: string }> {
  const entry = h.sim.environmentsRegistry().find((e) => e.alias === alias)!;
  const dataverse = h.deps.dataverse(entry.dataverseUrl);
  const records = recordsFromPac(readPacSite(path.join(FIXTURE_SITES, fixture), { duplicates: 'last' }));
  const order = CONFIG_TABLES.map((t) => t.logicalName);
  await runImport(
    dataverse,
    importBatches(planImport(records, [], order), 200, await loadSiteSchema(dataverse)),
  );
  const websiteId = records.find((r) => r.table === 'adx_website')!.id;
  const template = [...h.sim.world.sites.values()].find((s) => s.environmentId === entry.environmentId)!;
  const subdomain = fixture;
  const site: SimSite = {
    ...structuredClone(template),
    id: `5e7e9999-0000-4000-8000-${String(h.sim.world.sites.size).padStart(12, '0')}`,
    name: fixture,
    subdomain,
    websiteRecordId: websiteId,
    status: 'OperationComplete',
    packageInstallStatus: 'Installed',
    // Its configuration is adx_* records: the standard data model.
    dataModel: 'Standard',
  };
  h.sim.world.sites.set(site.id, site);
  return { records, subdomain, websiteId };
}

/** Gives an environment a custom table (as a solution would). */
export function addTable(
  h: Awaited<ReturnType<typeof startLifecycleHarness>>,
  alias: string,
  logicalName: string,
): void {
  const env = h.sim.world.findEnvironment(alias)!;
  env.tables.push({
    logicalName,
    entitySetName: `${logicalName}s`,
    primaryIdAttribute: `${logicalName}id`,
    primaryNameAttribute: 'name',
    columns: ['name'],
  });
}
