/** `change values and restart <site>`: provision a failed site again with new, re-checked values. */
import { findTemplate } from '../domain/templates.ts';
import { askEnvironment, defineCommand, provisionForm, say } from './index-helpers.ts';
import { requireFailedProvisioning } from './restartable-site.ts';
import { startSiteJob } from './site-job.ts';

export const changeAndRestartCommand = defineCommand<'change-and-restart'>({
  kind: 'change-and-restart',
  title: 'Change values and restart',
  summary: 'provision a failed site again with new values (checked again)',
  examples: ['change values and restart contoso-broken language=1036'],
  permission: 'operate',
  sideEffects: 'creates the website again on its existing record',
  environmentOf: (intent) => intent.environment,
  async plan(_ctx, intent) {
    const changes = Object.entries(intent.changes).map(([k, v]) => `${k} → ${String(v)}`);
    return [
      `Check the new values (${changes.join(', ') || 'none given'}) like a new request`,
      `Provision ${intent.site ?? 'the failed site'} again on its website record`,
    ];
  },
  async run(ctx, intent) {
    if (!intent.site)
      return say('Which site? For example "change values and restart contoso-broken in dev".');
    if (!intent.environment) return askEnvironment(ctx, 'change values');
    const unknownTemplate = intent.changes.templateId && !findTemplate(intent.changes.templateId);
    if (Object.keys(intent.changes).length === 0 || unknownTemplate) {
      return [
        {
          view: await provisionForm(ctx, intent.environment, unknownTemplate ? intent.changes : {}, {
            kind: 'change-and-restart',
            site: intent.site,
          }),
        },
      ];
    }
    const env = ctx.deps.registry.get(intent.environment);
    await requireFailedProvisioning(ctx, env.environmentId, intent.site);
    return startSiteJob(ctx, 'change-and-restart', env, intent.site, { changes: { ...intent.changes } });
  },
});
