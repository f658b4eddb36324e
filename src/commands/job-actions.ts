/**
 * The buttons on job cards and job alerts: cancel and retry. A retry started from an alert is
 * followed by that alert's card. Registered by the cancel and retry commands.
 */
import { isTerminal } from '../domain/job.ts';
import { jobView } from '../views/job-views.ts';
import { fixOutcome } from './alert-fix.ts';
import { cantAct } from './card-access.ts';
import { type CardAction, type CardClick, defineCardAction } from './card-action.ts';

/** The job's card (or the job alert's, when the click came from one) as it is now. */
function currentJob(click: CardClick) {
  const job = click.data.jobId ? click.ctx.deps.engine.get(click.data.jobId) : undefined;
  if (!job || !click.access.maySee(click.ctx.user, { job })) return undefined;
  const alert = click.data.alertId ? click.ctx.deps.alerts?.record(click.data.alertId) : undefined;
  if (alert && alert.jobId === job.id) return click.ctx.deps.alerts?.current(alert.id) ?? jobView(job);
  return jobView(job);
}

function jobAction(verb: 'job.cancel' | 'job.retry'): CardAction {
  return defineCardAction({
    verbs: [verb],
    current: currentJob,
    async handle(click) {
      const { ctx, data } = click;
      const { job } = click.access.job(data.jobId);
      if (!click.access.maySee(ctx.user, { job }))
        throw cantAct('it needs a role in the environment it belongs to');
      // A retry started from an alert marks that alert, so the alert must be about this job.
      const alertId = data.alertId
        ? click.access.alertFor(ctx.deps.alerts?.record(data.alertId), { jobId: job.id }).id
        : undefined;
      const stale = verb === 'job.cancel' ? isTerminal(job) : job.state !== 'failed';
      if (stale) return { replace: currentJob(click) ?? jobView(job), replies: [] };
      const replies = await click.run({ kind: verb === 'job.cancel' ? 'cancel' : 'retry', jobId: job.id });
      if (verb === 'job.cancel') return { replies };
      return fixOutcome(click, 'Retried the job', replies, alertId ? { alertId } : {});
    },
  });
}

/** Cancel a job. */
export const jobCancelAction = jobAction('job.cancel');
/** Retry a failed job (from its card or its alert). */
export const jobRetryAction = jobAction('job.retry');
