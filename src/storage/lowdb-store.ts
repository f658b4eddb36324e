import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import { PortalOpsError } from '../domain/errors.ts';
import type { Logger } from '../logging/logger.ts';
import { AppendOnlyFile, realDisk, type StoreDisk } from './append-only-file.ts';
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts';
import { ensurePrivateDir, STORE_FILE_MODE } from './private-files.ts';
import { PrivateJsonFile } from './private-json-file.ts';
import type {
  AuditEntry,
  AuditQuery,
  Collection,
  CollectionName,
  Collections,
  EventClaim,
  Store,
  StoredRecord,
} from './store.ts';
import { idTaken } from './store-errors.ts';
import {
  COLLECTION_NAMES,
  checkAuditEntry,
  checkJournalLine,
  checkSequence,
  type DamagedLine,
  type JournalLine,
  type ParsedLines,
  parseLines,
} from './store-lines.ts';

/** The store's state as kept in the snapshot file. */
export interface StoreData {
  version: 1;
  /** The last journal sequence number this snapshot contains; later journal lines are replayed over it. */
  seq?: number;
  collections: { [K in CollectionName]: Record<string, Collections[K]> };
  /** Only in files from before the audit log moved to `audit.jsonl`; read once and moved. */
  audit?: AuditEntry[];
  processedEvents: Record<string, number>;
  values: Record<string, string>;
}

/** File names inside a data dir. */
export const STORE_FILES = {
  snapshot: 'portalops.json',
  journal: 'portalops.journal.jsonl',
  audit: 'audit.jsonl',
} as const;

const DEFAULT_EVENT_TTL_MS = 24 * 60 * 60 * 1000;
/** The journal is folded into the snapshot when it has this many lines more than there are records. */
const COMPACT_SLACK_LINES = 2_000;
/** Expired event ids are swept at most this often. */
const EVENT_SWEEP_INTERVAL_MS = 60_000;
/**
 * Keys of the MSAL token cache, which earlier versions kept here. Tokens belong in the
 * credentials folder (`src/platform/auth/token-cache-file.ts`): an old copy found at open is
 * removed from both the snapshot and the journal, and a new one is refused.
 */
const SECRET_KEY = /^msal-cache:/;

/** Options of {@link LowdbStore.open}. */
export interface StoreOpenOptions {
  now?: () => number;
  logger?: Logger;
  /** Reads the files without taking the data dir's lock; every write is refused. */
  readOnly?: boolean;
  /** What this process runs, shown to a second process that finds the data dir locked. */
  owner?: string;
  /** How appends reach the disk (tests simulate a full disk). */
  disk?: StoreDisk;
}

/** A change waiting for its journal append. */
interface PendingChange {
  seq: number;
  line: string;
  /** Puts the in-memory state back as it was before this change. */
  undo: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A store with nothing in it. */
export function emptyData(): StoreData {
  return {
    version: 1,
    seq: 0,
    collections: Object.fromEntries(COLLECTION_NAMES.map((n) => [n, {}])) as StoreData['collections'],
    processedEvents: {},
    values: {},
  };
}

/**
 * The lowdb implementation of {@link Store}. State lives in files under the data dir, which one
 * process at a time holds (see `data-dir-lock.ts`): `portalops.json`, a snapshot replaced
 * atomically (temp file + rename), and `portalops.journal.jsonl`, the changes since that
 * snapshot, one per line. A change costs one appended line however large the store is; when the
 * journal has grown well past the number of records it is folded into a new snapshot. Each line
 * carries a sequence number and the snapshot records the last one it contains, so a crash
 * between writing the snapshot and emptying the journal replays nothing twice.
 *
 * Writes are all-or-nothing: a change is made in memory, and when its append fails the file is
 * cut back and the change (with every change queued after it) is undone before its promise
 * rejects. A damaged line stops {@link LowdbStore.open} with the file and line (`portalops store
 * repair` fixes it). Concurrent writes are coalesced into one append. The audit log is a
 * separate append-only file (`audit.jsonl`). Every file is 0600 in a 0700 data dir.
 */
export class LowdbStore implements Store {
  private readonly db: Low<StoreData>;
  private closed = false;
  private readonly now: () => number;
  private readonly journal: AppendOnlyFile | undefined;
  private journalLines: number;
  /** Below this many journal lines there is no need to count records to decide on compaction. */
  private compactAt = COMPACT_SLACK_LINES;
  private queue: PendingChange[] = [];
  private writer: Promise<void> | undefined;
  private seq: number;
  /** The last sequence number on disk; a failed write rolls {@link seq} back to it. */
  private committedSeq: number;
  private lastSweep = 0;
  private readonly inFlightEvents = new Set<string>();
  private readonly auditFile: AppendOnlyFile | undefined;
  private readonly audit: AuditEntry[];
  private auditWriting: Promise<unknown> = Promise.resolve();
  private readonly lock: DataDirLock | undefined;

