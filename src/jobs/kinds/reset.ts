/**
 * `reset`: snapshot the site's configuration, delete the hosted site (its configuration and
 * solutions stay in Dataverse), wait for the deletion, and optionally provision it again on the
 * same website record. Works for configured sites and for sites whose provisioning failed.
 */
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPortalOpsError, PortalOpsError } from '../../domain/errors.ts';
import { canReset, siteStateOf } from '../../domain/site-state.ts';
import { exportSite } from '../../migration/site-export.ts';
import { resetPlanBasis } from '../../policy/plan-bases.ts';
import type { JobKindDefinition, StepDefinition } from '../job-kind.ts';
import { checkApprovedPlan } from './approved-plan.ts';
import { snapshotJobSite } from './job-site-snapshot.ts';
import { findSite, type LifecycleDeps } from './lifecycle-deps.ts';
import { deadlinePassed, followOperation, forgetFailedOperation, phaseDeadline } from './phase-deadline.ts';
import { PROVISIONING_STEPS, type ProvisioningContext } from './provisioning-steps.ts';

/** Parameters of a `reset` job. */
export interface ResetParams {
  environment: string;
  /** Id, subdomain or name of the site. */
  site: string;
  /** Provision the site again on the same website record once it is deleted. */
  reprovision?: boolean;
}

/** What a reset keeps in the job context (on top of provisioning's, for re-provisioning). */
interface ResetContext extends ProvisioningContext {
  environment?: string;
  siteWebsiteId?: string;
  websiteRecordId?: string;
  subdomain?: string;
  snapshotId?: string;
  deleteSubmittedAt?: string;
  deleteOperationUrl?: string;
  /** The platform accepted the delete without an operation to follow: wait for the site to go. */
  deleteAccepted?: boolean;
  deleted?: boolean;
}

const locate: StepDefinition<LifecycleDeps> = {
  id: 'locate',
  title: 'Find the site',
  async run(ctx) {
    if ((ctx.job.context as ResetContext).siteWebsiteId) return { skipped: true };
    const p = ctx.job.params as unknown as ResetParams;
    const env = await ctx.deps.environments.resolve(p.environment);
    const site = await findSite(ctx.deps.powerPages, env.environmentId, p.site);
    const state = siteStateOf(site);
    if (!canReset(state)) {
      throw new PortalOpsError(
        'site_state_conflict',
        `${site.subdomain} is ${state.label} (${state.details}); a site can be reset once it is configured or its provisioning failed.`,
        { details: { state: state.kind, site: state.details } },
      );
    }
    // The site, its configuration and what happens to them must be what was approved.
    await checkApprovedPlan(ctx, async () =>
      resetPlanBasis(
        site,
        state.kind,
        await exportSite(ctx.deps.dataverse(env.dataverseUrl, env.tenantId), site.websiteRecordId),
        Boolean(p.reprovision),
      ),
    );
    await ctx.saveContext({
      environmentId: env.environmentId,
      environment: env.alias,
      siteWebsiteId: site.id,
      websiteRecordId: site.websiteRecordId,
      subdomain: site.subdomain,
      createRequest: {
        dataverseOrganizationId: env.organizationId,
        name: site.name,
        selectedBaseLanguage: site.selectedBaseLanguage,
        subdomain: site.subdomain,
        templateName: site.templateName,
        websiteRecordId: site.websiteRecordId,
      },
    });
    return { output: { websiteId: site.id, state: state.label, site: state.details } };
  },
};

const snapshot: StepDefinition<LifecycleDeps> = {
  id: 'snapshot',
  title: 'Snapshot the site configuration',
  async run(ctx) {
    const context = ctx.job.context as ResetContext;
    if (context.snapshotId) return { skipped: true };
    const record = await snapshotJobSite(ctx, context);
    const rows = Object.values(record.tables).reduce((a, b) => a + b, 0);
    if (rows === 0) {
      // Nothing to restore from: deleting now could lose the site for good (the snapshot reads
      // both data models, so this is a site whose website record has no configuration).
      // The empty snapshot is not kept, so it is never offered for a restore.
      await ctx.deps.store.collection('snapshots').delete(record.id);
      await rm(record.path, { recursive: true, force: true });
      throw new PortalOpsError(
        'snapshot_empty',
        `The configuration snapshot of ${context.subdomain} found no configuration rows, so the reset stopped before anything was deleted (its website record ${context.websiteRecordId} has no adx_website or powerpagesite row). Back the site up with pac pages download and reset it from the Power Pages admin center.`,
        { details: { snapshotId: record.id, websiteRecordId: context.websiteRecordId } },
      );
    }
    await ctx.saveContext({ snapshotId: record.id });
    await ctx.setResult({ snapshotId: record.id });
    return { output: { snapshotId: record.id, rows } };
  },
};

