import type { Command } from 'commander';
import { createChat } from '../chat/create-chat.ts';
import { createSlackApp } from '../chat/slack/slack-app.ts';
import { type Playground, playgroundCli, startPlayground } from '../chat/teams/playground.ts';
import { createTeamsApp } from '../chat/teams/teams-app.ts';
import { serveTerminalChat } from '../chat/terminal/chat-relay.ts';
import { loadConfig } from '../config/config.ts';
import { siteStateOf } from '../domain/site-state.ts';
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
          const attention = sites.filter((s) => siteStateOf(s).attention !== undefined);
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
        const chat = createChat(runtime, { watchSites: true });
        const terminalChat = await serveTerminalChat(chat.core, config.dataDir, logger);
        const slack = config.slack
          ? createSlackApp({
              core: chat.core,
              botToken: config.slack.botToken,
              signingSecret: config.slack.signingSecret,
              ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
              maxRateLimitWaitMs: config.http.maxBackoffMs,
              logger,
            })
          : undefined;
        if (slack && config.slack) {
          const endpoint = await slack.start(config.slack.port, config.slack.host);
          io.out(endpoint ? `Slack: requests at ${endpoint}` : 'Slack: connected over Socket Mode.');
        }
        const teams = createTeamsApp({
          core: chat.core,
          store: runtime.store,
          logger,
          connectorMaxWaitMs: config.http.maxBackoffMs,
          ...(config.teams.clientId && config.teams.tenantId
            ? {
                credentials: {
                  clientId: config.teams.clientId,
                  tenantId: config.teams.tenantId,
                  ...(config.teams.clientSecret ? { clientSecret: config.teams.clientSecret } : {}),
                  ...(config.teams.authType ? { authType: config.teams.authType } : {}),
                },
              }
            : {}),
        });
        const teamsEndpoint = await teams.start(config.teams.port, config.teams.host);
        io.out(
          config.teams.clientId
            ? `Teams: messaging endpoint ${teamsEndpoint} (tokens validated for app ${config.teams.clientId}).`
            : `Teams (local mode, loopback only): ${teamsEndpoint}`,
        );
        let playground: Playground | undefined;
        const cli = config.teams.playground.enabled ? playgroundCli() : undefined;
        if (cli) {
          try {
            playground = await startPlayground({
              cli,
              endpoint: teamsEndpoint,
              port: config.teams.playground.port,
              workDir: config.dataDir,
              env: io.env,
              logger,
            });
            io.out(`Microsoft 365 Agents Playground: open ${playground.url} and say "help".`);
          } catch (error) {
            io.out(
              `The Agents Playground did not start (${(error as Error).message}); the bot runs without it.`,
            );
          }
        } else if (config.teams.playground.enabled) {
          io.out('The Agents Playground is not installed (npm install --include=dev adds it).');
        }
        io.out(
          `PortalOps is running and holds the data dir ${config.dataDir}; portalops commands on the same data dir are refused until it stops (give them a PORTALOPS_DATA_DIR of their own meanwhile).`,
        );
        if (terminalChat)
          io.out('Chat with it from another terminal: npx portalops chat --as alice@contoso.com');
        io.out('Press Ctrl-C to stop.');
        await waitForShutdown();
        await terminalChat?.close();
        await playground?.stop();
        await teams.stop();
        await slack?.stop();
        await chat.stop();
      } finally {
        await runtime.close();
      }
    });
}
