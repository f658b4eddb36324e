/** `sites [env]`: the sites of an environment in the admin centre's words, with what needs attention. */
import { siteStateOf } from '../domain/site-state.ts';
import type { Website } from '../domain/website.ts';
import { askEnvironment, defineCommand } from './index-helpers.ts';

/** A short note on what needs attention on a site (from its state), if anything does. */
export function siteNote(site: Website): string | undefined {
  return siteStateOf(site).attention;
}

export const sitesCommand = defineCommand<'sites'>({
  kind: 'sites',
  title: 'List sites',
  summary: 'the Power Pages sites of an environment and what needs attention',
  examples: ['sites in dev', 'list portals in prod'],
  permission: 'view',
  environmentOf: (intent) => intent.environment,
  async run(ctx, intent) {
    if (!intent.environment) return askEnvironment(ctx, 'list sites', intent.unknownEnvironment);
    const env = ctx.deps.registry.get(intent.environment);
    const sites = await ctx.deps.powerPages.listWebsites(env.environmentId);
    return [
      {
        view: {
          type: 'site-list',
          environment: env.alias,
          sites: sites.map((s) => {
            const state = siteStateOf(s);
            const note = state.attention;
            return {
              name: s.name,
              subdomain: s.subdomain,
              status: state.label,
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
