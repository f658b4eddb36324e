import { describe, expect, it } from 'vitest';
import {
  type ApplicationPackage,
  addOnInstalledBy,
  adminCenterEnvironmentUrl,
  findFailedPortalPackage,
} from '../../../src/domain/application-package.ts';

const pkg = (
  uniqueName: string,
  state: string,
  names: Partial<ApplicationPackage> = {},
): ApplicationPackage => ({
  id: uniqueName,
  uniqueName,
  version: '1.0',
  applicationName: uniqueName,
  localizedName: uniqueName,
  publisherName: 'Microsoft',
  applicationVisibility: 'All',
  state,
  instancePackageId: null,
  ...names,
});

describe('findFailedPortalPackage', () => {
  it('takes the one failed package whose names mention portals or Power Pages', () => {
    const list = [
      pkg('Office365Groups', 'InstallFailed'),
      pkg('msdyn_Something', 'Installed', { localizedName: 'Power Pages core' }),
      pkg('Contoso_Pkg', 'InstallFailed', { localizedName: 'Dynamics 365 Portals - Community' }),
    ];
    expect(findFailedPortalPackage(list, 'Community')).toEqual({ kind: 'found', package: list[2] });
  });

  it('finds none when only other packages failed', () => {
    expect(findFailedPortalPackage([pkg('Office365Groups', 'InstallFailed')], 'Community')).toEqual({
      kind: 'none',
    });
  });

  it('picks the failed portal package naming the site template, and leaves an unresolvable choice to a person', () => {
    const list = [
      pkg('PowerPagesPortal_Community', 'InstallFailed'),
      pkg('PowerPagesPortal_CustomerSelfServicePortal', 'InstallFailed'),
    ];
    expect(findFailedPortalPackage(list, 'CustomerSelfServicePortal')).toEqual({
      kind: 'found',
      package: list[1],
    });
    expect(findFailedPortalPackage(list, 'PartnerPortal')).toEqual({ kind: 'ambiguous', candidates: list });
  });
});

describe('addOnInstalledBy', () => {
  it('recognises the Partner Field Service package by any of its names', () => {
    expect(addOnInstalledBy(pkg('MicrosoftPortal_PartnerFieldService', 'InstallFailed'))?.displayName).toBe(
      'Partner Field Service',
    );
    expect(
      addOnInstalledBy(
        pkg('x', 'InstallFailed', { localizedName: 'Dynamics 365 Portals - Partner Project Service' }),
      )?.displayName,
    ).toBe('Partner Project Service');
    expect(addOnInstalledBy(pkg('PowerPagesPortal_Community', 'InstallFailed'))).toBeUndefined();
  });
});

describe('adminCenterEnvironmentUrl', () => {
  it('is the environment page the platform itself links (BAP clientUris.admin)', () => {
    expect(adminCenterEnvironmentUrl('0a1b2c3d-1111-4000-8000-000000000001')).toBe(
      'https://admin.powerplatform.microsoft.com/environments/environment/0a1b2c3d-1111-4000-8000-000000000001/hub',
    );
  });
});
