/**
 * Table definitions of one organization, read once and kept: metadata changes only when a
 * solution is installed, while every export, import and snapshot needs the definitions of some
 * thirty tables. A table that does not exist is not remembered, so installing the solution that
 * adds it is seen on the next read.
 */
import type { TableMetadata } from '../ports.ts';

/** Kept definitions of one organization's tables. */
export class TableCache {
  private readonly tables = new Map<string, Promise<TableMetadata | null>>();

  /** The kept definition of `logicalName`, or a new one from `read` (concurrent reads share it). */
  get(
    logicalName: string,
    read: () => Promise<TableMetadata | null>,
    refresh = false,
  ): Promise<TableMetadata | null> {
    const key = logicalName.toLowerCase();
    const kept = this.tables.get(key);
    if (kept && !refresh) return kept;
    const reading = read().then(
      (table) => {
        if (!table && this.tables.get(key) === reading) this.tables.delete(key);
        return table;
      },
      (error: unknown) => {
        if (this.tables.get(key) === reading) this.tables.delete(key);
        throw error;
      },
    );
    this.tables.set(key, reading);
    return reading;
  }

  /** Forgets every kept definition. */
  clear(): void {
    this.tables.clear();
  }
}
