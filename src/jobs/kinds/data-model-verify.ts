/**
 * The check after a site moved to the enhanced data model: every configuration record the
 * snapshot holds (taken from the standard tables just before) must be in the enhanced tables
 * under its own id — the website as its `powerpagesite`, each language as a
 * `powerpagesitelanguage`, each record of a table with a component type as a
 * `powerpagecomponent` of that type. A missing record fails the job with what is missing (the
 * migration article's known issue: one run copies at most 5,000 records).
 */
import { PortalOpsError } from '../../domain/errors.ts';
import { COMPONENT_TYPES, ENHANCED_SETS } from '../../migration/enhanced-model.ts';
import { readPacSite } from '../../migration/pac-layout.ts';
import { recordsFromPac } from '../../migration/site-records.ts';
import type { Dataverse } from '../../platform/ports.ts';
import { snapshotFolder } from '../../snapshots/site-snapshot.ts';
import type { StepContext } from '../job-kind.ts';
import type { LifecycleDeps } from './lifecycle-deps.ts';

/** Missing records named in the failure, at most. */
const NAMED = 10;

/** Checks the enhanced tables hold every record of the snapshot; returns how many were checked. */
export async function verifyEnhancedRecords(
  ctx: StepContext<LifecycleDeps>,
  dataverse: Dataverse,
  snapshotId: string,
): Promise<{ checked: number }> {
  const snapshot = ctx.deps.store.collection('snapshots').get(snapshotId);
  if (!snapshot)
    throw new PortalOpsError('not_found', `The snapshot ${snapshotId} taken before the move is gone.`);
  const wanted = recordsFromPac(readPacSite(snapshotFolder(ctx.deps.snapshotsDir, snapshot.id)));
  const site = snapshot.websiteRecordId.toLowerCase();
  const ids = async (entitySet: string, idColumn: string, extra: string[] = []) =>
    new Map(
      (
        await dataverse.query(entitySet, {
          select: [idColumn, ...extra],
          filter:
            entitySet === ENHANCED_SETS.site ? `${idColumn} eq ${site}` : `_powerpagesiteid_value eq ${site}`,
        })
      ).map((row) => [String(row[idColumn]).toLowerCase(), row]),
    );
  const sites = await ids(ENHANCED_SETS.site, 'powerpagesiteid');
  const languages = await ids(ENHANCED_SETS.language, 'powerpagesitelanguageid');
  const components = await ids(ENHANCED_SETS.component, 'powerpagecomponentid', ['powerpagecomponenttype']);
  const missing: string[] = [];
  let checked = 0;
  for (const record of wanted) {
    const type = COMPONENT_TYPES[record.table];
    let found: boolean;
    if (record.table === 'adx_website') found = sites.has(record.id);
    else if (record.table === 'adx_websitelanguage') found = languages.has(record.id);
    else if (type !== undefined) found = Number(components.get(record.id)?.powerpagecomponenttype) === type;
    else continue;
    checked++;
    if (!found) missing.push(`${record.table} ${record.id}`);
  }
  await ctx.progress(100, `${checked - missing.length} of ${checked} records found`);
  if (missing.length > 0) {
    throw new PortalOpsError(
      'data_model_verify_failed',
      `${missing.length} of ${checked} configuration records are not in the enhanced data model tables (${missing.slice(0, NAMED).join(', ')}${missing.length > NAMED ? ', …' : ''}).`,
      { retryable: true, details: { missing: missing.length, checked, examples: missing.slice(0, NAMED) } },
    );
  }
  return { checked };
}
