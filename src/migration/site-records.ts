/**
 * A site's configuration as neutral records: plain columns, lookups as ids, many-to-many links
 * as id lists. Both sides of a migration are brought to this form (a pac folder, or rows read
 * from Dataverse), so records compare by checksum whatever they came from.
 */
import { createHash } from 'node:crypto';
import { PortalOpsError } from '../domain/errors.ts';
import { CONFIG_TABLES, lookupValueColumn } from './config-tables.ts';
import type { PacSite } from './pac-layout.ts';
import { CONTENT_COLUMNS, LOOKUPS, MANY_TO_MANY, WEB_FILE_NOTE_FIELDS } from './schema.ts';
import type { SchemaTable } from './site-schema.ts';

/** One configuration record. */
export interface SiteRecord {
  table: string;
  id: string;
  columns: Record<string, unknown>;
  /** Lookup column → target id (null: explicitly empty). */
  lookups: Record<string, string | null>;
  /** Relationship name → linked ids, sorted. */
  links: Record<string, string[]>;
  /** The table a lookup points at, where the platform said so (polymorphic lookups). */
  lookupTables?: Record<string, string>;
  /**
   * From a pac folder: the text a column was written as where YAML read a boolean or number
   * (`True`, `0012`, `1e3`). Written as that text when the target declares the column as text.
   */
  texts?: Record<string, string>;
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
]);

/**
 * The state of an active record. pac writes `statecode`/`statuscode` only for a record that is
 * not active, so an active row read from Dataverse carries neither, and a record whose file has
 * none is made active again when its target copy was deactivated.
 */
export const ACTIVE_STATE: Readonly<Record<string, number>> = { statecode: 0, statuscode: 1 };

/** Attribute types whose values are text: a value YAML read as a boolean or number is sent as written. */
const TEXT_TYPES = new Set(['String', 'Memo', 'EntityName']);

