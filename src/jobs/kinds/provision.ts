/**
 * Job kinds that create a site: `provision` (a new one), `restart-provisioning` (a failed one,
 * same values) and `change-and-restart` (a failed one, new values validated again).
 */
import type { EnvironmentDetails } from '../../domain/environment.ts';
import { PortalOpsError } from '../../domain/errors.ts';
import {
  type Problem,
  type ProvisionRequest,
  validateProvisionRequest,
} from '../../domain/provisioning-rules.ts';
import { canRestartProvisioning, siteStateOf } from '../../domain/site-state.ts';
import { type Audience, defaultAudienceOf } from '../../domain/templates.ts';
import type { CreateWebsiteRequest, Website } from '../../domain/website.ts';
import type { JobKindDefinition, StepContext, StepDefinition } from '../job-kind.ts';
import { findSite, type LifecycleDeps, rolesOf } from './lifecycle-deps.ts';
import { PROVISIONING_STEPS } from './provisioning-steps.ts';

/** Parameters of a `provision` job. */
export interface ProvisionParams {
  environment: string;
  name: string;
  subdomain: string;
  /** Base language; the environment's own when omitted. */
  languageLcid?: number;
  audience: Audience;
  templateId: string;
  siteAdministrator: string;
  /** Sign-in name of the requester, for the role check. */
  requesterUpn: string;
}

/** Parameters of `restart-provisioning` and `change-and-restart`. */
export interface RestartParams {
  environment: string;
  /** Id, subdomain or name of the failed site. */
  site: string;
  requesterUpn: string;
  /** New values (change-and-restart only). */
  changes?: Partial<
    Pick<
      ProvisionParams,
      'name' | 'subdomain' | 'languageLcid' | 'templateId' | 'audience' | 'siteAdministrator'
    >
  >;
}

/**
 * What is wrong with a request in its environment (all problems at once; empty when none), and
 * the environment it was checked in. The job checks with it, and so do the commands before they
 * submit one, so a request with problems is answered on its form and never becomes a job.
 */
export async function provisionProblems(
  deps: Pick<LifecycleDeps, 'environments' | 'dataverse' | 'powerPages'>,
  environment: string,
  request: ProvisionRequest,
  requesterUpn: string,
  options: { ignoreSiteId?: string } = {},
): Promise<{ problems: Problem[]; env: EnvironmentDetails }> {
  const env = await deps.environments.resolve(environment);
  const dataverse = deps.dataverse(env.dataverseUrl, env.tenantId);
  const [sites, solutions, requesterRoles, siteAdministratorRoles] = await Promise.all([
    deps.powerPages.listWebsites(env.environmentId),
    dataverse.query('solutions', { select: ['uniquename', 'version'] }),
    rolesOf(dataverse, requesterUpn),
    request.siteAdministrator ? rolesOf(dataverse, request.siteAdministrator) : Promise.resolve(undefined),
  ]);
  const problems = validateProvisionRequest(request, {
    installedLanguages: env.installedLanguages,
    existingSubdomains: sites
      .filter((s) => s.id !== options.ignoreSiteId)
      .map((s) => s.subdomain.toLowerCase()),
    installedSolutions: solutions.map((s) => ({
      uniqueName: String(s.uniquename),
      version: String(s.version),
    })),
    requesterRoles: requesterRoles ?? [],
    siteAdministratorRoles,
  });
  return { problems, env };
}

/**
 * What a restart provisions with: the failed site's values, with `changes` over them. The API
 * keeps no audience; a restart assumes the one the template is built for.
 */
export function restartRequestOf(
  site: Website,
  changes: RestartParams['changes'] = {},
  requesterUpn = '',
): ProvisionRequest {
  const templateId = changes.templateId ?? site.templateName;
  return {
    name: changes.name ?? site.name,
    subdomain: changes.subdomain ?? site.subdomain,
    languageLcid: changes.languageLcid ?? site.selectedBaseLanguage,
    audience: changes.audience ?? defaultAudienceOf(templateId),
    templateId,
    siteAdministrator: changes.siteAdministrator ?? requesterUpn,
  };
}

