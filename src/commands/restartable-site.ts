/**
 * The check restart provisioning and change-and-restart make before they start a job: only a
 * site whose provisioning failed can be provisioned again. Answered at once, so a site in
 * another state never becomes a failed job (the job checks again when it runs).
 */
import { PortalOpsError } from '../domain/errors.ts';
import { canRestartProvisioning, siteStateOf } from '../domain/site-state.ts';
import { defaultAudienceOf } from '../domain/templates.ts';
import type { Website } from '../domain/website.ts';
import type { SiteValues } from '../intents/intent.ts';
import { findSite } from '../jobs/kinds/lifecycle-deps.ts';
import type { CommandContext } from './command.ts';

/**
 * The failed site; throws `site_state_conflict` (with the site's state and raw values) unless
 * its provisioning failed.
 */
export async function requireFailedProvisioning(
  ctx: CommandContext,
  environmentId: string,
  siteName: string,
): Promise<Website> {
  const site = await findSite(ctx.deps.powerPages, environmentId, siteName);
  const state = siteStateOf(site);
  if (canRestartProvisioning(state)) return site;
  throw new PortalOpsError(
    'site_state_conflict',
    `${site.subdomain} is ${state.label} (${state.details}); only a site whose provisioning failed can be restarted.`,
    { details: { state: state.kind, site: state.details } },
  );
}

/** The values a site was provisioned with, as the form shows them (the API keeps no audience). */
export function siteValuesOf(site: Website): SiteValues {
  return {
    name: site.name,
    subdomain: site.subdomain,
    templateId: site.templateName,
    audience: defaultAudienceOf(site.templateName),
    languageLcid: site.selectedBaseLanguage,
  };
}
