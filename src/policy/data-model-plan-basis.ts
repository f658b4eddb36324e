/**
 * The plan basis of moving a site to the enhanced data model, built the same way where the
 * request is made, where an approver decides and where the job starts: the site, the records
 * the migration copies (with their checksums), and the platform steps it takes.
 */
import type { Website } from '../domain/website.ts';
import { checksum, type SiteRecord } from '../migration/site-records.ts';
import type { PlanBasis } from './plan-basis.ts';

/** What a move of `site` with these standard records rests on. */
export function dataModelPlanBasis(site: Website, stateKind: string, configuration: SiteRecord[]): PlanBasis {
  const record = site.websiteRecordId.toLowerCase();
  return {
    facts: {
      websiteId: site.id.toLowerCase(),
      websiteRecordId: record,
      subdomain: site.subdomain,
      state: stateKind,
      templateName: site.templateName,
      dataModel: site.dataModel ?? 'Standard',
    },
    operations: [
      { op: 'snapshot', table: '', id: record },
      { op: 'migrate-data-model', table: '', id: record, checksum: 'all' },
      { op: 'set-data-model-version', table: '', id: site.id.toLowerCase(), checksum: 'Enhanced' },
    ],
    inputs: {
      configuration: configuration.map((r) => ({ table: r.table, id: r.id, checksum: checksum(r) })),
    },
  };
}
