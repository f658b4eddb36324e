/**
 * Writes an import plan into a site on the enhanced data model: `$batch` change sets of upserts
 * by id (the `powerpagesite` row first, then its languages, then components; a new row's state
 * set in a second pass, since a row is created active), deletes last; then each web file's bytes
 * into its component's `filecontent`, which no create, update or `$batch` can carry. The tables
 * the model keeps as `adx_*` rows go through the standard import. Every batch is all-or-nothing
 * and every file upload replaces the file, so running the plan again after a crash redoes only
 * what is still different.
 */
import { PortalOpsError } from '../domain/errors.ts';
import type { BatchOperation, Dataverse } from '../platform/ports.ts';
import { ADX_TABLES_IN_ENHANCED, ENHANCED_SETS, enhancedRowOf, type WebFileNote } from './enhanced-model.ts';
import type { ImportPlan, TableChanges } from './import-plan.ts';
import { importBatches, inPhase } from './site-import.ts';
import type { SiteRecord } from './site-records.ts';
import type { SiteSchema } from './site-schema.ts';

/** A web file's bytes to put into (or take out of) its component's `filecontent`. */
export interface FileWrite {
  componentId: string;
  /** Absent: the file is removed. */
  file?: { fileName: string; bytes: Buffer };
}

/** What an enhanced-model import sends: batches in order, then file writes. */
export interface EnhancedWrites {
  batches: BatchOperation[][];
  files: FileWrite[];
}

const KEPT = new Set(ADX_TABLES_IN_ENHANCED);

/** The note of a web file (its annotation record), as the component's `content` keeps it. */
function noteOf(annotation: SiteRecord | undefined): WebFileNote | undefined {
  if (!annotation) return undefined;
  return {
    annotationid: annotation.id,
    filename: annotation.columns.filename,
    mimetype: annotation.columns.mimetype,
    isdocument: annotation.columns.isdocument,
  };
}

/**
 * The writes that make the enhanced site `siteId` equal to `desired` (the whole site as it
 * should be), for a plan computed against its actual state. `schema` is the target's standard
 * tables, for the records the model keeps as `adx_*` rows.
 */
