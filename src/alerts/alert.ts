/**
 * Alerts: something about a site (or a PortalOps job) that a team should hear about, with one
 * record per occurrence. An occurrence opens when the condition appears and resolves when it
 * clears; its id is derived from the site, the condition and the episode, so every watcher
 * (after a restart, or a second replica on the same store) names it the same way.
 */
import type { AlertCondition } from '../domain/alert.ts';
import { type SiteState, siteStateOf } from '../domain/site-state.ts';
import type { Website } from '../domain/website.ts';

export type { AlertCondition, AlertMessage, AlertRecord } from '../domain/alert.ts';

/** Every condition, with the words people use for it in "subscribe … to … alerts". */
export const ALERT_CONDITIONS: Record<AlertCondition, { label: string; words: string[] }> = {
  provisioning_failed: { label: 'provisioning failed', words: ['provisioning', 'provision'] },
  package_install_failed: { label: 'package install failed', words: ['package', 'install', 'installs'] },
  site_suspended: { label: 'site suspended', words: ['suspended', 'suspend', 'suspensions'] },
  trial_expiring: { label: 'trial expiring', words: ['trial', 'trials'] },
  deletion_pending: {
    label: 'site about to be deleted',
    words: ['deletion', 'deletions', 'deleted', 'delete'],
  },
  job_failed: { label: 'PortalOps job failed', words: ['jobs', 'job'] },
};

/** Broader words, used only when no condition is named specifically. */
export const ALERT_CONDITION_GROUPS: Record<string, AlertCondition[]> = {
  failures: ['provisioning_failed', 'package_install_failed', 'job_failed'],
  failed: ['provisioning_failed', 'package_install_failed', 'job_failed'],
  down: ['site_suspended'],
  expiring: ['trial_expiring', 'deletion_pending'],
  expiry: ['trial_expiring', 'deletion_pending'],
};

/** Options of condition detection. */
export interface DetectionOptions {
  /** A trial (or a suspended site's deletion) this many days away or fewer alerts. */
  warnDays: number;
}

/** The state options the alert thresholds give: one warning window for trials and deletions. */
function stateOf(site: Website, options: DetectionOptions): SiteState {
  return siteStateOf(site, { trialWarnDays: options.warnDays, deletionWarnDays: options.warnDays });
}

/** The conditions a site is in now (what the watcher compares between polls), from its state. */
export function conditionsOf(site: Website, options: DetectionOptions): AlertCondition[] {
  switch (stateOf(site, options).kind) {
    case 'provisioning_failed':
      return ['provisioning_failed'];
    case 'package_install_failed':
      return ['package_install_failed'];
    case 'suspended':
      return ['site_suspended'];
    case 'deleting_soon':
      return ['site_suspended', 'deletion_pending'];
    case 'trial_ending':
      return ['trial_expiring'];
    default:
      return [];
  }
}

/** The key of a site condition (one open occurrence at a time). */
export function alertKey(environmentId: string, siteId: string, condition: AlertCondition): string {
  return `${environmentId}/${siteId}/${condition}`;
}

/** What the platform says about a condition, in words, with its raw values (support tickets quote them). */
export function conditionDetail(
  site: Website,
  condition: AlertCondition,
  options: DetectionOptions = { warnDays: 7 },
): string | undefined {
  if (condition === 'job_failed') return undefined;
  const state = stateOf(site, options);
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  if (condition === 'trial_expiring' && site.trialExpiringInDays !== null)
    return `The trial ends in ${days(site.trialExpiringInDays)}. (${state.details})`;
  if (condition === 'deletion_pending' && site.suspendedWebsiteDeletingInDays !== null)
    return `The site will be deleted in ${days(Math.max(0, site.suspendedWebsiteDeletingInDays))}. (${state.details})`;
  return state.details;
}
