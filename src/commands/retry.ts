/** `retry <job>`: run a failed job again from the step that failed, or resume an interrupted one. */
import { jobView } from '../views/job-views.ts';
import { defineCommand, requesterOf, say } from './index-helpers.ts';
import { environmentOfJob } from './job-environment.ts';

export const retryCommand = defineCommand<'retry'>({
  kind: 'retry',
  title: 'Retry a job',
  summary: 'run a failed job again from the step that failed, or resume one whose process stopped',
  examples: ['retry J-7K2Q9'],
  permission: 'operate',
  sideEffects: 'runs the job’s remaining steps',
  async run(ctx, intent) {
    if (!intent.jobId) return say('Which job? Say "retry J-XXXXX"; "jobs" lists them.');
    const job = ctx.deps.engine.get(intent.jobId);
    if (!job) return say(`There is no job ${intent.jobId}.`, { tone: 'warning' });
    const allowed = ctx.deps.policy.can(ctx.user, 'operate', environmentOfJob(job, ctx.deps.registry));
    if (!allowed.allowed) return say(allowed.reason ?? 'You may not retry this job.', { tone: 'error' });
    const retried = await ctx.deps.engine.retry(job.id, requesterOf(ctx.user).id);
    return [{ view: jobView(retried), trackJob: retried.id }];
  },
});
