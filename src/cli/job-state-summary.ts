/**
 * What a person reads about a job that stopped or is not running: which steps finished, the
 * step it is or was at, what it wrote, and the commands that fit its state.
 */
import { isTerminal, type Job } from '../domain/job.ts';

/** Counts a migration keeps in its context while it writes. */
interface WriteCounts {
  written?: number;
  batchesDone?: number;
  snapshotId?: string;
  subdomain?: string;
}

/** Lines describing where `job` is, e.g. after `portalops cancel` or in `portalops status`. */
export function describeJobState(job: Job, options: { interrupted?: boolean } = {}): string[] {
  const lines: string[] = [];
  const done = job.steps.filter((s) => s.status === 'succeeded' || s.status === 'skipped');
  const at =
    job.steps.find((s) => s.status === 'running' || s.status === 'failed' || s.status === 'cancelled') ??
    job.steps.find((s) => s.status === 'pending');
  const index = at ? job.steps.indexOf(at) + 1 : job.steps.length;
  const state = options.interrupted ? 'interrupted (nothing is running it)' : job.state.replace('_', ' ');
  lines.push(`${job.id} ${job.title}: ${state}.`);
  if (at && !(job.state === 'succeeded')) {
    const verb =
      job.state === 'cancelled' ? 'Stopped before finishing' : job.state === 'failed' ? 'Failed at' : 'At';
    lines.push(
      `  ${verb} step ${index} of ${job.steps.length}: ${at.title}${job.progress?.detail ? ` (${job.progress.detail})` : ''}.`,
    );
  }
  for (const step of done) {
    const output = step.output
      ? ` (${Object.entries(step.output)
          .map(([k, v]) => `${k} ${String(v)}`)
          .join(', ')})`
      : '';
    lines.push(`  ✔ ${step.title}${step.status === 'skipped' ? ' (skipped)' : output}`);
  }
  if (done.length === 0) lines.push('  No step had finished.');
  const counts = job.context as WriteCounts;
  if (typeof counts.written === 'number') {
    lines.push(
      `  Written: ${counts.written} record change(s) in ${counts.batchesDone ?? 0} batch(es); a batch is all or nothing, so none is half-written.`,
    );
  } else if (
    job.kind === 'migrate' &&
    !job.steps.some((s) => s.id === 'import' && s.status === 'succeeded')
  ) {
    lines.push('  Written: nothing in the target.');
  }
  if (counts.snapshotId && job.state === 'cancelled' && counts.subdomain) {
    lines.push(
      `  To put the target back as it was: portalops restore --snapshot ${counts.snapshotId} --confirm ${counts.subdomain}`,
    );
  }
  if (options.interrupted)
    lines.push(`  Resume it: portalops retry ${job.id} · stop it: portalops cancel ${job.id}`);
  else if (job.state === 'failed') lines.push(`  Retry from the failed step: portalops retry ${job.id}`);
  else if (!isTerminal(job)) lines.push(`  Stop it: portalops cancel ${job.id}`);
  return lines;
}
