/**
 * Dynamics 365 application packages of an environment, as the Power Platform API describes them
 * (`/appmanagement/environments/{environmentId}/applicationPackages`, api-version 2024-10-01;
 * shapes in test/contracts/samples/power-platform-api/). The portal of a Power Pages site is
 * installed as one of these packages; when it fails the site shows "Getting set up".
 */
import { PORTAL_ADD_ONS, type PortalAddOn } from './portal-add-ons.ts';

/** Documented values of `ApplicationPackage.state` (Learn `InstancePackageState`). */
export const INSTANCE_PACKAGE_STATES = [
  'None',
  'Installed',
  'Uninstalled',
  'InstallRequested',
  'UninstallRequested',
  'InstallFailed',
  'UninstallFailed',
  'Installing',
  'Uninstalling',
  'InstallScheduled',
  'InstallRetrying',
  'TemplateInstalled',
] as const;

/** A documented package state, or one the platform added later (kept verbatim). */
export type InstancePackageState = (typeof INSTANCE_PACKAGE_STATES)[number] | (string & {});

/** Documented values of an install operation's `status` (Learn `InstancePackageOperationStatus`). */
export const PACKAGE_OPERATION_STATUSES = [
  'NotStarted',
  'Running',
  'Succeeded',
  'Failed',
  'Canceled',
] as const;

/** An install operation's status as received. */
export type PackageOperationStatus = (typeof PACKAGE_OPERATION_STATUSES)[number] | (string & {});

/** The platform's error details on a package or an operation (Learn `ErrorDetails`). */
export interface PackageErrorDetails {
  message: string;
  errorName?: string;
  errorCode?: number;
}

/** One entry of an environment's package list. */
export interface ApplicationPackage {
  /** Package or instance package id. */
  id: string;
  /** What the install call takes (`…/applicationPackages/{uniqueName}/install`). */
  uniqueName: string;
  version: string;
  applicationName: string;
  localizedName: string;
  publisherName: string;
  /** Where the package is offered (`All`, `CrmAdminCenter`, …, `None`). */
  applicationVisibility: string;
  state: InstancePackageState;
  /** Set once the package has an instance in the environment; the documented id of a retry. */
  instancePackageId: string | null;
  lastError?: PackageErrorDetails;
}

/** What polling an install operation returns. */
export interface PackageInstallOperation {
  operationId: string;
  status: PackageOperationStatus;
  createdDateTime: string;
  lastActionDateTime: string;
  statusMessage: string;
  error?: PackageErrorDetails;
}

/** An install the platform accepted: where to follow it. */
export interface AcceptedPackageInstall {
  operationId: string;
  /** Absolute URL of `…/operations/{operationId}`; persist it the moment it is known. */
  operationUrl: string;
}

/** Whether an operation status is final. */
export function isFinalOperationStatus(status: PackageOperationStatus): boolean {
  return status === 'Succeeded' || status === 'Failed' || status === 'Canceled' || status === 'Cancelled';
}

/** Words in a package's names that say it is the portal (Power Pages) package. */
const PORTAL_WORDS = /portal|power\s*pages|powerpages/i;

/** Whether a package looks like a portal / Power Pages package by its names. */
export function isPortalPackage(pkg: ApplicationPackage): boolean {
  return [pkg.uniqueName, pkg.applicationName, pkg.localizedName].some((name) => PORTAL_WORDS.test(name));
}

/** The result of looking for a site's failed portal package. */
export type PortalPackageMatch =
  | { kind: 'found'; package: ApplicationPackage }
  | { kind: 'none' }
  | { kind: 'ambiguous'; candidates: ApplicationPackage[] };

/**
 * The failed portal package to retry, found in the environment's list. No document names the
 * portal package's unique name, so it is the package whose install failed and whose names
 * mention portal / Power Pages. With several, the one naming the site's template wins; otherwise
 * the choice is left to a person.
 */
export function findFailedPortalPackage(
  packages: readonly ApplicationPackage[],
  templateName?: string,
): PortalPackageMatch {
  const failed = packages.filter((p) => p.state === 'InstallFailed' && isPortalPackage(p));
  if (failed.length === 1) return { kind: 'found', package: failed[0]! };
  if (failed.length === 0) return { kind: 'none' };
  const template = templateName?.toLowerCase().replace(/template$/, '');
  const named = template
    ? failed.filter((p) =>
        [p.uniqueName, p.applicationName, p.localizedName].some((n) =>
          n
            .toLowerCase()
            .replace(/[\s_-]/g, '')
            .includes(template),
        ),
      )
    : [];
  if (named.length === 1) return { kind: 'found', package: named[0]! };
  return { kind: 'ambiguous', candidates: failed };
}

/**
 * The portal add-on a package installs, by its names (e.g. a "Partner Field Service" package on a
 * partner site), so that the add-on's own prerequisites are checked too.
 */
export function addOnInstalledBy(pkg: ApplicationPackage): PortalAddOn | undefined {
  const squash = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');
  const names = [pkg.uniqueName, pkg.applicationName, pkg.localizedName].map(squash);
  return PORTAL_ADD_ONS.find((addOn) =>
    [addOn.displayName, ...addOn.aliases]
      .filter((alias) => alias.includes(' '))
      .some((alias) => names.some((name) => name.includes(squash(alias)))),
  );
}

/**
 * The admin centre page of an environment, as the platform itself links it (BAP
 * `properties.clientUris.admin`, see test/contracts/samples/bap/). Its Dynamics 365 apps list is
 * under Resources → Dynamics 365 apps; no deep link to that list itself is documented.
 */
export function adminCenterEnvironmentUrl(environmentId: string): string {
  return `https://admin.powerplatform.microsoft.com/environments/environment/${encodeURIComponent(environmentId)}/hub`;
}
