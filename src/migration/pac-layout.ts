/**
 * The folder layout `pac pages download` writes (standard data model), read into records and
 * written back. A record is a YAML map (alone in its file, or one entry of a list); its large
 * fields live in files of their own beside it (`<base>.<kind>.<field>.<ext>`, e.g.
 * `Home.webpage.copy.html`, `Footer.en-US.contentsnippet.value.html`), and a web file's bytes
 * sit next to its `<name>.webfile.yml`. `.portalconfig/` holds the manifests: deleted records
 * (`manifest.yml`) and, per environment, every record's checksum.
 *
 * The reader keeps each record's place in the folder, so writing a site back reproduces the
 * layout: same files, content files byte for byte, YAML with the same data.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { PortalOpsError } from '../domain/errors.ts';
import { settleDuplicateRecords } from './duplicate-records.ts';
import { realFolder, resolveBelow } from './folder-paths.ts';
import { type ListedFile, listFolderFiles } from './folder-walk.ts';
import {
  type ManifestEntry,
  manifestEntries,
  portalConfigFileSchema,
  recordFileSchema,
} from './pac-file-schemas.ts';
import { readFolderFile, readSiteYaml, readSiteYamlWithTexts, type SiteYamlOptions } from './site-yaml.ts';

/** `<kind>` in file names → table logical name (standard data model). */
export const PAC_KINDS: Record<string, string> = {
  website: 'adx_website',
  websitelanguage: 'adx_websitelanguage',
  publishingstate: 'adx_publishingstate',
  sitesetting: 'adx_sitesetting',
  sitemarker: 'adx_sitemarker',
  webrole: 'adx_webrole',
  websiteaccess: 'adx_websiteaccess',
  webpagerule: 'adx_webpageaccesscontrolrule',
  tag: 'adx_tag',
  urlhistory: 'adx_urlhistory',
  ad: 'adx_ad',
  adplacement: 'adx_adplacement',
  webpage: 'adx_webpage',
  webtemplate: 'adx_webtemplate',
  contentsnippet: 'adx_contentsnippet',
  pagetemplate: 'adx_pagetemplate',
  webfile: 'adx_webfile',
  basicform: 'adx_entityform',
  basicformmetadata: 'adx_entityformmetadata',
  advancedform: 'adx_webform',
  advancedformstep: 'adx_webformstep',
  advancedformmetadata: 'adx_webformmetadata',
  weblinkset: 'adx_weblinkset',
  weblink: 'adx_weblink',
  tablepermission: 'adx_entitypermission',
  list: 'adx_entitylist',
  poll: 'adx_poll',
  polloption: 'adx_polloption',
  pollplacement: 'adx_pollplacement',
  botconsumer: 'adx_botconsumer',
  forum: 'adx_communityforum',
  forumpermission: 'adx_communityforumaccesspermission',
  forumthreadtype: 'adx_forumthreadtype',
  columnpermissionprofile: 'adx_columnpermissionprofile',
  columnpermission: 'adx_columnpermission',
  redirect: 'adx_redirect',
  shortcut: 'adx_shortcut',
};

/**
 * Kinds pac writes that are not standard-data-model configuration tables, and why they stay
 * out of an upload. Their files (and the files beside them) are reported, never written.
 */
export const SKIPPED_KINDS: Record<string, string> = {
  uxcomponent:
    'UX components are powerpagecomponent rows of the enhanced data model (type 34) with no standard table; PortalOps does not carry them on either data model',
  cloudflowconsumer:
    'cloud flow consumers bind the site to Power Automate flows of the source environment; register the flows in the target and add them there',
};

