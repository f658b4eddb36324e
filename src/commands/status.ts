/** `status <site|job>`: where a site or a job is, with the actions that fit. */
import { PortalOpsError } from '../domain/errors.ts';
import { isActive } from '../domain/job.ts';
import { canRestartProvisioning, isServing, siteStateOf } from '../domain/site-state.ts';
import type { Website } from '../domain/website.ts';
import { findSite } from '../jobs/kinds/lifecycle-deps.ts';
import { jobView } from '../views/job-views.ts';
import type { Button } from '../views/view.ts';
import { type CommandContext, defineCommand, type Reply, say } from './index-helpers.ts';

async function locate(
  ctx: CommandContext,
  site: string,
  environment?: string,
): Promise<{ env: string; site: Website }> {
  const candidates = environment ? [ctx.deps.registry.get(environment)] : ctx.deps.registry.entries;
  let lastError: unknown;
  for (const env of candidates) {
    try {
      return { env: env.alias, site: await findSite(ctx.deps.powerPages, env.environmentId, site) };
    } catch (error) {
      lastError = error;
    }
  }
  if (candidates.length > 1)
    throw new PortalOpsError('not_found', `No environment has a site "${site}". Try "sites in <env>".`);
  throw lastError;
}

/** ", 5 days left" (or ", ended") for a trial; nothing for a production site. */
function trialLeft(site: Website): string {
  if (site.type !== 'Trial' || site.trialExpiringInDays === null) return '';
  if (site.trialExpiringInDays <= 0) return ', ended';
  return `, ${site.trialExpiringInDays} day${site.trialExpiringInDays === 1 ? '' : 's'} left`;
}

/**
 * Buttons that fit a site's state, as the guidance for it says: restart a failed provisioning
 * (or change its values), retry a failed package install, restart a site that serves.
 */
export function siteButtons(env: string, site: Website): Button[] {
  const data = { environment: env, site: site.subdomain };
  const state = siteStateOf(site);
  if (canRestartProvisioning(state)) {
    return [
      { verb: 'site.restart-provisioning', label: 'Restart provisioning', data, style: 'positive' },
      { verb: 'site.change-values', label: 'Change values and restart', data },
    ];
  }
  if (state.kind === 'package_install_failed')
    return [{ verb: 'site.retry-install', label: 'Retry the package install', data, style: 'positive' }];
  if (isServing(state)) return [{ verb: 'site.restart', label: 'Restart site', data }];
  return [];
}

export const statusCommand = defineCommand<'status'>({
  kind: 'status',
  title: 'Status',
  summary: 'where a site or a job is',
  examples: ['status contoso-dev', "what's going on with contoso-dev", 'status J-7K2Q9'],
  permission: 'view',
  environmentOf: (intent) => intent.environment,
  async run(ctx, intent): Promise<Reply[]> {
    if (intent.jobId) {
      const job = ctx.deps.engine.get(intent.jobId);
      if (!job)
        return say(`There is no job ${intent.jobId}. Say "jobs" to list recent ones.`, { tone: 'warning' });
      return [{ view: jobView(job), ...(isActive(job) ? { trackJob: job.id } : {}) }];
    }
    if (!intent.site)
      return say('Which site? For example "status contoso-dev".', { suggestions: ['jobs', 'sites in dev'] });
    const { env, site } = await locate(ctx, intent.site, intent.environment);
    const entry = ctx.deps.registry.get(env);
    const active = ctx.deps.engine
      .list({ activeOnly: true })
      .find(
        (j) => j.siteKey.startsWith(`${entry.environmentId}/`) && j.siteKey.endsWith(`/${site.subdomain}`),
      );
    const state = siteStateOf(site);
    const note = state.attention;
    const replies: Reply[] = [
      {
        view: {
          type: 'site-status',
          environment: env,
          title: `${site.name} (${site.subdomain}) in ${env}`,
          facts: [
            { label: 'Status', value: state.label },
            {
              label: 'Type',
              value: `${site.type}${trialLeft(site)}`,
            },
            ...(site.dataModel ? [{ label: 'Data model', value: site.dataModel }] : []),
            { label: 'Address', value: site.websiteUrl },
            ...(note ? [{ label: 'Attention', value: note }] : []),
            // The raw API values, verbatim: support tickets quote them.
            { label: 'Platform values', value: state.details },
            ...(active ? [{ label: 'Running job', value: `${active.id} ${active.title}` }] : []),
          ],
          buttons: active ? [] : siteButtons(env, site),
        },
        // The card is kept current when a job on the site starts or ends (its buttons would go stale).
        trackSite: { environment: env, site: site.subdomain },
      },
    ];
    return replies;
  },
});
