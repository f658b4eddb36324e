/**
 * The Teams endpoint: `POST /api/messages` on the Microsoft 365 Agents SDK (`CloudAdapter`,
 * `authorizeJWT`). With app credentials every request's token is validated by the SDK; without
 * them the bot runs in local mode (for the Agents Playground) and listens on loopback only.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuthConfiguration, authorizeJWT, getAuthConfigWithDefaults } from '@microsoft/agents-hosting';
import express from 'express';
import type { Logger } from '../../logging/logger.ts';
import { listenOn } from '../../platform/http/listen-on.ts';
import type { Store } from '../../storage/store.ts';
import type { ChatCore } from '../core/chat-core.ts';
import { activityEndpoint } from './activity-endpoint.ts';
import { playgroundPersonas } from './local-personas.ts';
import { TeamsAdapter } from './teams-adapter.ts';
import { TeamsBot } from './teams-bot.ts';
import { TeamsDirectory } from './teams-directory.ts';
import { TeamsSurface } from './teams-surface.ts';

/** The bot's app registration. */
export interface TeamsCredentials {
  clientId: string;
  tenantId: string;
  clientSecret?: string;
  authType?: 'ClientSecret' | 'UserManagedIdentity' | 'SystemManagedIdentity' | 'FederatedCredentials';
  /** Sign-in authority (tests point it at a local identity provider). */
  authority?: string;
}

/** How the Teams app is set up. */
export interface TeamsAppOptions {
  core: ChatCore;
  store: Store;
  logger: Logger;
  /** Without credentials the bot runs in local mode: anonymous, loopback only. */
  credentials?: TeamsCredentials;
  /** Per-person approval cards (`refresh.userIds`); by default on with credentials (real Teams). */
  userSpecificViews?: boolean;
  /** Longest wait on a throttled Bot Connector call, whatever its Retry-After asks (`PORTALOPS_HTTP_MAX_BACKOFF_MS`). */
  connectorMaxWaitMs?: number;
  /** More routes on the bot's port (health, readiness, metrics), served before the built-in ones. */
  routes?: express.RequestHandler;
}

/** A running Teams surface. */
export interface TeamsApp {
  surface: TeamsSurface;
  /** Listens; resolves with the messaging endpoint URL. */
  start(port: number, host: string): Promise<string>;
  stop(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Largest activity body read. Teams refuses bot messages much larger than 100 KB, so activities
 * (card submissions included) stay well below this.
 */
export const MAX_ACTIVITY_BYTES = 1024 * 1024;

/**
 * Express's default error page is HTML with the stack trace and file paths of this server.
 * Errors of the other routes (health, readiness, metrics: a body parser there failing on
 * malformed or oversized JSON, say) are answered as short JSON instead, in the shape Bot
 * Framework channels expect (`{ error: { code, message } }`), and logged without the body.
 */
function answerRequestErrors(logger: Logger): express.ErrorRequestHandler {
  return (error: { status?: number; statusCode?: number; type?: string }, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    const answer =
      error.type === 'entity.too.large'
        ? {
            status: 413,
            code: 'PayloadTooLarge',
            message: `An activity may be at most ${MAX_ACTIVITY_BYTES} bytes.`,
          }
        : error.type === 'entity.parse.failed'
          ? { status: 400, code: 'BadRequest', message: 'The request body is not valid JSON.' }
          : status >= 400 && status < 500
            ? { status, code: 'BadRequest', message: 'The request could not be read.' }
            : { status: 500, code: 'InternalServerError', message: 'The bot could not handle this request.' };
    if (answer.status >= 500) logger.error({ err: error }, 'Teams request failed');
    else logger.info({ status: answer.status, type: error.type }, 'Teams request refused');
    res.status(answer.status).json({ error: { code: answer.code, message: answer.message } });
  };
}

function authConfiguration(credentials: TeamsCredentials | undefined): AuthConfiguration {
  if (!credentials) return {};
  return {
    clientId: credentials.clientId,
    tenantId: credentials.tenantId,
    ...(credentials.clientSecret ? { clientSecret: credentials.clientSecret } : {}),
    ...(credentials.authType ? { authType: credentials.authType } : {}),
    ...(credentials.authority ? { authority: credentials.authority } : {}),
  };
}

/** Builds the Teams bot and registers its surface with the chat core. */
export function createTeamsApp(options: TeamsAppOptions): TeamsApp {
  const authConfig = getAuthConfigWithDefaults(authConfiguration(options.credentials));
  const adapter = new TeamsAdapter(authConfig);
  const logger = options.logger.child({ surface: 'teams' });
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error }, 'Teams turn failed');
    if (context.activity.type === 'invoke') return;
    await context.sendActivity(
      'Something went wrong on my side. Try again, and tell your PortalOps admins if it persists.',
    );
  };
  const directory = new TeamsDirectory(options.store, logger);
  const surface = new TeamsSurface(
    adapter,
    options.credentials?.clientId ?? { name: 'anonymous' },
    directory,
    options.userSpecificViews ?? options.credentials !== undefined,
    options.connectorMaxWaitMs,
  );
  options.core.register(surface);
  const personas = playgroundPersonas(options.credentials);
  const bot = new TeamsBot({
    core: options.core,
    surface,
    directory,
    adapter,
    logger,
    store: options.store,
    personas,
  });

  const app = express();
  app.disable('x-powered-by');
  // The token is checked before the body is read: an unauthenticated request costs no parsing.
  const endpoint = activityEndpoint({
    authorize: authorizeJWT(authConfig),
    async process(req, res) {
      try {
        await adapter.process(req, res, (context) => bot.run(context));
      } catch (error) {
        logger.error({ err: error }, 'Teams request failed');
        if (!res.headersSent) res.status(500).send({ error: 'The bot could not handle this activity.' });
      }
    },
    maxBytes: MAX_ACTIVITY_BYTES,
    fallback: app,
    logger,
  });
  if (options.routes) app.use(options.routes);
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, mode: options.credentials ? 'teams' : 'local' });
  });
  app.use((_req: express.Request, res: express.Response) => {
    res.status(404).json({ error: { code: 'NotFound', message: 'PortalOps serves POST /api/messages.' } });
  });
  app.use(answerRequestErrors(logger));

  let server: Server | undefined;
  return {
    surface,
    async start(port, host) {
      if (!options.credentials && !LOOPBACK.has(host)) {
        throw new Error(
          `Without Teams credentials the bot accepts unauthenticated requests, so it only listens on loopback, not ${host}.`,
        );
      }
      server = await listenOn(endpoint, { what: 'The Teams endpoint', port, host, variable: 'TEAMS_PORT' });
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${shownHost}:${address.port}/api/messages`;
    },
    async stop() {
      if (!server) return;
      const s = server;
      server = undefined;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}
