import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { createLogger } from '../logging/logger.ts';
import { createRuntime, type Runtime } from '../main.ts';
import type { CliIo } from './main.ts';

/**
 * Opens the runtime for a one-shot command. An embedded simulator listens on a free port so the
 * command never clashes with a running `portalops start`.
 */
async function withRuntime<T>(io: CliIo, run: (runtime: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig({ PORTALOPS_SIMULATOR_PORT: '0', PORTALOPS_LOG_LEVEL: 'warn', ...io.env });
  const runtime = await createRuntime(config, { logger: createLogger(config.logLevel) });
  try {
    return await run(runtime);
  } finally {
    await runtime.close();
  }
}

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
