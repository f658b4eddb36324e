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

/** The view that shows a job in its current state. */
export function jobView(job: Job): View {
  const summary = jobSummary(job);
  if (job.state === 'succeeded') {
    return {
      type: 'job-result',
      job: summary,
      result: Object.entries(job.result ?? {}).map(([key, value]) => ({
        label: RESULT_LABELS[key] ?? key,
        value: String(value),
      })),
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
  return { type: 'job-progress', job: summary, buttons };
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