  private constructor(parts: {
    db: Low<StoreData>;
    now: () => number;
    journal?: AppendOnlyFile;
    journalLines: number;
    audit?: AppendOnlyFile;
    entries: AuditEntry[];
    lock?: DataDirLock;
  }) {
    this.db = parts.db;
    this.now = parts.now;
    this.journal = parts.journal;
    this.journalLines = parts.journalLines;
    this.seq = parts.db.data.seq ?? 0;
    this.committedSeq = this.seq;
    this.auditFile = parts.audit;
    this.audit = parts.entries;
    this.lock = parts.lock;
  }

  /**
   * Opens (or creates) the store in `dataDir`, taking its lock unless `readOnly`. Refuses with
   * `data_dir_locked` while another process holds it, and with `store_damaged` when a line of
   * the journal or the audit log is damaged.
   */
  static async open(dataDir: string, options: StoreOpenOptions = {}): Promise<LowdbStore> {
    const readOnly = options.readOnly === true;
    if (!readOnly && ensurePrivateDir(dataDir))
      options.logger?.warn({ path: dataDir }, 'tightened the data dir to owner-only (0700)');
    const lock = readOnly ? undefined : await lockDataDir(dataDir, options.owner ?? describeProcess());
    try {
      return await LowdbStore.load(dataDir, options, lock);
    } catch (error) {
      await lock?.release();
      throw error;
    }
  }

