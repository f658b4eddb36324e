/**
 * The state of a site in the words admins know from the Power Pages admin centre and the product
 * documents ("Configuring", "Provisioning failed", "Getting set up", "Configured", "Suspended",
 * "Not configured"), derived from the raw WebsiteDto fields. Every rule, view, alert and command
 * reads a site's state through {@link siteStateOf}; nothing else interprets `status` or
 * `packageInstallStatus`.
 *
 * Precedence (first match wins):
 *
 * | # | status                | other fields                                              | state                  | admin-centre word     |
 * |---|-----------------------|-----------------------------------------------------------|------------------------|-----------------------|
 * | 1 | not documented        | (any)                                                     | unknown                | the raw value         |
 * | 2 | OperationFailed       | (any)                                                     | provisioning_failed    | Provisioning failed   |
 * | 3 | OperationInProgress   | (any)                                                     | provisioning           | Configuring           |
 * | 4 | OperationNotStarted   | (any)                                                     | not_configured         | Not configured        |
 * | 5 | OperationComplete     | type Trial, trialExpiringInDays ≤ 0, deletion ≤ warn days | deleting_soon          | Suspended             |
 * | 6 | OperationComplete     | type Trial, trialExpiringInDays ≤ 0                       | suspended              | Suspended             |
 * | 7 | OperationComplete     | package not documented                                    | unknown                | the raw value         |
 * | 8 | OperationComplete     | package InstallFailed                                     | package_install_failed | Getting set up        |
 * | 9 | OperationComplete     | package None/InstallRequested/Scheduled/Installing/Retrying | package_installing   | Getting set up        |
 * |10 | OperationComplete     | package Uninstall* / Uninstalled                          | package_removed        | Package removed       |
 * |11 | OperationComplete     | type Trial, 0 < trialExpiringInDays ≤ trial warn days     | trial_ending           | Configured            |
 * |12 | OperationComplete     | package Installed / TemplateInstalled                     | configured             | Configured            |
 *
 * Why this order: a failed or running platform operation says more than the package does (the
 * package only moves once the site exists); a suspended site is down whatever its package says;
 * a package that is not installed keeps the site on "Getting set up", which matters more than a
 * trial's countdown. Inferences, because the API documents no meaning for them: `None` on a
 * complete site is a package not started yet; `TemplateInstalled` is a finished install; a trial
 * is suspended once `trialExpiringInDays` reaches 0 (the admin centre suspends expired trials),
 * and `suspendedWebsiteDeletingInDays` then counts down to its deletion (the live sample has it
 * 7 days beyond the trial's end). A production site's suspension (capacity or licensing) shows in
 * no documented field, so it cannot be derived; neither can a stopped site (the API has
 * start/stop calls but no field that reports them).
 */
import {
  type KnownPackageInstallStatus,
  type KnownWebsiteStatus,
  PACKAGE_INSTALL_STATUSES,
  WEBSITE_STATUSES,
  type Website,
} from './website.ts';

/** The states admins know. */
export type SiteStateKind =
  | 'configured'
  | 'provisioning'
  | 'provisioning_failed'
  | 'package_installing'
  | 'package_install_failed'
  | 'package_removed'
  | 'trial_ending'
  | 'suspended'
  | 'deleting_soon'
  | 'not_configured'
  | 'unknown';

/** A site's state, ready to show. */
export interface SiteState {
  kind: SiteStateKind;
  /** The admin-centre word, e.g. "Configuring"; for an unknown state, the raw value. */
  label: string;
  /** What needs attention, in a few words (e.g. "trial ends in 5 days"), when something does. */
  attention?: string;
  /** Days to the event the state counts down to (trial end, deletion), when there is one. */
  daysLeft?: number;
  /** The raw API values, verbatim, as support tickets quote them. */
  details: string;
}

/** Thresholds of {@link siteStateOf}. */
export interface SiteStateOptions {
  /** A trial this many days from its end or fewer is "ending". Default 7. */
  trialWarnDays?: number;
  /** A suspended site this many days from deletion or fewer is "deleting soon". Default 7. */
  deletionWarnDays?: number;
}

/** The default warning threshold in days (as `PORTALOPS_ALERT_WARN_DAYS` defaults). */
export const DEFAULT_WARN_DAYS = 7;

/** The fields the state is derived from. */
export type SiteStateInput = Pick<
  Website,
  | 'status'
  | 'packageInstallStatus'
  | 'type'
  | 'trialExpiringInDays'
  | 'suspendedWebsiteDeletingInDays'
  | 'dataModel'
>;

const PACKAGE_PENDING = new Set<KnownPackageInstallStatus>([
  'None',
  'InstallRequested',
  'InstallScheduled',
  'Installing',
  'InstallRetrying',
]);
const PACKAGE_REMOVED = new Set<KnownPackageInstallStatus>([
  'UninstallRequested',
  'Uninstalling',
  'Uninstalled',
  'UninstallFailed',
]);

