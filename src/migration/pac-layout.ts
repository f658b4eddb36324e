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
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';

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
}

/** A site folder: its records and the `.portalconfig` manifests as they were. */
export interface PacSite {
  records: PacRecord[];
  /** `.portalconfig/*.yml`, parsed, by file name. */
  manifests: Record<string, unknown>;
  /** Files the reader does not understand, kept byte for byte (e.g. a README). */
  other: Record<string, Buffer>;
}

function walk(root: string, dir = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, dir)).sort()) {
    const rel = dir ? `${dir}/${entry}` : entry;
    if (statSync(path.join(root, rel)).isDirectory()) files.push(...walk(root, rel));
    else files.push(rel);
  }
  return files;
}

/** The kind a record file is of: the last `.<kind>.yml` part, or the file name at the root. */
function kindOf(file: string): string | undefined {
  const name = file.split('/').pop()!;
  if (!name.endsWith('.yml')) return undefined;
  const parts = name.slice(0, -4).split('.');
  for (let i = parts.length - 1; i >= 0; i--) if (PAC_KINDS[parts[i]!]) return parts[i];
  return undefined;
}

/** The record file a content file belongs to, and the content's key (`copy.html`, `bytes`). */
function ownerOf(file: string, yamlFiles: Set<string>): { owner: string; key: string } | undefined {
  if (yamlFiles.has(`${file}.webfile.yml`)) return { owner: `${file}.webfile.yml`, key: 'bytes' };
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  const name = file.slice(dir.length);
  const parts = name.split('.');
  for (let i = parts.length - 2; i > 0; i--) {
    if (!PAC_KINDS[parts[i]!]) continue;
    const owner = `${dir}${parts.slice(0, i + 1).join('.')}.yml`;
    if (yamlFiles.has(owner)) return { owner, key: parts.slice(i + 1).join('.') };
  }
  return undefined;
}

/** Reads a `pac pages download` folder. */
export function readPacSite(root: string): PacSite {
  const files = walk(root);
  const site: PacSite = { records: [], manifests: {}, other: {} };
  const yamlFiles = new Set(files.filter((f) => f.endsWith('.yml') && !f.startsWith('.portalconfig/')));
  const byFile = new Map<string, PacRecord[]>();
  for (const file of files) {
    if (file.startsWith('.portalconfig/')) {
      site.manifests[file.slice('.portalconfig/'.length)] = parse(
        readFileSync(path.join(root, file), 'utf8'),
      );
      continue;
    }
    const kind = kindOf(file);
    if (!kind || !yamlFiles.has(file)) continue;
    const table = PAC_KINDS[kind]!;
    const data = parse(readFileSync(path.join(root, file), 'utf8')) as unknown;
    const entries = Array.isArray(data) ? data : [data];
    const records = entries.map((fields: Record<string, unknown>, index) => {
      const id = fields[`${table}id`];
      return {
        table,
        id: typeof id === 'string' ? id : undefined,
        fields,
        content: {},
        file,
        ...(Array.isArray(data) ? { index } : {}),
      } satisfies PacRecord;
    });
    byFile.set(file, records);
    site.records.push(...records);
  }
  for (const file of files) {
    if (file.startsWith('.portalconfig/') || yamlFiles.has(file)) continue;
    const owned = ownerOf(file, yamlFiles);
    const record = owned ? byFile.get(owned.owner)?.[0] : undefined;
    if (owned && record) record.content[owned.key] = readFileSync(path.join(root, file));
    else site.other[file] = readFileSync(path.join(root, file));
  }
  return site;
}

/** YAML the way pac writes it: block style, no line folding. */
function toYaml(data: unknown): string {
  return stringify(data, { lineWidth: 0, minContentWidth: 0 });
}

/** Writes a site in the `pac pages download` layout under `root`. */
export function writePacSite(root: string, site: PacSite): string[] {
  const written: string[] = [];
  const put = (rel: string, bytes: string | Buffer) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), bytes);
    written.push(rel);
  };
  const byFile = new Map<string, PacRecord[]>();
  for (const record of site.records) byFile.set(record.file, [...(byFile.get(record.file) ?? []), record]);
  for (const [file, records] of byFile) {
    const list = records[0]?.index !== undefined;
    const ordered = [...records].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    put(file, toYaml(list ? ordered.map((r) => r.fields) : ordered[0]!.fields));
    for (const record of ordered) {
      for (const [key, bytes] of Object.entries(record.content)) {
        put(key === 'bytes' ? file.slice(0, -'.webfile.yml'.length) : `${file.slice(0, -4)}.${key}`, bytes);
      }
    }
  }
  for (const [name, data] of Object.entries(site.manifests)) put(`.portalconfig/${name}`, toYaml(data));
  for (const [file, bytes] of Object.entries(site.other)) put(file, bytes);
  return written;
}

/** One entry of a `.portalconfig` manifest. */
export interface ManifestEntry {
  RecordId: string;
  DisplayName?: string;
  CheckSum?: string | null;
  IsDeleted?: boolean;
}

/** Records `.portalconfig/manifest.yml` marks deleted, by table: the upload deletes them too. */
export function deletedInManifest(site: PacSite): { table: string; id: string }[] {
  const manifest = site.manifests['manifest.yml'] as
    | Record<string, ManifestEntry[] | undefined>
    | null
    | undefined;
  const deleted: { table: string; id: string }[] = [];
  for (const [table, entries] of Object.entries(manifest ?? {})) {
    for (const entry of entries ?? []) {
      if (entry?.IsDeleted && typeof entry.RecordId === 'string')
        deleted.push({ table, id: entry.RecordId.toLowerCase() });
    }
  }
  return deleted;
}