/** Checks a request against the environment; all problems at once, as `validation_failed`. */
async function validate(
  ctx: StepContext<LifecycleDeps>,
  environment: string,
  request: ProvisionRequest,
  requesterUpn: string,
  options: { ignoreSiteId?: string; websiteRecordId?: string } = {},
): Promise<void> {
  const { problems, env } = await provisionProblems(ctx.deps, environment, request, requesterUpn, options);
  if (problems.length > 0) {
    throw new PortalOpsError(
      'validation_failed',
      `The request has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.map((p) => p.message).join(' ')}`,
      { details: { problems } },
    );
  }
  const createRequest: CreateWebsiteRequest = {
    dataverseOrganizationId: env.organizationId,
    name: request.name.trim(),
    selectedBaseLanguage: request.languageLcid,
    subdomain: request.subdomain.trim().toLowerCase(),
    templateName: request.templateId,
    ...(options.websiteRecordId ? { websiteRecordId: options.websiteRecordId } : {}),
  };
  await ctx.saveContext({ environmentId: env.environmentId, createRequest });
}

const validateNewSite: StepDefinition<LifecycleDeps> = {
  id: 'validate',
  title: 'Check the request against the environment',
  async run(ctx) {
    if (ctx.job.context.createRequest) return { skipped: true };
    const p = ctx.job.params as unknown as ProvisionParams;
    const env = await ctx.deps.environments.resolve(p.environment);
    await validate(
      ctx,
      p.environment,
      {
        name: p.name,
        subdomain: p.subdomain,
        languageLcid: p.languageLcid ?? env.baseLanguage,
        audience: p.audience,
        templateId: p.templateId,
        siteAdministrator: p.siteAdministrator,
      },
      p.requesterUpn,
    );
    return undefined;
  },
};

/** Finds the failed site and validates what it will be provisioned with. */
function locateFailedSite(changing: boolean): StepDefinition<LifecycleDeps> {
  return {
    id: 'locate',
    title: changing ? 'Find the failed site and check the new values' : 'Find the failed site and its values',
    async run(ctx) {
      if (ctx.job.context.createRequest) return { skipped: true };
      const p = ctx.job.params as unknown as RestartParams;
      const env = await ctx.deps.environments.resolve(p.environment);
      const site: Website = await findSite(ctx.deps.powerPages, env.environmentId, p.site);
      const state = siteStateOf(site);
      if (!canRestartProvisioning(state)) {
        throw new PortalOpsError(
          'site_state_conflict',
          `${site.subdomain} is ${state.label} (${state.details}), not failed; only a site whose provisioning failed can be restarted.`,
          { details: { state: state.kind, site: state.details } },
        );
      }
      const changes = changing ? (p.changes ?? {}) : {};
      await validate(ctx, p.environment, restartRequestOf(site, changes, p.requesterUpn), p.requesterUpn, {
        ignoreSiteId: site.id,
        websiteRecordId: site.websiteRecordId,
      });
      return { output: { websiteId: site.id, websiteRecordId: site.websiteRecordId } };
    },
  };
}

/** `provision`: validate, submit, follow provisioning and the package install, check the site. */
export const provisionKind: JobKindDefinition<LifecycleDeps> = {
  kind: 'provision',
  title: (job) => {
    const p = job.params as unknown as ProvisionParams;
    return `Provision ${p.subdomain} in ${p.environment}`;
  },
  steps: () => [validateNewSite, ...PROVISIONING_STEPS],
};

/** `restart-provisioning`: the failed site again, with the same values. */
export const restartProvisioningKind: JobKindDefinition<LifecycleDeps> = {
  kind: 'restart-provisioning',
  title: (job) => {
    const p = job.params as unknown as RestartParams;
    return `Restart provisioning of ${p.site} in ${p.environment}`;
  },
  steps: () => [locateFailedSite(false), ...PROVISIONING_STEPS],
};

/** `change-and-restart`: the failed site again, with new values checked like a new request. */
export const changeAndRestartKind: JobKindDefinition<LifecycleDeps> = {
  kind: 'change-and-restart',
  title: (job) => {
    const p = job.params as unknown as RestartParams;
    return `Change values and restart provisioning of ${p.site} in ${p.environment}`;
  },
  steps: () => [locateFailedSite(true), ...PROVISIONING_STEPS],
};
