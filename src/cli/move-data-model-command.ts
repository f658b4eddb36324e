/**
 * `portalops move-data-model --env <alias> --site <site> --confirm <site>`: moves a standard site
 * onto the enhanced data model (snapshot, the documented migration, switch, check), followed to
 * the end. Confirmed by typing the site again. A protected environment needs an approver other
 * than the requester, which only chat can collect, so there the command says where to ask.
 */
import type { Command } from 'commander';
import { PortalOpsError } from '../domain/errors.ts';
import { siteKeyOf } from '../domain/job.ts';
import type { MoveDataModelParams } from '../jobs/kinds/move-data-model.ts';
import { runJob } from './job-commands.ts';
import type { CliIo } from './main.ts';
import { assertSiteConfirmed } from './typed-site-confirmation.ts';

/** Registers `move-data-model`. */
export function registerMoveDataModelCommand(program: Command, io: CliIo): void {
  program
    .command('move-data-model')
    .description('move a standard-data-model site onto the enhanced data model (snapshot first)')
    .requiredOption('--env <alias>', 'environment alias, e.g. dev')
    .requiredOption('--site <site>', 'site subdomain, name or id')
    .requiredOption('--confirm <site>', 'type the site again to confirm the move')
    .option('--json', 'print the job as JSON')
    .action(async (o: { env: string; site: string; confirm: string; json?: boolean }) =>
      runJob(io, o, async (runtime) => {
        assertSiteConfirmed(o, 'Nothing was moved.');
        const env = runtime.registry.get(o.env);
        if (env.protected) {
          throw new PortalOpsError(
            'forbidden',
            `${env.alias} is protected: moving a site there needs an approver other than you. Ask in Teams or Slack ("move ${o.site} in ${env.alias} to the enhanced data model"); an approver approves the plan there. Nothing was moved.`,
          );
        }
        const params: MoveDataModelParams = { environment: env.alias, site: o.site };
        return {
          kind: 'move-data-model',
          siteKey: siteKeyOf(env.environmentId, o.site),
          params: { ...params },
        };
      }),
    );
}
