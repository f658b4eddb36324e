/**
 * `restart <site>`: the platform's restart of a running site. Disruptive (the site stops
 * answering for a moment), so it is confirmed like other disruptive work: the requester types
 * the site name, and in a protected environment an approver other than the requester approves.
 * Not `restart provisioning`, which provisions a failed site again.
 */
import { isServing, siteStateOf } from '../domain/site-state.ts';
import { findSite } from '../jobs/kinds/lifecycle-deps.ts';
import { notRestartable, restartSitePlanBasis } from '../jobs/kinds/restart-site.ts';
import { siteOfClick } from './alert-fix.ts';
import { defineCardAction } from './card-action.ts';
import { askEnvironment, type CommandContext, defineCommand, say } from './index-helpers.ts';
import { askTypedConfirmation } from './typed-confirmation.ts';

/** The plan of a restart, read from the platform as it is now; refused for a site not running. */
export async function restartSitePlan(ctx: CommandContext, environment: string, siteName: string) {
  const env = ctx.deps.registry.get(environment);
  const site = await findSite(ctx.deps.powerPages, env.environmentId, siteName);
  const state = siteStateOf(site);
  if (!isServing(state)) throw notRestartable(site, state);
  const lines = [
    `Restart ${site.name} (${site.subdomain}) in ${env.alias}${env.protected ? ' (protected environment)' : ''}`,
    `${site.websiteUrl} stops answering for a moment and comes back with its cache cleared`,
    'Its configuration, solutions and data are not touched',
    'Check that the site answers again',
  ];
  return { env, site, lines, basis: restartSitePlanBasis(site, state.kind) };
}

/** The "Restart site" button: the same as typing `restart <site> in <env>`. */
const restartSiteAction = defineCardAction({
  verbs: ['site.restart'],
  async handle(click) {
    const { site } = siteOfClick(click);
    return { replies: await click.run({ kind: 'restart-site', ...site }) };
  },
});

export const restartSiteCommand = defineCommand<'restart-site'>({
  kind: 'restart-site',
  title: 'Restart a site',
  summary: 'restart a running site (it stops answering for a moment; its configuration is not touched)',
  examples: ['restart contoso-dev in dev'],
  permission: 'operate',
  sideEffects: 'the site stops answering while the platform restarts it',
  destructive: true,
  confirmation: 'type-site-name',
  approval: 'protected-target',
  environmentOf: (intent) => intent.environment,
  actions: [restartSiteAction],
  async plan(ctx, intent) {
    if (!intent.site || !intent.environment) return [];
    return (await restartSitePlan(ctx, intent.environment, intent.site)).lines;
  },
  async run(ctx, intent) {
    if (!intent.site) return say('Which site should I restart? For example "restart contoso-dev in dev".');
    if (!intent.environment) return askEnvironment(ctx, 'restart the site', intent.unknownEnvironment);
    const plan = await restartSitePlan(ctx, intent.environment, intent.site);
    return [
      await askTypedConfirmation(ctx, {
        kind: 'restart-site',
        params: { environment: plan.env.alias, site: plan.site.subdomain },
        basis: plan.basis,
        environment: plan.env,
        site: plan.site.subdomain,
        title: `Restart ${plan.site.subdomain} in ${plan.env.alias}`,
        plan: plan.lines,
        needsApproval: plan.env.protected,
        confirmLabel: 'Restart',
      }),
    ];
  },
});
