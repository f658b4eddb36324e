import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { createLogger } from '../logging/logger.ts';
import { createRuntime } from '../main.ts';
import type { CliIo } from './main.ts';
import { waitForShutdown } from './wait-for-shutdown.ts';

/**
 * `portalops start`: runs PortalOps until Ctrl-C. Without cloud settings it starts the embedded
 * simulator with the default scenario and signs in as its demo administrator.
 */
export function registerStartCommand(program: Command, io: CliIo): void {
  program
    .command('start')
    .description('run PortalOps (with the embedded simulator unless PORTALOPS_SIMULATOR=off)')
    .action(async () => {
      const config = loadConfig(io.env);
      const logger = createLogger(config.logLevel);
      const runtime = await createRuntime(config, { logger });
      try {
        if (runtime.simulator) {
          io.out(`Simulator of the Power Platform APIs: ${runtime.simulator.baseUrl}`);
        }
        const account = await runtime.auth.currentAccount();
        if (account) io.out(`Signed in as ${account.username}.`);
        for (const entry of runtime.registry.entries) {
          const sites = await runtime.powerPages.listWebsites(entry.environmentId);
          const attention = sites.filter(
            (s) => s.status === 'ProvisioningFailed' || s.packageInstallStatus === 'InstallFailed',
          );
          io.out(
            `  ${entry.alias.padEnd(5)} ${entry.displayName.padEnd(24)} ${sites.length} site(s)` +
              (attention.length > 0
                ? `, needing attention: ${attention.map((s) => s.subdomain).join(', ')}`
                : ''),
          );
        }
        runtime.engine.start();
        const unfinished = runtime.engine.list({ activeOnly: true });
        if (unfinished.length > 0) io.out(`Resuming ${unfinished.length} unfinished job(s).`);
        io.out('PortalOps is running. In another terminal try: npx portalops sites --env dev');
        io.out('Press Ctrl-C to stop.');
        await waitForShutdown();
      } finally {
        await runtime.close();
      }
    });
}
