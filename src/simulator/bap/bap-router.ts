/**
 * The environment lookup of the Business Application Platform admin API, as the simulator
 * serves it, in the shape of the real answers (test/contracts/samples/bap/: the published
 * `environment.get` capture and Terraform's recorded list). The admin scope sees the caller's
 * tenant only: an environment of another tenant is not found.
 */
import type { Request, Response } from 'express';
import { Router } from 'express';
import { sendError } from '../auth-middleware.ts';
import type { SimEnvironment, SimPrincipal } from '../model.ts';
import type { SimulatorWorld } from '../world.ts';

/** The API version the lookup accepts. */
export const BAP_API_VERSION = '2021-04-01';

const ENVIRONMENTS_PATH = '/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments';

/** One environment as BAP describes it. */
export function bapEnvironmentOf(env: SimEnvironment, baseUrl: string) {
  const orgUrl = `${baseUrl}/orgs/${env.orgUniqueName}`;
  return {
    id: `${ENVIRONMENTS_PATH}/${env.id}`,
    type: 'Microsoft.BusinessAppPlatform/scopes/environments',
    location: 'unitedstates',
    name: env.id,
    properties: {
      tenantId: env.tenantId,
      azureRegion: 'westus',
      displayName: env.displayName,
      provisioningState: 'Succeeded',
      creationType: 'User',
      environmentSku: env.protected ? 'Production' : 'Sandbox',
      isDefault: false,
      databaseType: 'CommonDataService',
      linkedEnvironmentMetadata: {
        resourceId: env.organizationId,
        friendlyName: env.displayName,
        uniqueName: env.orgUniqueName,
        domainName: env.orgUniqueName,
        version: '9.2.25111.00000',
        // The real service ends instanceUrl with a slash and gives the Web API its own host;
        // the simulator serves both on one host.
        instanceUrl: `${orgUrl}/`,
        instanceApiUrl: orgUrl,
        baseLanguage: env.baseLanguage,
        instanceState: 'Ready',
      },
      states: { management: { id: 'NotSpecified' }, runtime: { id: 'Enabled' } },
    },
  };
}

/**
 * `GET …/scopes/admin/environments` and `GET …/scopes/admin/environments/{id}`. Mount behind
 * `authenticate` so `res.locals.principal` holds the caller.
 */
export function createBapRouter(options: { world: SimulatorWorld; baseUrl: () => string }): Router {
  const router = Router();
  const apiVersionOk = (req: Request, res: Response) => {
    if (req.query['api-version'] === BAP_API_VERSION) return true;
    sendError(res, 400, 'InvalidApiVersion', `Use api-version=${BAP_API_VERSION}.`);
    return false;
  };
  const callerTenant = (res: Response) => (res.locals.principal as SimPrincipal).tenantId.toLowerCase();

  router.get(ENVIRONMENTS_PATH, (req, res) => {
    if (!apiVersionOk(req, res)) return;
    const tenant = callerTenant(res);
    res.json({
      value: options.world.environments
        .filter((e) => e.tenantId.toLowerCase() === tenant)
        .map((e) => bapEnvironmentOf(e, options.baseUrl())),
    });
  });

  router.get(`${ENVIRONMENTS_PATH}/:environmentId`, (req, res) => {
    if (!apiVersionOk(req, res)) return;
    const env = options.world.findEnvironment(String(req.params.environmentId));
    if (!env || env.id !== req.params.environmentId || env.tenantId.toLowerCase() !== callerTenant(res)) {
      return sendError(
        res,
        404,
        'EnvironmentNotFound',
        `Environment '${req.params.environmentId}' was not found.`,
      );
    }
    res.json(bapEnvironmentOf(env, options.baseUrl()));
  });
  return router;
}
