import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
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
  /** The last journal sequence number this snapshot contains; later journal lines are replayed over it. */
  seq?: number;
  collections: { [K in CollectionName]: Record<string, Collections[K]> };
  /** Only in files from before the audit log moved to `audit.jsonl`; read once and moved. */
  audit?: AuditEntry[];
  processedEvents: Record<string, number>;
  values: Record<string, string>;
}

/** One change, as a line of the journal. Replaying a line is idempotent. */
type JournalLine =
  | { seq: number; put: CollectionName; record: StoredRecord }
  | { seq: number; del: CollectionName; id: string }
  | { seq: number; event: string; expires: number }
  | { seq: number; key: string; value?: string };

const COLLECTION_NAMES: CollectionName[] = [
  'jobs',
  'approvals',
  'conversations',
  'subscriptions',
  'snapshots',
  'alerts',
  'cardStates',
];
const DEFAULT_EVENT_TTL_MS = 24 * 60 * 60 * 1000;
/** The journal is folded into the snapshot when it has this many lines more than there are records. */
const COMPACT_SLACK_LINES = 2_000;
/** Expired event ids are swept at most this often. */
const EVENT_SWEEP_INTERVAL_MS = 60_000;

function emptyData(): StoreData {
  return {
    version: 1,
    seq: 0,
    collections: Object.fromEntries(COLLECTION_NAMES.map((n) => [n, {}])) as StoreData['collections'],
    processedEvents: {},
    values: {},
  };
}

/**
 * The lowdb implementation of {@link Store}. State lives in two files under the data dir:
 * `portalops.json`, a snapshot written through lowdb's atomic file adapter (temp file + rename),
 * and `portalops.journal.jsonl`, the changes since that snapshot, one per line. A change costs
 * one appended line however large the store is; when the journal has grown well past the number
 * of records it is folded into a new snapshot, so both the write cost and the replay at open
 * stay proportional to the data. Each line carries a sequence number and the snapshot records
 * the last one it contains, so a crash between writing the snapshot and emptying the journal
 * replays nothing twice; a line torn by a crash mid-append is skipped.
 *
 * Concurrent writes are coalesced: each mutation resolves after the append that contains it
 * reached the disk. The audit log is a separate append-only file (`audit.jsonl`).
 */
export class LowdbStore implements Store {
  private readonly db: Low<StoreData>;
  private writing: Promise<void> | undefined;
  private pending: Promise<void> | undefined;
  private closed = false;
  private readonly now: () => number;
  private readonly journalFile: string;
  private journalLines: number;
  /** Below this many journal lines there is no need to count records to decide on compaction. */
  private compactAt = COMPACT_SLACK_LINES;
  private unwritten: string[] = [];
  private seq: number;
  private lastSweep = 0;
  private readonly auditFile: string;
  private readonly audit: AuditEntry[];
  private auditWriting: Promise<void> = Promise.resolve();

  private constructor(
    db: Low<StoreData>,
    now: () => number,
    files: { journal: string; journalLines: number; audit: string },
    audit: AuditEntry[],
  ) {
    this.db = db;
    this.now = now;
    this.journalFile = files.journal;
    this.journalLines = files.journalLines;
    this.seq = db.data.seq ?? 0;
    this.auditFile = files.audit;
    this.audit = audit;
  }

