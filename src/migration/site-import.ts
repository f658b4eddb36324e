/**
 * Writes an import plan to Dataverse in `$batch` change sets: upserts by id in table order
 * (parents first), lookups that point forward or at their own table (cycles: website ↔ default
 * language, parent pages) left out and patched in a second pass, many-to-many links in a third,
 * deletes last and children first. Every batch is all-or-nothing, so a failure or a crash
 * leaves whole batches done; running the plan again redoes only what is still different.
 */
import { isPortalOpsError, PortalOpsError } from '../domain/errors.ts';
import type { ThrottleSignal } from '../platform/http/throttle-signal.ts';
import type { BatchOperation, Dataverse } from '../platform/ports.ts';
import type { ImportPlan } from './import-plan.ts';
import { ACTIVE_STATE, lookupColumnsOf, rowBody, type SiteRecord } from './site-records.ts';
import { type SchemaTable, type SiteSchema, schemaTable, tableOfEntitySet } from './site-schema.ts';

/** Progress of an import. */
export interface ImportProgress {
  batchesDone: number;
  batches: number;
  writes: number;
}

/**
 * Lookups of a table that cannot be set on the first pass: one of their targets is written
 * later or is the table itself (targets outside the site's tables already exist).
 */
export function deferredLookups(table: SchemaTable, schema: SiteSchema): Set<string> {
  const deferred = new Set<string>();
  for (const [column, targets] of table.lookups) {
    if (targets.some((t) => (schema.tables.get(t.table)?.order ?? -1) >= table.order)) deferred.add(column);
  }
  return deferred;
}

/**
 * The batches of operations a plan becomes, in the order they must run. Names, navigation
 * properties and read-only columns come from the target's `schema`.
 */
export function importBatches(plan: ImportPlan, batchSize: number, schema: SiteSchema): BatchOperation[][] {
  const upserts: BatchOperation[] = [];
  const patches: BatchOperation[] = [];
  const links: BatchOperation[] = [];
  const deletes: BatchOperation[] = [];
  for (const changes of plan.tables) {
    if (changes.creates.length + changes.updates.length === 0) continue;
    const table = schemaTable(schema, changes.table);
    const deferred = deferredLookups(table, schema);
    const set = table.entitySetName;
    for (const [creating, list] of [
      [true, changes.creates],
      [false, changes.updates],
    ] as const) {
      for (const given of list) {
        const record = withClearedValues(given, changes.previous[given.id]);
        // Columns a new row cannot be created with but may be changed on (statecode: Dataverse
        // creates a row active and takes its state in an update) go with the second pass, and
        // the status with its state.
        const afterCreate = creating ? columnsSetAfterCreate(record, table) : {};
        const createdWith = Object.fromEntries(
          Object.entries(record.columns).filter(([column]) => !(column in afterCreate)),
        );
        upserts.push({
          method: 'PATCH',
          entitySet: set,
          id: record.id,
          body: rowBody({ ...record, columns: createdWith }, table, { deferred, creating }),
        });
        const later = lookupColumnsOf(record, table).filter((column) => deferred.has(column));
        const values = { ...record.columns, ...record.lookups };
        const lookups = Object.fromEntries(
          later.map((column) => {
            const value = values[column];
            return [column, value === null || value === undefined ? null : String(value).toLowerCase()];
          }),
        );
        const hasAfterCreate = Object.keys(afterCreate).length > 0;
        if (
          hasAfterCreate ||
          (later.length > 0 && (!creating || Object.values(lookups).some((v) => v !== null)))
        ) {
          patches.push({
            method: 'PATCH',
            entitySet: set,
            id: record.id,
            body: {
              ...rowBody({ ...record, columns: afterCreate, lookups: {} }, table, { creating: false }),
              ...(later.length > 0 ? rowBody({ ...record, columns: {}, lookups }, table, { creating }) : {}),
            },
          });
        }
        links.push(...linkOperations(record, table, changes.previous[record.id]));
      }
    }
  }
  for (const changes of [...plan.tables].reverse()) {
    if (changes.deletes.length === 0) continue;
    const set = schemaTable(schema, changes.table).entitySetName;
    for (const record of changes.deletes) deletes.push({ method: 'DELETE', entitySet: set, id: record.id });
  }
  const chunks: BatchOperation[][] = [];
  const close = (batch: BatchOperation[], phase: number) => {
    chunks.push(batch);
    PHASE.set(batch, phase);
    const table = tableOfEntitySet(schema, batch[0]!.entitySet);
    if (table) TABLE.set(batch, table);
  };
  for (const [phaseIndex, phase] of [upserts, patches, links, deletes].entries()) {
    // A batch holds one table's operations, so batches of one table may run side by side.
    let current: BatchOperation[] = [];
    for (const operation of phase) {
      if (
        current.length >= batchSize ||
        (current.length > 0 && current[0]!.entitySet !== operation.entitySet)
      ) {
        close(current, phaseIndex);
        current = [];
      }
      current.push(operation);
    }
    if (current.length > 0) close(current, phaseIndex);
  }
  return chunks;
}

