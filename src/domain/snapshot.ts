/** A stored configuration snapshot (taken before a reset, migration or restore). */
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
