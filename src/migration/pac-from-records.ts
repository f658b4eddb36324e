/**
 * Lays out neutral records the way `pac pages download` does, for `portalops download`: small
 * tables in one YAML list at the root, the others in folders named after each record, large
 * fields in files of their own, web files next to their metadata.
 */
import { PortalOpsError } from '../domain/errors.ts';
import { relativePathProblem, segmentProblem } from './folder-paths.ts';
import { PAC_KINDS, type PacRecord, type PacSite } from './pac-layout.ts';
import { CONTENT_COLUMNS, MANY_TO_MANY } from './schema.ts';
import type { SiteRecord } from './site-records.ts';

const KIND_OF: Record<string, string> = Object.fromEntries(Object.entries(PAC_KINDS).map(([k, t]) => [t, k]));
/** Tables pac writes as one list in a root file `<kind>.yml`. */
const ROOT_LISTS = new Set([
  'adx_websitelanguage',
  'adx_publishingstate',
  'adx_sitesetting',
  'adx_sitemarker',
  'adx_webrole',
  'adx_websiteaccess',
  'adx_webpageaccesscontrolrule',
  'adx_tag',
  'adx_urlhistory',
  'adx_ad',
  'adx_adplacement',
  'adx_botconsumer',
  'adx_redirect',
  'adx_shortcut',
]);
/** Tables whose large columns pac keeps inline in the YAML (a web link set's `adx_copy`). */
const INLINE_CONTENT = new Set(['adx_weblinkset']);
/** Tables pac writes as one list in a file of a folder. */
const FOLDER_LISTS: Record<string, string> = { adx_forumthreadtype: 'forums/forumthreadtype.yml' };
/** Folder per table, and whether each record gets a sub-folder of its own. */
const FOLDERS: Record<string, { folder: string; own: boolean; language?: string }> = {
  adx_webpage: { folder: 'web-pages', own: true, language: 'adx_webpagelanguageid' },
  adx_webtemplate: { folder: 'web-templates', own: true },
  adx_contentsnippet: { folder: 'content-snippets', own: true, language: 'adx_contentsnippetlanguageid' },
  adx_pagetemplate: { folder: 'page-templates', own: false },
  adx_webfile: { folder: 'web-files', own: false },
  adx_entityform: { folder: 'basic-forms', own: true },
  adx_weblinkset: { folder: 'weblink-sets', own: true, language: 'adx_websitelanguageid' },
  adx_entitypermission: { folder: 'table-permissions', own: false },
  adx_entitylist: { folder: 'lists', own: false },
  adx_poll: { folder: 'polls', own: true },
  adx_pollplacement: { folder: 'poll-placements', own: false },
  adx_webform: { folder: 'advanced-forms', own: true },
  adx_communityforum: { folder: 'forums', own: true },
  adx_columnpermissionprofile: { folder: 'column-permission-profiles', own: true },
};
/** Child tables written as a list beside their parent: child → lookup to the parent. */
const CHILDREN: Record<string, string> = {
  adx_entityformmetadata: 'adx_entityform',
  adx_weblink: 'adx_weblinksetid',
  adx_polloption: 'adx_pollid',
  adx_webformstep: 'adx_webform',
  adx_communityforumaccesspermission: 'adx_forumid',
  adx_columnpermission: 'adx_columnpermissionprofileid',
};
const COLUMN_TO_SUFFIX = Object.fromEntries(
  Object.entries(CONTENT_COLUMNS).map(([suffix, c]) => [c, suffix]),
);
/** Language codes of the LCIDs sites use most; others are written as `lcid-<n>`. */
const LANGUAGE_CODES: Record<number, string> = {
  1025: 'ar-SA',
  1031: 'de-DE',
  1033: 'en-US',
  1036: 'fr-FR',
  1040: 'it-IT',
  1041: 'ja-JP',
  1043: 'nl-NL',
  1046: 'pt-BR',
  2052: 'zh-CN',
  3082: 'es-ES',
};

/** A record's name as pac puts it in file names. */
function baseName(record: SiteRecord): string {
  const name = String(
    record.columns.adx_name ?? record.columns.adx_partialurl ?? record.columns.adx_profilename ?? record.id,
  );
  return name.replace(/[\\/:*?"<>|]+/g, '-').replace(/\s+/g, '-') || record.id;
}

/**
 * The file name of a web file: its partial URL with `/` as `-`, as pac names it (`css/style.css`
 * → `css-style.css`). A partial URL that climbs or jumps out (`../../x`, `/etc/x`, `C:\x`, `a\b`)
 * or is `.`/`..` is refused, naming the record, because its bytes must stay inside `web-files/`.
 */
function webFileName(record: SiteRecord, base: string): string {
  const partialUrl = String(record.columns.adx_partialurl ?? base);
  const name = partialUrl.replace(/\//g, '-');
  const problem = relativePathProblem(partialUrl) ?? segmentProblem(name);
  if (!problem) return name;
  throw new PortalOpsError(
    'unsafe_path',
    `${record.table} ${record.id} "${partialUrl}" cannot be downloaded: its partial URL is no safe file name (${problem}), and a web file's bytes must stay inside web-files/. Nothing was written; rename the web file's partial URL in the site and try again.`,
    { details: { table: record.table, id: record.id, name: partialUrl, problem } },
  );
}

function fields(record: SiteRecord, contentColumns: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record.columns)) {
    if (contentColumns && COLUMN_TO_SUFFIX[key]) continue;
    out[key] = value;
  }
  for (const [key, value] of Object.entries(record.lookups)) if (key !== 'adx_websiteid') out[key] = value;
  for (const relationship of MANY_TO_MANY[record.table] ?? [])
    out[relationship.name] = record.links[relationship.name] ?? [];
  out[`${record.table}id`] = record.id;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function content(record: SiteRecord): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const [column, suffix] of Object.entries(COLUMN_TO_SUFFIX)) {
    const value = record.columns[column];
    if (typeof value === 'string') files[suffix] = Buffer.from(value, 'utf8');
  }
  return files;
}

