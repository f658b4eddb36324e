/**
 * A Power Pages website as the Power Pages admin API describes it (`WebsiteDto`,
 * `/powerpages/environments/{environmentId}/websites`, api-version 2024-10-01).
 */

/** Lifecycle status of the hosted site. */
export type WebsiteStatus =
  | 'Configuring'
  | 'Configured'
  | 'ProvisioningFailed'
  | 'Stopped'
  | 'Suspended'
  | 'Deleting';

/** Status of the portal package install that follows provisioning ("Getting set up" while not done). */
export type PackageInstallStatus = 'NotStarted' | 'Installing' | 'Installed' | 'InstallFailed';

/** Site type; decided by the platform, shown, never asked. */
export type WebsiteType = 'Trial' | 'Production' | 'Developer';

/** Who the site is for; decides which templates may be chosen. */
export type SiteVisibility = 'Private' | 'Public';

/** The documented WebsiteDto fields PortalOps reads. */
export interface Website {
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

/** State of a long-running platform operation (the `Operation-Location` resource). */
export type OperationStatus = 'NotStarted' | 'Running' | 'Succeeded' | 'Failed' | 'Cancelled';

/** What polling an `Operation-Location` URL returns. */
export interface Operation {
  id: string;
  status: OperationStatus;
  createdDateTime: string;
  lastActionDateTime: string;
  /** Percent complete when the platform reports it. */
  percentComplete?: number;
  /** The website the operation concerns, when known. */
  websiteId?: string;
  error?: { code: string; message: string };
}
