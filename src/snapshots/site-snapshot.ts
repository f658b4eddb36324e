/**
 * Configuration snapshots: before anything destructive, a site's configuration is exported into
 * the data dir as a `pac pages download` folder (plus `snapshot.json`), and the snapshot is
 * recorded in the store so it can be listed and restored later.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { pacFromRecords } from '../migration/pac-from-records.ts';
import { writePacSite } from '../migration/pac-layout.ts';
import { exportSite } from '../migration/site-export.ts';
import type { Dataverse } from '../platform/ports.ts';
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

/**
 * Exports a site's configuration into `<snapshotsDir>/<id>/` in the `pac pages download`
 * layout (so it can be read, diffed, uploaded or restored) and records the snapshot.
 */
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
  const records = await exportSite(options.dataverse, options.websiteRecordId, options.onTable);
  writePacSite(folder, pacFromRecords(records));
  const tables: Record<string, number> = {};
  for (const record of records) tables[record.table] = (tables[record.table] ?? 0) + 1;
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
