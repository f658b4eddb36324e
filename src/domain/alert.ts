/**
 * An alert as it is stored: one occurrence of a condition of a site (or a failed PortalOps job),
 * where its cards were posted and who did what about it. Detection and cards live in `alerts/`.
 */

/**
 * What an alert is about. There is no "site stopped": the admin API can start and stop a site
 * but no WebsiteDto field says a site is stopped, so it cannot be detected honestly.
 */
export type AlertCondition =
  | 'provisioning_failed'
  | 'package_install_failed'
  | 'site_suspended'
  | 'trial_expiring'
  | 'deletion_pending'
  | 'job_failed';

/** Where an alert's card was posted. */
export interface AlertMessage {
  surface: string;
  conversationId: string;
  messageId: string;
}

/** Where an occurrence stands. */
export type AlertState = 'open' | 'acknowledged' | 'snoozed' | 'resolved';

/** One occurrence of a condition. */
export interface AlertRecord {
  /** `<environmentId>/<siteId>/<condition>/<episode>` or `job/<jobId>/<attempt>`. */
  id: string;
  /** The occurrence without its episode: one open alert per key at a time. */
  key: string;
  condition: AlertCondition;
  environment: string;
  environmentId: string;
  siteId?: string;
  subdomain?: string;
  siteName?: string;
  state: AlertState;
  /** When the watcher (or the engine) noticed it. */
  detectedAt: string;
  resolvedAt?: string;
  /** The later alert about the same failure that took over this one's cards. */
  supersededBy?: string;
  /** What the platform says, for the card (e.g. the trial's days left). */
  detail?: string;
  /** For a failed job: its error code (the guidance catalog explains it). */
  errorCode?: string;
  /** Who did something about it, and what. */
  actions: { by: string; what: string; at: string; jobId?: string }[];
  /** The job started from the alert (or, for a failed job, that job), whose progress the card shows. */
  jobId?: string;
  snoozedUntil?: string;
  /** The person to tell in any case (the requester of a failed job). */
  requester?: { surface: string; conversationId: string };
  messages: AlertMessage[];
}