const isKnownStatus = (value: string): value is KnownWebsiteStatus =>
  (WEBSITE_STATUSES as readonly string[]).includes(value);
const isKnownPackage = (value: string): value is KnownPackageInstallStatus =>
  (PACKAGE_INSTALL_STATUSES as readonly string[]).includes(value);

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** The raw API values in one line, e.g. "status OperationComplete · package Installed · Trial, trial 5 · deletion in 12 · Enhanced". */
export function rawSiteDetails(site: SiteStateInput): string {
  const parts = [`status ${site.status || '(none)'}`, `package ${site.packageInstallStatus || '(none)'}`];
  parts.push(`type ${site.type || '(none)'}`);
  if (site.trialExpiringInDays !== null) parts.push(`trialExpiringInDays ${site.trialExpiringInDays}`);
  if (site.suspendedWebsiteDeletingInDays !== null)
    parts.push(`suspendedWebsiteDeletingInDays ${site.suspendedWebsiteDeletingInDays}`);
  if (site.dataModel !== undefined) parts.push(`dataModel ${site.dataModel}`);
  return parts.join(' · ');
}

/** Derives the admin-centre state of a site from its raw fields (table in the file header). Pure. */
export function siteStateOf(site: SiteStateInput, options: SiteStateOptions = {}): SiteState {
  const trialWarnDays = options.trialWarnDays ?? DEFAULT_WARN_DAYS;
  const deletionWarnDays = options.deletionWarnDays ?? DEFAULT_WARN_DAYS;
  const details = rawSiteDetails(site);
  const state = (kind: SiteStateKind, label: string, extra: Partial<SiteState> = {}): SiteState => ({
    kind,
    label,
    ...extra,
    details,
  });

  if (!isKnownStatus(site.status)) {
    return state('unknown', site.status || '(no status)', {
      attention: `the platform reports status "${site.status}", which PortalOps does not know`,
    });
  }
  if (site.status === 'OperationFailed')
    return state('provisioning_failed', 'Provisioning failed', {
      attention: 'restart provisioning, or change the values and restart',
    });
  if (site.status === 'OperationInProgress') return state('provisioning', 'Configuring');
  if (site.status === 'OperationNotStarted') return state('not_configured', 'Not configured');

  const trial = site.type === 'Trial' && site.trialExpiringInDays !== null;
  if (trial && site.trialExpiringInDays! <= 0) {
    const deletion = site.suspendedWebsiteDeletingInDays;
    if (deletion !== null && deletion <= deletionWarnDays) {
      return state('deleting_soon', 'Suspended', {
        attention:
          deletion <= 0 ? 'trial ended; deletion is due' : `trial ended; deleted in ${days(deletion)}`,
        daysLeft: Math.max(0, deletion),
      });
    }
    return state('suspended', 'Suspended', {
      attention:
        deletion === null
          ? 'trial ended, so the site is suspended'
          : `trial ended; deleted in ${days(deletion)}`,
      ...(deletion === null ? {} : { daysLeft: deletion }),
    });
  }

  const pkg = site.packageInstallStatus;
  if (!isKnownPackage(pkg)) {
    return state('unknown', pkg || '(no package status)', {
      attention: `the platform reports package status "${pkg}", which PortalOps does not know`,
    });
  }
  if (pkg === 'InstallFailed') {
    return state('package_install_failed', 'Getting set up', {
      attention: 'package install failed ("Install Failed"); retry the install',
    });
  }
  if (PACKAGE_PENDING.has(pkg)) return state('package_installing', 'Getting set up');
  if (PACKAGE_REMOVED.has(pkg)) {
    return state(
      'package_removed',
      pkg === 'UninstallFailed' ? 'Package removal failed' : 'Package removed',
      {
        attention: `the portal package is ${pkg === 'Uninstalled' ? 'uninstalled' : 'being removed'}`,
      },
    );
  }
  if (trial && site.trialExpiringInDays! <= trialWarnDays) {
    return state('trial_ending', 'Configured', {
      attention: `trial ends in ${days(site.trialExpiringInDays!)}`,
      daysLeft: site.trialExpiringInDays!,
    });
  }
  return state('configured', 'Configured');
}

/** A site in this state can be reset (seed: a configured site, or one whose provisioning failed). */
export function canReset(state: SiteState): boolean {
  return (
    state.kind === 'configured' ||
    state.kind === 'trial_ending' ||
    state.kind === 'provisioning_failed' ||
    // The package failing leaves a configured site whose hosting exists: resetting it is how the
    // admin centre starts over, like a failed provisioning.
    state.kind === 'package_install_failed'
  );
}

/** A site in this state can have its provisioning restarted (seed: only when provisioning failed). */
export function canRestartProvisioning(state: SiteState): boolean {
  return state.kind === 'provisioning_failed';
}

/** The site answers its visitors (provisioned, package installed, not suspended). */
export function isServing(state: SiteState): boolean {
  return state.kind === 'configured' || state.kind === 'trial_ending';
}
