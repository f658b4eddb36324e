/** `change values and restart <site>`: provision a failed site again with new, re-checked values. */
import { findTemplate } from '../domain/templates.ts';
import { restartRequestOf } from '../jobs/kinds/provision.ts';
import { askEnvironment, defineCommand, provisionForm, requesterOf, say } from './index-helpers.ts';
import { problemsOnForm } from './provision-check.ts';
import { requireFailedProvisioning, siteValuesOf } from './restartable-site.ts';
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
    if (!intent.environment) return askEnvironment(ctx, 'change values', intent.unknownEnvironment);
    const env = ctx.deps.registry.get(intent.environment);
    const site = await requireFailedProvisioning(ctx, env.environmentId, intent.site);
    const form = (errors: string[] = []) =>
      provisionForm(
        ctx,
        intent.environment,
        { ...siteValuesOf(site), ...intent.changes },
        { kind: 'change-and-restart', site: site.subdomain, errors },
      );
    const unknownTemplate = intent.changes.templateId && !findTemplate(intent.changes.templateId);
    if (Object.keys(intent.changes).length === 0 || unknownTemplate) return [{ view: await form() }];
    const errors = await problemsOnForm(
      ctx,
      env.alias,
      restartRequestOf(site, intent.changes, requesterOf(ctx.user).id),
      {
        ignoreSiteId: site.id,
      },
    );
    if (errors.length > 0) return [{ view: await form(errors) }];
    return startSiteJob(ctx, 'change-and-restart', env, intent.site, { changes: { ...intent.changes } });
  },
});