  /** Opens (or creates) the store in `dataDir`. An unreadable snapshot is a clear error. */
  static async open(dataDir: string, options: { now?: () => number } = {}): Promise<LowdbStore> {
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'portalops.json');
    // Compact JSON: snapshots hold every record, so serialization time matters more than looks.
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
    data.seq ??= 0;
    const journal = path.join(dataDir, 'portalops.journal.jsonl');
    const lines = readJsonLines<JournalLine>(journal);
    const snapshotSeq = data.seq;
    for (const line of lines) {
      if (line.seq <= snapshotSeq) continue;
      applyLine(data, line);
      data.seq = Math.max(data.seq, line.seq);
    }
    const auditFile = path.join(dataDir, 'audit.jsonl');
    const audit = readJsonLines<AuditEntry>(auditFile);
    if (data.audit?.length) {
      appendFileSync(auditFile, data.audit.map((e) => `${JSON.stringify(e)}\n`).join(''));
      audit.push(...data.audit);
    }
    delete data.audit;
    return new LowdbStore(
      db,
      options.now ?? Date.now,
      { journal, journalLines: lines.length, audit: auditFile },
      audit,
    );
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
        this.assertOpen();
        records()[record.id] = clone(record)!;
        await this.record({ put: name, record });
        return clone(record)!;
      },
      update: async (id, change) => {
        this.assertOpen();
        const current = records()[id];
        if (current === undefined) return undefined;
        const next = change(clone(current)!);
        if (next === undefined) return clone(current);
        if ((next as StoredRecord).id !== id) throw new Error(`update of ${name}/${id} changed its id`);
        records()[id] = clone(next)!;
        await this.record({ put: name, record: next });
        return clone(next);
      },
      delete: async (id) => {
        this.assertOpen();
        if (!(id in records())) return false;
        delete records()[id];
        await this.record({ del: name, id });
        return true;
      },
    };
  }

  async appendAudit(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<AuditEntry> {
    this.assertOpen();
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
    this.assertOpen();
    const now = this.now();
    const events = this.db.data.processedEvents;
    if (now - this.lastSweep >= EVENT_SWEEP_INTERVAL_MS) {
      this.lastSweep = now;
      for (const [id, expires] of Object.entries(events)) if (expires <= now) delete events[id];
    }
    const seen = events[eventId];
    if (seen !== undefined && seen > now) return false;
    events[eventId] = now + ttlMs;
    await this.record({ event: eventId, expires: now + ttlMs });
    return true;
  }

  getValue(key: string): string | undefined {
    return this.db.data.values[key];
  }

  async setValue(key: string, value: string | undefined): Promise<void> {
    this.assertOpen();
    if (value === undefined) delete this.db.data.values[key];
    else this.db.data.values[key] = value;
    await this.record(value === undefined ? { key } : { key, value });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pending;
    await this.writing;
    await this.auditWriting.catch(() => undefined);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The store is closed.');
  }

  /** Queues one journal line (the in-memory change is made already) and resolves once it is on disk. */
  private record(change: DistributiveOmit<JournalLine, 'seq'>): Promise<void> {
    this.seq += 1;
    this.unwritten.push(`${JSON.stringify({ seq: this.seq, ...change })}\n`);
    return this.flush();
  }

  /**
   * Coalesces writes: at most one write in flight and one queued. A caller's line is queued
   * already, so the queued write (which starts after the in-flight one) contains it.
   */
  private flush(): Promise<void> {
    if (this.pending) return this.pending;
    if (!this.writing) {
      this.writing = this.writeOut().finally(() => {
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

  /** Appends the queued lines, or folds everything into a new snapshot when the journal is long. */
  private async writeOut(): Promise<void> {
    const lines = this.unwritten;
    this.unwritten = [];
    if (lines.length === 0) return;
    const total = this.journalLines + lines.length;
    if (total > this.compactAt) {
      // Counting records is linear, so it is done again only after a quarter as many more lines.
      const records = this.recordCount();
      if (total > records + COMPACT_SLACK_LINES) {
        // The snapshot holds every change made so far, queued lines included.
        this.db.data.seq = this.seq;
        await this.db.write();
        await writeFile(this.journalFile, '');
        this.journalLines = 0;
        this.compactAt = records + COMPACT_SLACK_LINES;
        return;
      }
      this.compactAt = Math.max(records + COMPACT_SLACK_LINES, total + Math.ceil(records / 4));
    }
    await appendFile(this.journalFile, lines.join(''));
    this.journalLines = total;
  }

  private recordCount(): number {
    const data = this.db.data;
    let count = Object.keys(data.processedEvents).length + Object.keys(data.values).length;
    for (const name of COLLECTION_NAMES) count += Object.keys(data.collections[name]).length;
    return count;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Applies one journal line to the data (idempotent: the line holds the whole new value). */
function applyLine(data: StoreData, line: JournalLine): void {
  if ('put' in line)
    (data.collections[line.put] as Record<string, StoredRecord>)[line.record.id] = line.record;
  else if ('del' in line) delete data.collections[line.del][line.id];
  else if ('event' in line) data.processedEvents[line.event] = line.expires;
  else if (line.value === undefined) delete data.values[line.key];
  else data.values[line.key] = line.value;
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** The entries of a JSON-lines file; a line torn by a crash mid-append is skipped. */
function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  // End a torn last line, so the next entry starts on a line of its own.
  if (text.length > 0 && !text.endsWith('\n')) appendFileSync(file, '\n');
  const entries: T[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as T);
    } catch {
      // Only the last line can be incomplete (the process died while appending it).
    }
  }
  return entries;
}
