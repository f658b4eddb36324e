/**
 * The persistence port. One store per process; everything a person or a job waits on lives
 * here (jobs, approvals, conversation references, subscriptions, processed event ids, the audit
 * log), so a restart loses nothing. Two implementations: lowdb files in a data dir that one
 * process at a time holds (`lowdb-store.ts`), and PostgreSQL shared by several replicas
 * (`postgres/postgres-store.ts`). Reads are synchronous from memory in both; writes, updates and
 * event claims are decided by the store's single source of truth (the file writer, the database).
 */
import type { AlertRecord } from '../domain/alert.ts';
import type { Approval } from '../domain/approval.ts';
import type { CardStateRecord } from '../domain/card-state.ts';
import type { Job } from '../domain/job.ts';
import type { SnapshotRecord } from '../domain/snapshot.ts';

/** Every stored record has a string id. */
export interface StoredRecord {
  id: string;
}

/**
 * The record types of each collection. Modules that own a collection narrow its type here
 * (e.g. `jobs: Job`), so the store stays one file with one schema.
 */
export interface Collections {
  jobs: Job;
  approvals: Approval;
  conversations: StoredRecord & Record<string, unknown>;
  subscriptions: StoredRecord & Record<string, unknown>;
  snapshots: SnapshotRecord;
  alerts: AlertRecord;
  /** What a card's buttons refer to by a short id (long lists, oversized button data, forms). */
  cardStates: CardStateRecord;
}

/** Name of a collection. */
export type CollectionName = keyof Collections;

/** A keyed set of records. Writes resolve once durably on disk. */
export interface Collection<T extends StoredRecord> {
  get(id: string): T | undefined;
  list(filter?: (record: T) => boolean): T[];
  /** Inserts or replaces. */
  put(record: T): Promise<T>;
  /**
   * Inserts a new record; refused with a `conflict` (details `{ collection, id }`) when one with
   * its id exists, whoever wrote it (another replica too). For ids chosen at random.
   */
  insert(record: T): Promise<T>;
  /**
   * Changes one record atomically with respect to every other writer (other replicas too):
   * `change` sees the current value and returns the next one (or `undefined` to leave it
   * unchanged). Returns the stored value after the update, or undefined when the record does
   * not exist.
   */
  update(id: string, change: (current: T) => T | undefined, options?: UpdateOptions): Promise<T | undefined>;
  delete(id: string): Promise<boolean>;
}

/** Options of {@link Collection.update}. */
export interface UpdateOptions {
  /**
   * When another writer is changing the record at this moment, do not wait for it: `change` is
   * not called and the value last read is returned. For claims, where a record someone else is
   * claiming is simply skipped (`FOR UPDATE SKIP LOCKED` on PostgreSQL).
   */
  skipLocked?: boolean;
}

/** A record changed by another process sharing the store; see {@link Store.subscribeChanges}. */
export interface StoreChange {
  collection: CollectionName;
  id: string;
  /** The value now, or undefined when it was deleted. */
  record: StoredRecord | undefined;
}

/** One append-only audit line. Never holds secrets. */
export interface AuditEntry {
  /** ISO timestamp. */
  at: string;
  /** Who acted: a user id, `system`, or a runner id. */
  actor: string;
  /** What happened, e.g. `job.created`, `approval.granted`, `card.refused`. */
  action: string;
  /** What it concerned, e.g. `job:123`, `site:contoso-dev`. */
  subject: string;
  /** `ok`, `refused`, `failed`, or a job state. */
  outcome: string;
  details?: Record<string, unknown>;
}

/** Filter for {@link Store.readAudit}. */
export interface AuditQuery {
  subject?: string;
  action?: string;
  since?: string;
  limit?: number;
}

/** An inbound event being handled; see {@link Store.claimEvent}. */
export interface EventClaim {
  /** Records the event as processed (durably); a repeat is ignored from then on. */
  done(): Promise<void>;
  /** Gives the event up, so a redelivery is handled. */
  release(): void;
}

/** The store port. */
export interface Store {
  collection<K extends CollectionName>(name: K): Collection<Collections[K]>;
  /** Appends to the audit log (append-only; entries are never changed or removed). */
  appendAudit(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<AuditEntry>;
  readAudit(query?: AuditQuery): AuditEntry[];
  /**
   * Claims an inbound event for handling: undefined when it was handled already within its
   * time to live or is being handled right now (a repeat), else a claim. Call `done()` once the
   * event's effect is written, so a failed write (a full disk) leaves the event unhandled and
   * its redelivery is taken; call `release()` when handling failed.
   *
   * Decided by the store's source of truth, so an event delivered to two replicas is claimed
   * by one of them.
   *
   * @example
   * const claim = await store.claimEvent(`teams:msg:${id}`);
   * if (!claim) return;
   * try { await handle(); await claim.done(); } catch (e) { claim.release(); throw e; }
   */
  claimEvent(eventId: string, ttlMs?: number): Promise<EventClaim | undefined>;
  /**
   * Claims an event and records it at once: `true` the first time an id is seen within
   * `ttlMs`, `false` for a repeat. For claims whose effect needs no write of its own.
   */
  markEventProcessed(eventId: string, ttlMs?: number): Promise<boolean>;
  /** Opaque key/value data (e.g. the MSAL token cache). */
  getValue(key: string): string | undefined;
  setValue(key: string, value: string | undefined): Promise<void>;
  /**
   * Calls `listener` after a record was changed by another process sharing this store (a store
   * one process holds has none, and may leave this out). Returns the unsubscribe function.
   */
  subscribeChanges?(listener: (change: StoreChange) => void): () => void;
  /** Waits for pending writes and stops accepting new ones. */
  close(): Promise<void>;
}
