/**
 * The Power Pages admin API (`/powerpages/environments/{environmentId}/...`, api-version
 * 2024-10-01) as the simulator serves it, shaped after test/contracts/samples/power-pages-api/:
 * WebsiteDto with the sample's fields (incl. the undocumented `dataModel`, lower-case
 * `siteVisibility`), list paging by `skip` with `@odata.nextLink`, errors as
 * `{"error":{"code","message"}}`, create as 202 + Operation-Location, and an operation poll that
 * names no website (operation-status-poll.inferred.md).
 */
import { type Response, Router } from 'express';
import { findTemplate, isDocumentedTemplateName, missingSolutions } from '../../domain/templates.ts';
import type { CreateWebsiteRequest, Website } from '../../domain/website.ts';
import { sendError } from '../auth-middleware.ts';
import { environmentOfRequest } from '../environment-of-request.ts';
import type { SimEnvironment, SimOperation, SimPrincipal, SimSite } from '../model.ts';
import type { SimulatorWorld } from '../world.ts';
import { addDataModelRoutes } from './data-model-migration.ts';

/** The only API version the simulated admin API accepts. */
export const POWER_PAGES_API_VERSION = '2024-10-01';

/** Options of the Power Pages routes. */
export interface PowerPagesRouterOptions {
  world: SimulatorWorld;
  baseUrl: () => string;
  /** Websites per list page. */
  pageSize: number;
}

const UNSUPPORTED_LANGUAGES = new Set([1025, 1037]);
const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** The public DTO of a simulated site (bookkeeping fields removed). */
export function toWebsiteDto(site: SimSite, dataverseUrl: string): Website {
  const { phaseEndsAt: _p, scriptedOutcome: _s, deleting: _d, ...dto } = site;
  return { ...dto, dataverseInstanceUrl: dataverseUrl };
}

