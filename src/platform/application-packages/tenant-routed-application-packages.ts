/**
 * One {@link ApplicationPackagesApi} for environments in several tenants: each call goes to the
 * client of the tenant the registry gives for its environment (an operation URL names its
 * environment: `…/appmanagement/environments/{id}/operations/{operationId}`), so its token comes
 * from that tenant. An environment the registry does not know uses the default tenant.
 */
import { clientsByTenant, type TenantClientsOptions } from '../environments/tenant-clients.ts';
import type { ApplicationPackagesApi } from '../ports.ts';

/** Routes every call to the client of its environment's tenant. */
export function routeApplicationPackagesByTenant(
  options: TenantClientsOptions<ApplicationPackagesApi>,
): ApplicationPackagesApi {
  const of = clientsByTenant(options);
  return {
    listPackages: (environmentId) => of(environmentId).listPackages(environmentId),
    installPackage: (environmentId, uniqueName) =>
      of(environmentId).installPackage(environmentId, uniqueName),
    getInstallOperation: (operationUrl) => of(operationUrl).getInstallOperation(operationUrl),
    waitForInstall: (operationUrl, waitOptions) => of(operationUrl).waitForInstall(operationUrl, waitOptions),
  };
}
