import { describe, expect, it } from 'vitest';
import type { EnvironmentEntry } from '../../../src/domain/environment.ts';
import { routeApplicationPackagesByTenant } from '../../../src/platform/application-packages/tenant-routed-application-packages.ts';
import type { ApplicationPackagesApi } from '../../../src/platform/ports.ts';

const entry = (environmentId: string, tenantId: string): EnvironmentEntry => ({
  alias: environmentId,
  displayName: environmentId,
  environmentId,
  dataverseUrl: `https://${environmentId}.crm.dynamics.com`,
  tenantId,
  protected: false,
});

describe('routeApplicationPackagesByTenant', () => {
  it("sends each call to its environment's tenant, operation URLs included, and unknown ones to the default", async () => {
    const calls: string[] = [];
    const clientFor = (tenantId: string): ApplicationPackagesApi => ({
      listPackages: async (environmentId) => {
        calls.push(`${tenantId} list ${environmentId}`);
        return [];
      },
      installPackage: async (environmentId, uniqueName) => {
        calls.push(`${tenantId} install ${environmentId} ${uniqueName}`);
        return {
          operationId: 'op',
          operationUrl: `https://api.powerplatform.com/appmanagement/environments/${environmentId}/operations/op`,
        };
      },
      getInstallOperation: async (url) => {
        calls.push(`${tenantId} poll ${url.split('/environments/')[1]}`);
        return {
          operationId: 'op',
          status: 'Running',
          createdDateTime: '',
          lastActionDateTime: '',
          statusMessage: '',
        };
      },
      waitForInstall: async () => {
        calls.push(`${tenantId} wait`);
        return {
          operationId: 'op',
          status: 'Succeeded',
          createdDateTime: '',
          lastActionDateTime: '',
          statusMessage: '',
        };
      },
    });
    const entries = [entry('env-a', 'tenant-a'), entry('env-b', 'tenant-b')];
    const api = routeApplicationPackagesByTenant({
      registry: { find: (name) => entries.find((e) => e.environmentId === name) },
      defaultTenantId: 'tenant-home',
      clientFor,
    });
    await api.listPackages('env-b');
    const accepted = await api.installPackage('env-a', 'Pkg');
    await api.getInstallOperation(accepted.operationUrl);
    await api.listPackages('env-unknown');
    expect(calls).toEqual([
      'tenant-b list env-b',
      'tenant-a install env-a Pkg',
      'tenant-a poll env-a/operations/op',
      'tenant-home list env-unknown',
    ]);
  });
});