  private static async load(
    dataDir: string,
    options: StoreOpenOptions,
    lock: DataDirLock | undefined,
  ): Promise<LowdbStore> {
    const readOnly = lock === undefined;
    const file = path.join(dataDir, STORE_FILES.snapshot);
    const db = new Low<StoreData>(new PrivateJsonFile<StoreData>(file, { tighten: !readOnly }), emptyData());
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
    data.collections ??= emptyData().collections;
    for (const name of COLLECTION_NAMES) data.collections[name] ??= {};
    data.processedEvents ??= {};
    data.values ??= {};
    data.seq ??= 0;

    const journalFile = path.join(dataDir, STORE_FILES.journal);
    const journal = readStoreFile<JournalLine>(journalFile, checkJournalLine);
    const damaged = [...journal.damaged, ...checkSequence(journal.entries, data.seq)].sort(
      (a, b) => a.line - b.line,
    );
    const auditPath = path.join(dataDir, STORE_FILES.audit);
    const audit = readStoreFile<AuditEntry>(auditPath, checkAuditEntry);
    const problems = [
      ...(damaged.length ? [describeDamage(journalFile, damaged)] : []),
      ...(audit.damaged.length ? [describeDamage(auditPath, audit.damaged)] : []),
    ];
    if (problems.length > 0)
      throw new PortalOpsError(
        'store_damaged',
        `${problems.join(' ')} PortalOps did not start, so nothing was lost or changed. Run \`portalops store repair\` (with the same PORTALOPS_DATA_DIR): it keeps a copy of each damaged file and drops only the lines listed.`,
        { details: { files: [journalFile, auditPath] } },
      );

    let secretSeen = Object.keys(data.values).some((key) => SECRET_KEY.test(key));
    for (const { value } of journal.entries) {
      if ('key' in value && SECRET_KEY.test(value.key)) secretSeen = true;
      if (value.seq <= data.seq) continue;
      applyLine(data, value);
      data.seq = value.seq;
    }
    const entries = audit.entries.map((e) => e.value);
    if (readOnly) return new LowdbStore({ db, now: options.now ?? Date.now, journalLines: 0, entries });

    setTornTailAside(journalFile, journal, options.logger);
    setTornTailAside(auditPath, audit, options.logger);
    const disk = options.disk ?? realDisk;
    const journalOut = new AppendOnlyFile(journalFile, journal.goodLength, disk);
    const auditOut = new AppendOnlyFile(auditPath, audit.goodLength, disk);
    const legacyAudit = data.audit !== undefined;
    if (data.audit?.length) {
      await auditOut.append(data.audit.map((e) => `${JSON.stringify(e)}\n`).join(''));
      entries.push(...data.audit);
    }
    delete data.audit;
    const store = new LowdbStore({
      db,
      now: options.now ?? Date.now,
      journal: journalOut,
      journalLines: journal.entries.length,
      audit: auditOut,
      entries,
      lock,
    });
    // Rewritten at once, so neither a token nor an audit entry already moved stays behind.
    if (secretSeen || legacyAudit) await store.rewriteSnapshot();
    return store;
  }

  /** Each collection's accessors, made once (every turn asks for several). */
  private readonly collections = new Map<CollectionName, Collection<StoredRecord>>();

  collection<K extends CollectionName>(name: K): Collection<Collections[K]> {
    let collection = this.collections.get(name) as Collection<Collections[K]> | undefined;
    if (!collection) {
      collection = this.makeCollection(name);
      this.collections.set(name, collection as unknown as Collection<StoredRecord>);
    }
    return collection;
  }

  private makeCollection<K extends CollectionName>(name: K): Collection<Collections[K]> {
    type T = Collections[K];
    const records = (): Record<string, T> => this.db.data.collections[name] as Record<string, T>;
    const restore = (id: string, before: T | undefined) => () => {
      if (before === undefined) delete records()[id];
      else records()[id] = before;
    };
    return {
      get: (id) => clone(records()[id]),
      list: (filter) =>
        Object.values(records())
          .filter((r) => (filter ? filter(r) : true))
          .map((r) => clone(r)!),
      put: async (record) => {
        this.assertWritable();
        const before = records()[record.id];
        records()[record.id] = clone(record)!;
        await this.record({ put: name, record }, restore(record.id, before));
        // The store holds its own copy, so the caller's record is theirs to keep.
        return record;
      },
      insert: async (record) => {
        this.assertWritable();
        // Checked and made in one synchronous turn, so two inserts in this process cannot both pass.
        if (records()[record.id] !== undefined) throw idTaken(name, record.id);
        records()[record.id] = clone(record)!;
        await this.record({ put: name, record }, restore(record.id, undefined));
        return record;
      },
      update: async (id, change) => {
        this.assertWritable();
        const current = records()[id];
        if (current === undefined) return undefined;
        const next = change(clone(current)!);
        if (next === undefined) return clone(current);
        if ((next as StoredRecord).id !== id) throw new Error(`update of ${name}/${id} changed its id`);
        records()[id] = clone(next)!;
        await this.record({ put: name, record: next }, restore(id, current));
        // `next` was made from a copy of the stored record; the store keeps a copy of its own.
        return next;
      },
      delete: async (id) => {
        this.assertWritable();
        const before = records()[id];
        if (before === undefined) return false;
        delete records()[id];
        await this.record({ del: name, id }, restore(id, before));
        return true;
      },
    };
  }

