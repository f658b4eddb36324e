/**
 * What an import has to do, decided by comparing record checksums of the source with the
 * target's actual state (not a local manifest): creates, updates and deletes per table.
 * Records that are the same on both sides are not sent at all.
 */
import { checksum, type SiteRecord } from './site-records.ts';

/** The changes of one table. */
export interface TableChanges {
  table: string;
  creates: SiteRecord[];
  updates: SiteRecord[];
  deletes: SiteRecord[];
  unchanged: number;
  /** The target's current version of each updated record, by id. */
  previous: Record<string, SiteRecord>;
}

/** The whole plan, tables in import order. */
export interface ImportPlan {
  tables: TableChanges[];
  /** How many records it writes (creates + updates + deletes). */
  writes: number;
}

/**
 * Compares source and target. `tableOrder` lists tables parents first; `keep` (e.g. the
 * target's own website record when it is reused) is never deleted.
 */
export function planImport(
  source: SiteRecord[],
  target: SiteRecord[],
  tableOrder: readonly string[],
  options: { deleteMissing?: boolean } = {},
): ImportPlan {
  const targetById = new Map(target.map((r) => [`${r.table}:${r.id}`, r]));
  const sourceKeys = new Set(source.map((r) => `${r.table}:${r.id}`));
  const byTable = new Map<string, TableChanges>();
  const changesOf = (table: string) => {
    let changes = byTable.get(table);
    if (!changes) {
      changes = { table, creates: [], updates: [], deletes: [], unchanged: 0, previous: {} };
      byTable.set(table, changes);
    }
    return changes;
  };
  for (const record of source) {
    const existing = targetById.get(`${record.table}:${record.id}`);
    const changes = changesOf(record.table);
    if (!existing) changes.creates.push(record);
    else if (checksum(existing) !== checksum(record)) {
      changes.updates.push(record);
      changes.previous[record.id] = existing;
    } else changes.unchanged++;
  }
  if (options.deleteMissing ?? true) {
    for (const record of target)
      if (!sourceKeys.has(`${record.table}:${record.id}`)) changesOf(record.table).deletes.push(record);
  }
  const order = new Map(tableOrder.map((t, i) => [t, i]));
  const tables = [...byTable.values()].sort(
    (a, b) => (order.get(a.table) ?? 999) - (order.get(b.table) ?? 999),
  );
  return {
    tables,
    writes: tables.reduce((n, t) => n + t.creates.length + t.updates.length + t.deletes.length, 0),
  };
}
