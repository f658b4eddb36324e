/** `sites [env]`: the sites of an environment, with what needs attention. */
import type { Website } from '../domain/website.ts';
import { askEnvironment, defineCommand } from './index-helpers.ts';

/** A short note on what needs attention on a site. */
export function siteNote(site: Website): string | undefined {
  if (site.status === 'ProvisioningFailed') return 'provisioning failed';
  if (site.packageInstallStatus === 'InstallFailed') return 'package install failed ("Getting set up")';
  if (site.type === 'Trial' && site.trialExpiringInDays !== null && site.trialExpiringInDays <= 7) {
    return `trial ends in ${site.trialExpiringInDays} day${site.trialExpiringInDays === 1 ? '' : 's'}`;
  }
  return undefined;
}

export const sitesCommand = defineCommand<'sites'>({
  kind: 'sites',
  title: 'List sites',
  summary: 'the Power Pages sites of an environment and what needs attention',
  examples: ['sites in dev', 'list portals in prod'],
  permission: 'view',
  environmentOf: (intent) => intent.environment,
  async run(ctx, intent) {
    if (!intent.environment) return askEnvironment(ctx, 'list sites');
    const env = ctx.deps.registry.get(intent.environment);
    const sites = await ctx.deps.powerPages.listWebsites(env.environmentId);
    return [
      {
        view: {
          type: 'site-list',
          environment: env.alias,
          sites: sites.map((s) => {
            const note = siteNote(s);
            return {
              name: s.name,
              subdomain: s.subdomain,
              status: s.status,
              type: s.type,
              url: s.websiteUrl,
              ...(note ? { note } : {}),
            };
          }),
        },
      },
    ];
  },
});
