/**
 * `reset <site>`: destructive. Shows the plan and asks the requester to type the site name;
 * then an approver other than the requester approves; then the job runs.
 */

import { resetPlanOf } from './destructive-plans.ts';
import { askEnvironment, type CommandContext, defineCommand, say } from './index-helpers.ts';
import { askTypedConfirmation } from './typed-confirmation.ts';

/** The plan of a reset, the lines people read, and the basis its approval is bound to. */
export async function resetPlan(
  ctx: CommandContext,
  environment: string,
  siteName: string,
  reprovision: boolean,
) {
  const { env, site, basis } = await resetPlanOf(ctx, environment, siteName, reprovision);
  const params = { environment: env.alias, site: site.subdomain, reprovision };
  const lines = [
    `Snapshot the configuration of ${site.name} (${site.subdomain}) so it can be restored`,
    `Delete the hosted site in ${env.alias}${env.protected ? ' (protected environment)' : ''}; its configuration and solutions stay in Dataverse`,
    `${site.websiteUrl} stops answering`,
    ...(reprovision
      ? [
          `Provision it again on the same website record (${site.templateName}, language ${site.selectedBaseLanguage})`,
        ]
      : []),
  ];
  return { env, site, params, lines, basis };
}

export const resetCommand = defineCommand<'reset'>({
  kind: 'reset',
  title: 'Reset a site',
  summary: 'snapshot a site’s configuration and delete its hosted site (optionally provision it again)',
  examples: ['reset portal contoso-dev in dev', 'reset contoso-broken in dev and reprovision'],
  permission: 'operate',
  sideEffects: 'deletes the hosted site; configuration stays in Dataverse',
  destructive: true,
  confirmation: 'type-site-name',
  approval: 'always',
  environmentOf: (intent) => intent.environment,
  async plan(ctx, intent) {
    if (!intent.site || !intent.environment) return [];
    return (await resetPlan(ctx, intent.environment, intent.site, intent.reprovision)).lines;
  },
  async run(ctx, intent) {
    if (!intent.site) return say('Which site should I reset? For example "reset contoso-dev in dev".');
    if (!intent.environment) return askEnvironment(ctx, 'reset the site', intent.unknownEnvironment);
    const plan = await resetPlan(ctx, intent.environment, intent.site, intent.reprovision);
    const title = `${intent.reprovision ? 'Reset and re-provision' : 'Reset'} ${plan.site.subdomain} in ${plan.env.alias}`;
    return [
      await askTypedConfirmation(ctx, {
        kind: 'reset',
        params: plan.params,
        basis: plan.basis,
        environment: plan.env,
        site: plan.site.subdomain,
        title,
        plan: plan.lines,
        needsApproval: true,
        confirmLabel: 'Reset',
      }),
    ];
  },
});