/** One configuration record and where it lives in the folder. */
export interface PacRecord {
  table: string;
  /** The primary id (`<table>id`), when the record has one. */
  id: string | undefined;
  fields: Record<string, unknown>;
  /** Large fields stored in their own files, by file suffix (e.g. `copy.html`, or `bytes` for a web file). */
  content: Record<string, Buffer>;
  /** The YAML file it is in (relative, `/`-separated) and its index when that file holds a list. */
  file: string;
  index?: number;
  /**
   * The text a field was written as, where YAML read it as a boolean or number (`True`, `0012`,
   * `1e3`): a column the target declares as text keeps this text.
   */
  texts?: Record<string, string>;
}

/** A site folder: its records and the `.portalconfig` manifests as they were. */
export interface PacSite {
  records: PacRecord[];
  /** `.portalconfig/*.yml`, parsed, by file name. */
  manifests: Record<string, unknown>;
  /** Files the reader does not understand, kept byte for byte (e.g. a README): not part of the site. */
  other: Record<string, Buffer>;
  /** Files of kinds pac writes that are not uploaded ({@link SKIPPED_KINDS}), with the reason. */
  skipped?: { file: string; reason: string }[];
}

/** True for a kind pac names files with (own keys only: a file may be called `constructor.yml`). */
function isKind(part: string): boolean {
  return Object.hasOwn(PAC_KINDS, part) || Object.hasOwn(SKIPPED_KINDS, part);
}

/** The kind a record file is of: the last `.<kind>.yml` part, or the file name at the root. */
function kindOf(file: string): string | undefined {
  const name = file.split('/').pop()!;
  if (!name.endsWith('.yml')) return undefined;
  const parts = name.slice(0, -4).split('.');
  for (let i = parts.length - 1; i >= 0; i--) if (isKind(parts[i]!)) return parts[i];
  return undefined;
}

/** The record file a content file belongs to, and the content's key (`copy.html`, `bytes`). */
function ownerOf(file: string, yamlFiles: Set<string>): { owner: string; key: string } | undefined {
  if (yamlFiles.has(`${file}.webfile.yml`)) return { owner: `${file}.webfile.yml`, key: 'bytes' };
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  const name = file.slice(dir.length);
  const parts = name.split('.');
  for (let i = parts.length - 2; i > 0; i--) {
    if (!isKind(parts[i]!)) continue;
    const owner = `${dir}${parts.slice(0, i + 1).join('.')}.yml`;
    if (yamlFiles.has(owner)) return { owner, key: parts.slice(i + 1).join('.') };
  }
  return undefined;
}

/** How {@link readPacSite} reads a folder. */
export interface ReadPacOptions extends SiteYamlOptions {
  /**
   * Two files carrying the same record id: `refuse` (the default) leaves out a stale copy the
   * folder's environment manifest identifies and throws `duplicate_record_id` naming both files
   * otherwise ({@link settleDuplicateRecords}); `last` keeps the later file's record, for seeding
   * a simulated environment from a download as it is.
   */
  duplicates?: 'refuse' | 'last';
}

/**
 * Reads a `pac pages download` folder. Never follows a symbolic link out of the folder; each YAML
 * file is size-capped and checked against the shape of its kind. Throws `unsafe_path` or
 * `site_file_invalid` naming the file (and line) instead of returning part of a site.
 */