/** The phase (upserts, lookup patches, links, deletes) each batch belongs to. */
const PHASE = new WeakMap<BatchOperation[], number>();
/** The table each batch writes, for naming a refused record. */
const TABLE = new WeakMap<BatchOperation[], SchemaTable>();

/**
 * Marks batches as belonging to one phase of an import (batches of different phases never run
 * side by side, see {@link batchGroups}); returns them.
 */
export function inPhase(batches: BatchOperation[][], phase: number): BatchOperation[][] {
  for (const batch of batches) PHASE.set(batch, phase);
  return batches;
}

/** Batches that may run at the same time: consecutive batches of the same phase and table. */
export function batchGroups(batches: BatchOperation[][]): BatchOperation[][][] {
  const groups: BatchOperation[][][] = [];
  let key = '';
  for (const batch of batches) {
    const next = `${PHASE.get(batch) ?? 0}|${batch[0]!.entitySet}`;
    if (next !== key || groups.length === 0) groups.push([]);
    groups.at(-1)!.push(batch);
    key = next;
  }
  return groups;
}

/** The record's columns the metadata allows on update only (not on create). */
function columnsSetAfterCreate(record: SiteRecord, table: SchemaTable): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(record.columns)) {
    const attribute = table.attributes.get(column);
    if (
      attribute &&
      !attribute.validForCreate &&
      attribute.validForUpdate &&
      value !== null &&
      value !== undefined
    )
      columns[column] = value;
  }
  if ('statecode' in columns && record.columns.statuscode !== undefined && record.columns.statuscode !== null)
    columns.statuscode = record.columns.statuscode;
  return columns;
}

/**
 * The record, with explicit empties for the values its previous version has and it has not (the
 * state columns go back to active, which a record without them is).
 */
function withClearedValues(record: SiteRecord, previous: SiteRecord | undefined): SiteRecord {
  if (!previous) return record;
  const has = (column: string) => column in record.columns || column in record.lookups;
  const columns: Record<string, unknown> = {};
  for (const column of Object.keys(previous.columns))
    if (!has(column)) columns[column] = Object.hasOwn(ACTIVE_STATE, column) ? ACTIVE_STATE[column] : null;
  if ('statecode' in columns && !('statuscode' in columns) && !has('statuscode'))
    columns.statuscode = ACTIVE_STATE.statuscode;
  const lookups: Record<string, string | null> = {};
  for (const column of Object.keys(previous.lookups)) if (!has(column)) lookups[column] = null;
  return {
    ...record,
    columns: { ...columns, ...record.columns },
    lookups: { ...lookups, ...record.lookups },
  };
}

