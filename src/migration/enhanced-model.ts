/**
 * The enhanced data model's storage of the neutral site records: the website is a
 * `powerpagesite` row, each website language a `powerpagesitelanguage` row, and every other
 * configuration record a `powerpagecomponent` row whose `powerpagecomponenttype` says which
 * standard table it stands for and whose `content` JSON holds its values. Tables without a
 * component type keep their `adx_*` rows, found by their website lookup as on the standard model.
 *
 * Sources:
 * - choices of `powerpagecomponenttype`, the `content`/`filecontent` columns, the binds
 *   `powerpagesiteid@odata.bind` / `powerpagesitelanguageid@odata.bind`:
 *   contracts/dataverse/entity-names-and-choices.md (powerpagecomponent table reference).
 * - `content` keys are the standard columns without `adx_` (`copy`, `partialurl`, `isroot`,
 *   `rootwebpageid`, `pagetemplateid`, `publishingstateid`, `value`, `source`, `entityname`),
 *   lookups inside it are plain ids, and the site language is the component's
 *   `powerpagesitelanguageid` lookup: microsoft/powerplatform-vscode `portalSchema.ts`
 *   (portal_schema_V2) and its create-site `PowerPagesSiteManager.ts`.
 * - N:N links (a table permission's web roles) are kept in `content` as id lists under the
 *   relationship's name (`adx_entitypermission_webrole`), not as Dataverse associations
 *   (third-party notes on type 18 components; medium confidence).
 * - a web file's bytes are the component's file column `filecontent` (uploaded with
 *   `PATCH powerpagecomponents(<id>)/filecontent`, read from `…/filecontent/$value`):
 *   powerplatform-vscode `PowerPagesSiteManager.ts` and learn.microsoft.com
 *   power-apps/developer/data-platform/file-column-data. The note PortalOps carries for it in a
 *   pac folder (id, mime type) stays in the component's `content` under {@link NOTE_KEY}, so a
 *   folder comes back exactly as it went in.
 */
import { PortalOpsError } from '../domain/errors.ts';
import { CONFIG_TABLES } from './config-tables.ts';
import { LOOKUPS, MANY_TO_MANY } from './schema.ts';
import type { SiteRecord } from './site-records.ts';

/** The data models a site's configuration can be stored in (`WebsiteDto.dataModel`). */
export type SiteDataModel = 'Standard' | 'Enhanced';

/** The enhanced model's system tables (logical name → entity set). */
export const ENHANCED_SETS = {
  site: 'powerpagesites',
  language: 'powerpagesitelanguages',
  component: 'powerpagecomponents',
} as const;

/** `powerpagecomponenttype` of each standard table that has one (powerpagecomponent table reference). */
export const COMPONENT_TYPES: Readonly<Record<string, number>> = {
  adx_publishingstate: 1,
  adx_webpage: 2,
  adx_webfile: 3,
  adx_weblinkset: 4,
  adx_weblink: 5,
  adx_pagetemplate: 6,
  adx_contentsnippet: 7,
  adx_webtemplate: 8,
  adx_sitesetting: 9,
  adx_webpageaccesscontrolrule: 10,
  adx_webrole: 11,
  adx_websiteaccess: 12,
  adx_sitemarker: 13,
  adx_entityform: 15,
  adx_entityformmetadata: 16,
  adx_entitylist: 17,
  adx_entitypermission: 18,
  adx_webform: 19,
  adx_webformstep: 20,
  adx_webformmetadata: 21,
  adx_pollplacement: 24,
  adx_adplacement: 26,
  adx_botconsumer: 27,
  adx_columnpermissionprofile: 28,
  adx_columnpermission: 29,
  adx_redirect: 30,
  adx_publishingstatetransitionrule: 31,
  adx_shortcut: 32,
};

/** The standard table of each component type. */
export const TABLE_OF_COMPONENT_TYPE: ReadonlyMap<number, string> = new Map(
  Object.entries(COMPONENT_TYPES).map(([table, type]) => [type, table]),
);

