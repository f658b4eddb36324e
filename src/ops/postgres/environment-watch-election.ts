/**
 * One alert watcher per environment, however many replicas run: each environment's watch is a
 * PostgreSQL session advisory lock, held on one connection of the replica that won it. A replica
 * that dies (or loses its connection) loses its locks with the session, and another takes the
 * environments over on its next attempt. Replicas share the environments out: one holding more
 * than its share (environments ÷ live replicas, rounded up) gives the extra ones back.
 *
 * Advisory locks: https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS
 */
import type { Pool, PoolClient } from 'pg';
import { type Logger, silentLogger } from '../../logging/logger.ts';

/** Advisory lock class (first key of the two-key form) of PortalOps' operations locks. */
export const OPS_LOCK_CLASS = 7100;
/** Second key of the shared lock every live watcher holds, so replicas can count each other. */
const MEMBERSHIP_LOCK = 1;

/** Options of {@link EnvironmentWatchElection}. */
export interface WatchElectionOptions {
  pool: Pool;
  /** The environments to watch (ids of the registry). */
  environmentIds: () => string[];
  /** Between attempts to win environments nobody watches. Default 5 s. */
  retryIntervalMs?: number;
  logger?: Logger;
}

/**
 * Decides which environments this replica watches. `holds(id)` is synchronous (the alert center
 * asks it before each poll); the locks are taken in the background.
 */
export class EnvironmentWatchElection {
  private client: PoolClient | undefined;
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private attempt: Promise<void> | undefined;
  private stopped = false;
  private readonly retryIntervalMs: number;
  private readonly logger: Logger;

  constructor(private readonly options: WatchElectionOptions) {
    this.retryIntervalMs = options.retryIntervalMs ?? 5_000;
    this.logger = options.logger ?? silentLogger();
  }

  /** Whether this replica watches the environment now. */
  holds(environmentId: string): boolean {
    return this.held.has(environmentId);
  }

  /** The environments this replica watches now. */
  get watched(): string[] {
    return [...this.held].sort();
  }

  /** Takes part in the election; resolves after the first attempt. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.runAttempt();
    this.timer = setInterval(() => void this.runAttempt(), this.retryIntervalMs);
    this.timer.unref();
  }

  /** Gives every environment back (another replica takes them over at once) and leaves. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.attempt;
    const client = this.client;
    this.client = undefined;
    this.held.clear();
    if (!client) return;
    try {
      await client.query('SELECT pg_advisory_unlock_all()');
      client.release();
    } catch (error) {
      client.release(error as Error);
    }
  }

  private runAttempt(): Promise<void> {
    this.attempt ??= this.contend()
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'alert watch election failed; retrying');
        this.dropConnection(error as Error);
      })
      .finally(() => {
        this.attempt = undefined;
      });
    return this.attempt;
  }

  private async connect(): Promise<PoolClient> {
    if (this.client) return this.client;
    const client = await this.options.pool.connect();
    client.on('error', (error) => {
      // The session, and with it every lock, is gone: stop watching until won again.
      this.logger.warn({ err: error }, 'alert watch connection lost');
      if (this.client === client) this.dropConnection(error);
    });
    await client.query('SELECT pg_advisory_lock_shared($1, $2)', [OPS_LOCK_CLASS, MEMBERSHIP_LOCK]);
    this.client = client;
    return client;
  }

  private dropConnection(error: Error): void {
    const client = this.client;
    this.client = undefined;
    if (this.held.size > 0) this.logger.info({ environments: this.watched }, 'no longer watching');
    this.held.clear();
    client?.release(error);
  }

  private async contend(): Promise<void> {
    if (this.stopped) return;
    const client = await this.connect();
    const environments = [...new Set(this.options.environmentIds())];
    const members = await this.liveWatchers(client);
    const share = Math.ceil(environments.length / Math.max(1, members));
    for (const id of [...this.held]) {
      if (!environments.includes(id)) await this.giveBack(client, id);
    }
    // Shares balance out: give back beyond the share, then try for free ones up to it.
    for (const id of [...this.held].sort().slice(share)) await this.giveBack(client, id);
    const start = Math.floor(Math.random() * Math.max(1, environments.length));
    const order = [...environments.slice(start), ...environments.slice(0, start)];
    for (const id of order) {
      if (this.stopped || this.held.size >= share) break;
      if (this.held.has(id)) continue;
      const { rows } = await client.query<{ won: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS won',
        [OPS_LOCK_CLASS, `watch:${id}`],
      );
      if (rows[0]?.won) {
        this.held.add(id);
        this.logger.info({ environment: id }, 'watching environment for alerts');
      }
    }
  }

  private async giveBack(client: PoolClient, id: string): Promise<void> {
    this.held.delete(id);
    await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [OPS_LOCK_CLASS, `watch:${id}`]);
  }

  /** Replicas taking part now (sessions holding the shared membership lock in this database). */
  private async liveWatchers(client: PoolClient): Promise<number> {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = $2 AND objsubid = 2
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [OPS_LOCK_CLASS, MEMBERSHIP_LOCK],
    );
    return Number(rows[0]?.n ?? 1);
  }
}
