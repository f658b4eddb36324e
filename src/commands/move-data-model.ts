/**
 * `move contoso-dev to the enhanced data model`: the documented migration of a standard site
 * onto the enhanced data model, as a job (snapshot, migration, switch, verification). It changes
 * where the site's configuration lives, so the requester types the site name, and in a protected
 * environment an approver other than the requester approves.
 */
import { PortalOpsError } from '../domain/errors.ts';
import { siteStateOf } from '../domain/site-state.ts';
import { findSite } from '../jobs/kinds/lifecycle-deps.ts';
import { AFTER_THE_MOVE, MIGRATION_ARTICLE } from '../jobs/kinds/move-data-model.ts';
import { exportSite } from '../migration/site-export.ts';
import { dataModelPlanBasis } from '../policy/data-model-plan-basis.ts';
import { askEnvironment, type CommandContext, defineCommand, say } from './index-helpers.ts';
import { askTypedConfirmation } from './typed-confirmation.ts';

/**
 * The plan of a move, read from the platform as it is now: the site, the records the migration
 * copies, the lines people read and the basis its approval is bound to. Refused for a site
 * already on the enhanced data model or not configured.
 */
export async function moveDataModelPlan(ctx: CommandContext, environment: string, siteName: string) {
  const env = ctx.deps.registry.get(environment);
  const site = await findSite(ctx.deps.powerPages, env.environmentId, siteName);
  if (site.dataModel === 'Enhanced')
    throw new PortalOpsError(
      'site_state_conflict',
      `${site.subdomain} already uses the enhanced data model.`,
      {
        details: { dataModel: site.dataModel },
      },
    );
  const state = siteStateOf(site);
  if (state.kind !== 'configured' && state.kind !== 'trial_ending')
    throw new PortalOpsError(
      'site_state_conflict',
      `${site.subdomain} is ${state.label} (${state.details}); a site moves to the enhanced data model once it is configured.`,
      { details: { state: state.kind, site: state.details } },
    );
  if (!ctx.deps.dataverse)
    throw new PortalOpsError('config_invalid', 'Dataverse is not set up here, so the plan cannot be read.');
  const resolved = await ctx.deps.environments.resolve(env.alias);
  const configuration = await exportSite(
    ctx.deps.dataverse(resolved.dataverseUrl, resolved.tenantId),
    site.websiteRecordId,
  );
  const lines = [
    `Snapshot the configuration of ${site.name} (${site.subdomain}, ${configuration.length} records) so it can be restored`,
    `Copy it into the enhanced data model's tables (powerpagesite, powerpagecomponent) with the platform's data model migration, as pac pages migrate-datamodel --mode all does`,
    `Switch the site in ${env.alias}${env.protected ? ' (protected environment)' : ''} to the migrated records; its standard records stay, deactivated`,
    'Check that the site reports the enhanced data model and every record is there',
    `Afterwards, by a person: ${AFTER_THE_MOVE}`,
    ...(env.protected
      ? [
          `Microsoft recommends trying the move on a copy of the environment first and moving a production site outside business hours (${MIGRATION_ARTICLE}#migrate-a-production-site-from-standard-to-enhanced-data-model)`,
        ]
      : []),
  ];
  return {
    env,
    site,
    params: { environment: env.alias, site: site.subdomain },
    lines,
    basis: dataModelPlanBasis(site, state.kind, configuration),
  };
}

export const moveDataModelCommand = defineCommand<'move-data-model'>({
  kind: 'move-data-model',
  title: 'Move a site to the enhanced data model',
  summary:
    'move a standard-data-model site onto the enhanced data model (snapshot first, then the documented migration)',
  examples: ['move contoso-dev in dev to the enhanced data model'],
  permission: 'operate',
  sideEffects: 'copies the site’s configuration into the enhanced data model and switches the site to it',
  destructive: true,
  confirmation: 'type-site-name',
  approval: 'protected-target',
  environmentOf: (intent) => intent.environment,
  async plan(ctx, intent) {
    if (!intent.site || !intent.environment) return [];
    return (await moveDataModelPlan(ctx, intent.environment, intent.site)).lines;
  },
  async run(ctx, intent) {
    if (!intent.site)
      return say(
        'Which site should I move? For example "move contoso-dev in dev to the enhanced data model".',
      );
    if (!intent.environment)
      return askEnvironment(ctx, 'move the site to the enhanced data model', intent.unknownEnvironment);
    const plan = await moveDataModelPlan(ctx, intent.environment, intent.site);
    return [
      await askTypedConfirmation(ctx, {
        kind: 'move-data-model',
        params: plan.params,
        basis: plan.basis,
        environment: plan.env,
        site: plan.site.subdomain,
        title: `Move ${plan.site.subdomain} in ${plan.env.alias} to the enhanced data model`,
        plan: plan.lines,
        needsApproval: plan.env.protected,
        confirmLabel: 'Move',
      }),
    ];
  },
});
