/**
 * `reset`: snapshot the site's configuration, delete the hosted site (its configuration and
 * solutions stay in Dataverse), wait for the deletion, and optionally provision it again on the
 * same website record. Works for configured sites and for sites whose provisioning failed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isPortalOpsError, PortalOpsError } from '../../domain/errors.ts';
import { takeSnapshot } from '../../snapshots/site-snapshot.ts';
import type { JobKindDefinition, StepDefinition } from '../job-kind.ts';
import { findSite, type LifecycleDeps } from './lifecycle-deps.ts';
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
  deleted?: boolean;
}

const RESETTABLE = new Set(['Configured', 'ProvisioningFailed', 'Stopped', 'Suspended']);

const locate: StepDefinition<LifecycleDeps> = {
  id: 'locate',
  title: 'Find the site',
  async run(ctx) {
    if ((ctx.job.context as ResetContext).siteWebsiteId) return { skipped: true };
    const p = ctx.job.params as unknown as ResetParams;
    const env = await ctx.deps.environments.resolve(p.environment);
    const site = await findSite(ctx.deps.powerPages, env.environmentId, p.site);
    if (!RESETTABLE.has(site.status)) {
      throw new PortalOpsError(
        'site_state_conflict',
        `${site.subdomain} is ${site.status}; a site can be reset once it is configured or its provisioning failed.`,
      );
    }
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
    return { output: { websiteId: site.id, status: site.status } };
  },
};

const snapshot: StepDefinition<LifecycleDeps> = {
  id: 'snapshot',
  title: 'Snapshot the site configuration',
  async run(ctx) {
    const context = ctx.job.context as ResetContext;
    if (context.snapshotId) return { skipped: true };
    const env = await ctx.deps.environments.resolve(context.environment!);
    const record = await takeSnapshot({
      dataverse: ctx.deps.dataverse(env.dataverseUrl, env.tenantId),
      store: ctx.deps.store,
      snapshotsDir: ctx.deps.snapshotsDir,
      id: `${ctx.job.id}-${context.subdomain}`,
      environmentId: env.environmentId,
      environment: env.alias,
      site: context.subdomain!,
      websiteRecordId: context.websiteRecordId!,
      jobId: ctx.job.id,
      onTable: (_table, index, total) => ctx.progress(Math.round((index / total) * 100)),
    });
    await ctx.saveContext({ snapshotId: record.id });
    await ctx.setResult({ snapshotId: record.id });
    return {
      output: { snapshotId: record.id, rows: Object.values(record.tables).reduce((a, b) => a + b, 0) },
    };
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
    const stillThere = async () => {
      try {
        return await ctx.deps.powerPages.getWebsite(environmentId, websiteId);
      } catch (error) {
        if (isPortalOpsError(error) && error.code === 'not_found') return undefined;
        throw error;
      }
    };
    if (!context.deleteOperationUrl) {
      const site = await stillThere();
      if (!site) {
        await ctx.saveContext({ deleted: true });
        return { output: { alreadyGone: true } };
      }
      if (!(context.deleteSubmittedAt && site.status === 'Deleting')) {
        await ctx.saveContext({ deleteSubmittedAt: new Date().toISOString() });
        try {
          const accepted = await ctx.deps.powerPages.deleteWebsite(environmentId, websiteId);
          await ctx.saveContext({ deleteOperationUrl: accepted.operationUrl });
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
    if (context.deleteOperationUrl) {
      const operation = await ctx.deps.powerPages.waitForOperation(context.deleteOperationUrl, {
        pollIntervalMs: ctx.deps.pollIntervalMs,
        signal: ctx.signal,
        onPoll: (op) => void ctx.heartbeat(`Deleting: ${op.status.toLowerCase()}`),
      });
      if (operation.status !== 'Succeeded') {
        await ctx.saveContext({ deleteOperationUrl: undefined, deleteSubmittedAt: undefined });
        throw new PortalOpsError(
          'reset_failed',
          `The reset job failed${operation.error ? `: ${operation.error.message}` : '.'}`,
          { retryable: true, ...(operation.error ? { platformCode: operation.error.code } : {}) },
        );
      }
    }
    while (await stillThere()) {
      await ctx.heartbeat('Waiting for the site to disappear');
      await sleep(ctx.deps.pollIntervalMs, undefined, { signal: ctx.signal });
    }
    await ctx.saveContext({ deleted: true });
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
