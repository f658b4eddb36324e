/**
 * A Power Pages website as the Power Pages admin API describes it (`WebsiteDto`,
 * `/powerpages/environments/{environmentId}/websites`, api-version 2024-10-01).
 *
 * The enumerations are the documented ones (Learn "Websites - Get Websites", copied in
 * test/contracts/samples/power-pages-api/websitedto.enums.schema-only.json). A value the
 * platform adds later is kept verbatim (`T | (string & {})`), never coerced to a known one:
 * src/domain/site-state.ts shows it as an unknown state.
 */

/** A documented value, or one PortalOps does not know yet (kept as the platform sent it). */
export type Open<T extends string> = T | (string & {});

/** The documented values of `WebsiteDto.status`: the state of the site's last platform operation. */
export const WEBSITE_STATUSES = [
  'OperationComplete',
  'OperationFailed',
  'OperationInProgress',
  'OperationNotStarted',
] as const;
/** A documented `WebsiteDto.status`. */
export type KnownWebsiteStatus = (typeof WEBSITE_STATUSES)[number];
/** `WebsiteDto.status` as received. */
export type WebsiteStatus = Open<KnownWebsiteStatus>;

/** The documented values of `WebsiteDto.packageInstallStatus` (the portal package, installed after provisioning). */
export const PACKAGE_INSTALL_STATUSES = [
  'InstallFailed',
  'InstallRequested',
  'InstallRetrying',
  'InstallScheduled',
  'Installed',
  'Installing',
  'None',
  'TemplateInstalled',
  'UninstallFailed',
  'UninstallRequested',
  'Uninstalled',
  'Uninstalling',
] as const;
/** A documented `WebsiteDto.packageInstallStatus`. */
export type KnownPackageInstallStatus = (typeof PACKAGE_INSTALL_STATUSES)[number];
/** `WebsiteDto.packageInstallStatus` as received. */
export type PackageInstallStatus = Open<KnownPackageInstallStatus>;

/** The documented values of `WebsiteDto.type`; decided by the platform, shown, never asked. */
export const WEBSITE_TYPES = ['Production', 'Trial'] as const;
/** `WebsiteDto.type` as received. */
export type WebsiteType = Open<(typeof WEBSITE_TYPES)[number]>;

/** The documented values of `WebsiteDto.siteVisibility`, lower case as the API sends them. */
export const SITE_VISIBILITIES = ['private', 'public'] as const;
/** `WebsiteDto.siteVisibility` as received. */
export type SiteVisibility = Open<(typeof SITE_VISIBILITIES)[number]>;

/**
 * Values of `WebsiteDto.dataModel`. Not documented: the live service returns it (see
 * website-get.2022-03-01-preview.response.json), so it may be absent.
 */
export const DATA_MODELS = ['Enhanced', 'Standard'] as const;
/** `WebsiteDto.dataModel` as received. */
export type DataModel = Open<(typeof DATA_MODELS)[number]>;

/** The WebsiteDto fields PortalOps reads. */
export interface Website {
  /** The portal id: the `{id}` of `/websites/{id}` (never the website record id). */
  id: string;
  name: string;
  createdOn: string;
  templateName: string;
  websiteUrl: string;
  tenantId: string;
  dataverseInstanceUrl: string;
  environmentName: string;
  environmentId: string;
  dataverseOrganizationId: string;
  selectedBaseLanguage: number;
  customHostNames: string[];
  /** The Dataverse row of the site's configuration (adx_website or powerpagesite). */
  websiteRecordId: string;
  subdomain: string;
  packageInstallStatus: PackageInstallStatus;
  type: WebsiteType;
  trialExpiringInDays: number | null;
  suspendedWebsiteDeletingInDays: number | null;
  packageVersion: string;
  isEarlyUpgradeEnabled: boolean;
  isCustomErrorEnabled: boolean;
  applicationUserAadAppId: string;
  ownerId: string;
  status: WebsiteStatus;
  siteVisibility: SiteVisibility;
  /** Undocumented; undefined when the platform did not send it. */
  dataModel?: DataModel;
}

/** Body of `POST .../websites` (create a website). */
export interface CreateWebsiteRequest {
  dataverseOrganizationId: string;
  name: string;
  /** LCID of the site's base language, e.g. 1033. */
  selectedBaseLanguage: number;
  subdomain: string;
  templateName: string;
  /** Re-provision on an existing website record (reset + reactivate, migration). */
  websiteRecordId?: string;
}

/**
 * Where a long-running operation stands. The poll body is undocumented; Microsoft's own client
 * (operation-status-poll.inferred.md) treats `Succeeded` and `Failed` as final and anything
 * else as still running, so PortalOps does the same.
 */
export type OperationState = 'running' | 'succeeded' | 'failed';

/** What polling an `Operation-Location` URL returns. It names no website: find the site by listing. */
export interface Operation {
  state: OperationState;
  /** The status text as the platform sent it (`status` or `Status`); '' when it sent none. */
  rawStatus: string;
  /** Why it failed, from `error` or `Error`, when the platform said. */
  error?: { code?: string; message: string };
}
