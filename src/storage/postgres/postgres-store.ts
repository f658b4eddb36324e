import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { PortalOpsError } from '../../domain/errors.ts';
import type { Logger } from '../../logging/logger.ts';
import type {
  AuditEntry,
  AuditQuery,
  Collection,
  CollectionName,
  Collections,
  EventClaim,
  Store,
  StoreChange,
  StoredRecord,
} from '../store.ts';
import { idTaken } from '../store-errors.ts';
import { COLLECTION_NAMES } from '../store-lines.ts';
import { type DatabaseOptions, openDatabase, type PostgresDatabase } from './database.ts';
import { ReadCache } from './read-cache.ts';

/** The table of each collection (schema `portalops`, see `migrations/001-store.sql`). */
const TABLES: { [K in CollectionName]: string } = {
  jobs: 'portalops.jobs',
  approvals: 'portalops.approvals',
  conversations: 'portalops.conversations',
  subscriptions: 'portalops.subscriptions',
  snapshots: 'portalops.snapshots',
  alerts: 'portalops.alerts',
  cardStates: 'portalops.card_states',
};
const COLLECTION_OF_TABLE = new Map(
  COLLECTION_NAMES.map((name) => [TABLES[name].replace('portalops.', ''), name] as const),
);
const CHANNEL = 'portalops_changes';
const NEXT_VERSION = "nextval('portalops.change_version')";
const DEFAULT_EVENT_TTL_MS = 24 * 60 * 60 * 1000;
/** Expired inbound event ids are deleted at most this often (by whichever replica claims one). */
const EVENT_SWEEP_INTERVAL_MS = 60_000;
/** The MSAL token cache is kept in the credentials folder, never in the store (as in lowdb). */
const SECRET_KEY = /^msal-cache:/;

/** A change notice, as `portalops.announce_change()` sends it. */
type ChangeNotice =
  | { t: string; id: string; v: number; op: 'INSERT' | 'UPDATE' | 'DELETE' }
  | { t: 'audit'; seq: number };

/** Options of {@link PostgresStore.open}. */
export interface PostgresStoreOptions {
  now?: () => number;
  logger?: Logger;
}

/**
 * The PostgreSQL implementation of {@link Store}, for several replicas sharing one database.
 *
 * Reads are served from a {@link ReadCache} of every collection, loaded at open and kept current
 * by change notices (`LISTEN portalops_changes`, sent by triggers at commit); a notice names the
 * record and its version, and the replica fetches the row. Everything that must hold across
 * replicas is decided by the database: `update` runs `change` inside a transaction holding the
 * row's lock (`SELECT … FOR UPDATE`, or `SKIP LOCKED` for claims), so two replicas claiming one
 * job are serialized and only one lease token lands; one active job per site is a unique index;
 * an inbound event is claimed by a primary-key insert; the audit log is an insert-only table.
 * A replica's own writes are in its cache when their promise resolves; another replica's, a
 * notice later (milliseconds).
 */
export class PostgresStore implements Store {
  private readonly cache = new ReadCache();
  private readonly pool: pg.Pool;
  private readonly now: () => number;
  private readonly logger: Logger | undefined;
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private stopListening: (() => Promise<void>) | undefined;
  private pendingNotices: ChangeNotice[] = [];
  private applying: Promise<void> | undefined;
  private readonly pendingWrites = new Set<Promise<unknown>>();
  private lastSweep = 0;
  private closed = false;

  private constructor(
    readonly database: PostgresDatabase,
    private readonly ownsDatabase: boolean,
    options: PostgresStoreOptions,
  ) {
    this.pool = database.pool;
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
  }

