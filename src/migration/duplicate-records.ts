/**
 * Two files of a pac folder carrying one record id. `pac pages download` never deletes a folder
 * it wrote before, so a page renamed in the site leaves its old folder beside the new one, both
 * with the record's id. The folder's environment manifests (`.portalconfig/<org>-manifest.yml`)
 * say which name the environment had for that id at the last download: the file holding that
 * name is the record, the other a stale copy, left out and reported. When the manifests cannot
 * tell (no entry, or none or several files hold the name), the folder is refused, naming both
 * files, before anything is written.
 */
import { PortalOpsError } from '../domain/errors.ts';
import { manifestEntries } from './pac-file-schemas.ts';
import type { PacRecord, PacSite } from './pac-layout.ts';

/** Display names per `table:id` from every environment manifest of the folder. */
function manifestNames(site: PacSite): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const [file, data] of Object.entries(site.manifests)) {
    if (!file.endsWith('-manifest.yml')) continue;
    for (const { table, entry } of manifestEntries(data)) {
      if (typeof entry.DisplayName !== 'string') continue;
      const key = `${table}:${entry.RecordId.toLowerCase()}`;
      names.set(key, (names.get(key) ?? new Set()).add(entry.DisplayName));
    }
  }
  return names;
}

const where = (r: PacRecord) => (r.index === undefined ? r.file : `${r.file} (entry ${r.index + 1})`);

/** Whether a record's own name (its `adx_name`, or any text field) is the manifest's name. */
function holdsName(record: PacRecord, name: string): boolean {
  return Object.values(record.fields).some((value) => value === name);
}

/**
 * Leaves out the stale copies the manifests identify (reported in `site.skipped`) and throws
 * `duplicate_record_id` for any record id the folder carries twice that they cannot settle.
 */
export function settleDuplicateRecords(root: string, site: PacSite): void {
  const groups = new Map<string, PacRecord[]>();
  for (const record of site.records) {
    if (!record.id) continue;
    const key = `${record.table}:${record.id.toLowerCase()}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const names = manifestNames(site);
  const stale = new Set<PacRecord>();
  for (const [key, records] of groups) {
    if (records.length < 2) continue;
    const known = [...(names.get(key) ?? [])];
    const current = known.length === 1 ? records.filter((r) => holdsName(r, known[0]!)) : [];
    if (current.length !== 1) {
      const [first, second] = records as [PacRecord, PacRecord];
      throw new PortalOpsError(
        'duplicate_record_id',
        `${root} has ${first.table} ${first.id!.toLowerCase()} twice: in ${where(first)} and in ${where(second)}. Nothing was written; delete the file (or entry) that is not the record the site should have, and try again.`,
        { details: { table: first.table, id: first.id!.toLowerCase(), files: records.map((r) => r.file) } },
      );
    }
    for (const record of records) {
      if (record === current[0]) continue;
      stale.add(record);
      site.skipped = [
        ...(site.skipped ?? []),
        {
          file: record.file,
          reason: `a stale copy of ${record.table} ${record.id!.toLowerCase()}: the environment manifest names it "${known[0]}", as ${current[0]!.file} does`,
        },
      ];
    }
  }
  if (stale.size > 0) site.records = site.records.filter((r) => !stale.has(r));
}