export function readPacSite(root: string, options: ReadPacOptions = {}): PacSite {
  const listed = listFolderFiles(root);
  const byRel = new Map<string, ListedFile>(listed.map((f) => [f.rel, f]));
  const files = listed.map((f) => f.rel);
  const at = (rel: string) => byRel.get(rel)!;
  const site: PacSite = { records: [], manifests: {}, other: {}, skipped: [] };
  const skippedFiles = new Set<string>();
  const yamlFiles = new Set(files.filter((f) => f.endsWith('.yml') && !f.startsWith('.portalconfig/')));
  const byFile = new Map<string, PacRecord[]>();
  const isManifest = (file: string) => file.startsWith('.portalconfig/') && file.endsWith('.yml');
  for (const file of files) {
    if (isManifest(file)) {
      const name = file.slice('.portalconfig/'.length);
      setOwn(site.manifests, name, readSiteYaml(at(file), portalConfigFileSchema(name), options));
      continue;
    }
    const kind = kindOf(file);
    if (!kind || !yamlFiles.has(file)) continue;
    if (Object.hasOwn(SKIPPED_KINDS, kind)) {
      site.skipped!.push({ file, reason: SKIPPED_KINDS[kind]! });
      skippedFiles.add(file);
      continue;
    }
    const table = PAC_KINDS[kind]!;
    const { data, texts } = readSiteYamlWithTexts(at(file), recordFileSchema(kind, table), options);
    const entries = Array.isArray(data) ? data : [data];
    const records = entries.map((fields, index) => {
      const id = fields[`${table}id`];
      const own = texts[index];
      return {
        table,
        id: typeof id === 'string' ? id : undefined,
        fields,
        content: {},
        file,
        ...(Array.isArray(data) ? { index } : {}),
        ...(own && Object.keys(own).length > 0 ? { texts: own } : {}),
      } satisfies PacRecord;
    });
    byFile.set(file, records);
    site.records.push(...records);
  }
  for (const file of files) {
    if (isManifest(file) || byFile.has(file) || skippedFiles.has(file)) continue;
    const owned = ownerOf(file, yamlFiles);
    const record = owned ? byFile.get(owned.owner)?.[0] : undefined;
    if (owned && record) setOwn(record.content, owned.key, readFolderFile(at(file)));
    else if (owned && skippedFiles.has(owned.owner))
      site.skipped!.push({ file, reason: site.skipped!.find((s) => s.file === owned.owner)!.reason });
    else setOwn(site.other, file, readFolderFile(at(file)));
  }
  if ((options.duplicates ?? 'refuse') === 'refuse') settleDuplicateRecords(root, site);
  return site;
}

/**
 * What of a folder is not uploaded: files of kinds that stay out ({@link SKIPPED_KINDS}), with the
 * reason, and files that are not part of the site at all (a README, a stray file).
 */
export function folderLeftOut(site: PacSite): {
  skipped: { file: string; reason: string }[];
  notPartOfSite: string[];
} {
  return { skipped: [...(site.skipped ?? [])], notPartOfSite: Object.keys(site.other).sort() };
}

/** {@link folderLeftOut} as lines for a plan or result: one per reason, then the files not part of the site. */
export function leftOutLines(left: ReturnType<typeof folderLeftOut>): string[] {
  const byReason = new Map<string, string[]>();
  for (const { file, reason } of left.skipped) byReason.set(reason, [...(byReason.get(reason) ?? []), file]);
  const lines = [...byReason].map(([reason, files]) => `Skipped ${files.join(', ')}: ${reason}.`);
  if (left.notPartOfSite.length > 0)
    lines.push(`Not part of the site (not uploaded): ${left.notPartOfSite.join(', ')}.`);
  return lines;
}

/** Sets a key taken from a file name as an own property, even `__proto__`. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A value YAML reads as a boolean or number, written back as the text the file had (`True`, `0012`). */
class PlainText {
  constructor(readonly text: string) {}
}

const PLAIN_TEXT = {
  identify: (value: unknown) => value instanceof PlainText,
  default: true,
  tag: 'tag:yaml.org,2002:str',
  resolve: (text: string) => text,
  stringify: (item: { value: unknown }) => (item.value as PlainText).text,
};

/** YAML the way pac writes it: block style, no line folding. */
function toYaml(data: unknown): string {
  return stringify(data, { lineWidth: 0, minContentWidth: 0, customTags: [PLAIN_TEXT] });
}

/** The record's fields, each value YAML read from other text than it writes put back as that text. */
function fieldsAsWritten(record: PacRecord): Record<string, unknown> {
  if (!record.texts) return record.fields;
  const out: Record<string, unknown> = { ...record.fields };
  for (const [key, text] of Object.entries(record.texts)) {
    const value = out[key];
    if ((typeof value === 'boolean' || typeof value === 'number') && sameScalar(text, value))
      out[key] = new PlainText(text);
  }
  return out;
}

