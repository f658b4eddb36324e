import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { buildTeamsPackage, TEAMS_MANIFEST_DIR } from '../packaging/teams-app-package.ts';
import type { CliIo } from './main.ts';

/** `portalops package-teams`: builds the Teams app package (upload it in Teams or the admin centre). */
export function registerPackageTeamsCommand(program: Command, io: CliIo): void {
  program
    .command('package-teams')
    .description('build the Teams app package (manifest + icons) from manifest/teams and your configuration')
    .option('--out <file>', 'where to write the zip', 'appPackage.zip')
    .action(async (options: { out: string }) => {
      const config = loadConfig(io.env);
      const version = (
        JSON.parse(readFileSync(path.join(TEAMS_MANIFEST_DIR, '../../package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
      const publicUrl = config.teams.publicUrl;
      const result = await buildTeamsPackage({
        outFile: path.resolve(options.out),
        values: {
          APP_VERSION: version,
          TEAMS_CLIENT_ID: config.teams.clientId,
          TEAMS_APP_ID: config.teams.appId ?? config.teams.clientId,
          PORTALOPS_PUBLIC_URL: publicUrl,
          PORTALOPS_PUBLIC_HOST: publicUrl ? new URL(publicUrl).host : undefined,
          PORTALOPS_PUBLISHER: config.teams.publisher,
        },
      });
      io.out(
        `Wrote ${result.file} (manifest ${String(result.manifest.manifestVersion)}, valid against its schema).`,
      );
      io.out('Upload it in Teams (Apps → Manage your apps → Upload an app) or in the Teams admin centre.');
    });
}
