/**
 * Starting a job on one existing site of an environment, as the person asking, answered with
 * the job's card: what restart provisioning, change-and-restart and retry-package-install share.
 */
import type { EnvironmentEntry } from '../domain/environment.ts';
import { siteKeyOf } from '../domain/job.ts';
import { jobView } from '../views/job-views.ts';
import { type CommandContext, type Reply, requesterOf } from './command.ts';

/** Submits a `kind` job on `site` in `env`; `params` adds to the environment, site and requester. */
export async function startSiteJob(
  ctx: CommandContext,
  kind: string,
  env: Pick<EnvironmentEntry, 'alias' | 'environmentId'>,
  site: string,
  params: Record<string, unknown> = {},
): Promise<Reply[]> {
  const requester = requesterOf(ctx.user);
  const job = await ctx.deps.engine.submit({
    kind,
    siteKey: siteKeyOf(env.environmentId, site),
    requester,
    params: { environment: env.alias, site, requesterUpn: requester.id, ...params },
  });
  return [{ view: jobView(job), trackJob: job.id }];
}
