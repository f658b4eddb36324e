/** `jobs`: recent jobs (or only mine). */
import { jobSummary } from '../views/job-views.ts';
import { defineCommand, requesterOf } from './index-helpers.ts';

export const jobsCommand = defineCommand<'jobs'>({
  kind: 'jobs',
  title: 'Jobs',
  summary: 'recent jobs and where they are',
  examples: ['jobs', 'my jobs'],
  permission: 'view',
  async run(ctx, intent) {
    // The 100 most recent; chat surfaces show them a page at a time.
    const jobs = ctx.deps.engine
      .list(intent.mine ? { requesterId: requesterOf(ctx.user).id } : {})
      .slice(0, 100);
    return [{ view: { type: 'job-list', jobs: jobs.map(jobSummary) } }];
  },
});
