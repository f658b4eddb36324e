/** `portalops status <site>`: a site's state in one environment, or the first one that has it. */
import { PortalOpsError } from '../domain/errors.ts';
import { siteStateOf } from '../domain/site-state.ts';
import type { Website } from '../domain/website.ts';
import { findSite } from '../jobs/kinds/lifecycle-deps.ts';
import type { Runtime } from '../main.ts';
import type { CliIo } from './main.ts';

/** Prints where `site` is: its state, the platform's raw values and the job working on it. */
export async function printSiteStatus(
  runtime: Runtime,
  io: CliIo,
  site: string,
  options: { env?: string; json?: boolean },
): Promise<void> {
  const candidates = options.env ? [runtime.registry.get(options.env)] : runtime.registry.entries;
  let found: { alias: string; environmentId: string; site: Website } | undefined;
  let lastError: unknown;
  for (const env of candidates) {
    try {
      found = {
        alias: env.alias,
        environmentId: env.environmentId,
        site: await findSite(runtime.powerPages, env.environmentId, site),
      };
      break;
    } catch (error) {
      lastError = error;
    }
  }
  if (!found) {
    if (candidates.length > 1)
      throw new PortalOpsError(
        'not_found',
        `No environment has a site or job "${site}". List sites with "portalops sites --env <alias>", jobs with "portalops jobs".`,
      );
    throw lastError;
  }
  const { alias, environmentId, site: website } = found;
  const active = runtime.engine
    .list({ activeOnly: true })
    .find((j) => j.siteKey.startsWith(`${environmentId}/`) && j.siteKey.endsWith(`/${website.subdomain}`));
  if (options.json)
    return io.out(JSON.stringify({ environment: alias, site: website, activeJob: active?.id }));
  const state = siteStateOf(website);
  io.out(`${website.name} (${website.subdomain}) in ${alias}: ${state.label}`);
  if (state.attention) io.out(`  ${state.attention}`);
  io.out(`  ${website.websiteUrl}`);
  io.out(`  ${state.details}`);
  if (active) io.out(`  Job working on it: ${active.id} ${active.title} (portalops status ${active.id})`);
}
