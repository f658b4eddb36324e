import { existsSync, readdirSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { isPortalOpsError, PortalOpsError } from '../domain/errors.ts';
import { findSite } from '../jobs/kinds/lifecycle-deps.ts';
import { CONFIG_TABLES } from '../migration/config-tables.ts';
import { applyDeploymentProfile } from '../migration/deployment-profile.ts';
import { siteModelOf } from '../migration/enhanced-export.ts';
import type { SiteDataModel } from '../migration/enhanced-model.ts';
import { planImport } from '../migration/import-plan.ts';
import { pacFromRecords } from '../migration/pac-from-records.ts';
import {
  deletedInManifest,
  folderLeftOut,
  leftOutLines,
  readPacSite,
  writePacSite,
} from '../migration/pac-layout.ts';
import { exportSite } from '../migration/site-export.ts';
import { recordsFromPac } from '../migration/site-records.ts';
import { writeSitePlan } from '../migration/site-write.ts';
import type { CliIo } from './main.ts';
import { refuseUpload, uploadPreflightProblems } from './upload-preflight.ts';
import { withRuntime } from './with-runtime.ts';

const ORDER = CONFIG_TABLES.map((t) => t.logicalName);

/**
 * `portalops download` and `portalops upload`: a site's configuration to and from a folder in
 * the `pac pages download` layout; uploads send only what differs.
 */
export function registerMigrationCommands(program: Command, io: CliIo): void {
  program
    .command('download')
    .description('download a site’s configuration into a folder (pac pages download layout)')
    .requiredOption('--env <alias>', 'environment alias')
    .requiredOption('--site <site>', 'site subdomain, name or id')
    .requiredOption('--path <folder>', 'where to write it')
    .option('--overwrite', 'write into a folder that is not empty')
    .option('--include <tables>', 'only these tables (comma-separated logical names)')
    .option('--exclude <tables>', 'leave out these tables (comma-separated logical names)')
    .option('--json', 'print the summary as JSON')
    .action(
      async (o: {
        env: string;
        site: string;
        path: string;
        overwrite?: boolean;
        include?: string;
        exclude?: string;
        json?: boolean;
      }) =>
        withRuntime(io, async (runtime) => {
          if (existsSync(o.path) && readdirSync(o.path).length > 0 && !o.overwrite)
            throw new PortalOpsError(
              'invalid_input',
              `${o.path} is not empty. Pick an empty folder, or add --overwrite.`,
            );
          const list = (value?: string) =>
            value
              ? value
                  .split(',')
                  .map((t) => t.trim())
                  .filter(Boolean)
              : undefined;
          const include = list(o.include);
          const exclude = list(o.exclude) ?? [];
          const unknown = [...(include ?? []), ...exclude].filter(
            (t) => !ORDER.includes(t) && t !== 'annotation',
          );
          if (unknown.length > 0)
            throw new PortalOpsError(
              'invalid_input',
              `Unknown table${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}. Use logical names such as adx_webpage.`,
            );
          const env = await runtime.environments.resolve(o.env);
          const site = await findSite(runtime.powerPages, env.environmentId, o.site);
          const dataverse = runtime.dataverse(env.dataverseUrl, env.tenantId);
          const dataModel =
            (await siteModelOf(dataverse, site.websiteRecordId)) ?? site.dataModel ?? 'Standard';
          const bar = progressBar(' {bar} {percentage}% | {table}', o.json);
          bar?.start(ORDER.length, 0, { table: '' });
          const records = (
            await exportSite(dataverse, site.websiteRecordId, (table, index) => bar?.update(index, { table }))
          ).filter(
            (r) =>
              (include ? include.includes(r.table) || r.table === 'adx_website' : true) &&
              !exclude.includes(r.table),
          );
          bar?.update(ORDER.length, { table: 'done' });
          bar?.stop();
          const written = writePacSite(o.path, pacFromRecords(records));
          const summary = {
            environment: env.alias,
            site: site.subdomain,
            dataModel,
            records: records.length,
            files: written.length,
            path: o.path,
          };
          io.out(
            o.json
              ? JSON.stringify(summary)
              : `Wrote ${summary.records} records of ${site.subdomain} (${env.alias}, ${dataModel.toLowerCase()} data model) into ${summary.files} files under ${o.path}.`,
          );
        }),
    );

  program
    .command('upload')
    .description(
      'upload a site folder (pac pages download layout) to an environment; only changed records are sent',
    )
    .requiredOption('--env <alias>', 'target environment alias')
    .requiredOption('--path <folder>', 'the site folder')
    .option(
      '--deployment-profile <name>',
      'apply deployment-profiles/<name>.deployment.yml (OS.PORTALOPS_PROFILE_<VAR> placeholders come from the environment)',
    )
    .option('--force-all', 'send every record, changed or not')
    .option('--dry-run', 'report what would be sent without changing anything')
    .option('--batch-size <n>', 'operations per $batch change set', '100')
    .option(
      '--data-model <model>',
      'Standard or Enhanced: the data model of a site new to the environment (default: the model the environment holds the site on, else Standard)',
    )
    .option('--json', 'print the summary as JSON')
    .action(
      async (o: {
        env: string;
        path: string;
        deploymentProfile?: string;
        forceAll?: boolean;
        dryRun?: boolean;
        batchSize: string;
        dataModel?: string;
        json?: boolean;
      }) =>
        withRuntime(io, async (runtime) => {
          const wantedModel = dataModelOption(o.dataModel);
          const folder = readFolder(o.path);
          let records = recordsFromPac(folder);
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
          // The migration's checks, before anything is read for the plan or written.
          const problems = await uploadPreflightProblems({
            folder: o.path,
            records,
            target: env,
            targetDataverse: dataverse,
            powerPages: runtime.powerPages,
            ...(wantedModel ? { dataModel: wantedModel } : {}),
          });
          const held = await siteModelOf(dataverse, website.id);
          const dataModel = held ?? wantedModel ?? 'Standard';
          // A folder does not say its model (pac writes the same files for both): say where it went.
          const modelNote =
            !held && !wantedModel
              ? `${env.alias} has no site on website record ${website.id} yet: its records go into the standard data model's tables; add --data-model Enhanced for a site on the enhanced data model.`
              : undefined;
          if (problems.length > 0) refuseUpload(o.path, env.alias, problems);
          const target = await exportSite(dataverse, website.id);
          const plan = planImport(records, o.forceAll ? [] : target, ORDER, { deleteMissing: false });
          // Records the folder's manifest marks deleted go away in the target too.
          const deleted = new Set(deletedInManifest(folder).map((d) => `${d.table}:${d.id}`));
          const present = new Set(records.map((r) => `${r.table}:${r.id}`));
          for (const record of target) {
            const key = `${record.table}:${record.id}`;
            if (!deleted.has(key) || present.has(key)) continue;
            let changes = plan.tables.find((t) => t.table === record.table);
            if (!changes) {
              changes = {
                table: record.table,
                creates: [],
                updates: [],
                deletes: [],
                unchanged: 0,
                previous: {},
              };
              plan.tables.push(changes);
            }
            changes.deletes.push(record);
            plan.writes++;
          }
          const counts = {
            environment: env.alias,
            website: website.id,
            dataModel,
            records: records.length,
            creates: plan.tables.reduce((n, t) => n + t.creates.length, 0),
            updates: plan.tables.reduce((n, t) => n + t.updates.length, 0),
            deletes: plan.tables.reduce((n, t) => n + t.deletes.length, 0),
            unchanged: plan.tables.reduce((n, t) => n + t.unchanged, 0),
            written: 0,
            dryRun: o.dryRun === true,
            // What of the folder is not uploaded, and why.
            ...folderLeftOut(folder),
          };
          if (!o.dryRun && plan.writes > 0) {
            const bar = progressBar(' {bar} {percentage}% | batch {value}/{total}', o.json);
            bar?.start(1, 0);
            const done = await writeSitePlan(dataverse, plan, {
              model: dataModel,
              websiteRecordId: website.id,
              desired: records,
              batchSize: Number(o.batchSize) || 100,
              onBatch: (p) => {
                bar?.setTotal(p.batches);
                bar?.update(p.batchesDone);
              },
            });
            bar?.stop();
            counts.written = done.writes;
          }
          if (o.json) io.out(JSON.stringify(counts));
          else
            io.out(
              [
                `${o.dryRun ? 'Dry run: would send' : 'Sent'} ${counts.creates} new and ${counts.updates} changed record(s) to ${env.alias} (${dataModel.toLowerCase()} data model)${counts.deletes ? ` and delete ${counts.deletes} the manifest marks deleted` : ''}; ${counts.unchanged} unchanged.`,
                ...(modelNote ? [modelNote] : []),
                ...leftOutLines(counts),
              ].join('\n'),
            );
        }),
    );
}

/** The `--data-model` option, or `invalid_input` naming the two values. */
function dataModelOption(value: string | undefined): SiteDataModel | undefined {
  if (value === undefined) return undefined;
  const model = ({ standard: 'Standard', enhanced: 'Enhanced' } as const)[value.toLowerCase() as 'standard'];
  if (!model)
    throw new PortalOpsError('invalid_input', `--data-model takes Standard or Enhanced, not "${value}".`);
  return model;
}

/** A progress bar on a terminal's stderr; none when piped or printing JSON. */
function progressBar(format: string, json: boolean | undefined) {
  return process.stderr.isTTY && !json
    ? new cliProgress.SingleBar({ format, stream: process.stderr }, cliProgress.Presets.shades_classic)
    : undefined;
}

function readFolder(folder: string) {
  try {
    return readPacSite(folder);
  } catch (error) {
    // Refusals already name the file, line or link and carry their own guidance.
    if (isPortalOpsError(error)) throw error;
    throw new PortalOpsError(
      'invalid_input',
      `${folder} cannot be read as a site folder: ${(error as Error).message}`,
    );
  }
}