/** The pac folder of a site's records. */
export function pacFromRecords(records: SiteRecord[]): PacSite {
  const site: PacSite = { records: [], manifests: {}, other: {} };
  const byId = new Map(records.map((r) => [r.id, r]));
  const languageCode = (websiteLanguageId: string | null | undefined) => {
    const language = websiteLanguageId ? byId.get(websiteLanguageId) : undefined;
    const website = records.find((r) => r.table === 'adx_website');
    const lcid = Number(language?.columns.adx_languagecode ?? website?.columns.adx_website_language ?? 1033);
    return typeof language?.columns.adx_languagecode === 'string'
      ? language.columns.adx_languagecode
      : (LANGUAGE_CODES[lcid] ?? `lcid-${lcid}`);
  };
  const taken = new Set<string>();
  const unique = (file: string, id: string) => {
    const name = taken.has(file) ? file.replace(/(\.[a-z]+)+\.yml$/, (m) => `-${id.slice(0, 8)}${m}`) : file;
    taken.add(name);
    return name;
  };
  const folderOf = new Map<string, { dir: string; file: string }>();
  const push = (record: SiteRecord, file: string, index?: number, contentColumns = true) => {
    const pac: PacRecord = {
      table: record.table,
      id: record.id,
      fields: fields(record, contentColumns),
      content: contentColumns ? content(record) : {},
      file,
      ...(index === undefined ? {} : { index }),
      ...(record.texts ? { texts: { ...record.texts } } : {}),
    };
    site.records.push(pac);
    return pac;
  };
  const rootLists = new Map<string, number>();
  const notes = new Map(records.filter((r) => r.table === 'annotation').map((n) => [n.lookups.objectid, n]));
  for (const record of records) {
    const kind = KIND_OF[record.table];
    if (!kind) continue;
    if (record.table === 'adx_website') {
      push(record, 'website.yml');
      continue;
    }
    if (ROOT_LISTS.has(record.table) || FOLDER_LISTS[record.table]) {
      const index = rootLists.get(record.table) ?? 0;
      rootLists.set(record.table, index + 1);
      push(record, FOLDER_LISTS[record.table] ?? `${kind}.yml`, index, false);
      continue;
    }
    const layout = FOLDERS[record.table];
    if (!layout) continue;
    const base = baseName(record);
    const language = layout.language ? `.${languageCode(record.lookups[layout.language])}` : '';
    if (record.table === 'adx_webpage' && record.lookups.adx_rootwebpageid) continue; // content pages below
    if (record.table === 'adx_webfile') {
      const note = notes.get(record.id);
      const file = unique(`web-files/${webFileName(record, base)}.webfile.yml`, record.id);
      // A web file's own columns stay in its YAML; the file beside it is its note's bytes.
      const pac = push(record, file, undefined, false);
      if (note) {
        Object.assign(pac.fields, {
          annotationid: note.id,
          filename: note.columns.filename,
          isdocument: note.columns.isdocument,
          mimetype: note.columns.mimetype,
          objectid: record.id,
          objecttypecode: 'adx_webfile',
        });
        if (typeof note.columns.documentbody === 'string')
          pac.content.bytes = Buffer.from(note.columns.documentbody, 'base64');
      }
      continue;
    }
    const dir = layout.own ? `${layout.folder}/${base.toLowerCase()}` : layout.folder;
    const file = unique(
      `${dir}/${base}${record.table === 'adx_webpage' ? '' : language}.${kind}.yml`,
      record.id,
    );
    folderOf.set(record.id, { dir, file });
    push(record, file, undefined, !INLINE_CONTENT.has(record.table));
  }
  for (const page of records.filter((r) => r.table === 'adx_webpage' && r.lookups.adx_rootwebpageid)) {
    const root = folderOf.get(page.lookups.adx_rootwebpageid!);
    const dir = root
      ? `${root.dir}/content-pages`
      : `web-pages/${baseName(page).toLowerCase()}/content-pages`;
    push(
      page,
      unique(
        `${dir}/${baseName(page)}.${languageCode(page.lookups.adx_webpagelanguageid)}.webpage.yml`,
        page.id,
      ),
    );
  }
  const childIndex = new Map<string, number>();
  for (const record of records) {
    const parentLookup = CHILDREN[record.table];
    if (!parentLookup) continue;
    const parent = folderOf.get(record.lookups[parentLookup] ?? '');
    if (!parent) continue;
    const file = parent.file.replace(/\.yml$/, `.${KIND_OF[record.table]}.yml`);
    const index = childIndex.get(file) ?? 0;
    childIndex.set(file, index + 1);
    push(record, file, index, false);
  }
  return site;
}
