/**
 * A site's configuration as neutral records: plain columns, lookups as ids, many-to-many links
 * as id lists. Both sides of a migration are brought to this form (a pac folder, or rows read
 * from Dataverse), so records compare by checksum whatever they came from.
 */
import { createHash } from 'node:crypto';
import { CONFIG_TABLES, lookupValueColumn } from './config-tables.ts';
import type { PacSite } from './pac-layout.ts';
import { CONTENT_COLUMNS, LOOKUPS, MANY_TO_MANY, WEB_FILE_NOTE_FIELDS } from './schema.ts';

/** One configuration record. */
export interface SiteRecord {
  table: string;
  id: string;
  columns: Record<string, unknown>;
  /** Lookup column → target id (null: explicitly empty). */
  lookups: Record<string, string | null>;
  /** Relationship name → linked ids, sorted. */
  links: Record<string, string[]>;
}

const TABLES = new Map(CONFIG_TABLES.map((t) => [t.logicalName, t]));

/** Columns the platform sets by itself, never compared nor written. */
const VOLATILE = new Set([
  'createdon',
  'modifiedon',
  'versionnumber',
  'importsequencenumber',
  'overriddencreatedon',
  'timezoneruleversionnumber',
  'utcconversiontimezonecode',
  'statecode',
  'statuscode',
]);

function lookupsOf(table: string): Record<string, string> {
  const own = { ...(LOOKUPS[table] ?? {}) };
  if (TABLES.get(table)?.websiteLookup) own.adx_websiteid = 'adx_website';
  return own;
}

/**
 * The records of a pac folder. Tables owned by the website get its lookup. When two files carry
 * the same record (a renamed copy of a folder), the later one wins, as it would on upload.
 */
export function recordsFromPac(site: PacSite): SiteRecord[] {
  const unique = new Map<string, SiteRecord>();
  for (const record of allRecordsFromPac(site)) {
    const key = `${record.table}:${record.id}`;
    unique.delete(key);
    unique.set(key, record);
  }
  return [...unique.values()];
}

function allRecordsFromPac(site: PacSite): SiteRecord[] {
  const website = site.records.find((r) => r.table === 'adx_website');
  const websiteId = website?.id;
  const records: SiteRecord[] = [];
  for (const pac of site.records) {
    if (!pac.id) continue;
    const lookups = lookupsOf(pac.table);
    const links = Object.fromEntries((MANY_TO_MANY[pac.table] ?? []).map((m) => [m.name, [] as string[]]));
    const record: SiteRecord = {
      table: pac.table,
      id: pac.id.toLowerCase(),
      columns: {},
      lookups: {},
      links,
    };
    for (const [key, value] of Object.entries(pac.fields)) {
      if (key === `${pac.table}id` || VOLATILE.has(key)) continue;
      if (pac.table === 'adx_webfile' && WEB_FILE_NOTE_FIELDS.includes(key)) continue;
      if (key in links) {
        record.links[key] = ((value as string[] | null) ?? []).map((v) => String(v).toLowerCase()).sort();
      } else if (key in lookups) {
        record.lookups[key] = value === null || value === undefined ? null : String(value).toLowerCase();
      } else record.columns[key] = value;
    }
    if (lookups.adx_websiteid && websiteId && record.lookups.adx_websiteid === undefined)
      record.lookups.adx_websiteid = websiteId.toLowerCase();
    for (const [suffix, bytes] of Object.entries(pac.content)) {
      const column = CONTENT_COLUMNS[suffix];
      if (column) record.columns[column] = bytes.toString('utf8');
    }
    records.push(record);
    const note = pac.table === 'adx_webfile' ? pac.fields.annotationid : undefined;
    if (typeof note === 'string' && pac.content.bytes) {
      records.push({
        table: 'annotation',
        id: note.toLowerCase(),
        columns: {
          filename: pac.fields.filename,
          mimetype: pac.fields.mimetype,
          isdocument: pac.fields.isdocument ?? true,
          objecttypecode: 'adx_webfile',
          documentbody: pac.content.bytes.toString('base64'),
        },
        lookups: { objectid: record.id },
        links: {},
      });
    }
  }
  return records;
}

/** A record as read from the Web API (`_x_value` lookups, `@odata` annotations dropped). */
export function recordFromRow(
  table: string,
  row: Record<string, unknown>,
  links: Record<string, string[]> = {},
): SiteRecord {
  const definition = TABLES.get(table);
  const lookups = lookupsOf(table);
  const record: SiteRecord = {
    table,
    id: String(row[definition?.primaryIdAttribute ?? `${table}id`]).toLowerCase(),
    columns: {},
    lookups: {},
    links: Object.fromEntries(
      (MANY_TO_MANY[table] ?? []).map((m) => [m.name, [...(links[m.name] ?? [])].sort()]),
    ),
  };
  const valueColumns = new Map(Object.keys(lookups).map((c) => [lookupValueColumn(c), c]));
  for (const [key, value] of Object.entries(row)) {
    if (key.includes('@') || key === definition?.primaryIdAttribute || VOLATILE.has(key)) continue;
    const lookup = valueColumns.get(key);
    if (lookup) {
      if (value !== null && value !== undefined) record.lookups[lookup] = String(value).toLowerCase();
      continue;
    }
    if (key.startsWith('_') && key.endsWith('_value')) continue;
    if (value === null || value === undefined) continue;
    record.columns[key] = value;
  }
  return record;
}

/** The Web API body that makes a row equal to the record (lookups in `deferred` are left for a later pass). */
export function rowBody(
  record: SiteRecord,
  deferred: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...record.columns };
  const targets = lookupsOf(record.table);
  for (const [column, id] of Object.entries(record.lookups)) {
    if (deferred.has(column)) continue;
    const target = TABLES.get(targets[column] ?? '');
    if (!target) continue;
    body[`${column}@odata.bind`] = id === null ? null : `/${target.entitySetName}(${id})`;
  }
  return body;
}

/** Stable checksum of what a record says (columns with values, lookups, links). */
export function checksum(record: SiteRecord): string {
  const columns = Object.entries(record.columns)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .sort(([a], [b]) => a.localeCompare(b));
  const lookups = Object.entries(record.lookups)
    .filter(([, v]) => v !== null)
    .sort(([a], [b]) => a.localeCompare(b));
  const links = Object.entries(record.links)
    .filter(([, v]) => v.length > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256')
    .update(JSON.stringify([record.table, record.id, columns, lookups, links]))
    .digest('hex');
}
