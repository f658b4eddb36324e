/**
 * The environment lookup of the Business Application Platform admin API, as the simulator
 * serves it.
 */
import { Router } from 'express';
import { sendError } from '../auth-middleware.ts';
import type { SimulatorWorld } from '../world.ts';

/** The API version the lookup accepts. */
export const BAP_API_VERSION = '2021-04-01';

/** `GET /providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/{id}`. */
export function createBapRouter(options: { world: SimulatorWorld; baseUrl: () => string }): Router {
  const router = Router();
  router.get(
    '/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/:environmentId',
    (req, res) => {
      if (req.query['api-version'] !== BAP_API_VERSION) {
        return sendError(res, 400, 'InvalidApiVersion', `Use api-version=${BAP_API_VERSION}.`);
      }
      const env = options.world.findEnvironment(String(req.params.environmentId));
      if (!env || env.id !== req.params.environmentId) {
        return sendError(
          res,
          404,
          'EnvironmentNotFound',
          `Environment '${req.params.environmentId}' was not found.`,
        );
      }
      res.json({
        id: `/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${env.id}`,
        name: env.id,
        type: 'Microsoft.BusinessAppPlatform/scopes/environments',
        properties: {
          displayName: env.displayName,
          tenantId: env.tenantId,
          linkedEnvironmentMetadata: {
            instanceUrl: `${options.baseUrl()}/orgs/${env.orgUniqueName}/`,
            resourceId: env.organizationId,
            uniqueName: env.orgUniqueName,
            baseLanguage: env.baseLanguage,
            version: '9.2.25111.00000',
          },
        },
      });
    },
  );
  return router;
}
