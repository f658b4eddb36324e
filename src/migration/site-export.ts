/**
 * Reads a site's configuration out of Dataverse: the rows of every configuration table that
 * belong to the website (directly, or through their parent), and their many-to-many links.
 */
import { isPortalOpsError } from '../domain/errors.ts';
import type { Dataverse, DataverseRecord } from '../platform/ports.ts';
import { CONFIG_TABLES, type ConfigTable, lookupValueColumn } from './config-tables.ts';
import { MANY_TO_MANY } from './schema.ts';
import { recordFromRow, type SiteRecord } from './site-records.ts';

/** Ids per `or` filter when reading child rows by parent. */
const IDS_PER_QUERY = 25;

/** The rows of one table that belong to the website; `parents` has the ids read so far per table. */
export async function rowsOfTable(
  dataverse: Dataverse,
  table: ConfigTable,
  websiteRecordId: string,
  parents: Map<string, string[]>,
): Promise<DataverseRecord[]> {
  const read = (filter: string) => dataverse.query(table.entitySetName, { filter });
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

/** Every configuration record of a website, as neutral records. Tables the environment lacks are skipped. */
export async function exportSite(
  dataverse: Dataverse,
  websiteRecordId: string,
  onTable?: (table: string, index: number, total: number) => void | Promise<void>,
): Promise<SiteRecord[]> {
  const parents = new Map<string, string[]>();
  const records: SiteRecord[] = [];
  for (const [index, table] of CONFIG_TABLES.entries()) {
    await onTable?.(table.logicalName, index, CONFIG_TABLES.length);
    let rows: DataverseRecord[];
    try {
      rows = await rowsOfTable(dataverse, table, websiteRecordId, parents);
    } catch (error) {
      if (isPortalOpsError(error) && error.code === 'not_found') continue;
      throw error;
    }
    parents.set(
      table.logicalName,
      rows.map((r) => String(r[table.primaryIdAttribute])),
    );
    for (const row of rows) {
      const links: Record<string, string[]> = {};
      for (const relationship of MANY_TO_MANY[table.logicalName] ?? []) {
        const target = CONFIG_TABLES.find((t) => t.logicalName === relationship.targetTable)!;
        const linked = await dataverse.query(
          `${table.entitySetName}(${String(row[table.primaryIdAttribute])})/${relationship.name}`,
          { select: [target.primaryIdAttribute] },
        );
        links[relationship.name] = linked.map((l) => String(l[target.primaryIdAttribute]).toLowerCase());
      }
      records.push(recordFromRow(table.logicalName, row, links));
    }
  }
  return records;
}
