import type { Command } from 'commander';
import type { CliIo } from './main.ts';
import { withRuntime } from './with-runtime.ts';

/** `portalops login | logout | environments | sites`: sign-in and read-only looks at the platform. */
export function registerPlatformCommands(program: Command, io: CliIo): void {
  program
    .command('login')
    .description('sign in with a device code (the Power Pages admin API needs a signed-in person)')
    .action(async () => {
      await withRuntime(io, async (runtime) => {
        const account = await runtime.auth.loginWithDeviceCode({ onPrompt: (message) => io.out(message) });
        io.out(`Signed in as ${account.username}. The token cache is kept in ${runtime.config.dataDir}.`);
      });
    });

  program
    .command('logout')
    .description('forget the signed-in account and its cached tokens')
    .action(async () => {
      await withRuntime(io, async (runtime) => {
        await runtime.auth.logout();
        io.out('Signed out.');
      });
    });

  program
    .command('environments')
    .description('list the registered environments with their language and Dataverse URL')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withRuntime(io, async (runtime) => {
        const rows = [];
        for (const entry of runtime.registry.entries) {
          const details = await runtime.environments.resolve(entry.alias);
          rows.push({
            ...entry,
            baseLanguage: details.baseLanguage,
            installedLanguages: details.installedLanguages,
          });
        }
        if (options.json) return io.out(JSON.stringify(rows, null, 2));
        for (const row of rows) {
          io.out(
            `${row.alias.padEnd(6)} ${row.displayName.padEnd(28)} ${row.protected ? 'protected ' : '          '} language ${row.baseLanguage}  ${row.dataverseUrl}`,
          );
        }
      });
    });

  program
    .command('sites')
    .description('list the Power Pages sites of an environment')
    .requiredOption('--env <alias>', 'environment alias, e.g. dev')
    .option('--json', 'print JSON')
    .action(async (options: { env: string; json?: boolean }) => {
      await withRuntime(io, async (runtime) => {
        const entry = runtime.registry.get(options.env);
        const sites = await runtime.powerPages.listWebsites(entry.environmentId);
        if (options.json) return io.out(JSON.stringify(sites, null, 2));
        if (sites.length === 0) return io.out(`No sites in ${entry.alias}.`);
        for (const site of sites) {
          const install =
            site.packageInstallStatus === 'Installed' ? '' : ` (package ${site.packageInstallStatus})`;
          io.out(`${site.name.padEnd(24)} ${site.status}${install}  ${site.type}  ${site.websiteUrl}`);
        }
      });
    });
}
