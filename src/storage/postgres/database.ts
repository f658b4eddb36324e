/**
 * The PostgreSQL connection shared by everything that needs the database in one process: the
 * store, and the operations side (readiness, leader election, cross-replica notices). One pool
 * per process; `LISTEN` needs a connection of its own, which {@link PostgresDatabase.listen} opens.
 */
import pg from 'pg';
import type { Logger } from '../../logging/logger.ts';
import { applyMigrations, type MigrationReport, pendingMigrations } from './migrate.ts';

/** How {@link openDatabase} connects. */
export interface DatabaseOptions {
  /** `postgres://user:password@host:5432/database` (PORTALOPS_DATABASE_URL). */
  url: string;
  /** Connections in the pool. Default 10. */
  maxConnections?: number;
  /** Shown in `pg_stat_activity.application_name`, e.g. the replica's name. */
  applicationName?: string;
  logger?: Logger;
}

/** A message received on a `LISTEN` channel. */
export type NotificationListener = (payload: string) => void;

/** An open database: its pool, its migrations, and channels to listen on. */
export interface PostgresDatabase {
  readonly pool: pg.Pool;
  /** The migrations this process applied (or found applied) at start-up. */
  readonly migrations: MigrationReport;
  /**
   * Listens on `channel` on a dedicated connection; `onReconnect` runs after the connection was
   * lost and opened again (notifications sent meanwhile are lost: reload what they would have
   * told). Returns a function that stops listening.
   */
  listen(
    channel: string,
    listener: NotificationListener,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  /** True when the database answers and every migration in the repository is applied. */
  isReady(): Promise<boolean>;
  /** Closes the listeners and the pool. */
  close(): Promise<void>;
}

// Postgres `bigint` (int8) values come back as strings by default; every bigint here is a
// version number or a millisecond timestamp, well inside Number.MAX_SAFE_INTEGER.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/**
 * Connects, applies the repository's migrations (under an advisory lock, so replicas starting
 * together apply each once) and returns the database.
 *
 * @example
 * const db = await openDatabase({ url: 'postgres://postgres@127.0.0.1:5432/portalops' });
 * const { rows } = await db.pool.query('select 1 as one');
 */
export async function openDatabase(options: DatabaseOptions): Promise<PostgresDatabase> {
  const connection = {
    connectionString: options.url,
    application_name: options.applicationName ?? 'portalops',
  };
  const pool = new pg.Pool({ ...connection, max: options.maxConnections ?? 10 });
  // An idle client losing its connection (a database restart) must not crash the process.
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'database connection lost'));
  let migrations: MigrationReport;
  try {
    migrations = await applyMigrations(pool, options.logger);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const listeners = new Set<ChannelListener>();
  return {
    pool,
    migrations,
    async listen(channel, listener, onReconnect) {
      const one = new ChannelListener(connection, channel, listener, onReconnect, options.logger);
      await one.open();
      listeners.add(one);
      return async () => {
        listeners.delete(one);
        await one.close();
      };
    },
    async isReady() {
      try {
        return (await pendingMigrations(pool)).length === 0;
      } catch {
        return false;
      }
    },
    async close() {
      await Promise.allSettled([...listeners].map((l) => l.close()));
      listeners.clear();
      await pool.end();
    },
  };
}

/** One `LISTEN` connection that reconnects (with a growing pause) when it is lost. */
class ChannelListener {
  private client: pg.Client | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = 100;

  constructor(
    private readonly connection: pg.ClientConfig,
    private readonly channel: string,
    private readonly listener: NotificationListener,
    private readonly onReconnect: (() => void) | undefined,
    private readonly logger: Logger | undefined,
  ) {}

  async open(): Promise<void> {
    const client = new pg.Client(this.connection);
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.listener(message.payload ?? '');
    });
    client.on('error', (error) => {
      this.logger?.warn({ err: error, channel: this.channel }, 'database listener lost its connection');
      this.reconnectLater(client);
    });
    client.on('end', () => this.reconnectLater(client));
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    this.client = client;
    this.retryMs = 100;
  }

  private reconnectLater(lost: pg.Client): void {
    if (this.closed || this.client !== lost) return;
    this.client = undefined;
    lost.end().catch(() => undefined);
    this.openLater();
  }

  private openLater(): void {
    this.retryTimer = setTimeout(() => {
      this.open()
        .then(() => this.onReconnect?.())
        .catch(() => {
          this.retryMs = Math.min(this.retryMs * 2, 5_000);
          if (!this.closed) this.openLater();
        });
    }, this.retryMs);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
