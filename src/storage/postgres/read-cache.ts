/**
 * What one replica holds in memory of a PostgreSQL store, so reads stay synchronous: every record
 * with its version, every value, and the audit log. Versions come from one database sequence, so
 * of two copies of a record the one with the larger version is the newer, whichever way (own
 * write, change notice, reload) each arrived.
 */
import type { AuditEntry, CollectionName, StoredRecord } from '../store.ts';
import { COLLECTION_NAMES } from '../store-lines.ts';

interface Versioned<T> {
  value: T;
  version: number;
}

/** The in-memory copy of the database's records, values and audit log. */
export class ReadCache {
  private readonly records = new Map<CollectionName, Map<string, Versioned<StoredRecord>>>(
    COLLECTION_NAMES.map((name) => [name, new Map()]),
  );
  private readonly values = new Map<string, Versioned<string>>();
  /** Audit entries by sequence number, kept in order. */
  private readonly audit: { seq: number; entry: AuditEntry }[] = [];
  private readonly auditSeqs = new Set<number>();

  private table(name: CollectionName): Map<string, Versioned<StoredRecord>> {
    return this.records.get(name)!;
  }

  record(name: CollectionName, id: string): StoredRecord | undefined {
    return this.table(name).get(id)?.value;
  }

  version(name: CollectionName, id: string): number {
    return this.table(name).get(id)?.version ?? 0;
  }

  all(name: CollectionName): IterableIterator<Versioned<StoredRecord>> {
    return this.table(name).values();
  }

  /** Keeps `value` unless a newer version is held already. True when it was taken. */
  putRecord(name: CollectionName, value: StoredRecord, version: number): boolean {
    const held = this.table(name).get(value.id);
    if (held && held.version >= version) return false;
    this.table(name).set(value.id, { value, version });
    return true;
  }

  /** Forgets a record deleted at `version` (its last version), unless a newer copy is held. */
  dropRecord(name: CollectionName, id: string, version: number): boolean {
    const held = this.table(name).get(id);
    if (!held || held.version > version) return false;
    this.table(name).delete(id);
    return true;
  }

  /** Makes the cache hold exactly `rows` for `name` (after a reload), keeping newer local copies. */
  replaceRecords(name: CollectionName, rows: { value: StoredRecord; version: number }[]): StoredRecord[] {
    const table = this.table(name);
    const seen = new Set<string>();
    const changed: StoredRecord[] = [];
    for (const row of rows) {
      seen.add(row.value.id);
      if (this.putRecord(name, row.value, row.version)) changed.push(row.value);
    }
    for (const id of [...table.keys()]) if (!seen.has(id)) table.delete(id);
    return changed;
  }

  value(key: string): string | undefined {
    return this.values.get(key)?.value;
  }

  putValue(key: string, value: string, version: number): void {
    const held = this.values.get(key);
    if (!held || held.version < version) this.values.set(key, { value, version });
  }

  dropValue(key: string, version: number): void {
    const held = this.values.get(key);
    if (held && held.version <= version) this.values.delete(key);
  }

  replaceValues(rows: { key: string; value: string; version: number }[]): void {
    const seen = new Set(rows.map((r) => r.key));
    for (const row of rows) this.putValue(row.key, row.value, row.version);
    for (const key of [...this.values.keys()]) if (!seen.has(key)) this.values.delete(key);
  }

  /** Adds an audit entry in sequence order (entries commit out of order across replicas). */
  addAudit(seq: number, entry: AuditEntry): void {
    if (this.auditSeqs.has(seq)) return;
    this.auditSeqs.add(seq);
    let at = this.audit.length;
    while (at > 0 && this.audit[at - 1]!.seq > seq) at--;
    this.audit.splice(at, 0, { seq, entry });
  }

  auditEntries(): AuditEntry[] {
    return this.audit.map((a) => a.entry);
  }

  hasAudit(seq: number): boolean {
    return this.auditSeqs.has(seq);
  }
}
