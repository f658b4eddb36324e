import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { PortalOpsError } from '../domain/errors.ts';
import type {
  AuditEntry,
  AuditQuery,
  Collection,
  CollectionName,
  Collections,
  Store,
  StoredRecord,
} from './store.ts';

interface StoreData {
  version: 1;
  collections: { [K in CollectionName]: Record<string, Collections[K]> };
  /** Only in files from before the audit log moved to `audit.jsonl`; read once and moved. */
  audit?: AuditEntry[];
  processedEvents: Record<string, number>;
  values: Record<string, string>;
}

const COLLECTION_NAMES: CollectionName[] = [
  'jobs',
  'approvals',
  'conversations',
  'subscriptions',
  'snapshots',
];
const DEFAULT_EVENT_TTL_MS = 24 * 60 * 60 * 1000;

function emptyData(): StoreData {
  return {
    version: 1,
    collections: Object.fromEntries(COLLECTION_NAMES.map((n) => [n, {}])) as StoreData['collections'],
    processedEvents: {},
    values: {},
  };
}

/**
 * The lowdb implementation of {@link Store}: one JSON file under the data dir, written through
 * lowdb's atomic file adapter (temp file + rename), so a crash mid-write leaves the previous
 * complete file. Concurrent writes are coalesced: each mutation resolves after the write that
 * contains it reached the disk. The audit log is a separate append-only file (`audit.jsonl`,
 * one entry per line), so it never has to be rewritten; a line torn by a crash is skipped.
 */
export class LowdbStore implements Store {
  private readonly db: Low<StoreData>;
  private writing: Promise<void> | undefined;
  private pending: Promise<void> | undefined;
  private closed = false;
  private readonly now: () => number;
  private readonly auditFile: string;
  private readonly audit: AuditEntry[];
  private auditWriting: Promise<void> = Promise.resolve();

  private constructor(db: Low<StoreData>, now: () => number, auditFile: string, audit: AuditEntry[]) {
    this.db = db;
    this.now = now;
    this.auditFile = auditFile;
    this.audit = audit;
  }

  /** Opens (or creates) `portalops.json` in `dataDir`. An unreadable file is a clear error. */
  static async open(dataDir: string, options: { now?: () => number } = {}): Promise<LowdbStore> {
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'portalops.json');
    // Compact JSON: the whole file is rewritten on every flush, so serialization time matters more than looks.
    const adapter = new DataFile<StoreData>(file, {
      parse: JSON.parse,
      stringify: (data) => JSON.stringify(data),
    });
    const db = new Low<StoreData>(adapter, emptyData());
    try {
      await db.read();
    } catch (error) {
      throw new PortalOpsError(
        'config_invalid',
        `The store file ${file} could not be read. Move it aside to start afresh, or restore it from a backup.`,
        { cause: error },
      );
    }
    const data = db.data;
    for (const name of COLLECTION_NAMES) data.collections[name] ??= {};
    data.processedEvents ??= {};
    data.values ??= {};
    const auditFile = path.join(dataDir, 'audit.jsonl');
    const audit = readAuditLines(auditFile);
    if (data.audit?.length) {
      appendFileSync(auditFile, data.audit.map((e) => `${JSON.stringify(e)}\n`).join(''));
      audit.push(...data.audit);
    }
    delete data.audit;
    return new LowdbStore(db, options.now ?? Date.now, auditFile, audit);
  }

  collection<K extends CollectionName>(name: K): Collection<Collections[K]> {
    return this.makeCollection(name);
  }

  private makeCollection<K extends CollectionName>(name: K): Collection<Collections[K]> {
    type T = Collections[K];
    const records = (): Record<string, T> => this.db.data.collections[name] as Record<string, T>;
    return {
      get: (id) => clone(records()[id]),
      list: (filter) =>
        Object.values(records())
          .filter((r) => (filter ? filter(r) : true))
          .map((r) => clone(r)!),
      put: async (record) => {
        records()[record.id] = clone(record)!;
        await this.flush();
        return clone(record)!;
      },
      update: async (id, change) => {
        const current = records()[id];
        if (current === undefined) return undefined;
        const next = change(clone(current)!);
        if (next === undefined) return clone(current);
        if ((next as StoredRecord).id !== id) throw new Error(`update of ${name}/${id} changed its id`);
        records()[id] = clone(next)!;
        await this.flush();
        return clone(next);
      },
      delete: async (id) => {
        if (!(id in records())) return false;
        delete records()[id];
        await this.flush();
        return true;
      },
    };
  }

  async appendAudit(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<AuditEntry> {
    if (this.closed) throw new Error('The store is closed.');
    const full: AuditEntry = { ...entry, at: entry.at ?? new Date(this.now()).toISOString() };
    this.audit.push(clone(full)!);
    const line = `${JSON.stringify(full)}\n`;
    this.auditWriting = this.auditWriting.catch(() => undefined).then(() => appendFile(this.auditFile, line));
    await this.auditWriting;
    return full;
  }

  readAudit(query: AuditQuery = {}): AuditEntry[] {
    let entries = this.audit.filter(
      (e) =>
        (query.subject === undefined || e.subject === query.subject) &&
        (query.action === undefined || e.action === query.action) &&
        (query.since === undefined || e.at >= query.since),
    );
    if (query.limit !== undefined) entries = entries.slice(-query.limit);
    return entries.map((e) => clone(e)!);
  }

  async markEventProcessed(eventId: string, ttlMs = DEFAULT_EVENT_TTL_MS): Promise<boolean> {
    const now = this.now();
    const events = this.db.data.processedEvents;
    for (const [id, expires] of Object.entries(events)) if (expires <= now) delete events[id];
    if (events[eventId] !== undefined) return false;
    events[eventId] = now + ttlMs;
    await this.flush();
    return true;
  }

  getValue(key: string): string | undefined {
    return this.db.data.values[key];
  }

  async setValue(key: string, value: string | undefined): Promise<void> {
    if (value === undefined) delete this.db.data.values[key];
    else this.db.data.values[key] = value;
    await this.flush();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pending;
    await this.writing;
    await this.auditWriting.catch(() => undefined);
  }

  /**
   * Coalesces writes: at most one write in flight and one queued. A caller's change is in
   * memory already, so the queued write (which starts after the in-flight one) contains it.
   */
  private flush(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The store is closed.'));
    if (this.pending) return this.pending;
    if (!this.writing) {
      this.writing = this.db.write().finally(() => {
        this.writing = undefined;
      });
      return this.writing;
    }
    const inFlight = this.writing;
    this.pending = inFlight
      .catch(() => undefined)
      .then(() => {
        this.pending = undefined;
        return this.flush();
      });
    return this.pending;
  }
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** Audit entries of an `audit.jsonl`; a line torn by a crash mid-append is skipped. */
function readAuditLines(file: string): AuditEntry[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  // End a torn last line, so the next entry starts on a line of its own.
  if (text.length > 0 && !text.endsWith('\n')) appendFileSync(file, '\n');
  const entries: AuditEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as AuditEntry);
    } catch {
      // Only the last line can be incomplete (the process died while appending it).
    }
  }
  return entries;
}
