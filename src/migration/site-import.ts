/**
 * Writes an import plan to Dataverse in `$batch` change sets: upserts by id in table order
 * (parents first), lookups that point forward or at their own table (cycles: website ↔ default
 * language, parent pages) left out and patched in a second pass, many-to-many links in a third,
 * deletes last and children first. Every batch is all-or-nothing, so a failure or a crash
 * leaves whole batches done; running the plan again redoes only what is still different.
 */
import { PortalOpsError } from '../domain/errors.ts';
import type { BatchOperation, Dataverse } from '../platform/ports.ts';
import { CONFIG_TABLES } from './config-tables.ts';
import type { ImportPlan } from './import-plan.ts';
import { LOOKUPS, MANY_TO_MANY } from './schema.ts';
import { rowBody, type SiteRecord } from './site-records.ts';

const TABLES = new Map(CONFIG_TABLES.map((t) => [t.logicalName, t]));
const ORDER = new Map(CONFIG_TABLES.map((t, i) => [t.logicalName, i]));

/** Progress of an import. */
export interface ImportProgress {
  batchesDone: number;
  batches: number;
  writes: number;
}

/** Lookups of a table that cannot be set on the first pass (their target comes later or is the table itself). */
export function deferredLookups(table: string): Set<string> {
  const own = ORDER.get(table) ?? 0;
  return new Set(
    Object.entries(LOOKUPS[table] ?? {})
      .filter(([, target]) => (ORDER.get(target) ?? 0) >= own)
      .map(([column]) => column),
  );
}

function entitySet(table: string): string {
  const definition = TABLES.get(table);
  if (!definition)
    throw new PortalOpsError('invalid_input', `${table} is not a configuration table PortalOps knows.`);
  return definition.entitySetName;
}

/** The batches of operations a plan becomes, in the order they must run. */
export function importBatches(plan: ImportPlan, batchSize: number): BatchOperation[][] {
  const upserts: BatchOperation[] = [];
  const patches: BatchOperation[] = [];
  const links: BatchOperation[] = [];
  const deletes: BatchOperation[] = [];
  for (const changes of plan.tables) {
    const deferred = deferredLookups(changes.table);
    const set = entitySet(changes.table);
    for (const given of [...changes.creates, ...changes.updates]) {
      const record = withClearedValues(given, changes.previous[given.id]);
      upserts.push({ method: 'PATCH', entitySet: set, id: record.id, body: rowBody(record, deferred) });
      const later = Object.fromEntries(
        Object.entries(record.lookups).filter(([column]) => deferred.has(column)),
      );
      if (Object.keys(later).length > 0) {
        patches.push({
          method: 'PATCH',
          entitySet: set,
          id: record.id,
          body: rowBody({ ...record, columns: {}, lookups: later }),
        });
      }
      links.push(...linkOperations(record, changes.previous[record.id]));
    }
  }
  for (const changes of [...plan.tables].reverse()) {
    for (const record of changes.deletes)
      deletes.push({ method: 'DELETE', entitySet: entitySet(changes.table), id: record.id });
  }
  const chunks: BatchOperation[][] = [];
  for (const phase of [upserts, patches, links, deletes]) {
    for (let i = 0; i < phase.length; i += batchSize) chunks.push(phase.slice(i, i + batchSize));
  }
  return chunks;
}

/** The record, with explicit empties for the values its previous version has and it has not. */
function withClearedValues(record: SiteRecord, previous: SiteRecord | undefined): SiteRecord {
  if (!previous) return record;
  const columns: Record<string, unknown> = {};
  for (const column of Object.keys(previous.columns)) if (!(column in record.columns)) columns[column] = null;
  const lookups: Record<string, string | null> = {};
  for (const column of Object.keys(previous.lookups)) if (!(column in record.lookups)) lookups[column] = null;
  return {
    ...record,
    columns: { ...columns, ...record.columns },
    lookups: { ...lookups, ...record.lookups },
  };
}

/** Links the record has and its previous version (if any) had not. */
function linkOperations(record: SiteRecord, previous?: SiteRecord): BatchOperation[] {
  const operations: BatchOperation[] = [];
  for (const relationship of MANY_TO_MANY[record.table] ?? []) {
    const had = new Set(previous?.links[relationship.name] ?? []);
    for (const targetId of record.links[relationship.name] ?? []) {
      if (had.has(targetId)) continue;
      operations.push({
        method: 'ASSOCIATE',
        entitySet: entitySet(record.table),
        id: record.id,
        relationship: relationship.name,
        targetEntitySet: entitySet(relationship.targetTable),
        targetId,
      });
    }
  }
  return operations;
}

/**
 * Runs the batches from `startAt` (the number already done, for resuming) and reports after
 * each one, so the caller can save progress per batch.
 */
export async function runImport(
  dataverse: Dataverse,
  batches: BatchOperation[][],
  options: { startAt?: number; onBatch?: (progress: ImportProgress) => void | Promise<void> } = {},
): Promise<ImportProgress> {
  const progress: ImportProgress = { batchesDone: options.startAt ?? 0, batches: batches.length, writes: 0 };
  for (let i = progress.batchesDone; i < batches.length; i++) {
    const batch = batches[i]!;
    await dataverse.executeBatch(batch);
    progress.batchesDone = i + 1;
    progress.writes += batch.length;
    await options.onBatch?.({ ...progress });
  }
  return progress;
}
