/**
 * Reads a site's configuration out of Dataverse: the rows of every configuration table that
 * belong to the website (directly, or through their parent), and their many-to-many links.
 * Table and relationship names come from the environment's metadata; a table the environment
 * does not have is skipped, while a failing read of a table it has is an error.
 */
import type { Dataverse, DataverseRecord } from '../platform/ports.ts';
import { lookupValueColumn } from './config-tables.ts';
import { exportEnhancedSite, siteModelOf } from './enhanced-export.ts';
import { LOOKUP_TABLE_ANNOTATION, recordFromRow, type SiteRecord } from './site-records.ts';
import { loadSiteSchema, type SchemaTable } from './site-schema.ts';

/** Ids per `or` filter when reading child rows by parent. */
const IDS_PER_QUERY = 25;

/** Asks for the target table of polymorphic lookups with every row. */
const ANNOTATIONS = LOOKUP_TABLE_ANNOTATION.slice(1);

/** The rows of one table that belong to the website; `parents` has the ids read so far per table. */
export async function rowsOfTable(
  dataverse: Dataverse,
  table: SchemaTable,
  websiteRecordId: string,
  parents: Map<string, string[]>,
): Promise<DataverseRecord[]> {
  const read = (filter: string) =>
    dataverse.query(table.entitySetName, { filter, includeAnnotations: ANNOTATIONS });
  if (!table.websiteLookup && !table.parentLookup)
    return read(`${table.primaryIdAttribute} eq ${websiteRecordId}`);
  if (table.websiteLookup) return read(`${lookupValueColumn(table.websiteLookup)} eq ${websiteRecordId}`);
  const { column, parentTable } = table.parentLookup!;
  const parentIds = parents.get(parentTable) ?? [];
  const rows: DataverseRecord[] = [];
  for (let i = 0; i < parentIds.length; i += IDS_PER_QUERY) {
    const chunk = parentIds.slice(i, i + IDS_PER_QUERY);
    rows.push(...(await read(chunk.map((id) => `${lookupValueColumn(column)} eq ${id}`).join(' or '))));
  }
  return rows;
}

/**
 * Every configuration record of a website, as neutral records, whichever data model the
 * environment keeps it in (an enhanced-model site is read by `exportEnhancedSite`). Tables the
 * environment lacks are skipped.
 */
export async function exportSite(
  dataverse: Dataverse,
  websiteRecordId: string,
  onTable?: (table: string, index: number, total: number) => void | Promise<void>,
): Promise<SiteRecord[]> {
  if ((await siteModelOf(dataverse, websiteRecordId)) === 'Enhanced')
    return exportEnhancedSite(dataverse, websiteRecordId, onTable);
  return exportStandardSite(dataverse, websiteRecordId, onTable);
}

/** Every configuration record of a standard-data-model website (`adx_*` tables). */
export async function exportStandardSite(
  dataverse: Dataverse,
  websiteRecordId: string,
  onTable?: (table: string, index: number, total: number) => void | Promise<void>,
): Promise<SiteRecord[]> {
  const schema = await loadSiteSchema(dataverse);
  const parents = new Map<string, string[]>();
  const records: SiteRecord[] = [];
  const tables = [...schema.tables.values()];
  for (const [index, table] of tables.entries()) {
    await onTable?.(table.logicalName, index, tables.length);
    const rows = await rowsOfTable(dataverse, table, websiteRecordId, parents);
    parents.set(
      table.logicalName,
      rows.map((r) => String(r[table.primaryIdAttribute])),
    );
    for (const row of rows) {
      const links: Record<string, string[]> = {};
      for (const relationship of table.manyToMany) {
        const target = relationship.target;
        const linked = await dataverse.query(
          `${table.entitySetName}(${String(row[table.primaryIdAttribute])})/${relationship.navigationProperty}`,
          { select: [target.primaryIdAttribute] },
        );
        links[relationship.relationship] = linked.map((l) =>
          String(l[target.primaryIdAttribute]).toLowerCase(),
        );
      }
      records.push(recordFromRow(table, row, links));
    }
  }
  return records;
}
