/**
 * `move-data-model`: moves a standard-data-model site onto the enhanced data model the way the
 * documented migration does (power-pages-docs `admin/migrate-enhanced-data-model.md`; the calls
 * are described in src/platform/power-pages/data-model-migration.ts): snapshot the site's
 * configuration, start the data migration once and follow it, switch the site to the migrated
 * records, then read the site back and check every record arrived.
 *
 * Resumable without sending anything twice: the migration's submission is recorded before it is
 * sent and its operation the moment it is accepted; a job resumed between the two asks the
 * site's migration tracker (`adx_websitemigrationtracker`) whether the platform got it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isPortalOpsError, PortalOpsError } from '../../domain/errors.ts';
import { siteStateOf } from '../../domain/site-state.ts';
import { exportSite } from '../../migration/site-export.ts';
import type { Dataverse } from '../../platform/ports.ts';
import { MIGRATION_TRACKER, migrationStatusName } from '../../platform/power-pages/data-model-migration.ts';
import { dataModelPlanBasis } from '../../policy/data-model-plan-basis.ts';
import type { JobKindDefinition, StepContext, StepDefinition } from '../job-kind.ts';
import { checkApprovedPlan } from './approved-plan.ts';
import { verifyEnhancedRecords } from './data-model-verify.ts';
import { snapshotJobSite } from './job-site-snapshot.ts';
import { findSite, type LifecycleDeps } from './lifecycle-deps.ts';
import {
  clearDeadline,
  deadlinePassed,
  followOperation,
  forgetFailedOperation,
  phaseDeadline,
} from './phase-deadline.ts';

/** Parameters of a `move-data-model` job. */
export interface MoveDataModelParams {
  environment: string;
  /** Id, subdomain or name of the site. */
  site: string;
}

/** What the job keeps in its context. */
interface MoveContext {
  environmentId?: string;
  environment?: string;
  siteWebsiteId?: string;
  websiteRecordId?: string;
  subdomain?: string;
  snapshotId?: string;
  migrationSubmittedAt?: string;
  migrationOperationUrl?: string;
  migrated?: boolean;
  switched?: boolean;
}

/** Where the migration article tells people what the migration leaves to them. */
export const MIGRATION_ARTICLE = 'https://learn.microsoft.com/power-pages/admin/migrate-enhanced-data-model';

/** What only a person can do once the site moved (shown on the job's result). */
export const AFTER_THE_MOVE = `Fix what the migration does not update: custom columns and relationships on adx_ tables, Liquid and FetchXML that name adx_ tables, plug-ins and workflows on adx_ tables (${MIGRATION_ARTICLE}#considerations-for-site-customization-when-migrating-sites-from-standard-to-enhanced-data-model)`;

/**
 * The platform's refusals of a migration, by its error code, with what a person does about each
 * (the migration article's prerequisites and supported templates).
 */
const REFUSALS: Readonly<Record<string, string>> = {
  WebsiteAlreadyEnhanced: 'Nothing to do: the site already uses the enhanced data model.',
  InvalidWebsiteState: 'Wait until the site is configured (`status <site>` shows it), then ask again.',
  PortalPackageTooOld:
    'A person updates the Power Pages solution in the Power Platform admin center (https://learn.microsoft.com/power-pages/admin/update-solution), then asks again.',
  TemplateNotSupportedForMigration: `Keep the site on the standard data model for now: sites of this template cannot be migrated yet (${MIGRATION_ARTICLE}#supported-templates-for-migration).`,
  EnhancedTemplateMissing: `A person creates a new site with the same template in an environment with the enhanced data model switched on, so its enhanced-model solution gets installed, then asks again (${MIGRATION_ARTICLE}#supported-templates-for-migration).`,
};

const contextOf = (ctx: StepContext<LifecycleDeps>) => ctx.job.context as MoveContext;

async function dataverseOf(ctx: StepContext<LifecycleDeps>): Promise<Dataverse> {
  const env = await ctx.deps.environments.resolve(contextOf(ctx).environment!);
  return ctx.deps.dataverse(env.dataverseUrl, env.tenantId);
}

/** The site's migration status from its tracker row; undefined when there is none or no table. */
async function trackerStatus(dataverse: Dataverse, websiteRecordId: string) {
  try {
    const [row] = await dataverse.query(MIGRATION_TRACKER.entitySet, {
      select: [MIGRATION_TRACKER.status],
      filter: `_${MIGRATION_TRACKER.website}_value eq ${websiteRecordId}`,
      top: 1,
    });
    return row ? migrationStatusName(row[MIGRATION_TRACKER.status]) : undefined;
  } catch (error) {
    // An organization without the table (an older portal package) has no status to tell.
    if (isPortalOpsError(error) && (error.code === 'not_found' || error.code === 'bad_request'))
      return undefined;
    throw error;
  }
}

