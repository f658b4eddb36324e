/**
 * The plan bases of the destructive kinds that take approvals, built the same way where a
 * request is made, where an approver decides and where the job starts, so the three hashes
 * agree exactly when the plan is the same.
 */
import type { Website } from '../domain/website.ts';
import type { ImportPlan } from '../migration/import-plan.ts';
import { checksum, type SiteRecord } from '../migration/site-records.ts';
import type { PlanBasis, PlanInput, PlanOperation } from './plan-basis.ts';

const inputsOf = (records: SiteRecord[]): PlanInput[] =>
  records.map((r) => ({ table: r.table, id: r.id, checksum: checksum(r) }));

/**
 * An import (a migration, or a restore to a snapshot): every create, update and delete with its
 * table, record id and content checksum, and the two record sets it compares.
 */
export function importPlanBasis(
  plan: ImportPlan,
  inputs: Record<string, SiteRecord[]>,
  facts: PlanBasis['facts'],
): PlanBasis {
  const operations: PlanOperation[] = [];
  for (const t of plan.tables) {
    for (const r of t.creates)
      operations.push({ op: 'create', table: t.table, id: r.id, checksum: checksum(r) });
    for (const r of t.updates) {
      const before = t.previous[r.id];
      operations.push({
        op: 'update',
        table: t.table,
        id: r.id,
        checksum: checksum(r),
        ...(before ? { replaces: checksum(before) } : {}),
      });
    }
    for (const r of t.deletes)
      operations.push({ op: 'delete', table: t.table, id: r.id, checksum: checksum(r) });
  }
  return {
    facts,
    operations,
    inputs: Object.fromEntries(Object.entries(inputs).map(([name, records]) => [name, inputsOf(records)])),
  };
}

/**
 * A reset: the hosted site (id, website record, state, template, language), the configuration
 * its snapshot is taken of, and the operations (snapshot, delete, and provision again).
 */
export function resetPlanBasis(
  site: Website,
  stateKind: string,
  configuration: SiteRecord[],
  reprovision: boolean,
): PlanBasis {
  return {
    facts: {
      websiteId: site.id.toLowerCase(),
      websiteRecordId: site.websiteRecordId.toLowerCase(),
      subdomain: site.subdomain,
      state: stateKind,
      templateName: site.templateName,
      language: site.selectedBaseLanguage,
    },
    operations: [
      { op: 'snapshot', table: '', id: site.websiteRecordId.toLowerCase() },
      { op: 'delete-site', table: '', id: site.id.toLowerCase() },
      ...(reprovision
        ? [
            {
              op: 'provision',
              table: '',
              id: site.websiteRecordId.toLowerCase(),
              checksum: `${site.templateName}/${site.selectedBaseLanguage}/${site.subdomain}`,
            },
          ]
        : []),
    ],
    inputs: { configuration: inputsOf(configuration) },
  };
}