/** Links the record has and its previous version (if any) had not. */
function linkOperations(record: SiteRecord, table: SchemaTable, previous?: SiteRecord): BatchOperation[] {
  const operations: BatchOperation[] = [];
  for (const relationship of table.manyToMany) {
    const had = new Set(previous?.links[relationship.relationship] ?? []);
    for (const targetId of record.links[relationship.relationship] ?? []) {
      if (had.has(targetId)) continue;
      operations.push({
        method: 'ASSOCIATE',
        entitySet: table.entitySetName,
        id: record.id,
        relationship: relationship.navigationProperty,
        targetEntitySet: relationship.target.entitySetName,
        targetId,
      });
    }
  }
  return operations;
}

/** How many batches run at once: starts low, grows while the platform keeps up, halves when it throttles. */
export interface Parallelism {
  initial: number;
  max: number;
}

/**
 * A rejected batch as a record error: the table, the record's id and name, and the platform's
 * reason, so people know which record to fix.
 */
function recordError(error: unknown, batch: BatchOperation[]): unknown {
  if (!isPortalOpsError(error) || error.code !== 'batch_failed') return error;
  const index = Number(error.details.index);
  const operation = Number.isInteger(index) ? batch[index] : undefined;
  if (!operation) return error;
  const table = TABLE.get(batch);
  const body = 'body' in operation ? operation.body : {};
  const name = table ? body[table.primaryNameAttribute] : undefined;
  const id = 'id' in operation ? operation.id : undefined;
  const reason = String(error.details.reason ?? error.message);
  return new PortalOpsError(
    'record_error',
    `${table?.logicalName ?? operation.entitySet} ${id ?? ''}${typeof name === 'string' ? ` (${name})` : ''} was refused: ${reason} Nothing in its batch was applied.`,
    {
      cause: error,
      details: {
        table: table?.logicalName ?? operation.entitySet,
        id,
        name,
        reason,
        operation: operation.method,
      },
    },
  );
}

/** Default parallelism: Dataverse allows 52 concurrent requests per user; stay well below. */
export const DEFAULT_PARALLELISM: Parallelism = { initial: 2, max: 16 };

/**
 * Runs the batches group by group (see {@link batchGroups}); within a group several batches
 * run at once. The number grows by one per round of successful batches and halves (at most
 * once per second) when `throttle` reports a 429, so the import settles just under the
 * platform's service protection limits. Reports after every batch.
 */
export async function runImport(
  dataverse: Dataverse,
  batches: BatchOperation[][],
  options: {
    onBatch?: (progress: ImportProgress) => void | Promise<void>;
    parallelism?: Parallelism;
    throttle?: ThrottleSignal;
  } = {},
): Promise<ImportProgress & { peakParallelism: number }> {
  const limits = options.parallelism ?? DEFAULT_PARALLELISM;
  const progress = { batchesDone: 0, batches: batches.length, writes: 0, peakParallelism: 0 };
  let limit = limits.initial;
  let lastCut = 0;
  const off = options.throttle?.on(() => {
    const now = Date.now();
    if (now - lastCut < 1_000) return;
    lastCut = now;
    limit = Math.max(1, Math.floor(limit / 2));
  });
  try {
    for (const group of batchGroups(batches)) {
      let next = 0;
      let running = 0;
      let failure: unknown;
      await new Promise<void>((resolve) => {
        const launch = () => {
          while (!failure && running < Math.floor(limit) && next < group.length) {
            const batch = group[next++]!;
            running++;
            progress.peakParallelism = Math.max(progress.peakParallelism, running);
            dataverse
              .executeBatch(batch)
              .then(async () => {
                progress.batchesDone++;
                progress.writes += batch.length;
                limit = Math.min(limits.max, limit + 1);
                await options.onBatch?.({ ...progress });
              })
              .catch((error: unknown) => {
                failure ??= recordError(error, batch);
              })
              .finally(() => {
                running--;
                if (running === 0 && (failure || next >= group.length)) resolve();
                else launch();
              });
          }
          if (running === 0) resolve();
        };
        launch();
      });
      if (failure) throw failure;
    }
    return progress;
  } finally {
    off?.();
  }
}
