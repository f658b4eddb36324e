/** `portalops retry-package-install --env <alias> --site <site>`: retry a failed portal package install and follow it. */
import type { Command } from 'commander';
import { siteKeyOf } from '../domain/job.ts';
import type { RetryPackageInstallParams } from '../jobs/kinds/retry-package-install.ts';
import { runJob } from './job-commands.ts';
import type { CliIo } from './main.ts';

export function registerRetryPackageInstallCommand(program: Command, io: CliIo): void {
  program
    .command('retry-package-install')
    .description('retry a site’s failed portal package install ("Getting set up") and follow it to the end')
    .requiredOption('--env <alias>', 'environment alias, e.g. dev')
    .requiredOption('--site <site>', 'site subdomain, name or id')
    .option('--json', 'print the job as JSON')
    .action(async (o: { env: string; site: string; json?: boolean }) =>
      runJob(io, o, async (runtime, requester) => {
        const env = runtime.registry.get(o.env);
        const params: RetryPackageInstallParams = {
          environment: env.alias,
          site: o.site,
          requesterUpn: requester.id,
        };
        return {
          kind: 'retry-package-install',
          siteKey: siteKeyOf(env.environmentId, o.site),
          params: { ...params },
        };
      }),
    );
}
