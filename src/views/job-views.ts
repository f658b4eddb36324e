/**
 * Views of jobs: progress while running, the result when done, the failure with its guidance
 * and the buttons that fit it.
 */
import { currentStep, type Job, percentDone } from '../domain/job.ts';
import type { Problem } from '../domain/provisioning-rules.ts';
import { guidanceFor } from '../guidance/catalog.ts';
import type { Button, JobSummary, View } from './view.ts';

/** The summary every job view shows. */
export function jobSummary(job: Job): JobSummary {
  const step = currentStep(job);
  return {
    id: job.id,
    title: job.title,
    state: job.state,
    percent: percentDone(job),
    ...(step && job.state !== 'succeeded' ? { step: step.title } : {}),
    ...(job.progress?.detail && job.state === 'running' ? { detail: job.progress.detail } : {}),
    requester: job.requester.displayName ?? job.requester.id,
  };
}

const RESULT_LABELS: Record<string, string> = {
  websiteUrl: 'Site address',
  websiteId: 'Website id',
  snapshotId: 'Configuration snapshot',
  dataModel: 'Data model',
  records: 'Records checked',
  afterTheMove: 'After the move (by a person)',
};

/**
 * A migration's own words: the planned records and the requests written are different counts
 * (a record whose lookups point forward is created, then patched in a second pass; a deactivated
 * record gets its state in that pass; many-to-many links go in a third), and a target with no
 * site on the website record gets a new one provisioned, which the card must say.
 */
function migrationNotes(job: Job): { label: string; value: string }[] {
  if (job.kind !== 'migrate') return [];
  const notes: { label: string; value: string }[] = [];
  const reactivating = job.steps.find((s) => s.id === 'reactivate')?.output?.reactivating;
  if (reactivating)
    notes.push({
      label: 'New site in the target',
      value: `${String(job.params.target ?? 'The target')} had no site on this website record, so ${String(reactivating)} is provisioned there on it`,
    });
  if (job.result?.planned !== undefined && job.result?.written !== undefined)
    notes.push({
      label: 'About the counts',
      value:
        'Planned counts records; written counts the requests sent. A record whose lookups point to records created after it is created first and patched in a second pass (as is a deactivated record’s state), and many-to-many links are sent in a third, so written can be more than planned.',
    });
  return notes;
}

const MIGRATION_LABELS: Record<string, string> = {
  planned: 'Planned (records)',
  written: 'Written (requests sent)',
};

/** The view that shows a job in its current state. */
export function jobView(job: Job): View {
  const summary = jobSummary(job);
  if (job.state === 'succeeded') {
    const labels = job.kind === 'migrate' ? { ...RESULT_LABELS, ...MIGRATION_LABELS } : RESULT_LABELS;
    return {
      type: 'job-result',
      job: summary,
      result: [
        ...Object.entries(job.result ?? {}).map(([key, value]) => ({
          label: labels[key] ?? key,
          value: String(value),
        })),
        ...migrationNotes(job),
      ],
    };
  }
  if (job.state === 'failed' && job.lastError) return failureView(job);
  if (job.state === 'cancelled') {
    return {
      type: 'message',
      title: job.title,
      text: `Job ${job.id} was cancelled${job.cancelRequested ? ` by ${job.cancelRequested.by}` : ''}.`,
    };
  }
  const buttons: Button[] = ['queued', 'running', 'awaiting_approval'].includes(job.state)
    ? [{ verb: 'job.cancel', label: 'Cancel', data: { jobId: job.id } }]
    : [];
  const newSite = migrationNotes(job).find((n) => n.label === 'New site in the target');
  return {
    type: 'job-progress',
    job: newSite
      ? { ...summary, detail: `${newSite.value}${summary.detail ? ` · ${summary.detail}` : ''}` }
      : summary,
    buttons,
  };
}

/** A failed job with what happened in plain words and the actions that fit. */
export function failureView(job: Job): View {
  const error = job.lastError!;
  const guidance = guidanceFor(error.code);
  const environment = String(job.params.environment ?? '');
  const site = String(job.params.site ?? job.params.subdomain ?? '');
  const buttons: Button[] = [];
  for (const action of guidance.actions) {
    if (action === 'retry') {
      buttons.push({ verb: 'job.retry', label: 'Retry', data: { jobId: job.id }, style: 'positive' });
    } else if (action === 'restart_provisioning') {
      buttons.push({
        verb: 'site.restart-provisioning',
        label: 'Restart provisioning',
        data: { environment, site },
        style: 'positive',
      });
    } else if (action === 'retry_package_install') {
      buttons.push({
        verb: 'site.retry-install',
        label: 'Retry the package install',
        data: { environment, site },
        style: 'positive',
      });
    } else if (action === 'change_values') {
      const data: Record<string, string> =
        job.kind === 'provision' ? { jobId: job.id } : { environment, site };
      buttons.push({
        verb: 'site.change-values',
        label: job.kind === 'provision' ? 'Change values' : 'Change values and restart',
        data,
      });
    }
  }
  const problems = error.details?.problems as Problem[] | undefined;
  return {
    type: 'failure',
    title: guidance.title,
    explanation: problems
      ? `${job.title}: ${guidance.explanation}`
      : `${guidance.explanation} (${error.message})`,
    steps: guidance.steps,
    ...(problems
      ? { problems: problems.map((p) => ({ field: p.field, message: p.message, fix: p.fix })) }
      : {}),
    code: error.code,
    job: jobSummary(job),
    buttons,
  };
}