/** Every value `powerpagecomponenttype` may take (14, 22, 23 and 25 are not choices; 33 cloud flow, 34 UX component, 35 server logic). */
export const COMPONENT_TYPE_CHOICES: ReadonlySet<number> = new Set([
  ...Object.values(COMPONENT_TYPES),
  33,
  34,
  35,
]);

/** Standard tables an enhanced site keeps as `adx_*` rows (no component type stands for them). */
export const ADX_TABLES_IN_ENHANCED: readonly string[] = CONFIG_TABLES.map((t) => t.logicalName).filter(
  (t) => !(t in COMPONENT_TYPES) && t !== 'adx_website' && t !== 'adx_websitelanguage' && t !== 'annotation',
);

/** The lookup that is the component's `powerpagesitelanguageid`, per table (the record's language). */
export const LANGUAGE_LOOKUPS: Readonly<Record<string, string>> = {
  adx_webpage: 'adx_webpagelanguageid',
  adx_contentsnippet: 'adx_contentsnippetlanguageid',
  adx_weblinkset: 'adx_websitelanguageid',
};

/** Where a web file component keeps the note (annotation) a pac folder has for its bytes. */
export const NOTE_KEY = 'annotation';

/** Columns of the component itself rather than of its `content`. */
const STATE_COLUMNS = ['statecode', 'statuscode'];

const OWNED = new Set(CONFIG_TABLES.filter((t) => t.websiteLookup).map((t) => t.logicalName));

/** One row of the enhanced model as the Web API reads and writes it (without the file bytes). */
export interface EnhancedRow {
  entitySet: (typeof ENHANCED_SETS)[keyof typeof ENHANCED_SETS];
  id: string;
  /** Column values and `<nav>@odata.bind` entries, as sent in a PATCH. */
  body: Record<string, unknown>;
}

/** The note of a web file, as kept in the component's `content`. */
export interface WebFileNote {
  annotationid: string;
  filename?: unknown;
  mimetype?: unknown;
  isdocument?: unknown;
}

/** The key a standard column has in `content`. */
function contentKey(column: string): string {
  return column.startsWith('adx_') ? column.slice(4) : column;
}

/**
 * A value as `content` keeps it. A YAML boolean or number stays the text the file wrote when the
 * column is text in the standard table (`textColumns`, from the environment's metadata), or when
 * that text is not the value's canonical form (`True`, `0012`): only a text column holds those.
 */
function contentValue(
  record: SiteRecord,
  column: string,
  value: unknown,
  textColumns?: ReadonlySet<string>,
): unknown {
  if (typeof value !== 'boolean' && typeof value !== 'number') return value;
  const text = record.texts?.[column];
  if (textColumns?.has(column)) return text ?? String(value);
  if (text !== undefined && text !== String(value)) return text;
  return value;
}

/** The `content` JSON object of a record (every column, lookup and N:N list but the ones the row holds itself). */
export function contentOf(
  record: SiteRecord,
  note?: WebFileNote,
  textColumns?: ReadonlySet<string>,
): Record<string, unknown> {
  const own = new Set([LANGUAGE_LOOKUPS[record.table], 'adx_websiteid', ...STATE_COLUMNS]);
  const content: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(record.columns)) {
    if (own.has(column) || value === undefined) continue;
    if (!column.startsWith('adx_'))
      throw new PortalOpsError(
        'record_error',
        `${record.table} ${record.id} has ${column}, which the enhanced data model's components cannot hold.`,
        { details: { table: record.table, id: record.id, column } },
      );
    content[contentKey(column)] = contentValue(record, column, value, textColumns);
  }
  for (const [column, id] of Object.entries(record.lookups)) {
    if (own.has(column)) continue;
    content[contentKey(column)] = id;
  }
  for (const [relationship, ids] of Object.entries(record.links)) content[relationship] = [...ids];
  if (note) content[NOTE_KEY] = note;
  return content;
}

/**
 * The enhanced-model row a record is stored as (the website, a language, or a component of its
 * type), bound to the site `siteId`. `textColumns` are the record's columns that are text in the
 * standard table. Throws `record_error` for a table the model has no place for.
 */
