/**
 * `restore`: put a site's configuration back to a snapshot (a pac folder in the data dir):
 * snapshot the current state first, then create, change and remove records until the site
 * matches the snapshot, and read it back to check.
 */
import { PortalOpsError } from '../../domain/errors.ts';
import { CONFIG_TABLES } from '../../migration/config-tables.ts';
import { siteModelOf } from '../../migration/enhanced-export.ts';
import { planImport } from '../../migration/import-plan.ts';
import { readPacSite } from '../../migration/pac-layout.ts';
import { exportSite } from '../../migration/site-export.ts';
import { checksum, recordsFromPac } from '../../migration/site-records.ts';
import { writeSitePlan } from '../../migration/site-write.ts';
import { importPlanBasis } from '../../policy/plan-bases.ts';
import { snapshotFolder, takeSnapshot } from '../../snapshots/site-snapshot.ts';
import type { JobKindDefinition, StepContext, StepDefinition } from '../job-kind.ts';
import { checkApprovedPlan } from './approved-plan.ts';
import type { LifecycleDeps } from './lifecycle-deps.ts';

/** Parameters of a `restore` job. */
export interface RestoreParams {
  /** The snapshot's id (as `portalops snapshots` lists it). */
  snapshot: string;
}

const ORDER = CONFIG_TABLES.map((t) => t.logicalName);

async function open(ctx: StepContext<LifecycleDeps>) {
  const id = (ctx.job.params as unknown as RestoreParams).snapshot;
  const snapshot = ctx.deps.store.collection('snapshots').get(id);
  if (!snapshot)
    throw new PortalOpsError(
      'not_found',
      `There is no snapshot ${id}. List them with "portalops snapshots".`,
    );
  const env = await ctx.deps.environments.resolve(snapshot.environment);
  return { snapshot, dataverse: ctx.deps.dataverse(env.dataverseUrl, env.tenantId) };
}

const saveCurrent: StepDefinition<LifecycleDeps> = {
  id: 'snapshot',
  title: 'Snapshot the configuration as it is now',
  async run(ctx) {
    if ((ctx.job.context as { before?: string }).before) return { skipped: true };
    const { snapshot, dataverse } = await open(ctx);
    const before = await takeSnapshot({
      dataverse,
      store: ctx.deps.store,
      snapshotsDir: ctx.deps.snapshotsDir,
      id: `${ctx.job.id}-before-restore`,
      environmentId: snapshot.environmentId,
      environment: snapshot.environment,
      site: snapshot.site,
      websiteRecordId: snapshot.websiteRecordId,
      jobId: ctx.job.id,
    });
    await ctx.saveContext({ before: before.id });
    await ctx.setResult({ snapshotBeforeRestore: before.id });
    return undefined;
  },
};

const restore: StepDefinition<LifecycleDeps> = {
  id: 'restore',
  title: 'Put the records back as they were',
  async run(ctx) {
    const { snapshot, dataverse } = await open(ctx);
    // The folder comes from the snapshot's id inside the snapshots dir, never from a stored path.
    const wanted = recordsFromPac(readPacSite(snapshotFolder(ctx.deps.snapshotsDir, snapshot.id)));
    const current = await exportSite(dataverse, snapshot.websiteRecordId);
    const plan = planImport(wanted, current, ORDER);
    // Before the first write: this must be the plan that was approved, record for record.
    await checkApprovedPlan(ctx, () =>
      importPlanBasis(
        plan,
        { snapshot: wanted, site: current },
        { snapshot: snapshot.id, websiteRecordId: snapshot.websiteRecordId.toLowerCase() },
      ),
    );
    // Written in the data model the environment keeps the site in (the folder is the same for both).
    const model = (await siteModelOf(dataverse, snapshot.websiteRecordId)) ?? 'Standard';
    await writeSitePlan(dataverse, plan, {
      model,
      websiteRecordId: snapshot.websiteRecordId,
      desired: wanted,
      ...(ctx.deps.throttle ? { throttle: ctx.deps.throttle } : {}),
      onBatch: (p) =>
        ctx.progress(
          Math.round((p.batchesDone / Math.max(1, p.batches)) * 100),
          `batch ${p.batchesDone} of ${p.batches}`,
        ),
    });
    const back = new Map(
      (await exportSite(dataverse, snapshot.websiteRecordId)).map((r) => [`${r.table}:${r.id}`, checksum(r)]),
    );
    const differing = wanted.filter((r) => back.get(`${r.table}:${r.id}`) !== checksum(r)).length;
    if (differing > 0 || back.size !== wanted.length)
      throw new PortalOpsError(
        'migration_verify_failed',
        `${differing} record(s) still differ from snapshot ${snapshot.id}.`,
      );
    await ctx.setResult({
      restored: `${wanted.length} records as in ${snapshot.id}`,
      written: String(plan.writes),
    });
    return undefined;
  },
};

/** `restore`: a site's configuration back to a snapshot. */
export const restoreKind: JobKindDefinition<LifecycleDeps> = {
  kind: 'restore',
  title: (job) => `Restore snapshot ${(job.params as unknown as RestoreParams).snapshot}`,
  steps: () => [saveCurrent, restore],
};
