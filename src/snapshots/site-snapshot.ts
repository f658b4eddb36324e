/**
 * Configuration snapshots: before anything destructive, the rows of a site's configuration
 * tables are exported into the data dir (one JSON file per table plus a manifest), and the
 * snapshot is recorded in the store so it can be listed and restored later.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { isPortalOpsError } from '../domain/errors.ts';
import { CONFIG_TABLES } from '../migration/config-tables.ts';
import { rowsOfTable } from '../migration/site-export.ts';
import type { Dataverse, DataverseRecord } from '../platform/ports.ts';
import type { Store } from '../storage/store.ts';

/** A stored snapshot. */
export interface SnapshotRecord {
  id: string;
  environmentId: string;
  environment: string;
  site: string;
  websiteRecordId: string;
  jobId?: string;
  createdAt: string;
  /** Folder holding `snapshot.json` and one `<table>.json` per table. */
  path: string;
  /** Rows per table logical name. */
  tables: Record<string, number>;
}

/** Exports a site's configuration and records the snapshot. Tables the environment lacks are skipped. */
export async function takeSnapshot(options: {
  dataverse: Dataverse;
  store: Store;
  snapshotsDir: string;
  id: string;
  environmentId: string;
  environment: string;
  site: string;
  websiteRecordId: string;
  jobId?: string;
  onTable?: (table: string, index: number, total: number) => void | Promise<void>;
}): Promise<SnapshotRecord> {
  const folder = path.join(options.snapshotsDir, options.id);
  await mkdir(folder, { recursive: true });
  const parents = new Map<string, string[]>();
  const tables: Record<string, number> = {};
  for (const [index, table] of CONFIG_TABLES.entries()) {
    await options.onTable?.(table.logicalName, index, CONFIG_TABLES.length);
    let rows: DataverseRecord[];
    try {
      rows = await rowsOfTable(options.dataverse, table, options.websiteRecordId, parents);
    } catch (error) {
      if (isPortalOpsError(error) && error.code === 'not_found') continue;
      throw error;
    }
    parents.set(
      table.logicalName,
      rows.map((r) => String(r[table.primaryIdAttribute])),
    );
    tables[table.logicalName] = rows.length;
    await writeFileAtomic(
      path.join(folder, `${table.logicalName}.json`),
      `${JSON.stringify(rows, null, 1)}\n`,
    );
  }
  const record: SnapshotRecord = {
    id: options.id,
    environmentId: options.environmentId,
    environment: options.environment,
    site: options.site,
    websiteRecordId: options.websiteRecordId,
    ...(options.jobId ? { jobId: options.jobId } : {}),
    createdAt: new Date().toISOString(),
    path: folder,
    tables,
  };
  await writeFileAtomic(path.join(folder, 'snapshot.json'), `${JSON.stringify(record, null, 2)}\n`);
  await options.store.collection('snapshots').put(record);
  return record;
}

/** Snapshots, newest first, optionally of one site. */
export function listSnapshots(store: Store, site?: string): SnapshotRecord[] {
  return store
    .collection('snapshots')
    .list()
    .filter((s) => !site || s.site.toLowerCase() === site.toLowerCase())
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
