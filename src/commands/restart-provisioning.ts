/** `restart provisioning <site>`: provision a failed site again with the same values. */
import { askEnvironment, defineCommand, say } from './index-helpers.ts';
import { requireFailedProvisioning } from './restartable-site.ts';
import { restartProvisioningAction } from './site-fix-actions.ts';
import { startSiteJob } from './site-job.ts';

export const restartProvisioningCommand = defineCommand<'restart-provisioning'>({
  kind: 'restart-provisioning',
  title: 'Restart provisioning',
  summary: 'provision a site whose provisioning failed again, with the same values',
  examples: ['restart provisioning contoso-broken in dev'],
  permission: 'operate',
  sideEffects: 'creates the website again on its existing record',
  actions: [restartProvisioningAction],
  environmentOf: (intent) => intent.environment,
  async plan(_ctx, intent) {
    return [
      `Provision ${intent.site ?? 'the failed site'} again on its website record, with the values it failed with`,
      'Follow provisioning and the package install, then check the site answers',
    ];
  },
  async run(ctx, intent) {
    if (!intent.site) return say('Which site? For example "restart provisioning contoso-broken in dev".');
    if (!intent.environment) return askEnvironment(ctx, 'restart provisioning');
    const env = ctx.deps.registry.get(intent.environment);
    await requireFailedProvisioning(ctx, env.environmentId, intent.site);
    return startSiteJob(ctx, 'restart-provisioning', env, intent.site);
  },
});
