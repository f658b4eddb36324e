/**
 * The shape each YAML file of a pac folder must have, by kind: a record file holds one mapping
 * with the record's id, a list file (the small tables at the root, a form's metadata, a link
 * set's links, …) a list of such mappings, and the `.portalconfig` manifests a mapping of table
 * → entries. Checked before a record is taken from a file, so a file of another shape is
 * refused with its line instead of being dropped or crashing the reader.
 */
import { z } from 'zod';
import { MANY_TO_MANY } from './schema.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Kinds pac writes as a list of records. */
const LIST_KINDS = new Set([
  'websitelanguage',
  'publishingstate',
  'sitesetting',
  'sitemarker',
  'webrole',
  'websiteaccess',
  'webpagerule',
  'tag',
  'urlhistory',
  'ad',
  'adplacement',
  'basicformmetadata',
  'weblink',
  'polloption',
  'botconsumer',
  'forumthreadtype',
  'forumpermission',
  'columnpermission',
  'redirect',
  'shortcut',
]);
/** Kinds found both ways: alone in their own folder, or as a list beside their parent. */
const EITHER_KINDS = new Set(['advancedformstep', 'advancedformmetadata']);

/** A mapping of fields; keys are column names. */
export type RecordFields = Record<string, unknown>;

const mapping = (what: string) =>
  z.record(z.string(), z.unknown(), { error: `expected ${what} (a mapping of fields)` });

/** One record of `table`: a mapping whose `<table>id` is a GUID. */
export function recordSchema(table: string): z.ZodType<RecordFields> {
  const idColumn = `${table}id`;
  return mapping(`a ${table} record`).superRefine((fields, ctx) => {
    const id = fields[idColumn];
    if (typeof id !== 'string' || !GUID.test(id))
      ctx.addIssue({
        code: 'custom',
        path: [idColumn],
        message: `a ${table} record needs its id ${idColumn} (a GUID)`,
      });
    for (const { name } of MANY_TO_MANY[table] ?? []) {
      const links = fields[name];
      if (links === null || links === undefined) continue;
      if (!Array.isArray(links) || links.some((l) => typeof l !== 'string'))
        ctx.addIssue({ code: 'custom', path: [name], message: `${name} is a list of ids` });
    }
  });
}

/** Whether a record file of `kind` holds one record, a list of them, or either. */
export function recordFileShape(kind: string): 'record' | 'list' | 'either' {
  return LIST_KINDS.has(kind) ? 'list' : EITHER_KINDS.has(kind) ? 'either' : 'record';
}

/** The data of a record file of `kind`: one record, or a list of them for list kinds. */
export function recordFileSchema(kind: string, table: string): z.ZodType<RecordFields | RecordFields[]> {
  const record = recordSchema(table);
  const list = z.array(record, { error: `expected a list of ${table} records` });
  const shape = recordFileShape(kind);
  if (shape === 'list') return list;
  if (shape === 'either')
    return z.union([list, record], { error: `expected a ${table} record or a list of them` });
  return record;
}

/** One entry of a `.portalconfig` manifest. */
const manifestEntry = z.looseObject(
  {
    RecordId: z.string({ error: 'a manifest entry needs its RecordId' }),
    IsDeleted: z.boolean({ error: 'IsDeleted is true or false' }).nullish(),
  },
  { error: 'expected a manifest entry (a mapping with RecordId)' },
);

/** One entry of a `.portalconfig` manifest. */
export type ManifestEntry = z.infer<typeof manifestEntry>;

/** The entries of one parsed manifest with their table, skipping anything not shaped like one. */
export function manifestEntries(manifest: unknown): { table: string; entry: ManifestEntry }[] {
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) return [];
  return Object.entries(manifest as Record<string, unknown>).flatMap(([table, entries]) =>
    Array.isArray(entries)
      ? (entries as unknown[])
          .filter(
            (entry): entry is ManifestEntry => typeof (entry as ManifestEntry | null)?.RecordId === 'string',
          )
          .map((entry) => ({ table, entry }))
      : [],
  );
}

/** `manifest.yml` and `<org>-manifest.yml`: table → entries (nothing for a table without any). */
export const manifestSchema = z.record(
  z.string(),
  z.array(manifestEntry, { error: 'expected a list of manifest entries' }).nullable(),
  { error: 'expected a mapping of table names to manifest entries' },
);

/** Other `.portalconfig` files (languages, bindings): a list of mappings, or a mapping. */
export const portalConfigSchema = z.union([z.array(mapping('an entry')), mapping('a mapping')], {
  error: 'expected a list of mappings or a mapping',
});

/** The schema of a `.portalconfig/<name>` file. */
export function portalConfigFileSchema(name: string): z.ZodType<unknown> {
  return name === 'manifest.yml' || name.endsWith('-manifest.yml') ? manifestSchema : portalConfigSchema;
}
