/**
 * The card of an alert: what happened in plain words (from the guidance catalog), where it
 * stands, and the actions that fit the condition. Pure.
 */
import { guidanceFor } from '../guidance/catalog.ts';
import type { Button, JobSummary, View } from '../views/view.ts';
import { ALERT_CONDITIONS, type AlertRecord } from './alert.ts';

/** What the conditions that are not errors mean, and what to do. */
const SITE_STATES: Partial<Record<AlertRecord['condition'], { explanation: string; steps: string[] }>> = {
  site_suspended: {
    explanation:
      'The trial ended, so the platform suspended the site. It is deleted after a grace period unless it is converted to production.',
    steps: [
      'Convert it to a production site or restore it from the Power Pages admin center.',
      'Check the tenant’s Power Pages capacity and licences.',
    ],
  },
  trial_expiring: {
    explanation: 'The site is a trial; when the trial ends it is suspended, and later deleted.',
    steps: [
      'Convert it to a production site in the Power Pages admin center before the trial ends.',
      'Or let it lapse if it was only for trying things out.',
    ],
  },
  deletion_pending: {
    explanation: 'The platform is about to delete the site.',
    steps: ['Restore or convert the site in the Power Pages admin center now if it is still needed.'],
  },
};

function explanationOf(alert: AlertRecord): { explanation: string; steps: string[] } {
  const fixed = SITE_STATES[alert.condition];
  if (fixed) return fixed;
  return guidanceFor(alert.condition === 'job_failed' ? (alert.errorCode ?? 'unexpected') : alert.condition);
}

const WHEN = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The buttons an alert offers: the fixes that fit (none while a job started from it runs: the
 * card follows that job), and Acknowledge and Snooze only while nobody has done either.
 */
function buttonsOf(alert: AlertRecord, job?: JobSummary): Button[] {
  if (job && ['queued', 'running', 'awaiting_approval'].includes(job.state)) return [];
  const id = { alertId: alert.id };
  const site = { environment: alert.environment, site: alert.subdomain ?? '', ...id };
  const fixes: Button[] = [];
  if (alert.condition === 'provisioning_failed') {
    fixes.push(
      { verb: 'site.restart-provisioning', label: 'Restart provisioning', data: site, style: 'positive' },
      { verb: 'site.change-values', label: 'Change values and restart', data: site },
    );
  }
  if (alert.condition === 'package_install_failed') {
    // The retry goes through the Power Platform API; where it cannot, its answer links the admin centre.
    fixes.push({
      verb: 'site.retry-install',
      label: 'Retry the package install',
      data: site,
      style: 'positive',
    });
  }
  if (alert.condition === 'job_failed' && alert.jobId) {
    fixes.push({
      verb: 'job.retry',
      label: 'Retry the job',
      data: { jobId: alert.jobId, ...id },
      style: 'positive',
    });
  }
  if (alert.state !== 'open') return fixes;
  return [
    ...fixes,
    { verb: 'alert.acknowledge', label: 'Acknowledge', data: id },
    { verb: 'alert.snooze', label: 'Snooze 1 day', data: id },
  ];
}

function statusOf(alert: AlertRecord): string {
  const parts = [`Detected ${WHEN(alert.detectedAt)}`];
  for (const a of alert.actions) parts.push(`${a.what} by ${a.by}`);
  if (alert.state === 'snoozed' && alert.snoozedUntil)
    parts.push(`snoozed until ${WHEN(alert.snoozedUntil)}`);
  if (alert.state === 'resolved' && alert.resolvedAt && !alert.supersededBy)
    parts.push(`resolved ${WHEN(alert.resolvedAt)}`);
  return parts.join(' · ');
}

/** The alert as a view; `job` is the progress of the job started from it, if any. */
export function alertView(alert: AlertRecord, job?: JobSummary): View {
  const guidance = explanationOf(alert);
  // An alert stored by an older version may name a condition that no longer exists.
  const what = ALERT_CONDITIONS[alert.condition]?.label ?? String(alert.condition).replace(/_/g, ' ');
  const where = alert.subdomain ? `${alert.subdomain} in ${alert.environment}` : alert.environment;
  const resolved = alert.state === 'resolved';
  const facts = [
    ...(alert.siteName && alert.subdomain
      ? [{ label: 'Site', value: `${alert.siteName} (${alert.subdomain})` }]
      : []),
    { label: 'Environment', value: alert.environment },
    ...(alert.detail ? [{ label: 'Platform says', value: alert.detail }] : []),
  ];
  return {
    type: 'alert',
    title: resolved ? `Resolved: ${what}, ${where}` : `${what[0]!.toUpperCase()}${what.slice(1)}: ${where}`,
    status: statusOf(alert),
    tone: resolved ? 'resolved' : alert.condition === 'trial_expiring' ? 'warning' : 'error',
    explanation: resolved ? `${where} is no longer in this state.` : guidance.explanation,
    facts,
    steps: resolved ? [] : guidance.steps.slice(0, 3),
    ...(job ? { job } : {}),
    buttons: resolved ? [] : buttonsOf(alert, job),
  };
}
