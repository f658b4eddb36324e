/**
 * The Power Platform API's application package routes as the simulator serves them
 * (`/appmanagement/environments/{environmentId}/…`, api-version 2024-10-01 or
 * 2022-03-01-preview), with the shapes of test/contracts/samples/power-platform-api/.
 */
import { Router } from 'express';
import { sendError } from '../auth-middleware.ts';
import { environmentOfRequest } from '../environment-of-request.ts';
import type { SimEnvironment, SimPrincipal } from '../model.ts';
import type { SimulatorWorld } from '../world.ts';
import type { SimApplicationPackages, SimPackageOperation } from './application-packages.ts';

/** The API versions the simulated routes accept. */
export const APP_MANAGEMENT_API_VERSIONS = ['2024-10-01', '2022-03-01-preview'];

/** Options of the app-management routes. */
export interface AppManagementRouterOptions {
  world: SimulatorWorld;
  packages: SimApplicationPackages;
  baseUrl: () => string;
}

/** Routes mounted at the simulator root (authentication is mounted before them). */
export function createAppManagementRouter(options: AppManagementRouterOptions): Router {
  const { world, packages } = options;
  const router = Router();

  router.use('/appmanagement', (req, res, next) => {
    const version = String(req.query['api-version'] ?? '');
    if (!APP_MANAGEMENT_API_VERSIONS.includes(version)) {
      return sendError(res, 400, 'InvalidApiVersion', `Use api-version=${APP_MANAGEMENT_API_VERSIONS[0]}.`);
    }
    next();
  });

  const environmentOf = environmentOfRequest(world);

  /** The seed: a System Administrator of the organization installs the package. */
  const isAdmin = (principal: SimPrincipal, env: SimEnvironment): boolean =>
    world.rolesOf(principal, env.id).includes('System Administrator');

  router.get('/appmanagement/environments/:environmentId/applicationPackages', (req, res) => {
    const env = environmentOf(req, res);
    if (!env) return;
    const wanted = String(req.query.appInstallState ?? 'All');
    const value = packages
      .list(env)
      .filter((p) =>
        wanted === 'Installed' ? p.state !== 'None' : wanted === 'NotInstalled' ? p.state === 'None' : true,
      );
    res.json({ value });
  });

  router.post(
    '/appmanagement/environments/:environmentId/applicationPackages/:uniqueName/install',
    (req, res) => {
      const env = environmentOf(req, res);
      if (!env) return;
      const principal = res.locals.principal as SimPrincipal;
      if (!isAdmin(principal, env)) {
        return sendError(
          res,
          403,
          'Forbidden',
          'Installing application packages needs the System Administrator role in the environment.',
        );
      }
      const outcome = packages.install(env, String(req.params.uniqueName));
      if ('refused' in outcome) {
        // The shape pac CLI users quote for this answer (powerplatform-build-tools#761).
        res.status(400).json({ StatusCode: 400, Message: outcome.refused });
        return;
      }
      const operationUrl = `${options.baseUrl()}/appmanagement/environments/${env.id}/operations/${outcome.id}?api-version=${String(req.query['api-version'])}`;
      if (packages.installAnswer === 202) {
        res.setHeader('Operation-Location', operationUrl);
        res.status(202).end();
        return;
      }
      res.status(200).json(instancePackageOf(env, outcome, packages));
    },
  );

  router.get('/appmanagement/environments/:environmentId/operations/:operationId', (req, res) => {
    const env = environmentOf(req, res);
    if (!env) return;
    const operation = packages.operations.get(String(req.params.operationId));
    if (!operation || operation.environmentId !== env.id) {
      return sendError(res, 404, 'OperationNotFound', `Operation '${req.params.operationId}' was not found.`);
    }
    res.json(packages.operationBody(operation));
  });

  return router;
}

/** The 200 body of an install (`InstancePackage`, as in the tutorial's example). */
function instancePackageOf(
  env: SimEnvironment,
  operation: SimPackageOperation,
  packages: SimApplicationPackages,
): Record<string, unknown> {
  const listed = packages.list(env).find((p) => p.uniqueName === operation.uniqueName);
  return {
    id: listed?.instancePackageId ?? operation.id,
    packageId: listed?.id ?? '',
    applicationId: listed?.applicationId ?? '',
    applicationName: listed?.applicationName ?? operation.uniqueName,
    applicationDescription: '',
    singlePageApplicationUrl: '',
    publisherName: listed?.publisherName ?? '',
    publisherId: listed?.publisherId ?? '',
    packageUniqueName: operation.uniqueName,
    packageVersion: listed?.version ?? '',
    localizedDescription: listed?.localizedDescription ?? '',
    localizedName: listed?.localizedName ?? '',
    learnMoreUrl: listed?.learnMoreUrl ?? '',
    termsOfServiceBlobUris: [],
    applicationVisibility: listed?.applicationVisibility ?? 'All',
    lastOperation: {
      state: 'InstallRequested',
      createdOn: new Date(operation.createdAt).toISOString(),
      modifiedOn: null,
      errorDetails: null,
      statusMessage: null,
      instancePackageId: listed?.instancePackageId ?? null,
      operationId: operation.id,
    },
    customHandleUpgrade: false,
  };
}
