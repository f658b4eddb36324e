import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { PortalOpsError } from '../domain/errors.ts';
import { CONFIG_TABLES } from '../migration/config-tables.ts';
import { applyDeploymentProfile } from '../migration/deployment-profile.ts';
import { planImport } from '../migration/import-plan.ts';
import { readPacSite } from '../migration/pac-layout.ts';
import { exportSite } from '../migration/site-export.ts';
import { importBatches, runImport } from '../migration/site-import.ts';
import { recordsFromPac } from '../migration/site-records.ts';
import type { CliIo } from './main.ts';
import { withRuntime } from './with-runtime.ts';

const ORDER = CONFIG_TABLES.map((t) => t.logicalName);

/** `portalops upload`: a `pac pages download` folder into an environment, sending only what differs. */
export function registerMigrationCommands(program: Command, io: CliIo): void {
  program
    .command('upload')
    .description(
      'upload a site folder (pac pages download layout) to an environment; only changed records are sent',
    )
    .requiredOption('--env <alias>', 'target environment alias')
    .requiredOption('--path <folder>', 'the site folder')
    .option(
      '--deployment-profile <name>',
      'apply deployment-profiles/<name>.deployment.yml (OS.<VAR> placeholders come from the environment)',
    )
    .option('--force-all', 'send every record, changed or not')
    .option('--dry-run', 'report what would be sent without changing anything')
    .option('--batch-size <n>', 'operations per $batch change set', '100')
    .option('--json', 'print the summary as JSON')
    .action(
      async (o: {
        env: string;
        path: string;
        deploymentProfile?: string;
        forceAll?: boolean;
        dryRun?: boolean;
        batchSize: string;
        json?: boolean;
      }) =>
        withRuntime(io, async (runtime) => {
          let records = recordsFromPac(readFolder(o.path));
          const website = records.find((r) => r.table === 'adx_website');
          if (!website)
            throw new PortalOpsError(
              'invalid_input',
              `${o.path} has no website.yml: is it a pac pages download folder?`,
            );
          if (o.deploymentProfile)
            records = applyDeploymentProfile(o.path, o.deploymentProfile, records, io.env);
          const env = await runtime.environments.resolve(o.env);
          const dataverse = runtime.dataverse(env.dataverseUrl, env.tenantId);
          const target = await exportSite(dataverse, website.id);
          const plan = planImport(records, o.forceAll ? [] : target, ORDER, { deleteMissing: false });
          const counts = {
            environment: env.alias,
            website: website.id,
            records: records.length,
            creates: plan.tables.reduce((n, t) => n + t.creates.length, 0),
            updates: plan.tables.reduce((n, t) => n + t.updates.length, 0),
            unchanged: plan.tables.reduce((n, t) => n + t.unchanged, 0),
            written: 0,
            dryRun: o.dryRun === true,
          };
          if (!o.dryRun && plan.writes > 0) {
            const batches = importBatches(plan, Number(o.batchSize) || 100);
            const bar =
              process.stderr.isTTY && !o.json
                ? new cliProgress.SingleBar(
                    { format: ' {bar} {percentage}% | batch {value}/{total}', stream: process.stderr },
                    cliProgress.Presets.shades_classic,
                  )
                : undefined;
            bar?.start(batches.length, 0);
            const done = await runImport(dataverse, batches, { onBatch: (p) => bar?.update(p.batchesDone) });
            bar?.stop();
            counts.written = done.writes;
          }
          if (o.json) io.out(JSON.stringify(counts));
          else
            io.out(
              `${o.dryRun ? 'Dry run: would send' : 'Sent'} ${counts.creates} new and ${counts.updates} changed record(s) to ${env.alias}; ${counts.unchanged} unchanged.`,
            );
        }),
    );
}

function readFolder(folder: string) {
  try {
    return readPacSite(folder);
  } catch (error) {
    throw new PortalOpsError(
      'invalid_input',
      `${folder} cannot be read as a site folder: ${(error as Error).message}`,
    );
  }
}