/** Routes mounted at the simulator root. */
export function createPowerPagesRouter(options: PowerPagesRouterOptions): Router {
  const { world } = options;
  const router = Router();
  const orgUrl = (env: SimEnvironment) => `${options.baseUrl()}/orgs/${env.orgUniqueName}/`;

  router.use('/powerpages', (req, res, next) => {
    if (req.query['api-version'] !== POWER_PAGES_API_VERSION) {
      return sendError(res, 400, 'InvalidApiVersion', `Use api-version=${POWER_PAGES_API_VERSION}.`);
    }
    const principal = res.locals.principal as SimPrincipal;
    if (principal.kind === 'app') {
      return sendError(
        res,
        403,
        'ServicePrincipalNotSupported',
        'The Power Pages admin API needs a signed-in user; service principals are not supported.',
      );
    }
    next();
  });

  const environmentOf = environmentOfRequest(world);

  const isAdmin = (principal: SimPrincipal, env: SimEnvironment) =>
    world.findUser(principal.id)?.securityRoles[env.id]?.includes('System Administrator') ?? false;

  const operationLocation = (res: Response, env: SimEnvironment, operation: SimOperation) => {
    res.setHeader(
      'Operation-Location',
      `${options.baseUrl()}/powerpages/environments/${env.id}/operations/${operation.id}?api-version=${POWER_PAGES_API_VERSION}`,
    );
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil((operation.endsAt - world.now()) / 1000 / 4))));
    res.status(202).end();
  };

  router.get('/powerpages/environments/:environmentId/websites', (req, res) => {
    const env = environmentOf(req, res);
    if (!env) return;
    const all = world.sitesIn(env.id);
    // Paging is `?skip=` (not `$skip`), followed through `@odata.nextLink` (websitedto.enums.schema-only.json).
    const offset = Math.max(0, Number.parseInt(String(req.query.skip ?? '0'), 10) || 0);
    const page = all.slice(offset, offset + options.pageSize).map((s) => toWebsiteDto(s, orgUrl(env)));
    const body: Record<string, unknown> = {
      '@odata.metadata': `${options.baseUrl()}/powerpages/environments/${env.id}/websites/$metadata#Websites`,
      value: page,
    };
    if (offset + options.pageSize < all.length) {
      body['@odata.nextLink'] =
        `${options.baseUrl()}/powerpages/environments/${env.id}/websites?skip=${offset + options.pageSize}&api-version=${POWER_PAGES_API_VERSION}`;
    }
    res.json(body);
  });

  router.get('/powerpages/environments/:environmentId/websites/:websiteId', (req, res) => {
    const env = environmentOf(req, res);
    if (!env) return;
    const site = world.site(env.id, String(req.params.websiteId));
    if (!site)
      return sendError(res, 404, 'WebsiteNotFound', `Website '${req.params.websiteId}' was not found.`);
    res.json({
      '@odata.metadata': `${options.baseUrl()}/powerpages/environments/${env.id}/websites/$metadata#Websites`,
      ...toWebsiteDto(site, orgUrl(env)),
    });
  });

  router.post('/powerpages/environments/:environmentId/websites', (req, res) => {
    const env = environmentOf(req, res);
    if (!env) return;
    const principal = res.locals.principal as SimPrincipal;
    if (!isAdmin(principal, env)) {
      return sendError(
        res,
        403,
        'InsufficientPrivileges',
        'Creating a website needs the System Administrator role in the environment.',
      );
    }
    const problem = validateCreate(world, env, (req.body ?? {}) as Partial<CreateWebsiteRequest>);
    if (problem) return sendError(res, problem.status, problem.code, problem.message);
    const { operation } = world.createSite(env, req.body as CreateWebsiteRequest);
    operationLocation(res, env, operation);
  });

  router.delete('/powerpages/environments/:environmentId/websites/:websiteId', (req, res) => {
    const env = environmentOf(req, res);
    if (!env) return;
    const site = world.site(env.id, String(req.params.websiteId));
    if (!site)
      return sendError(res, 404, 'WebsiteNotFound', `Website '${req.params.websiteId}' was not found.`);
    if (!isAdmin(res.locals.principal as SimPrincipal, env)) {
      return sendError(
        res,
        403,
        'InsufficientPrivileges',
        'Deleting a website needs the System Administrator role.',
      );
    }
    const failure = world.takeDeleteFailure(site.id);
    if (failure?.kind === 'missing_permission') {
      return sendError(
        res,
        403,
        'MissingSiteAppPermission',
        "The website's Microsoft Entra application lacks the permission needed to delete it.",
      );
    }
    if (failure?.kind === 'not_submitted') {
      return sendError(res, 500, 'InternalServerError', 'The delete request could not be submitted.');
    }
    if (site.deleting)
      return sendError(res, 409, 'OperationInProgress', 'The website is already being deleted.');
    const operation = world.deleteSite(site, failure?.kind === 'transient');
    // The delete's success code is not documented (delete-and-restart.http): answer either way.
    if (world.deleteAnswer === 'no-content') return void res.status(204).end();
    operationLocation(res, env, operation);
  });

  router.post('/powerpages/environments/:environmentId/websites/:websiteId/restart', (req, res) => {
    const env = environmentOf(req, res);
    if (!env) return;
    const site = world.site(env.id, String(req.params.websiteId));
    if (!site)
      return sendError(res, 404, 'WebsiteNotFound', `Website '${req.params.websiteId}' was not found.`);
    if (site.status !== 'OperationComplete' || site.deleting) {
      return sendError(
        res,
        409,
        'InvalidWebsiteState',
        `A website in state ${site.status} cannot be restarted.`,
      );
    }
    // No body; Microsoft's client treats any 2xx as success (delete-and-restart.http).
    site.restartingUntil = world.now() + world.duration('restartMs');
    res.status(204).end();
  });

  router.get('/powerpages/environments/:environmentId/operations/:operationId', (req, res) => {
    const env = environmentOf(req, res);
    if (!env) return;
    const now = world.now();
    const operation = world.operation(String(req.params.operationId), now);
    if (!operation || operation.environmentId !== env.id) {
      return sendError(res, 404, 'OperationNotFound', `Operation '${req.params.operationId}' was not found.`);
    }
    const done = now >= operation.endsAt;
    // `{"status":"Running"}` → `{"status":"Succeeded"}` / `{"status":"Failed","error":{…}}`, no
    // website id; `Status`/`Error` when a test asks for the other casing Microsoft's client reads.
    const { statusKey, runningStatus } = world.operationPoll;
    const body: Record<string, unknown> = {
      [statusKey]: done ? (operation.outcome === 'succeed' ? 'Succeeded' : 'Failed') : runningStatus,
    };
    if (done && operation.outcome === 'fail') {
      body[statusKey === 'status' ? 'error' : 'Error'] = {
        code: operation.errorCode ?? 'OperationFailed',
        message: operation.errorMessage ?? 'The operation failed.',
      };
    }
    if (!done)
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil((operation.endsAt - now) / 1000 / 4))));
    res.json(body);
  });

  addDataModelRoutes(router, { world, environmentOf, isAdmin, operationLocation });
  return router;
}