const locate: StepDefinition<LifecycleDeps> = {
  id: 'locate',
  title: 'Find the site',
  async run(ctx) {
    if (contextOf(ctx).siteWebsiteId) return { skipped: true };
    const p = ctx.job.params as unknown as MoveDataModelParams;
    const env = await ctx.deps.environments.resolve(p.environment);
    const site = await findSite(ctx.deps.powerPages, env.environmentId, p.site);
    const state = siteStateOf(site);
    if (site.dataModel === 'Enhanced') {
      throw new PortalOpsError(
        'site_state_conflict',
        `${site.subdomain} already uses the enhanced data model.`,
        {
          details: { dataModel: site.dataModel },
        },
      );
    }
    if (state.kind !== 'configured' && state.kind !== 'trial_ending') {
      throw new PortalOpsError(
        'site_state_conflict',
        `${site.subdomain} is ${state.label} (${state.details}); a site moves to the enhanced data model once it is configured.`,
        { details: { state: state.kind, site: state.details } },
      );
    }
    const dataverse = ctx.deps.dataverse(env.dataverseUrl, env.tenantId);
    await checkApprovedPlan(ctx, async () =>
      dataModelPlanBasis(site, state.kind, await exportSite(dataverse, site.websiteRecordId)),
    );
    await ctx.saveContext({
      environmentId: env.environmentId,
      environment: env.alias,
      siteWebsiteId: site.id,
      websiteRecordId: site.websiteRecordId,
      subdomain: site.subdomain,
    });
    return {
      output: { websiteId: site.id, dataModel: site.dataModel ?? 'Standard', template: site.templateName },
    };
  },
};

const snapshot: StepDefinition<LifecycleDeps> = {
  id: 'snapshot',
  title: 'Snapshot the site configuration',
  async run(ctx) {
    const context = contextOf(ctx);
    if (context.snapshotId) return { skipped: true };
    const record = await snapshotJobSite(ctx, context);
    await ctx.saveContext({ snapshotId: record.id });
    await ctx.setResult({ snapshotId: record.id });
    return {
      output: { snapshotId: record.id, rows: Object.values(record.tables).reduce((a, b) => a + b, 0) },
    };
  },
};

/** The platform's refusal as a failure saying what a person does about it; other errors unchanged. */
function refusalOf(error: unknown, subdomain: string): unknown {
  const personStep = isPortalOpsError(error) && error.platformCode ? REFUSALS[error.platformCode] : undefined;
  if (!isPortalOpsError(error) || !personStep) return error;
  return new PortalOpsError(
    'data_model_move_refused',
    `The platform refused to move ${subdomain} to the enhanced data model: ${error.message} ${personStep}`,
    {
      platformCode: error.platformCode!,
      details: { platformCode: error.platformCode, personStep },
      cause: error,
    },
  );
}

/** Waits for the tracker to leave Running (a migration adopted after a crash, no operation to poll). */
async function followTracker(ctx: StepContext<LifecycleDeps>, dataverse: Dataverse, deadline: number) {
  const record = contextOf(ctx).websiteRecordId!;
  for (;;) {
    const status = await trackerStatus(dataverse, record);
    if (status !== 'running') return status;
    if (Date.now() >= deadline)
      throw await deadlinePassed(ctx, 'dataModelMigration', 'migration tracker "Running"');
    await ctx.heartbeat('Migrating the records: Running');
    await sleep(ctx.deps.pollIntervalMs, undefined, { signal: ctx.signal });
  }
}

