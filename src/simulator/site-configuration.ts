/**
 * Seeds a simulated environment with a real site's configuration: a `pac pages download`
 * folder becomes the Dataverse rows (and N:N links) of that environment, the way the site
 * would have them after an upload: `adx_*` rows on the standard data model, or `powerpagesite`,
 * `powerpagesitelanguage` and `powerpagecomponent` rows (web file bytes in the component's
 * `filecontent`) on the enhanced one. The simulator's own table schema decides entity sets and
 * which fields are lookups (stored as `_x_value`).
 */
import { existsSync } from 'node:fs';
import {
  ADX_TABLES_IN_ENHANCED,
  enhancedRowOf,
  type SiteDataModel,
  type WebFileNote,
} from '../migration/enhanced-model.ts';
import { readPacSite } from '../migration/pac-layout.ts';
import { recordsFromPac, type SiteRecord } from '../migration/site-records.ts';
import { stableGuid } from './dataverse/dataverse-service.ts';
import { fileBytesKey } from './dataverse/enhanced-rules.ts';
import type { SimTable } from './model.ts';
import { standardTables } from './standard-tables.ts';

/** Rows and links to seed, by entity set. */
export interface SeededConfiguration {
  websiteRecordId: string;
  rows: Record<string, Record<string, unknown>[]>;
  links: { entitySet: string; id: string; relationship: string; targetSet: string; targetId: string }[];
}

const LOOKUP_TABLE = '@Microsoft.Dynamics.CRM.lookuplogicalname';

/**
 * Folders read so far, by path and model: a process starts many simulators on the same scenario
 * (the fixture folders are read-only), and the world copies every row it seeds.
 */
const READ = new Map<string, SeededConfiguration | undefined>();

/** The rows of a pac folder, or undefined when the folder is not there. */
export function configurationFromFolder(
  folder: string,
  tables?: readonly SimTable[],
  model: SiteDataModel = 'Standard',
): SeededConfiguration | undefined {
  if (!existsSync(folder)) return undefined;
  const key = `${model}|${folder}`;
  if (!tables && READ.has(key)) return READ.get(key);
  // A download as it is: a record in two files keeps the later file's copy.
  const records = recordsFromPac(readPacSite(folder, { duplicates: 'last' }));
  const all = tables ?? standardTables();
  const seeded =
    model === 'Enhanced' ? enhancedRowsFromRecords(records, all) : standardRowsFromRecords(records, all);
  if (!tables) READ.set(key, seeded);
  return seeded;
}

/** The `adx_*` rows and N:N links of a site's neutral records (standard data model). */
export function standardRowsFromRecords(
  records: SiteRecord[],
  tables: readonly SimTable[] = standardTables(),
): SeededConfiguration | undefined {
  const website = records.find((r) => r.table === 'adx_website');
  if (!website) return undefined;
  const byName = new Map(tables.map((t) => [t.logicalName, t]));
  const seeded: SeededConfiguration = { websiteRecordId: website.id, rows: {}, links: [] };
  for (const record of records) {
    const table = byName.get(record.table);
    if (!table) continue;
    const row: Record<string, unknown> = { [table.primaryIdAttribute]: record.id };
    const lookups = new Map((table.lookups ?? []).map((l) => [l.attribute, l.targetTable]));
    for (const [column, value] of Object.entries({ ...record.columns, ...record.lookups })) {
      const target = lookups.get(column);
      if (target === undefined) {
        // A text column keeps the text the file wrote (`True`, `0012`), as an upload sends it.
        const type = table.columnTypes?.[column] ?? 'String';
        const text = record.texts?.[column];
        row[column] = text !== undefined && (type === 'String' || type === 'Memo') ? text : value;
        continue;
      }
      row[`_${column}_value`] = value === null || value === undefined ? null : String(value).toLowerCase();
      // A polymorphic lookup remembers its table, as Dataverse does.
      const parent = table.lookups!.filter((l) => l.attribute === column);
      row[`_${column}_value${LOOKUP_TABLE}`] =
        parent.length === 1 ? parent[0]!.targetTable : String(record.columns.objecttypecode ?? target);
    }
    addRow(seeded, table.entitySetName, row);
    for (const relationship of table.manyToMany ?? []) {
      const target = byName.get(relationship.targetTable);
      if (!target) continue;
      for (const targetId of record.links[relationship.name] ?? []) {
        seeded.links.push({
          entitySet: table.entitySetName,
          id: record.id,
          relationship: relationship.navigationProperty ?? relationship.name,
          targetSet: target.entitySetName,
          targetId,
        });
      }
    }
  }
  return seeded;
}

