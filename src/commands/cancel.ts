/** `cancel <job>`: stop a job (its requester or an environment admin). */
import { jobView } from '../views/job-views.ts';
import { defineCommand, requesterOf, say } from './index-helpers.ts';
import { jobCancelAction } from './job-actions.ts';
import { environmentOfJob } from './job-environment.ts';

export const cancelCommand = defineCommand<'cancel'>({
  kind: 'cancel',
  title: 'Cancel a job',
  summary: 'cancel a queued or interrupted job at once, or stop a running one after its current step',
  examples: ['cancel J-7K2Q9'],
  permission: 'operate',
  sideEffects: 'stops the job',
  actions: [jobCancelAction],
  async run(ctx, intent) {
    if (!intent.jobId) return say('Which job? Say "cancel J-XXXXX"; "jobs" lists them.');
    const job = ctx.deps.engine.get(intent.jobId);
    if (!job) return say(`There is no job ${intent.jobId}.`, { tone: 'warning' });
    const me = requesterOf(ctx.user).id;
    const environment = environmentOfJob(job, ctx.deps.registry);
    if (
      job.requester.id.toLowerCase() !== me.toLowerCase() &&
      !ctx.deps.policy.can(ctx.user, 'admin', environment).allowed
    ) {
      return say(
        `Only ${job.requester.displayName ?? job.requester.id} or an admin of ${environment} can cancel ${job.id}.`,
        { tone: 'error' },
      );
    }
    const updated = await ctx.deps.engine.cancel(job.id, me);
    return [{ view: jobView(updated), trackJob: updated.id }];
  },
});