export function enhancedRowOf(
  record: SiteRecord,
  siteId: string,
  note?: WebFileNote,
  textColumns?: ReadonlySet<string>,
): EnhancedRow {
  const state: Record<string, unknown> = {};
  for (const column of STATE_COLUMNS)
    if (record.columns[column] !== undefined) state[column] = record.columns[column];
  const name = String(record.columns.adx_name ?? record.columns.adx_profilename ?? record.id).slice(0, 400);
  const content = JSON.stringify(contentOf(record, note, textColumns));
  if (record.table === 'adx_website')
    return { entitySet: ENHANCED_SETS.site, id: record.id, body: { name, content, ...state } };
  const site = { 'powerpagesiteid@odata.bind': `/${ENHANCED_SETS.site}(${siteId})` };
  if (record.table === 'adx_websitelanguage')
    return { entitySet: ENHANCED_SETS.language, id: record.id, body: { name, content, ...state, ...site } };
  const type = COMPONENT_TYPES[record.table];
  if (type === undefined)
    throw new PortalOpsError(
      'record_error',
      `${record.table} ${record.id} has no component type in the enhanced data model.`,
      { details: { table: record.table, id: record.id } },
    );
  const languageColumn = LANGUAGE_LOOKUPS[record.table];
  const language = languageColumn
    ? (record.lookups[languageColumn] ?? (record.columns[languageColumn] as string | null | undefined))
    : undefined;
  return {
    entitySet: ENHANCED_SETS.component,
    id: record.id,
    body: {
      name,
      powerpagecomponenttype: type,
      content,
      ...state,
      ...site,
      'powerpagesitelanguageid@odata.bind': language
        ? `/${ENHANCED_SETS.language}(${String(language).toLowerCase()})`
        : null,
    },
  };
}

/**
 * The neutral record of an enhanced-model row read from the Web API (`table` is the standard
 * table it stands for), and the web file note its `content` carries, if any.
 */
export function recordOfEnhancedRow(
  table: string,
  row: Record<string, unknown>,
  siteId: string,
): { record: SiteRecord; note?: WebFileNote } {
  const idColumn =
    table === 'adx_website'
      ? 'powerpagesiteid'
      : table === 'adx_websitelanguage'
        ? 'powerpagesitelanguageid'
        : 'powerpagecomponentid';
  const relationships = new Set((MANY_TO_MANY[table] ?? []).map((m) => m.name));
  const record: SiteRecord = {
    table,
    id: String(row[idColumn]).toLowerCase(),
    columns: {},
    lookups: {},
    links: Object.fromEntries([...relationships].map((r) => [r, [] as string[]])),
  };
  let parsed: Record<string, unknown> = {};
  try {
    parsed = row.content ? (JSON.parse(String(row.content)) as Record<string, unknown>) : {};
  } catch {
    throw new PortalOpsError(
      'platform_error',
      `The ${table} component ${record.id} has a content column that is not JSON.`,
      { details: { table, id: record.id } },
    );
  }
  let note: WebFileNote | undefined;
  for (const [key, value] of Object.entries(parsed)) {
    if (key === NOTE_KEY && table === 'adx_webfile') {
      note = value as WebFileNote;
      continue;
    }
    if (relationships.has(key)) {
      record.links[key] = ((value as string[] | null) ?? []).map((v) => String(v).toLowerCase()).sort();
      continue;
    }
    if (value === null || value === undefined) continue;
    const column = `adx_${key}`;
    // The lookups pac writes as ids are lookups of the record, as a folder gives them.
    if (column in (LOOKUPS[table] ?? {})) record.lookups[column] = String(value).toLowerCase();
    else record.columns[column] = value;
  }
  for (const column of STATE_COLUMNS) {
    const value = row[column];
    if (value !== null && value !== undefined) record.columns[column] = value;
  }
  if (record.columns.statecode === 0) {
    delete record.columns.statecode;
    if (record.columns.statuscode === 1) delete record.columns.statuscode;
  }
  const languageColumn = LANGUAGE_LOOKUPS[table];
  const language = row._powerpagesitelanguageid_value;
  if (languageColumn && typeof language === 'string') record.lookups[languageColumn] = language.toLowerCase();
  if (OWNED.has(table)) record.lookups.adx_websiteid = siteId.toLowerCase();
  return { record, ...(note ? { note } : {}) };
}