/**
 * The enhanced-data-model rows of a site's neutral records, as the real service holds an
 * uploaded or migrated enhanced site: the website as its `powerpagesite` row (same id), each
 * language as a `powerpagesitelanguage` row, every other configuration record as a
 * `powerpagecomponent` of its type with its values in `content` (see `enhanced-model.ts`),
 * a web file's note as the component's `filecontent` bytes and name, and the tables the model
 * has no component type for as `adx_*` rows. Ids are kept.
 */
export function enhancedRowsFromRecords(
  records: SiteRecord[],
  tables: readonly SimTable[] = standardTables(),
): SeededConfiguration | undefined {
  const website = records.find((r) => r.table === 'adx_website');
  if (!website) return undefined;
  const siteId = website.id;
  const notes = new Map<string, SiteRecord>();
  for (const r of records)
    if (r.table === 'annotation' && typeof r.lookups.objectid === 'string') notes.set(r.lookups.objectid, r);
  const kept = new Set(ADX_TABLES_IN_ENHANCED);
  const seeded = standardRowsFromRecords(
    records.filter((r) => kept.has(r.table)),
    tables,
  ) ?? { websiteRecordId: siteId, rows: {}, links: [] };
  seeded.websiteRecordId = siteId;
  const byName = new Map(tables.map((t) => [t.logicalName, t]));
  for (const record of records) {
    if (kept.has(record.table) || record.table === 'annotation') continue;
    const noteRecord = record.table === 'adx_webfile' ? notes.get(record.id) : undefined;
    const note: WebFileNote | undefined = noteRecord
      ? {
          annotationid: noteRecord.id,
          filename: noteRecord.columns.filename,
          mimetype: noteRecord.columns.mimetype,
          isdocument: noteRecord.columns.isdocument,
        }
      : undefined;
    const standard = byName.get(record.table);
    // A text column of the standard table keeps the text the file wrote, as an upload sends it.
    const texts = standard
      ? new Set(
          standard.columns.filter((c) => ['String', 'Memo'].includes(standard.columnTypes?.[c] ?? 'String')),
        )
      : undefined;
    const { entitySet, id, body } = enhancedRowOf(record, siteId, note, texts);
    const table = [...byName.values()].find((t) => t.entitySetName === entitySet);
    if (!table) continue;
    const row: Record<string, unknown> = { [table.primaryIdAttribute]: id, statecode: 0, statuscode: 1 };
    for (const [key, value] of Object.entries(body)) {
      const bind = /^(\w+)@odata\.bind$/.exec(key);
      if (!bind) {
        row[key] = value;
        continue;
      }
      const lookup = table.lookups?.find((l) => l.navigationProperty === bind[1]);
      if (!lookup) continue;
      const target = /\(([^)]+)\)$/.exec(String(value ?? ''))?.[1] ?? null;
      row[`_${lookup.attribute}_value`] = target;
      row[`_${lookup.attribute}_value${LOOKUP_TABLE}`] = target ? lookup.targetTable : null;
    }
    if (noteRecord && typeof noteRecord.columns.documentbody === 'string') {
      row.filecontent = stableGuid(`file:${table.logicalName}:${id}:filecontent`);
      row.filecontent_name = String(noteRecord.columns.filename ?? '');
      row[fileBytesKey('filecontent')] = noteRecord.columns.documentbody;
    }
    addRow(seeded, entitySet, row);
  }
  return seeded;
}

function addRow(seeded: SeededConfiguration, entitySet: string, row: Record<string, unknown>): void {
  const rows = seeded.rows[entitySet] ?? [];
  rows.push(row);
  seeded.rows[entitySet] = rows;
}
