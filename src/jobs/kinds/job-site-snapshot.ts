/**
 * The snapshot a destructive job takes of its site before it changes anything (reset, move to
 * the enhanced data model): named after the job and the site, progress per table.
 */
import type { SnapshotRecord } from '../../domain/snapshot.ts';
import { takeSnapshot } from '../../snapshots/site-snapshot.ts';
import type { StepContext } from '../job-kind.ts';
import type { LifecycleDeps } from './lifecycle-deps.ts';

/** The site a job snapshots, as its saved context names it. */
export interface SnapshottedSite {
  environment?: string;
  subdomain?: string;
  websiteRecordId?: string;
}

/** Takes the job's snapshot of `site`; the step reports each table read as progress. */
export async function snapshotJobSite(
  ctx: StepContext<LifecycleDeps>,
  site: SnapshottedSite,
): Promise<SnapshotRecord> {
  const env = await ctx.deps.environments.resolve(site.environment!);
  return takeSnapshot({
    dataverse: ctx.deps.dataverse(env.dataverseUrl, env.tenantId),
    store: ctx.deps.store,
    snapshotsDir: ctx.deps.snapshotsDir,
    id: `${ctx.job.id}-${site.subdomain}`,
    environmentId: env.environmentId,
    environment: env.alias,
    site: site.subdomain!,
    websiteRecordId: site.websiteRecordId!,
    jobId: ctx.job.id,
    onTable: (_table, index, total) => ctx.progress(Math.round((index / total) * 100)),
  });
}
