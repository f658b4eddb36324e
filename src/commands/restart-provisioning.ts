/**
 * `restart provisioning <site>`: provision a failed site again with the same values. Disruptive
 * like a reset (the platform creates the site again on its website record), so the requester
 * types the site name first.
 */
import { siteStateOf } from '../domain/site-state.ts';
import type { PlanBasis } from '../policy/plan-basis.ts';
import { askEnvironment, type CommandContext, defineCommand, requesterOf, say } from './index-helpers.ts';
import { requireFailedProvisioning } from './restartable-site.ts';
import { restartProvisioningAction } from './site-fix-actions.ts';
import { askTypedConfirmation } from './typed-confirmation.ts';

/** The plan of a restart of provisioning and the basis its approval (in a protected environment) is bound to. */
export async function restartProvisioningPlan(ctx: CommandContext, environment: string, siteName: string) {
  const env = ctx.deps.registry.get(environment);
  const site = await requireFailedProvisioning(ctx, env.environmentId, siteName);
  const basis: PlanBasis = {
    facts: { site: site.subdomain, websiteId: site.id, state: siteStateOf(site).kind },
    operations: [{ op: 'restart-provisioning', table: '', id: site.id }],
    inputs: {},
  };
  return { env, site, basis };
}

export const restartProvisioningCommand = defineCommand<'restart-provisioning'>({
  kind: 'restart-provisioning',
  title: 'Restart provisioning',
  summary: 'provision a site whose provisioning failed again, with the same values',
  examples: ['restart provisioning contoso-broken in dev'],
  permission: 'operate',
  sideEffects: 'creates the website again on its existing record',
  actions: [restartProvisioningAction],
  destructive: true,
  confirmation: 'type-site-name',
  approval: 'protected-target',
  environmentOf: (intent) => intent.environment,
  async plan(_ctx, intent) {
    return [
      `Provision ${intent.site ?? 'the failed site'} again on its website record, with the values it failed with`,
      'Follow provisioning and the package install, then check the site answers',
    ];
  },
  async run(ctx, intent) {
    if (!intent.site) return say('Which site? For example "restart provisioning contoso-broken in dev".');
    if (!intent.environment) return askEnvironment(ctx, 'restart provisioning', intent.unknownEnvironment);
    const { env, site, basis } = await restartProvisioningPlan(ctx, intent.environment, intent.site);
    const params = { environment: env.alias, site: site.subdomain, requesterUpn: requesterOf(ctx.user).id };
    return [
      await askTypedConfirmation(ctx, {
        kind: 'restart-provisioning',
        params,
        basis,
        environment: env,
        site: site.subdomain,
        title: `Restart provisioning of ${site.subdomain} in ${env.alias}`,
        plan: [
          `Provision ${site.name} (${site.subdomain}) again on its website record, with the values it failed with (${site.templateName}, language ${site.selectedBaseLanguage})`,
          'Follow provisioning and the package install, then check the site answers',
        ],
        needsApproval: env.protected,
        confirmLabel: 'Restart provisioning',
      }),
    ];
  },
});