/** Deletes the hosted site and waits until it is gone; a failed deletion is submitted again on retry. */
const deleteSite: StepDefinition<LifecycleDeps> = {
  id: 'delete',
  title: 'Delete the hosted site',
  async run(ctx) {
    let context = ctx.job.context as ResetContext;
    if (context.deleted) return { skipped: true };
    const environmentId = context.environmentId!;
    const websiteId = context.siteWebsiteId!;
    // Gone means gone from the list, the way a delete without an Operation-Location is followed.
    const stillThere = async () =>
      (await ctx.deps.powerPages.listWebsites(environmentId)).find(
        (s) => s.id.toLowerCase() === websiteId.toLowerCase(),
      );
    if (!context.deleteOperationUrl && !context.deleteAccepted) {
      const site = await stillThere();
      if (!site) {
        await ctx.saveContext({ deleted: true });
        return { output: { alreadyGone: true } };
      }
      // A delete sent before a crash puts the site's operation in progress (reset only starts
      // from a configured or failed site, so a running operation is the deletion): adopt it.
      const deletionRunning = siteStateOf(site).kind === 'provisioning';
      if (context.deleteSubmittedAt && deletionRunning) {
        await ctx.saveContext({ deleteAccepted: true });
      } else {
        await ctx.saveContext({ deleteSubmittedAt: new Date().toISOString() });
        try {
          const accepted = await ctx.deps.powerPages.deleteWebsite(environmentId, websiteId);
          await ctx.saveContext(
            accepted ? { deleteOperationUrl: accepted.operationUrl } : { deleteAccepted: true },
          );
        } catch (error) {
          if (isPortalOpsError(error) && error.code === 'missing_site_app_permission') throw error;
          if (
            isPortalOpsError(error) &&
            (error.code === 'platform_error' || error.code === 'service_unavailable')
          ) {
            throw new PortalOpsError(
              'reset_not_submitted',
              'The platform did not accept the reset request.',
              {
                retryable: true,
                cause: error,
              },
            );
          }
          throw error;
        }
      }
      context = ctx.job.context as ResetContext;
    }
    const deadline = await phaseDeadline(ctx, 'deletion');
    if (context.deleteOperationUrl) {
      const operation = await followOperation(
        ctx,
        'deletion',
        deadline,
        context.deleteOperationUrl,
        'Deleting',
      );
      if (operation.state === 'failed') {
        await forgetFailedOperation(ctx, 'deletion', ['deleteOperationUrl', 'deleteSubmittedAt']);
        throw new PortalOpsError(
          'reset_failed',
          `The reset job failed${operation.error ? `: ${operation.error.message}` : '.'}`,
          { retryable: true, ...(operation.error ? { platformCode: operation.error.code } : {}) },
        );
      }
    }
    for (let site = await stillThere(); site; site = await stillThere()) {
      if (Date.now() >= deadline)
        throw await deadlinePassed(
          ctx,
          'deletion',
          `the site is still listed (${siteStateOf(site).details})`,
        );
      await ctx.heartbeat('Waiting for the site to disappear');
      await sleep(ctx.deps.pollIntervalMs, undefined, { signal: ctx.signal });
    }
    await ctx.saveContext({ deleted: true, deletionDeadlineAt: undefined });
    return undefined;
  },
};

/** `reset`: snapshot, delete the hosted site, optionally provision it again on the same record. */
export const resetKind: JobKindDefinition<LifecycleDeps> = {
  kind: 'reset',
  title: (job) => {
    const p = job.params as unknown as ResetParams;
    return `${p.reprovision ? 'Reset and re-provision' : 'Reset'} ${p.site} in ${p.environment}`;
  },
  steps: (job) => {
    const p = job.params as unknown as ResetParams;
    return [locate, snapshot, deleteSite, ...(p.reprovision ? PROVISIONING_STEPS : [])];
  },
};
