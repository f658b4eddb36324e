/**
 * Reads a `WebsiteDto` defensively: the API may omit optional fields or add new ones, and an
 * unknown status must not crash a list.
 */
import type {
  PackageInstallStatus,
  SiteVisibility,
  Website,
  WebsiteStatus,
  WebsiteType,
} from '../../domain/website.ts';

const STATUSES: readonly WebsiteStatus[] = [
  'Configuring',
  'Configured',
  'ProvisioningFailed',
  'Stopped',
  'Suspended',
  'Deleting',
];
const PACKAGE_STATUSES: readonly PackageInstallStatus[] = [
  'NotStarted',
  'Installing',
  'Installed',
  'InstallFailed',
];
const TYPES: readonly WebsiteType[] = ['Trial', 'Production', 'Developer'];

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  const text = typeof value === 'string' ? value.replace(/\s+/g, '') : '';
  return allowed.find((a) => a.toLowerCase() === text.toLowerCase()) ?? fallback;
}

const str = (value: unknown): string =>
  typeof value === 'string' ? value : value == null ? '' : String(value);
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Maps one DTO from the API to a {@link Website}. */
export function toWebsite(dto: unknown): Website {
  const d = (dto ?? {}) as Record<string, unknown>;
  return {
    id: str(d.id),
    name: str(d.name),
    createdOn: str(d.createdOn),
    templateName: str(d.templateName),
    websiteUrl: str(d.websiteUrl),
    tenantId: str(d.tenantId),
    dataverseInstanceUrl: str(d.dataverseInstanceUrl),
    environmentName: str(d.environmentName),
    environmentId: str(d.environmentId),
    dataverseOrganizationId: str(d.dataverseOrganizationId),
    selectedBaseLanguage: num(d.selectedBaseLanguage) ?? 0,
    customHostNames: Array.isArray(d.customHostNames) ? d.customHostNames.map(str) : [],
    websiteRecordId: str(d.websiteRecordId),
    subdomain: str(d.subdomain),
    packageInstallStatus: oneOf(d.packageInstallStatus, PACKAGE_STATUSES, 'NotStarted'),
    type: oneOf(d.type, TYPES, 'Production'),
    trialExpiringInDays: num(d.trialExpiringInDays),
    suspendedWebsiteDeletingInDays: num(d.suspendedWebsiteDeletingInDays),
    packageVersion: str(d.packageVersion),
    isEarlyUpgradeEnabled: d.isEarlyUpgradeEnabled === true,
    isCustomErrorEnabled: d.isCustomErrorEnabled === true,
    applicationUserAadAppId: str(d.applicationUserAadAppId),
    ownerId: str(d.ownerId),
    status: oneOf(d.status, STATUSES, 'Configuring'),
    siteVisibility: oneOf<SiteVisibility>(d.siteVisibility, ['Private', 'Public'], 'Private'),
  };
}