  /**
   * Opens the store on `database` (migrated already), or connects to `url` first, in which case
   * closing the store closes the connection too. Listens for changes before loading, so nothing
   * committed in between is missed.
   */
  static async open(
    target: PostgresDatabase | DatabaseOptions,
    options: PostgresStoreOptions = {},
  ): Promise<PostgresStore> {
    const owns = !('pool' in target);
    const database = owns
      ? await openDatabase({ ...target, logger: options.logger ?? target.logger })
      : target;
    const store = new PostgresStore(database, owns, options);
    try {
      store.stopListening = await database.listen(
        CHANNEL,
        (payload) => store.onNotice(payload),
        () => void store.reload().catch((error) => store.logger?.warn({ err: error }, 'store reload failed')),
      );
      await store.reload();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  collection<K extends CollectionName>(name: K): Collection<Collections[K]> {
    type T = Collections[K];
    const table = TABLES[name];
    const copy = (id: string) => clone(this.cache.record(name, id) as T | undefined);
    return {
      get: (id) => copy(id),
      list: (filter) => {
        const out: T[] = [];
        for (const { value } of this.cache.all(name))
          if (!filter || filter(value as T)) out.push(clone(value as T));
        return out;
      },
      put: async (record) => {
        this.assertOpen();
        const { rows } = await this.query<{ version: number }>(
          `INSERT INTO ${table} (id, data, version) VALUES ($1, $2, ${NEXT_VERSION})
           ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, version = EXCLUDED.version
           RETURNING version`,
          [record.id, JSON.stringify(record)],
          name,
        );
        this.cache.putRecord(name, clone(record), rows[0]!.version);
        return clone(record);
      },
      insert: async (record) => {
        this.assertOpen();
        const { rows } = await this.query<{ version: number }>(
          `INSERT INTO ${table} (id, data, version) VALUES ($1, $2, ${NEXT_VERSION})
           ON CONFLICT (id) DO NOTHING RETURNING version`,
          [record.id, JSON.stringify(record)],
          name,
        );
        if (!rows[0]) {
          // The record that holds the id is read into the cache first, so a caller refused here
          // sees it at once, as it would after its own write (not only once its notice arrives).
          const held = await this.query<{ data: T; version: number }>(
            `SELECT data, version FROM ${table} WHERE id = $1`,
            [record.id],
            name,
          );
          if (held.rows[0]) this.cache.putRecord(name, held.rows[0].data, held.rows[0].version);
          throw idTaken(name, record.id);
        }
        this.cache.putRecord(name, clone(record), rows[0].version);
        return clone(record);
      },
      update: async (id, change, options) => {
        this.assertOpen();
        const lock = options?.skipLocked ? 'FOR UPDATE SKIP LOCKED' : 'FOR UPDATE';
        const outcome = await this.transaction(name, async (client) => {
          const found = await client.query<{ data: T; version: number }>(
            `SELECT data, version FROM ${table} WHERE id = $1 ${lock}`,
            [id],
          );
          const row = found.rows[0];
          // Not there, or (skipLocked) being changed by someone else right now.
          if (!row) return { value: options?.skipLocked ? copy(id) : undefined };
          this.cache.putRecord(name, row.data, row.version);
          const next = change(clone(row.data));
          if (next === undefined) return { value: clone(row.data) };
          if (next.id !== id) throw new Error(`update of ${name}/${id} changed its id`);
          const updated = await client.query<{ version: number }>(
            `UPDATE ${table} SET data = $2, version = ${NEXT_VERSION} WHERE id = $1 RETURNING version`,
            [id, JSON.stringify(next)],
          );
          return { value: next, version: updated.rows[0]!.version };
        });
        if (outcome.version !== undefined && outcome.value !== undefined)
          this.cache.putRecord(name, clone(outcome.value), outcome.version);
        return clone(outcome.value);
      },
      delete: async (id) => {
        this.assertOpen();
        const { rows } = await this.query<{ version: number }>(
          `DELETE FROM ${table} WHERE id = $1 RETURNING version`,
          [id],
          name,
        );
        if (rows[0]) this.cache.dropRecord(name, id, rows[0].version);
        return rows.length > 0;
      },
    };
  }

  async appendAudit(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<AuditEntry> {
    this.assertOpen();
    const full: AuditEntry = { ...entry, at: entry.at ?? new Date(this.now()).toISOString() };
    const { rows } = await this.query<{ seq: number }>(
      'INSERT INTO portalops.audit (entry) VALUES ($1) RETURNING seq',
      [JSON.stringify(full)],
    );
    this.cache.addAudit(rows[0]!.seq, clone(full));
    return full;
  }

  readAudit(query: AuditQuery = {}): AuditEntry[] {
    let entries = this.cache
      .auditEntries()
      .filter(
        (e) =>
          (query.subject === undefined || e.subject === query.subject) &&
          (query.action === undefined || e.action === query.action) &&
          (query.since === undefined || e.at >= query.since),
      );
    if (query.limit !== undefined) entries = entries.slice(-query.limit);
    return entries.map((e) => clone(e));
  }

  async claimEvent(eventId: string, ttlMs = DEFAULT_EVENT_TTL_MS): Promise<EventClaim | undefined> {
    this.assertOpen();
    const now = this.now();
    if (now - this.lastSweep >= EVENT_SWEEP_INTERVAL_MS) {
      this.lastSweep = now;
      this.track(this.query('DELETE FROM portalops.inbound_events WHERE expires_at_ms <= $1', [now]));
    }
    const token = randomUUID();
    // A row that is still claimed or done within its time to live makes this a repeat; an
    // expired one is taken over. Either way the primary key lets exactly one replica win.
    const { rowCount } = await this.query(
      `INSERT INTO portalops.inbound_events (id, state, claim_token, expires_at_ms)
       VALUES ($1, 'claimed', $2, $3)
       ON CONFLICT (id) DO UPDATE
         SET state = 'claimed', claim_token = EXCLUDED.claim_token, expires_at_ms = EXCLUDED.expires_at_ms
         WHERE portalops.inbound_events.expires_at_ms <= $4`,
      [eventId, token, now + ttlMs, now],
    );
    if (rowCount === 0) return undefined;
    let settled = false;
    return {
      done: async () => {
        if (settled) return;
        settled = true;
        await this.query(
          `UPDATE portalops.inbound_events SET state = 'done', expires_at_ms = $3
           WHERE id = $1 AND claim_token = $2`,
          [eventId, token, this.now() + ttlMs],
        );
      },
      release: () => {
        if (settled) return;
        settled = true;
        this.track(
          this.query('DELETE FROM portalops.inbound_events WHERE id = $1 AND claim_token = $2', [
            eventId,
            token,
          ]),
        );
      },
    };
  }

  async markEventProcessed(eventId: string, ttlMs = DEFAULT_EVENT_TTL_MS): Promise<boolean> {
    const claim = await this.claimEvent(eventId, ttlMs);
    if (!claim) return false;
    await claim.done();
    return true;
  }

  getValue(key: string): string | undefined {
    return this.cache.value(key);
  }

  async setValue(key: string, value: string | undefined): Promise<void> {
    this.assertOpen();
    if (value !== undefined && SECRET_KEY.test(key))
      throw new Error(
        `${key} is a token cache; tokens are kept in the credentials folder, not in the store.`,
      );
    if (value === undefined) {
      const { rows } = await this.query<{ version: number }>(
        'DELETE FROM portalops.store_values WHERE id = $1 RETURNING version',
        [key],
      );
      if (rows[0]) this.cache.dropValue(key, rows[0].version);
      return;
    }
    const { rows } = await this.query<{ version: number }>(
      `INSERT INTO portalops.store_values (id, value, version) VALUES ($1, $2, ${NEXT_VERSION})
       ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value, version = EXCLUDED.version
       RETURNING version`,
      [key, value],
    );
    this.cache.putValue(key, value, rows[0]!.version);
  }

  subscribeChanges(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.pendingWrites]);
    await this.stopListening?.();
    await this.applying?.catch(() => undefined);
    if (this.ownsDatabase) await this.database.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The store is closed.');
  }

  /** Keeps a write nobody awaits (a release, a sweep) so {@link close} waits for it. */
  private track(write: Promise<unknown>): void {
    const kept = write.catch((error) => this.logger?.warn({ err: error }, 'store write failed'));
    this.pendingWrites.add(kept);
    void kept.finally(() => this.pendingWrites.delete(kept));
  }

  private async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values: unknown[],
    collection?: CollectionName,
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw await this.storeError(error, collection);
    }
  }

  private async transaction<R>(
    collection: CollectionName,
    work: (client: pg.PoolClient) => Promise<R>,
  ): Promise<R> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw await this.storeError(error, collection);
    }
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw await this.storeError(error, collection);
    } finally {
      client.release();
    }
  }

  /**
   * A database error as the store's callers know them: a second active job for a site is a
   * `conflict` (the job holding the site is loaded into the cache first, so the engine can name
   * it); an unreachable database is a retryable `store_write_failed`. Others pass through.
   */
  private async storeError(error: unknown, collection: CollectionName | undefined): Promise<unknown> {
    const pgError = error as { code?: string; constraint?: string; detail?: string };
    if (pgError.code === '23505' && pgError.constraint === 'jobs_one_active_per_site') {
      const siteKey = /\(site_key\)=\((.*)\)/.exec(pgError.detail ?? '')?.[1];
      if (siteKey !== undefined) await this.loadActiveJobs(siteKey).catch(() => undefined);
      return new PortalOpsError('conflict', 'This site already has an active job.', {
        cause: error,
        details: { collection: collection ?? 'jobs', constraint: pgError.constraint, siteKey },
      });
    }
    if (error instanceof PortalOpsError || !(error instanceof Error)) return error;
    const code = pgError.code ?? '';
    if (/^(08|57P)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND'].includes(code)) {
      return new PortalOpsError(
        'store_write_failed',
        'The change could not be saved: the database did not answer. Nothing of it was kept; try again in a moment.',
        { cause: error, retryable: true },
      );
    }
    return error;
  }

  private async loadActiveJobs(siteKey: string): Promise<void> {
    const { rows } = await this.pool.query<{ data: StoredRecord; version: number }>(
      `SELECT data, version FROM portalops.jobs
       WHERE site_key = $1 AND state IN ('queued', 'awaiting_approval', 'running')`,
      [siteKey],
    );
    for (const row of rows) this.cache.putRecord('jobs', row.data, row.version);
  }

  /** Loads everything (at open, and after the listening connection was lost and regained). */
  private async reload(): Promise<void> {
    for (const name of COLLECTION_NAMES) {
      const { rows } = await this.pool.query<{ data: StoredRecord; version: number }>(
        `SELECT data, version FROM ${TABLES[name]}`,
      );
      const changed = this.cache.replaceRecords(
        name,
        rows.map((r) => ({ value: r.data, version: r.version })),
      );
      for (const record of changed) this.announce({ collection: name, id: record.id, record });
    }
    const values = await this.pool.query<{ id: string; value: string; version: number }>(
      'SELECT id, value, version FROM portalops.store_values',
    );
    this.cache.replaceValues(values.rows.map((r) => ({ key: r.id, value: r.value, version: r.version })));
    const audit = await this.pool.query<{ seq: number; entry: AuditEntry }>(
      'SELECT seq, entry FROM portalops.audit ORDER BY seq',
    );
    for (const row of audit.rows) this.cache.addAudit(row.seq, row.entry);
  }

  private onNotice(payload: string): void {
    try {
      this.pendingNotices.push(JSON.parse(payload) as ChangeNotice);
    } catch {
      return;
    }
    this.scheduleApply();
  }

  /** Applies pending notices one batch at a time, so their fetches land in order. */
  private scheduleApply(): void {
    if (this.applying || this.closed) return;
    this.applying = this.applyNotices()
      .catch((error) => this.logger?.warn({ err: error }, 'could not apply a change from another replica'))
      .finally(() => {
        this.applying = undefined;
        if (this.pendingNotices.length > 0) this.scheduleApply();
      });
  }

  /** Fetches what the pending notices name, in batches per table; skips what this replica wrote. */
  private async applyNotices(): Promise<void> {
    while (this.pendingNotices.length > 0 && !this.closed) {
      const notices = this.pendingNotices.splice(0);
      const auditSeqs = notices.flatMap((n) => ('seq' in n && !this.cache.hasAudit(n.seq) ? [n.seq] : []));
      if (auditSeqs.length > 0) {
        const { rows } = await this.pool.query<{ seq: number; entry: AuditEntry }>(
          'SELECT seq, entry FROM portalops.audit WHERE seq = ANY($1)',
          [auditSeqs],
        );
        for (const row of rows) this.cache.addAudit(row.seq, row.entry);
      }
      const byTable = new Map<string, Set<string>>();
      for (const n of notices) {
        if ('seq' in n) continue;
        if (n.t === 'store_values') {
          if (n.op === 'DELETE') this.cache.dropValue(n.id, n.v);
          else byTable.set(n.t, (byTable.get(n.t) ?? new Set()).add(n.id));
          continue;
        }
        const name = COLLECTION_OF_TABLE.get(n.t);
        if (!name) continue;
        if (n.op === 'DELETE') {
          if (this.cache.dropRecord(name, n.id, n.v))
            this.announce({ collection: name, id: n.id, record: undefined });
        } else if (this.cache.version(name, n.id) < n.v) {
          byTable.set(n.t, (byTable.get(n.t) ?? new Set()).add(n.id));
        }
      }
      for (const [table, ids] of byTable) await this.fetchRows(table, [...ids]);
    }
  }

  private async fetchRows(table: string, ids: string[]): Promise<void> {
    if (table === 'store_values') {
      const { rows } = await this.pool.query<{ id: string; value: string; version: number }>(
        'SELECT id, value, version FROM portalops.store_values WHERE id = ANY($1)',
        [ids],
      );
      for (const row of rows) this.cache.putValue(row.id, row.value, row.version);
      return;
    }
    const name = COLLECTION_OF_TABLE.get(table)!;
    const { rows } = await this.pool.query<{ data: StoredRecord; version: number }>(
      `SELECT data, version FROM ${TABLES[name]} WHERE id = ANY($1)`,
      [ids],
    );
    for (const row of rows)
      if (this.cache.putRecord(name, row.data, row.version))
        this.announce({ collection: name, id: row.data.id, record: row.data });
  }

  private announce(change: StoreChange): void {
    for (const listener of this.listeners) {
      try {
        listener({ ...change, record: clone(change.record) });
      } catch (error) {
        this.logger?.warn({ err: error }, 'store change listener failed');
      }
    }
  }
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}
