/**
 * The plans of the destructive requests that take approvals (migrate, restore, reset, restart
 * site), read from the platform as it is now. The commands show them; the approval flow reads
 * them again when an approver decides, so an approval is never given to a plan other than the
 * one it names.
 */
import { PortalOpsError } from '../domain/errors.ts';
import { canReset, siteStateOf } from '../domain/site-state.ts';
import { findSite } from '../jobs/kinds/lifecycle-deps.ts';
import { CONFIG_TABLES } from '../migration/config-tables.ts';
import { planImport } from '../migration/import-plan.ts';
import { readPacSite } from '../migration/pac-layout.ts';
import { exportSite } from '../migration/site-export.ts';
import { recordsFromPac } from '../migration/site-records.ts';
import type { Approval } from '../policy/approvals.ts';
import { importPlanBasis, resetPlanBasis } from '../policy/plan-bases.ts';
import { type PlanSummary, summarizePlan } from '../policy/plan-basis.ts';
import { type SnapshotRecord, snapshotFolder } from '../snapshots/site-snapshot.ts';
import type { CommandContext } from './command.ts';
import { moveDataModelPlan } from './move-data-model.ts';
import { restartProvisioningPlan } from './restart-provisioning.ts';
import { restartSitePlan } from './restart-site.ts';

const ORDER = CONFIG_TABLES.map((t) => t.logicalName);

function dataverseOf(ctx: CommandContext) {
  if (!ctx.deps.dataverse)
    throw new PortalOpsError('config_invalid', 'Dataverse is not set up here, so the plan cannot be read.');
  return ctx.deps.dataverse;
}

/** A migration's plan: the source site, both sides' records, and what the import would write. */
export async function migrationPlan(
  ctx: CommandContext,
  p: { source: string; target: string; site: string },
) {
  const dataverse = dataverseOf(ctx);
  const source = await ctx.deps.environments.resolve(p.source);
  const target = await ctx.deps.environments.resolve(p.target);
  const site = await findSite(ctx.deps.powerPages, source.environmentId, p.site);
  const sourceDv = dataverse(source.dataverseUrl, source.tenantId);
  const targetDv = dataverse(target.dataverseUrl, target.tenantId);
  const records = await exportSite(sourceDv, site.websiteRecordId);
  const targetRecords = await exportSite(targetDv, site.websiteRecordId);
  const plan = planImport(records, targetRecords, ORDER);
  const basis = importPlanBasis(
    plan,
    { source: records, target: targetRecords },
    { websiteRecordId: site.websiteRecordId.toLowerCase() },
  );
  return { source, target, site, records, targetDv, plan, basis };
}

/** A restore's plan: the snapshot's records against the site's as they are now. */
export async function restorePlan(ctx: CommandContext, snapshot: SnapshotRecord) {
  const dataverse = dataverseOf(ctx);
  const env = await ctx.deps.environments.resolve(snapshot.environment);
  if (!ctx.deps.snapshotsDir)
    throw new PortalOpsError('config_invalid', 'Snapshots are not set up here, so the plan cannot be read.');
  const wanted = recordsFromPac(readPacSite(snapshotFolder(ctx.deps.snapshotsDir, snapshot.id)));
  const current = await exportSite(dataverse(env.dataverseUrl, env.tenantId), snapshot.websiteRecordId);
  const plan = planImport(wanted, current, ORDER);
  const basis = importPlanBasis(
    plan,
    { snapshot: wanted, site: current },
    { snapshot: snapshot.id, websiteRecordId: snapshot.websiteRecordId.toLowerCase() },
  );
  return { plan, basis };
}

/** A reset's plan: the hosted site, the configuration its snapshot keeps, and the operations. */
export async function resetPlanOf(
  ctx: CommandContext,
  environment: string,
  siteName: string,
  reprovision: boolean,
) {
  const env = ctx.deps.registry.get(environment);
  const site = await findSite(ctx.deps.powerPages, env.environmentId, siteName);
  const state = siteStateOf(site);
  // Refused before anyone types a confirmation; the job checks again when it runs.
  if (!canReset(state)) {
    throw new PortalOpsError(
      'site_state_conflict',
      `${site.subdomain} is ${state.label} (${state.details}); a site can be reset once it is configured or its provisioning failed.`,
      { details: { state: state.kind, site: state.details } },
    );
  }
  const resolved = await ctx.deps.environments.resolve(env.alias);
  const configuration = await exportSite(
    dataverseOf(ctx)(resolved.dataverseUrl, resolved.tenantId),
    site.websiteRecordId,
  );
  return { env, site, configuration, basis: resetPlanBasis(site, state.kind, configuration, reprovision) };
}

/**
 * The plan of a request as it would be now, summarized the way the request's own was. A site
 * or snapshot that is gone, or one the plan no longer applies to, is a plan that changed; a
 * passing platform failure is thrown, so the approver can try again.
 */
export async function currentPlanSummary(ctx: CommandContext, approval: Approval): Promise<PlanSummary> {
  const p = approval.params;
  const summary = async () => {
    if (approval.kind === 'migrate') {
      const { basis } = await migrationPlan(ctx, p as { source: string; target: string; site: string });
      return summarizePlan(approval.kind, p, basis);
    }
    if (approval.kind === 'restore') {
      const snapshot = ctx.deps.store?.collection('snapshots').get(String(p.snapshot));
      if (!snapshot) throw new PortalOpsError('not_found', `Snapshot ${String(p.snapshot)} is gone.`);
      return summarizePlan(approval.kind, p, (await restorePlan(ctx, snapshot)).basis);
    }
    if (approval.kind === 'reset') {
      const r = p as { environment: string; site: string; reprovision: boolean };
      return summarizePlan(
        approval.kind,
        p,
        (await resetPlanOf(ctx, r.environment, r.site, r.reprovision)).basis,
      );
    }
    if (approval.kind === 'restart-site') {
      const r = p as { environment: string; site: string };
      return summarizePlan(approval.kind, p, (await restartSitePlan(ctx, r.environment, r.site)).basis);
    }
    if (approval.kind === 'restart-provisioning') {
      const r = p as { environment: string; site: string };
      return summarizePlan(
        approval.kind,
        p,
        (await restartProvisioningPlan(ctx, r.environment, r.site)).basis,
      );
    }
    if (approval.kind === 'move-data-model') {
      const r = p as { environment: string; site: string };
      return summarizePlan(approval.kind, p, (await moveDataModelPlan(ctx, r.environment, r.site)).basis);
    }
    throw new PortalOpsError('invalid_input', `Requests of kind "${approval.kind}" cannot be approved.`);
  };
  try {
    return await summary();
  } catch (error) {
    if (!(error instanceof PortalOpsError) || error.retryable) throw error;
    return {
      hash: 'unreadable',
      facts: { [approval.kind === 'restore' ? 'snapshot' : 'websiteId']: `unreadable (${error.message})` },
      operations: {},
      inputs: {},
    };
  }
}
