/**
 * `restart-site`: the platform's restart of a running site (Power Pages admin API
 * `POST …/websites/{id}/restart`, no body, any 2xx; see test/contracts/samples/power-pages-api/
 * delete-and-restart.http, the call microsoft/power-platform-skills' clear-site-cache.js makes).
 * The site stops answering for a moment and comes back with its cache cleared; its configuration
 * is not touched. Not to be confused with restarting a failed provisioning.
 *
 * Steps: find the site and check it is serving (and, with an approval, that it is the site that
 * was approved); ask the platform to restart it; check that it answers again.
 */
import { isPortalOpsError, PortalOpsError } from '../../domain/errors.ts';
import { isServing, type SiteState, siteStateOf } from '../../domain/site-state.ts';
import type { Website } from '../../domain/website.ts';
import type { PlanBasis } from '../../policy/plan-basis.ts';
import type { JobKindDefinition, StepDefinition } from '../job-kind.ts';
import { checkApprovedPlan } from './approved-plan.ts';
import { findSite, type LifecycleDeps } from './lifecycle-deps.ts';
import { verifySiteStep } from './provisioning-steps.ts';

/** Parameters of a `restart-site` job. */
export interface RestartSiteParams {
  environment: string;
  /** Id, subdomain or name of the site. */
  site: string;
}

/** What the job keeps in its context (`websiteId`/`websiteUrl` as the site check reads them). */
interface RestartSiteContext {
  environmentId?: string;
  websiteId?: string;
  websiteUrl?: string;
  subdomain?: string;
  /** Set just before the restart is sent. */
  restartSubmittedAt?: string;
  restarted?: boolean;
}

/** What a restart rests on: the site it restarts and the state it restarts it from. */
export function restartSitePlanBasis(site: Website, stateKind: string): PlanBasis {
  return {
    facts: { websiteId: site.id.toLowerCase(), subdomain: site.subdomain, state: stateKind },
    operations: [{ op: 'restart-site', table: '', id: site.id.toLowerCase() }],
    inputs: {},
  };
}

/** The refusal for a site that is not serving, with what fits its state instead. */
export function notRestartable(site: Website, state: SiteState): PortalOpsError {
  const instead =
    state.kind === 'provisioning_failed'
      ? ` Its provisioning failed: "restart provisioning ${site.subdomain}" starts it again.`
      : state.kind === 'package_install_failed'
        ? ` Its package did not install: "retry the package install for ${site.subdomain}" tries again.`
        : state.kind === 'provisioning' || state.kind === 'package_installing'
          ? ' Wait until it is configured.'
          : '';
  return new PortalOpsError(
    'site_state_conflict',
    `${site.subdomain} is ${state.label} (${state.details}); only a running (configured) site can be restarted.${instead}`,
    { details: { state: state.kind, site: state.details } },
  );
}

const locate: StepDefinition<LifecycleDeps> = {
  id: 'locate',
  title: 'Find the site and check it is running',
  async run(ctx) {
    if ((ctx.job.context as RestartSiteContext).websiteId) return { skipped: true };
    const p = ctx.job.params as unknown as RestartSiteParams;
    const env = await ctx.deps.environments.resolve(p.environment);
    const site = await findSite(ctx.deps.powerPages, env.environmentId, p.site);
    const state = siteStateOf(site);
    if (!isServing(state)) throw notRestartable(site, state);
    await checkApprovedPlan(ctx, () => restartSitePlanBasis(site, state.kind));
    await ctx.saveContext({
      environmentId: env.environmentId,
      websiteId: site.id,
      websiteUrl: site.websiteUrl,
      subdomain: site.subdomain,
    });
    return { output: { websiteId: site.id, state: state.label } };
  },
};

/**
 * Sends the restart. The API answers with no operation to follow and no field shows a restart,
 * so a restart sent just before a crash cannot be told from one never sent: it is sent again,
 * which only restarts the site a second time (the end state is the same).
 */
const restart: StepDefinition<LifecycleDeps> = {
  id: 'restart',
  title: 'Restart the site',
  async run(ctx) {
    const context = ctx.job.context as RestartSiteContext;
    if (context.restarted) return { skipped: true };
    await ctx.saveContext({ restartSubmittedAt: new Date().toISOString() });
    try {
      await ctx.deps.powerPages.restartWebsite(context.environmentId!, context.websiteId!);
    } catch (error) {
      if (isPortalOpsError(error) && error.code === 'conflict') {
        throw new PortalOpsError(
          'site_state_conflict',
          `The platform would not restart ${context.subdomain} now: ${error.message}`,
          { cause: error, retryable: true },
        );
      }
      throw error;
    }
    await ctx.saveContext({ restarted: true });
    return { output: { restartedAt: new Date().toISOString() } };
  },
};

/** `restart-site`: restart a running site and check it answers again. */
export const restartSiteKind: JobKindDefinition<LifecycleDeps> = {
  kind: 'restart-site',
  title: (job) => {
    const p = job.params as unknown as RestartSiteParams;
    return `Restart ${p.site} in ${p.environment}`;
  },
  steps: () => [locate, restart, verifySiteStep],
};