  async appendAudit(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<AuditEntry> {
    this.assertWritable();
    const full: AuditEntry = { ...entry, at: entry.at ?? new Date(this.now()).toISOString() };
    const line = `${JSON.stringify(full)}\n`;
    const file = this.auditFile!;
    // Chained so entries reach the file in the order they were made; kept in memory only once written.
    const written = this.auditWriting
      .catch(() => undefined)
      .then(() => file.append(line))
      .then(() => {
        this.audit.push(clone(full));
      });
    this.auditWriting = written;
    try {
      await written;
    } catch (error) {
      throw writeFailed(file.file, error);
    }
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

  // Async for the port's sake (a shared store asks its database); decided synchronously here,
  // before the first await, so two claims in this process cannot both pass.
  async claimEvent(eventId: string, ttlMs = DEFAULT_EVENT_TTL_MS): Promise<EventClaim | undefined> {
    this.assertWritable();
    const now = this.now();
    const events = this.db.data.processedEvents;
    if (now - this.lastSweep >= EVENT_SWEEP_INTERVAL_MS) {
      this.lastSweep = now;
      for (const [id, expires] of Object.entries(events)) if (expires <= now) delete events[id];
    }
    const seen = events[eventId];
    if ((seen !== undefined && seen > now) || this.inFlightEvents.has(eventId)) return undefined;
    this.inFlightEvents.add(eventId);
    let settled = false;
    const settle = () => {
      settled = true;
      this.inFlightEvents.delete(eventId);
    };
    return {
      done: async () => {
        if (settled) return;
        try {
          const expires = this.now() + ttlMs;
          const before = events[eventId];
          events[eventId] = expires;
          await this.record({ event: eventId, expires }, () => {
            if (before === undefined) delete events[eventId];
            else events[eventId] = before;
          });
        } finally {
          settle();
        }
      },
      release: () => {
        if (!settled) settle();
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
    return this.db.data.values[key];
  }

  async setValue(key: string, value: string | undefined): Promise<void> {
    this.assertWritable();
    if (value !== undefined && SECRET_KEY.test(key))
      throw new Error(
        `${key} is a token cache; tokens are kept in the credentials folder, not in the store.`,
      );
    const values = this.db.data.values;
    const before = values[key];
    if (value === undefined) delete values[key];
    else values[key] = value;
    await this.record(value === undefined ? { key } : { key, value }, () => {
      if (before === undefined) delete values[key];
      else values[key] = before;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.writer) await this.writer;
    await this.auditWriting.catch(() => undefined);
    await this.journal?.close();
    await this.auditFile?.close();
    await this.lock?.release();
  }

  private assertWritable(): void {
    if (this.closed) throw new Error('The store is closed.');
    if (!this.journal) throw new Error('The store was opened read-only.');
  }

  /** Folds the journal into a new snapshot, without any token cache (no copy stays in either file). */
  private async rewriteSnapshot(): Promise<void> {
    const values = this.db.data.values;
    for (const key of Object.keys(values)) if (SECRET_KEY.test(key)) delete values[key];
    this.db.data.seq = this.seq;
    await this.db.write();
    await this.journal!.clear();
    this.journalLines = 0;
  }

  /**
   * Queues one journal line (the in-memory change is made already; `undo` reverts it) and
   * resolves once it is on disk. On failure the change is undone and the promise rejects.
   */
  private record(change: DistributiveOmit<JournalLine, 'seq'>, undo: () => void): Promise<void> {
    this.seq += 1;
    const seq = this.seq;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ seq, line: `${JSON.stringify({ seq, ...change })}\n`, undo, resolve, reject });
      this.writer ??= this.drain().finally(() => {
        this.writer = undefined;
      });
    });
  }

  /**
   * Writes queued changes in batches, one write at a time. A failed batch fails every change
   * not yet on disk, the ones queued behind it included (they were made on top of it).
   */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      try {
        await this.writeBatch(batch);
        this.committedSeq = batch[batch.length - 1]!.seq;
        for (const change of batch) change.resolve();
      } catch (error) {
        const failed = [...batch, ...this.queue.splice(0)];
        for (const change of [...failed].reverse()) change.undo();
        // Those numbers never reached the disk (the file was cut back), so they are free again.
        this.seq = this.committedSeq;
        const reason = writeFailed(this.journal!.file, error);
        for (const change of failed) change.reject(reason);
      }
    }
  }

