/**
 * Configuration snapshots: before anything destructive, a site's configuration is exported into
 * the data dir as a `pac pages download` folder (plus `snapshot.json`), and the snapshot is
 * recorded in the store so it can be listed and restored later.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { PortalOpsError } from '../domain/errors.ts';
import type { SnapshotRecord } from '../domain/snapshot.ts';
import { resolveBelow, segmentProblem } from '../migration/folder-paths.ts';
import { pacFromRecords } from '../migration/pac-from-records.ts';
import { writePacSite } from '../migration/pac-layout.ts';
import { exportSite } from '../migration/site-export.ts';
import type { Dataverse } from '../platform/ports.ts';
import type { Store } from '../storage/store.ts';

export type { SnapshotRecord } from '../domain/snapshot.ts';

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
  const folder = snapshotFolder(options.snapshotsDir, options.id);
  const records = await exportSite(options.dataverse, options.websiteRecordId, options.onTable);
  // Laid out (and every name checked) before the folder exists, so a refused site leaves nothing.
  const site = pacFromRecords(records);
  writePacSite(folder, site);
  await mkdir(folder, { recursive: true });
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

/**
 * The folder of snapshot `id` inside `snapshotsDir`. The id is built from names (a job id, a
 * subdomain or environment alias); one that is no plain folder name is refused with
 * `unsafe_path` rather than letting a snapshot be written, or restored from, elsewhere.
 */
export function snapshotFolder(snapshotsDir: string, id: string): string {
  const problem = segmentProblem(id);
  const resolved = problem ? { problem } : resolveBelow(snapshotsDir, id);
  if ('path' in resolved) return resolved.path;
  throw new PortalOpsError(
    'unsafe_path',
    `Snapshot "${id}" cannot be kept in ${snapshotsDir}: its name ${resolved.problem}. Nothing was written.`,
    { details: { snapshot: id, problem: resolved.problem } },
  );
}

/** Snapshots, newest first, optionally of one site. */
export function listSnapshots(store: Store, site?: string): SnapshotRecord[] {
  return store
    .collection('snapshots')
    .list()
    .filter((s) => !site || s.site.toLowerCase() === site.toLowerCase())
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
