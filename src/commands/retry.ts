/** `retry <job>`: run a failed job again from the step that failed, or resume an interrupted one. */

import type { Job } from '../domain/job.ts';
import type { Problem } from '../domain/provisioning-rules.ts';
import type { SiteValues } from '../intents/intent.ts';
import { findSite } from '../jobs/kinds/lifecycle-deps.ts';
import { jobView } from '../views/job-views.ts';
import type { View } from '../views/view.ts';
import { type CommandContext, defineCommand, provisionForm, requesterOf, say } from './index-helpers.ts';
import { jobRetryAction } from './job-actions.ts';
import { environmentOfJob } from './job-environment.ts';
import { siteValuesOf } from './restartable-site.ts';

export const retryCommand = defineCommand<'retry'>({
  kind: 'retry',
  title: 'Retry a job',
  summary: 'run a failed job again from the step that failed, or resume one whose process stopped',
  examples: ['retry J-7K2Q9'],
  permission: 'operate',
  sideEffects: 'runs the job’s remaining steps',
  actions: [jobRetryAction],
  async run(ctx, intent) {
    if (!intent.jobId) return say('Which job? Say "retry J-XXXXX"; "jobs" lists them.');
    const job = ctx.deps.engine.get(intent.jobId);
    if (!job) return say(`There is no job ${intent.jobId}.`, { tone: 'warning' });
    const allowed = ctx.deps.policy.can(ctx.user, 'operate', environmentOfJob(job, ctx.deps.registry));
    if (!allowed.allowed) return say(allowed.reason ?? 'You may not retry this job.', { tone: 'error' });
    // Invalid input fails the same way every time: the form comes back with the values kept.
    if (job.state === 'failed' && job.lastError?.code === 'validation_failed') {
      const form = await formOfInvalidJob(ctx, job);
      if (form) return [{ view: form }];
    }
    const retried = await ctx.deps.engine.retry(job.id, requesterOf(ctx.user).id);
    return [{ view: jobView(retried), trackJob: retried.id }];
  },
});

/**
 * The form of a provisioning job whose values were refused, filled with them and naming every
 * problem; undefined for a job that has no form (it is retried instead).
 */
async function formOfInvalidJob(ctx: CommandContext, job: Job): Promise<View | undefined> {
  const environment = environmentOfJob(job, ctx.deps.registry);
  const problems = (job.lastError?.details?.problems as Problem[] | undefined) ?? [];
  const errors = problems.map((p) => `${p.message} ${p.fix}`.trim());
  if (job.kind === 'provision') {
    const {
      environment: _env,
      requesterUpn: _upn,
      ...values
    } = job.params as SiteValues & Record<string, unknown>;
    return provisionForm(ctx, environment, values, { errors });
  }
  if (job.kind === 'change-and-restart') {
    const params = job.params as { site: string; changes?: SiteValues };
    const site = await findSite(
      ctx.deps.powerPages,
      ctx.deps.registry.get(environment).environmentId,
      params.site,
    );
    return provisionForm(
      ctx,
      environment,
      { ...siteValuesOf(site), ...(params.changes ?? {}) },
      { kind: 'change-and-restart', site: site.subdomain, errors },
    );
  }
  return undefined;
}