function sameScalar(text: string, value: boolean | number): boolean {
  try {
    return Object.is(parse(text), value);
  } catch {
    return false;
  }
}

/**
 * Writes a site in the `pac pages download` layout under `root`. Every path is checked first: a
 * path that would leave the folder (a record named `..`, a web file whose partial URL is
 * `../../x`, an absolute or Windows path) or run through a symbolic link is refused with
 * `unsafe_path`, naming the record, before any file is written.
 */
export function writePacSite(root: string, site: PacSite): string[] {
  const base = realFolder(root);
  const planned: { rel: string; absolute: string; bytes: string | Buffer }[] = [];
  const plan = (rel: string, bytes: string | Buffer, record?: PacRecord) => {
    const resolved = resolveBelow(base, rel, { forWriting: true });
    if ('problem' in resolved) throw unsafeWrite(root, rel, resolved.problem, record);
    planned.push({ rel, absolute: resolved.path, bytes });
  };
  const byFile = new Map<string, PacRecord[]>();
  for (const record of site.records) byFile.set(record.file, [...(byFile.get(record.file) ?? []), record]);
  for (const [file, records] of byFile) {
    const list = records[0]?.index !== undefined;
    const ordered = [...records].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    plan(file, toYaml(list ? ordered.map(fieldsAsWritten) : fieldsAsWritten(ordered[0]!)), ordered[0]);
    for (const record of ordered) {
      for (const [key, bytes] of Object.entries(record.content)) {
        plan(
          key === 'bytes' ? file.slice(0, -'.webfile.yml'.length) : `${file.slice(0, -4)}.${key}`,
          bytes,
          record,
        );
      }
    }
  }
  for (const [name, data] of Object.entries(site.manifests)) plan(`.portalconfig/${name}`, toYaml(data));
  for (const [file, bytes] of Object.entries(site.other)) plan(file, bytes);
  refuseFileFolderClashes(root, planned);
  for (const { absolute, bytes } of planned) {
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, bytes);
  }
  return planned.map((p) => p.rel);
}

/** A file planned where another planned file needs a folder would fail half-way: refuse it first. */
function refuseFileFolderClashes(root: string, planned: { rel: string }[]): void {
  const files = new Set(planned.map((p) => p.rel));
  for (const { rel } of planned) {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (files.has(folder))
        throw unsafeWrite(root, rel, `${folder} would be both a file and a folder`, undefined);
    }
  }
}

function unsafeWrite(
  root: string,
  rel: string,
  problem: string,
  record: PacRecord | undefined,
): PortalOpsError {
  const name = record ? recordName(record) : undefined;
  const who = record
    ? `${record.table} ${record.id ?? '(no id)'}${name === undefined ? '' : ` "${name}"`} cannot be written to ${rel}`
    : `${rel} cannot be written`;
  return new PortalOpsError(
    'unsafe_path',
    `${who} under ${root}: ${problem}. Nothing was written; rename it in the site and try again.`,
    {
      details: {
        path: rel,
        problem,
        ...(record ? { table: record.table, id: record.id, ...(name === undefined ? {} : { name }) } : {}),
      },
    },
  );
}

/** The name a person knows a record by. */
function recordName(record: PacRecord): string | undefined {
  const name = record.fields.adx_name ?? record.fields.adx_partialurl ?? record.fields.filename;
  return name === undefined || name === null ? undefined : String(name);
}

export type { ManifestEntry };

/** Records `.portalconfig/manifest.yml` marks deleted, by table: the upload deletes them too. */
export function deletedInManifest(site: PacSite): { table: string; id: string }[] {
  return manifestEntries(site.manifests['manifest.yml'])
    .filter(({ entry }) => entry.IsDeleted)
    .map(({ table, entry }) => ({ table, id: entry.RecordId.toLowerCase() }));
}
