/**
 * Seeds a simulated environment with a real site's configuration: a `pac pages download`
 * folder becomes the Dataverse rows (and N:N links) of that environment, the way the site
 * would have them after an upload.
 */
import { existsSync } from 'node:fs';
import { CONFIG_TABLES, lookupValueColumn } from '../migration/config-tables.ts';
import { readPacSite } from '../migration/pac-layout.ts';
import { MANY_TO_MANY } from '../migration/schema.ts';
import { recordsFromPac } from '../migration/site-records.ts';

/** Rows and links to seed, by entity set. */
export interface SeededConfiguration {
  websiteRecordId: string;
  rows: Record<string, Record<string, unknown>[]>;
  links: { entitySet: string; id: string; relationship: string; targetSet: string; targetId: string }[];
}

const TABLES = new Map(CONFIG_TABLES.map((t) => [t.logicalName, t]));

/** The rows of a pac folder, or undefined when the folder is not there. */
export function configurationFromFolder(folder: string): SeededConfiguration | undefined {
  if (!existsSync(folder)) return undefined;
  const records = recordsFromPac(readPacSite(folder));
  const website = records.find((r) => r.table === 'adx_website');
  if (!website) return undefined;
  const seeded: SeededConfiguration = { websiteRecordId: website.id, rows: {}, links: [] };
  for (const record of records) {
    const table = TABLES.get(record.table);
    if (!table) continue;
    const row: Record<string, unknown> = { [table.primaryIdAttribute]: record.id, ...record.columns };
    for (const [column, id] of Object.entries(record.lookups)) row[lookupValueColumn(column)] = id;
    const rows = seeded.rows[table.entitySetName] ?? [];
    rows.push(row);
    seeded.rows[table.entitySetName] = rows;
    for (const relationship of MANY_TO_MANY[record.table] ?? []) {
      const target = TABLES.get(relationship.targetTable)!;
      for (const targetId of record.links[relationship.name] ?? []) {
        seeded.links.push({
          entitySet: table.entitySetName,
          id: record.id,
          relationship: relationship.name,
          targetSet: target.entitySetName,
          targetId,
        });
      }
    }
  }
  return seeded;
}