export function enhancedWrites(
  plan: ImportPlan,
  desired: SiteRecord[],
  siteId: string,
  batchSize: number,
  schema: SiteSchema,
): EnhancedWrites {
  const notes = new Map<string, SiteRecord>();
  for (const r of desired)
    if (r.table === 'annotation' && typeof r.lookups.objectid === 'string') notes.set(r.lookups.objectid, r);
  const webFiles = new Map(desired.filter((r) => r.table === 'adx_webfile').map((r) => [r.id, r]));
  const kept: TableChanges[] = [];
  const upserts: BatchOperation[] = [];
  const states: BatchOperation[] = [];
  const deletes: BatchOperation[] = [];
  const files: FileWrite[] = [];
  const written = new Set<string>();
  const texts = textColumnsOf(schema);
  const upsert = (record: SiteRecord, creating: boolean) => {
    const note = record.table === 'adx_webfile' ? noteOf(notes.get(record.id)) : undefined;
    const row = enhancedRowOf(record, siteId, note, texts.get(record.table));
    const { statecode, statuscode, ...body } = row.body;
    const state = { statecode: statecode ?? 0, statuscode: statuscode ?? 1 };
    upserts.push({
      method: 'PATCH',
      entitySet: row.entitySet,
      id: row.id,
      body: creating ? body : { ...body, ...state },
    });
    if (creating && statecode !== undefined)
      states.push({ method: 'PATCH', entitySet: row.entitySet, id: row.id, body: state });
    written.add(record.id);
  };
  for (const changes of plan.tables) {
    if (KEPT.has(changes.table)) {
      kept.push(changes);
      continue;
    }
    if (changes.table === 'annotation') continue;
    for (const record of changes.creates) upsert(record, true);
    for (const record of changes.updates) upsert(record, false);
  }
  const annotations = plan.tables.find((t) => t.table === 'annotation');
  const deletedIds = new Set(plan.tables.flatMap((t) => t.deletes.map((r) => r.id)));
  for (const note of [...(annotations?.creates ?? []), ...(annotations?.updates ?? [])]) {
    const webFileId = String(note.lookups.objectid ?? '');
    const webFile = webFiles.get(webFileId);
    if (!webFile)
      throw new PortalOpsError(
        'record_error',
        `The note ${note.id} holds the bytes of web file ${webFileId}, which the site does not have.`,
        { details: { table: 'annotation', id: note.id } },
      );
    // The component's content names its note: written again when the note's own values changed.
    const previous = annotations?.previous[note.id];
    const sameNote =
      previous !== undefined &&
      ['filename', 'mimetype', 'isdocument'].every((c) => previous.columns[c] === note.columns[c]);
    if (!written.has(webFileId) && !sameNote) upsert(webFile, false);
    if (
      previous?.columns.documentbody === note.columns.documentbody &&
      previous?.columns.filename === note.columns.filename
    )
      continue;
    files.push({
      componentId: webFileId,
      file: {
        fileName: String(note.columns.filename ?? webFile.columns.adx_name ?? webFileId),
        bytes: Buffer.from(String(note.columns.documentbody ?? ''), 'base64'),
      },
    });
  }
  for (const note of annotations?.deletes ?? []) {
    const webFileId = String(note.lookups.objectid ?? '');
    if (deletedIds.has(webFileId)) continue;
    const webFile = webFiles.get(webFileId);
    if (webFile && !written.has(webFileId)) upsert(webFile, false);
    files.push({ componentId: webFileId });
  }
  // Deletes children first; the site row is never deleted by an import.
  for (const changes of [...plan.tables].reverse()) {
    if (KEPT.has(changes.table) || changes.table === 'annotation' || changes.table === 'adx_website')
      continue;
    for (const record of changes.deletes) {
      const set = record.table === 'adx_websitelanguage' ? ENHANCED_SETS.language : ENHANCED_SETS.component;
      deletes.push({ method: 'DELETE', entitySet: set, id: record.id });
    }
  }
  const order = [ENHANCED_SETS.site, ENHANCED_SETS.language, ENHANCED_SETS.component] as string[];
  upserts.sort((a, b) => order.indexOf(a.entitySet) - order.indexOf(b.entitySet));
  const chunk = (operations: BatchOperation[]) => {
    const out: BatchOperation[][] = [];
    let current: BatchOperation[] = [];
    for (const operation of operations) {
      if (
        current.length >= batchSize ||
        (current.length > 0 && current[0]!.entitySet !== operation.entitySet)
      ) {
        out.push(current);
        current = [];
      }
      current.push(operation);
    }
    if (current.length > 0) out.push(current);
    return out;
  };
  const adx = importBatches({ tables: kept, writes: 0 }, batchSize, schema);
  return {
    batches: [
      ...inPhase(chunk(upserts), 10),
      ...inPhase(chunk(states), 11),
      ...adx,
      ...inPhase(chunk(deletes), 13),
    ],
    files,
  };
}

/** Attribute types whose values are text. */
const TEXT_TYPES = new Set(['String', 'Memo']);

/**
 * The text columns of each standard table the environment's metadata describes (an environment
 * on the enhanced model alone has none: values then keep the type the folder gave them).
 */
export function textColumnsOf(schema: SiteSchema): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const table of schema.tables.values())
    out.set(
      table.logicalName,
      new Set(
        [...table.attributes.values()]
          .filter((a) => TEXT_TYPES.has(a.attributeType))
          .map((a) => a.logicalName),
      ),
    );
  return out;
}

/** Puts each file write into Dataverse, one request each; reports after every one. */
export async function runFileWrites(
  dataverse: Dataverse,
  files: FileWrite[],
  onFile?: (done: number) => void | Promise<void>,
): Promise<number> {
  let done = 0;
  for (const write of files) {
    if (write.file)
      await dataverse.uploadFile(
        ENHANCED_SETS.component,
        write.componentId,
        'filecontent',
        write.file.fileName,
        write.file.bytes,
      );
    else await dataverse.deleteFile(ENHANCED_SETS.component, write.componentId, 'filecontent');
    done++;
    await onFile?.(done);
  }
  return done;
}
