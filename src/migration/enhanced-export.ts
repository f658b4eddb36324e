/**
 * Reads a site on the enhanced data model out of Dataverse as the same neutral records a
 * standard site gives: its `powerpagesite` row, its `powerpagesitelanguage` rows, its
 * `powerpagecomponent` rows (one query by site, split by `powerpagecomponenttype`, as
 * powerplatform-vscode's portal_schema_V2 filters them: `_powerpagesiteid_value eq <site>`),
 * each web file's bytes from its `filecontent` column, and the `adx_*` tables the model keeps.
 */
import type { Dataverse } from '../platform/ports.ts';
import { CONFIG_TABLES } from './config-tables.ts';
import {
  ADX_TABLES_IN_ENHANCED,
  ENHANCED_SETS,
  recordOfEnhancedRow,
  type SiteDataModel,
  TABLE_OF_COMPONENT_TYPE,
} from './enhanced-model.ts';
import { rowsOfTable } from './site-export.ts';
import { recordFromRow, type SiteRecord } from './site-records.ts';
import { loadSiteSchema } from './site-schema.ts';

const ORDER = new Map(CONFIG_TABLES.map((t, i) => [t.logicalName, i]));

/**
 * Which data model the environment holds the site's configuration in: `Enhanced` when it has a
 * `powerpagesite` row with this id, `Standard` when it has the `adx_website` row, undefined
 * when it has neither (the site is not there yet).
 */
export async function siteModelOf(
  dataverse: Dataverse,
  websiteRecordId: string,
): Promise<SiteDataModel | undefined> {
  const has = async (table: string, set: string, id: string) =>
    (await dataverse.getTable(table)) !== null &&
    (await dataverse.query(set, { filter: `${id} eq ${websiteRecordId}`, select: [id] })).length > 0;
  if (await has('powerpagesite', ENHANCED_SETS.site, 'powerpagesiteid')) return 'Enhanced';
  if (await has('adx_website', 'adx_websites', 'adx_websiteid')) return 'Standard';
  return undefined;
}

/** Every configuration record of an enhanced-model site, as neutral records (empty when it is not there). */
export async function exportEnhancedSite(
  dataverse: Dataverse,
  siteId: string,
  onTable?: (table: string, index: number, total: number) => void | Promise<void>,
): Promise<SiteRecord[]> {
  const total = 3 + ADX_TABLES_IN_ENHANCED.length;
  await onTable?.('powerpagesite', 0, total);
  const sites = await dataverse.query(ENHANCED_SETS.site, { filter: `powerpagesiteid eq ${siteId}` });
  if (sites.length === 0) return [];
  const records: SiteRecord[] = [recordOfEnhancedRow('adx_website', sites[0]!, siteId).record];
  const bySite = { filter: `_powerpagesiteid_value eq ${siteId}` };
  await onTable?.('powerpagesitelanguage', 1, total);
  for (const row of await dataverse.query(ENHANCED_SETS.language, bySite))
    records.push(recordOfEnhancedRow('adx_websitelanguage', row, siteId).record);
  await onTable?.('powerpagecomponent', 2, total);
  for (const row of await dataverse.query(ENHANCED_SETS.component, bySite)) {
    // Cloud flows, UX components and server logic have no standard table: they stay in the site.
    const table = TABLE_OF_COMPONENT_TYPE.get(Number(row.powerpagecomponenttype));
    if (!table) continue;
    const { record, note } = recordOfEnhancedRow(table, row, siteId);
    records.push(record);
    if (!note) continue;
    const file = row.filecontent
      ? await dataverse.downloadFile(ENHANCED_SETS.component, record.id, 'filecontent')
      : null;
    // A note whose bytes are not there yet (an import stopped before its upload) is read without
    // them, so the next plan sends only the file.
    records.push({
      table: 'annotation',
      id: String(note.annotationid).toLowerCase(),
      columns: {
        filename: note.filename ?? file?.fileName,
        mimetype: note.mimetype,
        isdocument: note.isdocument ?? true,
        objecttypecode: 'adx_webfile',
        ...(file ? { documentbody: file.bytes.toString('base64') } : {}),
      },
      lookups: { objectid: record.id },
      links: {},
    });
  }
  const schema = await loadSiteSchema(dataverse);
  const parents = new Map<string, string[]>();
  for (const [index, name] of ADX_TABLES_IN_ENHANCED.entries()) {
    const table = schema.tables.get(name);
    if (!table) continue;
    await onTable?.(name, 3 + index, total);
    const rows = await rowsOfTable(dataverse, table, siteId, parents);
    parents.set(
      name,
      rows.map((r) => String(r[table.primaryIdAttribute])),
    );
    for (const row of rows) {
      const links: Record<string, string[]> = {};
      for (const relationship of table.manyToMany) {
        const linked = await dataverse.query(
          `${table.entitySetName}(${String(row[table.primaryIdAttribute])})/${relationship.navigationProperty}`,
          { select: [relationship.target.primaryIdAttribute] },
        );
        links[relationship.relationship] = linked.map((l) =>
          String(l[relationship.target.primaryIdAttribute]).toLowerCase(),
        );
      }
      records.push(recordFromRow(table, row, links));
    }
  }
  return records.sort((a, b) => (ORDER.get(a.table) ?? 999) - (ORDER.get(b.table) ?? 999));
}