/** The lookups pac writes as plain ids, per table (the website lookup of owned tables included). */
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
  // The reader refuses duplicate ids unless asked to keep the later file's record.
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
      } else {
        record.columns[key] = value;
        const text = pac.texts?.[key];
        if (text !== undefined) record.texts = { ...record.texts, [key]: text };
      }
    }
    if (lookups.adx_websiteid && websiteId && record.lookups.adx_websiteid === undefined)
      record.lookups.adx_websiteid = websiteId.toLowerCase();
    for (const [suffix, bytes] of Object.entries(pac.content)) {
      const column = CONTENT_COLUMNS[suffix];
      if (column) record.columns[column] = bytes.toString('utf8');
    }
    records.push(record);
    // A web file written without a note id (its bytes are the enhanced model's file column, not
    // a note) still carries its bytes: the note takes the web file's own id.
    const note =
      pac.table === 'adx_webfile'
        ? (pac.fields.annotationid ?? (pac.content.bytes ? pac.id : undefined))
        : undefined;
    if (typeof note === 'string' && pac.content.bytes) {
      records.push({
        table: 'annotation',
        id: note.toLowerCase(),
        columns: {
          filename: pac.fields.filename ?? pac.fields.adx_name,
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

/** Suffix of the annotation naming a lookup's target table (`Prefer: odata.include-annotations`). */
export const LOOKUP_TABLE_ANNOTATION = '@Microsoft.Dynamics.CRM.lookuplogicalname';

/**
 * A record as read from the Web API: every lookup the table's metadata knows (`_x_value`) as a
 * lookup, other `_x_value` columns and `@odata` annotations dropped.
 */
export function recordFromRow(
  table: SchemaTable,
  row: Record<string, unknown>,
  links: Record<string, string[]> = {},
): SiteRecord {
  const record: SiteRecord = {
    table: table.logicalName,
    id: String(row[table.primaryIdAttribute]).toLowerCase(),
    columns: {},
    lookups: {},
    links: Object.fromEntries(
      table.manyToMany.map((m) => [m.relationship, [...(links[m.relationship] ?? [])].sort()]),
    ),
  };
  const valueColumns = new Map([...table.lookups.keys()].map((c) => [lookupValueColumn(c), c]));
  for (const [key, value] of Object.entries(row)) {
    if (key.includes('@') || key === table.primaryIdAttribute || VOLATILE.has(key)) continue;
    const lookup = valueColumns.get(key);
    if (lookup) {
      if (value === null || value === undefined) continue;
      record.lookups[lookup] = String(value).toLowerCase();
      const target = row[`${key}${LOOKUP_TABLE_ANNOTATION}`];
      if (typeof target === 'string') record.lookupTables = { ...record.lookupTables, [lookup]: target };
      continue;
    }
    if (key.startsWith('_') && key.endsWith('_value')) continue;
    if (value === null || value === undefined) continue;
    const type = table.attributes.get(key)?.attributeType;
    record.columns[key] =
      type === 'MultiSelectPicklist' && typeof value === 'string'
        ? value.split(',').filter(Boolean).map(Number)
        : value;
  }
  if (record.columns.statecode === ACTIVE_STATE.statecode) {
    delete record.columns.statecode;
    if (record.columns.statuscode === ACTIVE_STATE.statuscode) delete record.columns.statuscode;
  }
  return record;
}

/** How {@link rowBody} writes a record. */
export interface RowBodyOptions {
  /** Lookups left for a later pass. */
  deferred?: ReadonlySet<string>;
  /** The row is new: columns not valid for create are left out (otherwise those not valid for update). */
  creating?: boolean;
}

/**
 * The Web API body that makes a row equal to the record, by the target's metadata: every value
 * of a lookup column (whether the record has it as a lookup or, from a pac folder, as a plain
 * id) bound through that lookup's navigation property as `/<entityset>(<id>)`, never sent as a
 * plain id; read-only columns left out. Throws `record_error` for a lookup the table's
 * metadata does not have, or a polymorphic lookup whose target cannot be told.
 */
export function rowBody(
  record: SiteRecord,
  table: SchemaTable,
  options: RowBodyOptions = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const lookups: Record<string, string | null> = {};
  for (const [column, value] of Object.entries(record.columns)) {
    if (table.lookups.has(column)) {
      lookups[column] =
        value === null || value === undefined || value === '' ? null : String(value).toLowerCase();
      continue;
    }
    const attribute = table.attributes.get(column);
    if (attribute && !(options.creating ? attribute.validForCreate : attribute.validForUpdate)) continue;
    body[column] = typedValue(record, column, value, attribute?.attributeType);
  }
  Object.assign(lookups, record.lookups);
  for (const [column, id] of Object.entries(lookups)) {
    if (options.deferred?.has(column)) continue;
    if (id === null && options.creating) continue;
    const target = lookupTarget(record, table, column);
    body[`${target.navigationProperty}@odata.bind`] = id === null ? null : `/${target.entitySetName}(${id})`;
  }
  return body;
}

/** A value as the column's type in the target's metadata has it. */
function typedValue(record: SiteRecord, column: string, value: unknown, type: string | undefined): unknown {
  if (value === null || value === undefined) return value;
  if (type && TEXT_TYPES.has(type) && typeof value !== 'string' && typeof value !== 'object')
    return record.texts?.[column] ?? String(value);
  if (type === 'MultiSelectPicklist' && Array.isArray(value)) return value.join(',');
  return value;
}

function lookupTarget(record: SiteRecord, table: SchemaTable, column: string) {
  const targets = table.lookups.get(column) ?? [];
  const named =
    record.lookupTables?.[column] ??
    (table.parentLookup?.column === column ? table.parentLookup.parentTable : undefined);
  const target =
    (named ? targets.find((t) => t.table === named) : undefined) ??
    (targets.length === 1 ? targets[0] : undefined);
  if (target) return target;
  const reason =
    targets.length === 0
      ? `the target environment's ${table.logicalName} table has no lookup ${column}`
      : `${column} can point at ${targets.map((t) => t.table).join(', ')} and the record does not say which`;
  throw new PortalOpsError(
    'record_error',
    `${table.logicalName} ${record.id} cannot be written: ${reason}.`,
    {
      details: { table: table.logicalName, id: record.id, reason },
    },
  );
}

/** The record's values that are lookups by the table's metadata (as lookups, or as plain ids among its columns). */
export function lookupColumnsOf(record: SiteRecord, table: SchemaTable): string[] {
  return [...Object.keys(record.lookups), ...Object.keys(record.columns).filter((c) => table.lookups.has(c))];
}

/**
 * A value as compared: GUIDs lower-cased, so ids compare whatever case a file wrote them in, and
 * scalars by their text (a folder's `True` for a text column is the target's "True"; its `false`
 * for a boolean column is the target's false), so a second upload of the same folder sends nothing.
 */
function comparable(value: unknown, text: string | undefined): unknown {
  if (typeof value === 'string') return GUID.test(value) ? value.toLowerCase() : value;
  if (typeof value === 'boolean' || typeof value === 'number') return text ?? String(value);
  return value;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Stable checksum of what a record says (columns with values, lookups, links). */
export function checksum(record: SiteRecord): string {
  // Columns and lookups share one namespace in Dataverse; a pac folder may carry a lookup the
  // pac layout does not know as a plain column, which compares equal to the same lookup read
  // from the Web API.
  const values = Object.entries({ ...record.columns, ...record.lookups })
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [k, comparable(v, record.texts?.[k])] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  const links = Object.entries(record.links)
    .filter(([, v]) => v.length > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256')
    .update(JSON.stringify([record.table, record.id, values, links]))
    .digest('hex');
}