const migrate: StepDefinition<LifecycleDeps> = {
  id: 'migrate',
  title: 'Copy the records into the enhanced data model',
  async run(ctx) {
    let context = contextOf(ctx);
    if (context.migrated) return { skipped: true };
    const dataverse = await dataverseOf(ctx);
    const deadline = await phaseDeadline(ctx, 'dataModelMigration');
    if (!context.migrationOperationUrl) {
      // Sent before a crash, accepted or not: the tracker says whether the platform has it.
      const tracked = context.migrationSubmittedAt
        ? await trackerStatus(dataverse, context.websiteRecordId!)
        : undefined;
      if (tracked === 'running' || tracked === 'completed') {
        const status = tracked === 'running' ? await followTracker(ctx, dataverse, deadline) : tracked;
        if (status === 'completed') {
          await clearDeadline(ctx, 'dataModelMigration');
          await ctx.saveContext({ migrated: true });
          return { output: { adopted: true } };
        }
        await ctx.saveContext({ migrationSubmittedAt: undefined });
        throw new PortalOpsError(
          'data_model_migration_failed',
          `The data model migration of ${context.subdomain} failed.`,
          {
            retryable: true,
            details: { trackerStatus: status ?? 'none' },
          },
        );
      }
      await ctx.saveContext({ migrationSubmittedAt: new Date().toISOString() });
      try {
        const accepted = await ctx.deps.powerPages.startDataModelMigration(
          context.environmentId!,
          context.siteWebsiteId!,
          'all',
        );
        await ctx.saveContext({ migrationOperationUrl: accepted.operationUrl });
      } catch (error) {
        await ctx.saveContext({ migrationSubmittedAt: undefined });
        throw refusalOf(error, context.subdomain!);
      }
      context = contextOf(ctx);
    }
    const operation = await followOperation(
      ctx,
      'dataModelMigration',
      deadline,
      context.migrationOperationUrl!,
      'Migrating the records',
    );
    if (operation.state === 'failed') {
      // A retry submits again: the platform copies over what an earlier run copied.
      await forgetFailedOperation(ctx, 'dataModelMigration', [
        'migrationOperationUrl',
        'migrationSubmittedAt',
      ]);
      throw new PortalOpsError(
        'data_model_migration_failed',
        `The data model migration of ${context.subdomain} failed${operation.error ? `: ${operation.error.message}` : '.'}`,
        { retryable: true, ...(operation.error?.code ? { platformCode: operation.error.code } : {}) },
      );
    }
    await clearDeadline(ctx, 'dataModelMigration');
    await ctx.saveContext({ migrated: true });
    return undefined;
  },
};

const switchModel: StepDefinition<LifecycleDeps> = {
  id: 'switch',
  title: 'Switch the site to the enhanced data model',
  async run(ctx) {
    const context = contextOf(ctx);
    if (context.switched) return { skipped: true };
    const site = await ctx.deps.powerPages.getWebsite(context.environmentId!, context.siteWebsiteId!);
    // The switch is a stamp: sending it again is harmless, but a switched site needs none.
    if (site.dataModel !== 'Enhanced') {
      try {
        await ctx.deps.powerPages.setDataModelVersion(context.environmentId!, context.siteWebsiteId!, true);
      } catch (error) {
        if (isPortalOpsError(error) && error.code === 'forbidden') {
          throw new PortalOpsError(
            'forbidden',
            `Switching ${context.subdomain} to the enhanced data model is an admin action: the signed-in account needs System Administrator, Dynamics 365 administrator or Power Platform administrator (${MIGRATION_ARTICLE}#step-4-update-site-data-model-version-after-successful-data-migration).`,
            { cause: error },
          );
        }
        throw error;
      }
    }
    await ctx.saveContext({ switched: true });
    return undefined;
  },
};

const verify: StepDefinition<LifecycleDeps> = {
  id: 'verify',
  title: 'Check the site and its records on the enhanced data model',
  async run(ctx) {
    const context = contextOf(ctx);
    const site = await ctx.deps.powerPages.getWebsite(context.environmentId!, context.siteWebsiteId!);
    if (site.dataModel !== 'Enhanced') {
      throw new PortalOpsError(
        'data_model_verify_failed',
        `${context.subdomain} still reports the ${site.dataModel ?? 'standard'} data model after the switch.`,
        { retryable: true, details: { dataModel: site.dataModel ?? null } },
      );
    }
    const result = await verifyEnhancedRecords(ctx, await dataverseOf(ctx), context.snapshotId!);
    await ctx.setResult({
      dataModel: 'Enhanced',
      records: result.checked,
      afterTheMove: AFTER_THE_MOVE,
    });
    return { output: { records: result.checked } };
  },
};

/** `move-data-model`: snapshot, migrate the records, switch the site, verify. */
export const moveDataModelKind: JobKindDefinition<LifecycleDeps> = {
  kind: 'move-data-model',
  title: (job) => {
    const p = job.params as unknown as MoveDataModelParams;
    return `Move ${p.site} in ${p.environment} to the enhanced data model`;
  },
  steps: () => [locate, snapshot, migrate, switchModel, verify],
};