/** The first problem of a create request, as the platform reports it. */
function validateCreate(
  world: SimulatorWorld,
  env: SimEnvironment,
  body: Partial<CreateWebsiteRequest>,
): { status: number; code: string; message: string } | undefined {
  const bad = (code: string, message: string) => ({ status: 400, code, message });
  if (!body.name || typeof body.name !== 'string') return bad('InvalidName', 'A website name is required.');
  if (body.dataverseOrganizationId !== env.organizationId) {
    return bad('InvalidOrganization', 'dataverseOrganizationId does not match the environment.');
  }
  if (typeof body.subdomain !== 'string' || !SUBDOMAIN.test(body.subdomain)) {
    return bad('InvalidSubdomain', 'The subdomain may contain only letters, digits and hyphens.');
  }
  const subdomain = body.subdomain.toLowerCase();
  // Subdomains are unique across environments; only this environment's own site on the same
  // record (re-created after a reset) may keep its subdomain.
  const taken = [...world.sites.values()].find(
    (s) =>
      s.subdomain === subdomain &&
      !s.deleting &&
      !(s.environmentId === env.id && s.websiteRecordId === body.websiteRecordId),
  );
  if (taken) return bad('SubdomainNotAvailable', `The subdomain '${subdomain}' is already in use.`);
  const language = Number(body.selectedBaseLanguage);
  if (UNSUPPORTED_LANGUAGES.has(language))
    return bad('LanguageNotSupported', `Language ${language} is not supported.`);
  if (!env.installedLanguages.includes(language)) {
    return bad('LanguageNotInstalled', `Language ${language} is not installed in the environment.`);
  }
  // templateName is the WebsiteTemplateName enum of api-version 2024-10-01 (Learn "Websites -
  // Create Website"); the platform refuses any other value with a 400 before doing anything.
  const template =
    typeof body.templateName === 'string' && isDocumentedTemplateName(body.templateName)
      ? findTemplate(body.templateName)
      : undefined;
  if (!template) {
    return bad(
      'InvalidTemplateName',
      `The value '${String(body.templateName ?? '')}' is not valid for templateName.`,
    );
  }
  const missing = missingSolutions(
    template,
    env.solutions.map((s) => s.uniqueName),
  );
  if (missing.length > 0) {
    return bad(
      'MissingPrerequisiteSolution',
      `Template '${template.id}' needs these solutions installed first: ${missing.map((m) => m.displayName).join(', ')}.`,
    );
  }
  if (body.websiteRecordId) {
    const active = [...world.sites.values()].find(
      (s) =>
        s.environmentId === env.id &&
        s.websiteRecordId === body.websiteRecordId &&
        s.status !== 'OperationFailed' &&
        !s.deleting,
    );
    if (active)
      return { status: 409, code: 'WebsiteRecordInUse', message: 'That website record already has a site.' };
  }
  return undefined;
}
