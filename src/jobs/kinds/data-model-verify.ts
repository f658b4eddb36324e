/**
 * The check after a site moved to the enhanced data model: the site downloads the same as
 * before. The snapshot (a pac download of the standard site, taken just before) is compared
 * record for record, by content checksum, with the site read back from the enhanced tables
 * (`exportSite` reads whichever model the site is on), so a record the migration left behind or
 * changed fails the job naming it (the migration article's known issue: one run copies at most
 * 5,000 records).
 */
import { PortalOpsError } from '../../domain/errors.ts';
import { siteModelOf } from '../../migration/enhanced-export.ts';
import { readPacSite } from '../../migration/pac-layout.ts';
import { exportSite } from '../../migration/site-export.ts';
import { checksum, recordsFromPac } from '../../migration/site-records.ts';
import type { Dataverse } from '../../platform/ports.ts';
import { snapshotFolder } from '../../snapshots/site-snapshot.ts';
import type { StepContext } from '../job-kind.ts';
import type { LifecycleDeps } from './lifecycle-deps.ts';

/** Records named in the failure, at most. */
const NAMED = 10;

const named = (list: string[]) => `${list.slice(0, NAMED).join(', ')}${list.length > NAMED ? ', …' : ''}`;

/** Checks the site's enhanced records equal the snapshot's; returns how many were compared. */
export async function verifyEnhancedRecords(
  ctx: StepContext<LifecycleDeps>,
  dataverse: Dataverse,
  snapshotId: string,
): Promise<{ checked: number }> {
  const snapshot = ctx.deps.store.collection('snapshots').get(snapshotId);
  if (!snapshot)
    throw new PortalOpsError('not_found', `The snapshot ${snapshotId} taken before the move is gone.`);
  const before = recordsFromPac(readPacSite(snapshotFolder(ctx.deps.snapshotsDir, snapshot.id)));
  const model = await siteModelOf(dataverse, snapshot.websiteRecordId);
  if (model !== 'Enhanced') {
    throw new PortalOpsError(
      'data_model_verify_failed',
      `The site's configuration is not in the enhanced data model tables (no powerpagesite ${snapshot.websiteRecordId}).`,
      { retryable: true, details: { model: model ?? null } },
    );
  }
  const after = new Map(
    (await exportSite(dataverse, snapshot.websiteRecordId)).map((r) => [`${r.table}:${r.id}`, r]),
  );
  const missing: string[] = [];
  const changed: string[] = [];
  for (const record of before) {
    const copy = after.get(`${record.table}:${record.id}`);
    if (!copy) missing.push(`${record.table} ${record.id}`);
    else if (checksum(copy) !== checksum(record)) changed.push(`${record.table} ${record.id}`);
  }
  await ctx.progress(
    100,
    `${before.length - missing.length - changed.length} of ${before.length} records the same`,
  );
  if (missing.length > 0 || changed.length > 0) {
    const parts = [
      ...(missing.length > 0 ? [`${missing.length} missing (${named(missing)})`] : []),
      ...(changed.length > 0 ? [`${changed.length} different (${named(changed)})`] : []),
    ];
    throw new PortalOpsError(
      'data_model_verify_failed',
      `Of the ${before.length} configuration records the site had before the move, ${parts.join(' and ')} on the enhanced data model.`,
      {
        retryable: true,
        details: {
          checked: before.length,
          missing: missing.length,
          changed: changed.length,
          examples: [...missing, ...changed].slice(0, NAMED),
        },
      },
    );
  }
  return { checked: before.length };
}
