import type { Command } from 'commander';
import { type Chat, createChat } from '../chat/create-chat.ts';
import { createSlackApp } from '../chat/slack/slack-app.ts';
import { type Playground, playgroundCli, startPlayground } from '../chat/teams/playground.ts';
import { createTeamsApp } from '../chat/teams/teams-app.ts';
import { serveTerminalChat } from '../chat/terminal/chat-relay.ts';
import { loadConfig } from '../config/config.ts';
import { siteStateOf } from '../domain/site-state.ts';
import { createLogger } from '../logging/logger.ts';
import { createRuntime } from '../main.ts';
import { drain } from '../ops/drain.ts';
import { startReplicaOperations } from '../ops/replica-operations.ts';
import type { CliIo } from './main.ts';
import { waitForShutdown } from './wait-for-shutdown.ts';

/**
 * `portalops start`: runs PortalOps until Ctrl-C or SIGTERM, then drains within
 * PORTALOPS_DRAIN_TIMEOUT_MS. Without cloud settings it starts the embedded simulator with the
 * default scenario and signs in as its demo administrator.
 */
export function registerStartCommand(program: Command, io: CliIo): void {
  program
    .command('start')
    .description('run PortalOps (with the embedded simulator unless PORTALOPS_SIMULATOR=off)')
    .action(async () => {
      const config = loadConfig(io.env);
      const logger = createLogger(config.logLevel);
      const runtime = await createRuntime(config, { logger });
      let closed = false;
      let chat: Chat | undefined;
      const ops = await startReplicaOperations(runtime, {
        logger,
        mode: config.teams.clientId ? 'teams' : 'local',
      }).catch(async (error: unknown) => {
        await runtime.close();
        throw error;
      });
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
        chat = createChat(
          { ...runtime, store: ops.store },
          {
            watchSites: true,
            ...(ops.cardSurfaces ? { cardSurfaces: ops.cardSurfaces } : {}),
            ...(ops.watches ? { watches: ops.watches } : {}),
          },
        );
        await ops.attachChat(chat.core);
        if (runtime.database)
          io.out(
            `Shared database: alerts of ${ops.watchedEnvironments().length} of ${runtime.registry.entries.length} environment(s) watched here; other replicas watch the rest.`,
          );
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
          store: ops.store,
          logger,
          connectorMaxWaitMs: config.http.maxBackoffMs,
          routes: ops.routes,
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
        const opsBase = teamsEndpoint.replace(/\/api\/messages$/, '');
        io.out(`Health ${opsBase}/healthz, readiness ${opsBase}/readyz, metrics ${opsBase}/metrics.`);
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
          runtime.database
            ? 'PortalOps is running on the shared database; portalops commands and other replicas on the same database work beside it.'
            : `PortalOps is running and holds the data dir ${config.dataDir}; portalops commands on the same data dir are refused until it stops (give them a PORTALOPS_DATA_DIR of their own meanwhile).`,
        );
        if (terminalChat)
          io.out('Chat with it from another terminal: npx portalops chat --as alice@contoso.com');
        io.out('Press Ctrl-C to stop.');
        const signal = await waitForShutdown();
        // A second signal while draining means: stop now.
        const forceExit = () => process.exit(1);
        process.once('SIGINT', forceExit);
        process.once('SIGTERM', forceExit);
        ops.readiness.startDraining();
        logger.info({ signal, boundMs: config.shutdown.drainTimeoutMs }, 'draining');
        closed = true;
        const outcome = await drain(
          [
            // Stop claiming; running steps are interrupted and their leases released.
            { name: 'jobs', run: () => runtime.engine.stop() },
            { name: 'terminal chat', run: async () => terminalChat?.close() },
            { name: 'Agents Playground', run: async () => playground?.stop() },
            { name: 'Teams endpoint', run: () => teams.stop() },
            { name: 'Slack', run: async () => slack?.stop() },
            // Sends the card edits still waiting and stops polling for alerts.
            { name: 'chat', run: async () => chat?.stop() },
            { name: 'alert watch and card relay', run: () => ops.stop() },
            { name: 'store', run: () => runtime.close() },
          ],
          { boundMs: config.shutdown.drainTimeoutMs, logger },
        );
        if (!outcome.completed) {
          io.err(
            `PortalOps did not stop within ${config.shutdown.drainTimeoutMs} ms (still at: ${outcome.unfinished ?? 'unknown'}); exiting anyway. Jobs it held resume elsewhere once their leases expire.`,
          );
          process.exit(1);
        }
        logger.info({ elapsedMs: outcome.elapsedMs }, 'stopped');
        io.out(`Stopped in ${outcome.elapsedMs} ms.`);
      } finally {
        if (!closed) {
          // Start-up failed after the chat started: stop its alert polls before the store closes.
          await chat?.stop();
          await ops.stop();
          await runtime.close();
        }
      }
    });
}