  /** Appends a batch, or folds everything into a new snapshot when the journal is long. */
  private async writeBatch(batch: PendingChange[]): Promise<void> {
    const last = batch[batch.length - 1]!.seq;
    const total = this.journalLines + batch.length;
    let compact = false;
    if (total > this.compactAt) {
      // Counting records is linear, so it is done again only after a quarter as many more lines.
      const records = this.recordCount();
      compact = total > records + COMPACT_SLACK_LINES;
      this.compactAt = compact
        ? records + COMPACT_SLACK_LINES
        : Math.max(records + COMPACT_SLACK_LINES, total + Math.ceil(records / 4));
    }
    if (compact) {
      // Nothing has awaited since the batch was taken, so memory holds exactly the changes up
      // to `last`: the snapshot (serialized before the first await) records that sequence number.
      const previous = this.db.data.seq;
      this.db.data.seq = last;
      try {
        await this.db.write();
      } catch (error) {
        this.db.data.seq = previous;
        throw error;
      }
      // The snapshot now holds every line; emptying the journal only saves replay work.
      await this.journal!.clear().catch(() => undefined);
      this.journalLines = 0;
      return;
    }
    await this.journal!.append(batch.map((c) => c.line).join(''));
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
export function applyLine(data: StoreData, line: JournalLine): void {
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

/** Reads one of the store's JSON-lines files (absent = empty). */
export function readStoreFile<T>(
  file: string,
  check: (value: unknown) => string | undefined,
): ParsedLines<T> {
  if (!existsSync(file)) return { entries: [], damaged: [], goodLength: 0 };
  return parseLines<T>(readFileSync(file, 'utf8'), check);
}

/** `file: line 3 (not valid JSON), line 9 (…)`, at most five lines named. */
export function describeDamage(file: string, damaged: DamagedLine[]): string {
  const shown = damaged.slice(0, 5).map((d) => `line ${d.line} (${d.reason})`);
  const more = damaged.length > 5 ? ` and ${damaged.length - 5} more` : '';
  return `${file} is damaged: ${shown.join(', ')}${more}.`;
}

/**
 * Cuts off an unfinished last line (an append the process did not finish, never acknowledged)
 * and keeps its bytes in `<file>.torn`, so the next append starts on a line of its own.
 */
function setTornTailAside(file: string, parsed: ParsedLines<unknown>, logger: Logger | undefined): void {
  if (parsed.tornTail === undefined) return;
  writeFileSync(`${file}.torn`, `${parsed.tornTail}\n`, { flag: 'a', mode: STORE_FILE_MODE });
  truncateSync(file, parsed.goodLength);
  logger?.warn(
    { path: file, bytes: Buffer.byteLength(parsed.tornTail), keptIn: `${file}.torn` },
    'set aside an unfinished last line (the process stopped while writing it)',
  );
}

function writeFailed(file: string, error: unknown): PortalOpsError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOSPC' ? 'the disk is full' : code ? `${code}` : (error as Error).message;
  return new PortalOpsError(
    'store_write_failed',
    `The change could not be saved to ${file} (${why}); nothing of it was kept. Free some disk space and try again.`,
    { cause: error, retryable: true },
  );
}

/** `portalops start` for this process, as a second one is told. */
function describeProcess(): string {
  const script = process.argv[1] ? path.basename(process.argv[1]).replace(/\.[cm]?[jt]s$/, '') : 'node';
  return [script, ...process.argv.slice(2)].join(' ');
}
