/**
 * `portalops restart-site --env <alias> --site <site> --confirm <site>`: the platform's restart of
 * a running site, followed to the end (the site must answer again). Confirmed by typing the site
 * again, like `reset`; not `restart-provisioning`, which provisions a failed site again.
 */
import type { Command } from 'commander';
import { siteKeyOf } from '../domain/job.ts';
import type { RestartSiteParams } from '../jobs/kinds/restart-site.ts';
import { runJob } from './job-commands.ts';
import type { CliIo } from './main.ts';
import { assertSiteConfirmed } from './typed-site-confirmation.ts';

/** Registers `restart-site`. */
export function registerRestartSiteCommand(program: Command, io: CliIo): void {
  program
    .command('restart-site')
    .description('restart a running site (it stops answering for a moment) and check it answers again')
    .requiredOption('--env <alias>', 'environment alias, e.g. dev')
    .requiredOption('--site <site>', 'site subdomain, name or id')
    .requiredOption('--confirm <site>', 'type the site again to confirm the restart')
    .option('--json', 'print the job as JSON')
    .action(async (o: { env: string; site: string; confirm: string; json?: boolean }) =>
      runJob(io, o, async (runtime) => {
        assertSiteConfirmed(o, 'Nothing was restarted.');
        const env = runtime.registry.get(o.env);
        const params: RestartSiteParams = { environment: env.alias, site: o.site };
        return { kind: 'restart-site', siteKey: siteKeyOf(env.environmentId, o.site), params: { ...params } };
      }),
    );
}
