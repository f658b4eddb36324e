/**
 * Seeds a simulated environment with a real site's configuration: a `pac pages download`
 * folder becomes the Dataverse rows (and N:N links) of that environment, the way the site
 * would have them after an upload. The simulator's own table schema decides entity sets and
 * which fields are lookups (stored as `_x_value`).
 */
import { existsSync } from 'node:fs';
import { readPacSite } from '../migration/pac-layout.ts';
import { recordsFromPac } from '../migration/site-records.ts';
import type { SimTable } from './model.ts';
import { standardTables } from './standard-tables.ts';

/** Rows and links to seed, by entity set. */
export interface SeededConfiguration {
  websiteRecordId: string;
  rows: Record<string, Record<string, unknown>[]>;
  links: { entitySet: string; id: string; relationship: string; targetSet: string; targetId: string }[];
}

/** The rows of a pac folder, or undefined when the folder is not there. */
export function configurationFromFolder(
  folder: string,
  tables: readonly SimTable[] = standardTables(),
): SeededConfiguration | undefined {
  if (!existsSync(folder)) return undefined;
  // A download as it is: a record in two files keeps the later file's copy.
  const records = recordsFromPac(readPacSite(folder, { duplicates: 'last' }));
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
      row[`_${column}_value@Microsoft.Dynamics.CRM.lookuplogicalname`] =
        parent.length === 1 ? parent[0]!.targetTable : String(record.columns.objecttypecode ?? target);
    }
    const rows = seeded.rows[table.entitySetName] ?? [];
    rows.push(row);
    seeded.rows[table.entitySetName] = rows;
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
