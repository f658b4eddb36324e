/**
 * What `portalops start` adds to a runtime to run as one of several replicas and be operated:
 * metrics, readiness, the `/healthz` `/readyz` `/metrics` routes, and, on PostgreSQL, the alert
 * watcher election and the card relay. On lowdb (one process) it adds only the first three: the
 * process polls every environment and sends its own cards, as it always did.
 */
import type express from 'express';
import type { ChatCore } from '../chat/core/chat-core.ts';
import type { Logger } from '../logging/logger.ts';
import type { Runtime } from '../main.ts';
import { POWER_PLATFORM_SCOPE } from '../platform/http/power-platform-api.ts';
import { pendingMigrations } from '../storage/postgres/migrate.ts';
import type { Store } from '../storage/store.ts';
import { countingDuplicateEvents, timeChatTurns } from './chat-metrics.ts';
import { createMetrics, type OpsMetrics, observeJobs } from './metrics.ts';
import { opsRoutes } from './ops-routes.ts';
import { CardRelay, type SurfaceLookup } from './postgres/card-relay.ts';
import { PostgresConversationPace } from './postgres/conversation-pace.ts';
import { EnvironmentWatchElection } from './postgres/environment-watch-election.ts';
import {
  migrationsApplied,
  platformSignInUsable,
  Readiness,
  type ReadinessCheck,
  storeReachable,
} from './readiness.ts';

/** Surfaces that exist on one replica only (the terminal chat is served from its own data dir). */
const REPLICA_LOCAL_SURFACES = ['terminal'];

/** The operations side of a running PortalOps. */
export interface ReplicaOperations {
  metrics: OpsMetrics;
  readiness: Readiness;
  /** `/healthz`, `/readyz`, `/metrics`, for the bot's port. */
  routes: express.Router;
  /** The runtime's store with repeated inbound events counted (give it to the chat side). */
  store: Store;
  /** For `createChat`: where job progress and alerts are sent. */
  cardSurfaces?: (local: SurfaceLookup) => SurfaceLookup;
  /** For `createChat`: which environments this replica polls for alerts. */
  watches?: (environmentId: string) => boolean;
  /** Plugs the chat core in (turn timing, the relay's conversation references) and starts the relay. */
  attachChat(core: ChatCore): Promise<void>;
  /** Environments this replica watches now (all of them on lowdb). */
  watchedEnvironments(): string[];
  /** Leaves the election (other replicas take the environments over at once) and stops the relay. */
  stop(): Promise<void>;
}

/**
 * Sets the operations side up for a runtime. On PostgreSQL it joins the alert watcher election
 * before returning, so the alert center polls only what this replica won.
 */
export async function startReplicaOperations(
  runtime: Runtime,
  options: { logger: Logger; mode?: string },
): Promise<ReplicaOperations> {
  const metrics = createMetrics();
  const stopObservingJobs = observeJobs(metrics, runtime.engine);
  const database = runtime.database;
  const checks: ReadinessCheck[] = [
    storeReachable(database ? () => database.pool.query('SELECT 1') : undefined),
    ...(database
      ? [migrationsApplied(async () => (await pendingMigrations(database.pool)).map((v) => `#${v}`))]
      : []),
    platformSignInUsable(runtime.auth, POWER_PLATFORM_SCOPE),
  ];
  const readiness = new Readiness(checks);
  const routes = opsRoutes({ readiness, metrics, ...(options.mode ? { mode: options.mode } : {}) });
  const store = countingDuplicateEvents(runtime.store, metrics);

  let core: ChatCore | undefined;
  let election: EnvironmentWatchElection | undefined;
  let relay: CardRelay | undefined;
  if (database) {
    election = new EnvironmentWatchElection({
      pool: database.pool,
      environmentIds: () => runtime.registry.entries.map((e) => e.environmentId),
      logger: options.logger,
    });
    await election.start();
  }
  const watching = election;
  return {
    metrics,
    readiness,
    routes,
    store,
    ...(watching ? { watches: (id: string) => watching.holds(id) } : {}),
    ...(database
      ? {
          cardSurfaces: (local: SurfaceLookup) => {
            relay = new CardRelay({
              pool: database.pool,
              listen: (channel, listener, onReconnect) => database.listen(channel, listener, onReconnect),
              pace: new PostgresConversationPace(database.pool),
              local,
              conversation: (surface, id) =>
                core?.conversationRef(surface, id) ?? { surface, conversationId: id },
              relayedSurfaces: REPLICA_LOCAL_SURFACES,
              logger: options.logger,
            });
            return relay.surfaces();
          },
        }
      : {}),
    async attachChat(chatCore) {
      core = chatCore;
      timeChatTurns(chatCore, metrics);
      await relay?.start();
    },
    watchedEnvironments: () =>
      watching ? watching.watched : runtime.registry.entries.map((e) => e.environmentId),
    async stop() {
      await Promise.allSettled([election?.stop(), relay?.stop()]);
      stopObservingJobs();
      metrics.close();
    },
  };
}
