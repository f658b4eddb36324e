/**
 * What the simulated Dataverse checks on writes to the enhanced data model's system tables, as
 * the real service refuses them: a `powerpagecomponenttype` that is not one of the table's
 * choices, a `content` that is not a JSON object or is longer than the column's 1,048,576
 * characters, a component or site language without its site, or bound to a site or language
 * that does not exist (contracts/dataverse/entity-names-and-choices.md, powerpagecomponent
 * table reference). Also the file column store: bytes uploaded to a file column such as
 * `powerpagecomponent.filecontent` (learn.microsoft.com power-apps/developer/data-platform/
 * file-column-data: `PATCH <set>(<id>)/<column>` with `x-ms-file-name`, read back from
 * `GET <set>(<id>)/<column>/$value`).
 */
import { COMPONENT_TYPE_CHOICES } from '../../migration/enhanced-model.ts';
import type { SimTable } from '../model.ts';
import type { SimRow } from './dataverse-records.ts';

/** The longest `content` the Memo column takes. */
const CONTENT_MAX = 1_048_576;

/** Where a row keeps the bytes of its file columns (never projected: keys starting with `$`). */
export function fileBytesKey(column: string): string {
  return `$${column}`;
}

/** True when `column` is a file column of the table (it has a `<column>_name` companion). */
export function isFileColumn(table: SimTable, column: string): boolean {
  return table.columns.includes(column) && table.columns.includes(`${column}_name`);
}

/**
 * Why Dataverse would refuse this write to an enhanced-model table, or undefined. `merged` is
 * the row as it would be after the write; `exists(set, id)` tells whether a row is there.
 */
export function enhancedWriteProblem(
  table: SimTable,
  merged: SimRow,
  exists: (entitySet: string, id: string) => boolean,
): string | undefined {
  if (!['powerpagecomponent', 'powerpagesitelanguage', 'powerpagesite'].includes(table.logicalName))
    return undefined;
  const content = merged.content;
  if (content !== undefined && content !== null) {
    if (typeof content !== 'string') return 'content must be text (a JSON document).';
    if (content.length > CONTENT_MAX)
      return `content is ${content.length} characters; the column takes at most ${CONTENT_MAX}.`;
    try {
      const parsed: unknown = JSON.parse(content);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        return 'content must be a JSON object.';
    } catch {
      return 'content is not valid JSON.';
    }
  }
  if (table.logicalName === 'powerpagesite') return undefined;
  const site = merged._powerpagesiteid_value;
  if (typeof site !== 'string') return `A ${table.logicalName} must belong to a site (powerpagesiteid).`;
  if (!exists('powerpagesites', site)) return `powerpagesite With Id = ${site} Does Not Exist`;
  if (table.logicalName === 'powerpagesitelanguage') return undefined;
  const type = merged.powerpagecomponenttype;
  if (typeof type !== 'number' || !COMPONENT_TYPE_CHOICES.has(type))
    return `${String(type)} is not a valid value of powerpagecomponenttype.`;
  const language = merged._powerpagesitelanguageid_value;
  if (typeof language === 'string' && !exists('powerpagesitelanguages', language))
    return `powerpagesitelanguage With Id = ${language} Does Not Exist`;
  return undefined;
}
