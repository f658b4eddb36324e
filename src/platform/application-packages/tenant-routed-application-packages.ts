/**
 * One {@link ApplicationPackagesApi} for environments in several tenants: each call goes to the
 * client of the tenant the registry gives for its environment (an operation URL names its
 * environment: `…/appmanagement/environments/{id}/operations/{operationId}`), so its token comes
 * from that tenant. An environment the registry does not know uses the default tenant.
 */
import type { EnvironmentRegistry } from '../../config/environment-registry.ts';
import type { ApplicationPackagesApi } from '../ports.ts';

/** The environment id in an app-management operation URL, if it names one. */
function environmentOfOperation(operationUrl: string): string | undefined {
  try {
    return /\/environments\/([^/]+)\/operations\//.exec(new URL(operationUrl).pathname)?.[1];
  } catch {
    return undefined;
  }
}

/** Routes every call to the client of its environment's tenant. */
export function routeApplicationPackagesByTenant(options: {
  registry: Pick<EnvironmentRegistry, 'find'>;
  defaultTenantId: string;
  clientFor: (tenantId: string) => ApplicationPackagesApi;
}): ApplicationPackagesApi {
  const clients = new Map<string, ApplicationPackagesApi>();
  const of = (environmentId: string | undefined): ApplicationPackagesApi => {
    const tenantId =
      (environmentId ? options.registry.find(environmentId)?.tenantId : undefined) || options.defaultTenantId;
    const key = tenantId.toLowerCase();
    let client = clients.get(key);
    if (!client) {
      client = options.clientFor(tenantId);
      clients.set(key, client);
    }
    return client;
  };
  return {
    listPackages: (environmentId) => of(environmentId).listPackages(environmentId),
    installPackage: (environmentId, uniqueName) =>
      of(environmentId).installPackage(environmentId, uniqueName),
    getInstallOperation: (operationUrl) =>
      of(environmentOfOperation(operationUrl)).getInstallOperation(operationUrl),
    waitForInstall: (operationUrl, waitOptions) =>
      of(environmentOfOperation(operationUrl)).waitForInstall(operationUrl, waitOptions),
  };
}
