import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import type { CliIo } from './main.ts';
import { waitForShutdown } from './wait-for-shutdown.ts';

/** `portalops simulator`: serves the local emulator of the Power Platform APIs until Ctrl-C. */
export function registerSimulatorCommand(program: Command, io: CliIo): void {
  program
    .command('simulator')
    .description('start the local simulator of the Power Pages, Dataverse, environment and sign-in APIs')
    .option('--port <port>', 'port to listen on (0 picks a free one)')
    .option('--host <host>', 'interface to bind (loopback by default)')
    .option('--scenario <file>', 'scenario YAML to seed it (default: the built-in dev/test/prod scenario)')
    .option('--time-scale <factor>', 'multiply lifecycle durations, e.g. 0.1 runs ten times faster')
    .option(
      '--approve-as <user>',
      'approve device-code sign-ins as this scenario user at once',
      'alice@contoso.com',
    )
    .option('--no-approve-as', 'approve device-code sign-ins only on the /device page')
    .action(
      async (options: {
        port?: string;
        host?: string;
        scenario?: string;
        timeScale?: string;
        approveAs?: string | false;
      }) => {
        const config = loadConfig({
          ...io.env,
          ...(options.port === undefined ? {} : { PORTALOPS_SIMULATOR_PORT: options.port }),
          ...(options.host === undefined ? {} : { PORTALOPS_SIMULATOR_HOST: options.host }),
          ...(options.scenario === undefined ? {} : { PORTALOPS_SIMULATOR_SCENARIO: options.scenario }),
          ...(options.timeScale === undefined ? {} : { PORTALOPS_SIMULATOR_TIME_SCALE: options.timeScale }),
        });
        const { startSimulator } = await import('../simulator/simulator.ts');
        const sim = await startSimulator({
          host: config.simulator.host,
          port: config.simulator.port,
          timeScale: config.simulator.timeScale,
          ...(config.simulator.scenarioFile ? { scenario: config.simulator.scenarioFile } : {}),
          ...(options.approveAs ? { autoApproveDeviceCodeAs: options.approveAs } : {}),
        });
        const dev = sim.environmentsRegistry()[0];
        io.out(`PortalOps simulator listening on ${sim.baseUrl}`);
        io.out(
          `  Power Pages API     ${sim.urls.powerPlatformApi}/powerpages/environments/{environmentId}/websites?api-version=2024-10-01`,
        );
        io.out(
          `  Environment lookup  ${sim.urls.bapApi}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/{environmentId}`,
        );
        io.out(`  Sign-in (OAuth2)    ${sim.urls.authorityHost}/{tenantId}/oauth2/v2.0/token`);
        for (const env of sim.environmentsRegistry()) {
          io.out(
            `  ${env.alias.padEnd(5)} ${env.environmentId}  Dataverse ${env.dataverseUrl}/api/data/v9.2`,
          );
        }
        if (dev) {
          const token = sim.issueUserToken('alice@contoso.com', 'https://api.powerplatform.com', 3600);
          io.out('\nTry it from another terminal (token for alice@contoso.com, valid one hour):');
          io.out(
            `  curl -s -H "Authorization: Bearer ${token}" "${sim.urls.powerPlatformApi}/powerpages/environments/${dev.environmentId}/websites?api-version=2024-10-01"`,
          );
        }
        io.out('\nPress Ctrl-C to stop.');
        await waitForShutdown();
        await sim.close();
      },
    );
}
