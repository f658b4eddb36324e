/**
 * Reading the YAML files of a site folder safely: the size is checked before anything is parsed
 * (a huge file would take minutes and gigabytes to parse), the file is opened without following
 * a symbolic link, and the data is checked against the shape its kind needs, so a bad file is
 * refused with its name and line instead of crashing a reader or silently dropping records.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import type { ZodType } from 'zod';
import { PortalOpsError } from '../domain/errors.ts';

/** The largest YAML file of a site folder read (real downloads stay well under 1 MB a file). */
export const MAX_YAML_BYTES = 5 * 1024 * 1024;

/** Where a file is on disk and how to name it in messages (its path inside the folder). */
export interface FolderFile {
  absolute: string;
  shown: string;
}

/** Options for {@link readSiteYaml}. */
export interface SiteYamlOptions {
  /** Size cap in bytes; {@link MAX_YAML_BYTES} unless given. */
  maxBytes?: number;
}

// Not on Windows; there the folder walk's entry types are the only check.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * The bytes of a regular file, opened without following a final symbolic link, refused when
 * larger than `maxBytes`. Throws `site_file_invalid` naming the file.
 */
export function readFolderFile(file: FolderFile, maxBytes = Number.POSITIVE_INFINITY): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(file.absolute, constants.O_RDONLY | NO_FOLLOW | (constants.O_NONBLOCK ?? 0));
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw invalid(file, 'is not a regular file');
    if (stat.size > maxBytes)
      throw invalid(
        file,
        `is ${megabytes(stat.size)} MB, more than the ${megabytes(maxBytes)} MB a site file may have`,
      );
    const bytes = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, bytes, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return read === stat.size ? bytes : bytes.subarray(0, read);
  } catch (error) {
    if (error instanceof PortalOpsError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw invalid(
      file,
      code === 'ELOOP' ? 'is a symbolic link' : `cannot be read (${code ?? (error as Error).message})`,
      error,
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A YAML file of a site folder, parsed and checked against `schema`. Throws `site_file_invalid`
 * with the file and line for a file too large, YAML that does not parse, more than one document,
 * or data of the wrong shape.
 */
export function readSiteYaml<T>(file: FolderFile, schema: ZodType<T>, options: SiteYamlOptions = {}): T {
  const text = readFolderFile(file, options.maxBytes ?? MAX_YAML_BYTES).toString('utf8');
  return parseSiteYaml(text, file, schema);
}

/**
 * The source text of every plain scalar a record's fields resolved to something other than text
 * (`True`, `0012`, `1e3`), per record (one map for a record file, one per entry of a list file).
 * The column's type in the target's metadata decides later whether the value is that text or
 * the boolean or number YAML read, so a text column keeps exactly what the file says.
 */
export type ScalarTexts = Record<string, string>[];

/** {@link readSiteYaml} that also returns the {@link ScalarTexts} of the records it read. */
export function readSiteYamlWithTexts<T>(
  file: FolderFile,
  schema: ZodType<T>,
  options: SiteYamlOptions = {},
): { data: T; texts: ScalarTexts } {
  const text = readFolderFile(file, options.maxBytes ?? MAX_YAML_BYTES).toString('utf8');
  const texts: ScalarTexts = [];
  const data = parseSiteYaml(text, file, schema, (doc) => {
    const contents = doc.contents;
    const maps = isSeq(contents) ? contents.items : [contents];
    for (const item of maps) texts.push(isMap(item) ? plainTexts(item) : {});
  });
  return { data, texts };
}

function plainTexts(map: YAMLMap): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    const value = pair.value;
    if (typeof key !== 'string' || !isScalar(value) || value.type !== 'PLAIN') continue;
    if (typeof value.value === 'string' || value.source === undefined) continue;
    if (value.value === null) continue;
    Object.defineProperty(texts, key, {
      value: value.source,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return texts;
}

/** {@link readSiteYaml} for text already read. */
export function parseSiteYaml<T>(
  text: string,
  file: FolderFile,
  schema: ZodType<T>,
  onDocument?: (doc: Document) => void,
): T {
  const lines = new LineCounter();
  let doc: Document;
  let data: unknown;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    const error = doc.errors[0];
    if (error)
      throw invalid(file, `is not valid YAML: ${firstLine(error.message)}`, error, line(lines, error.pos[0]));
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (error instanceof PortalOpsError) throw error;
    // Deep nesting or alias bombs end here (RangeError, ReferenceError from the yaml package).
    throw invalid(file, `cannot be parsed: ${firstLine((error as Error).message)}`, error);
  }
  const checked = schema.safeParse(data);
  if (checked.success) {
    onDocument?.(doc);
    return checked.data;
  }
  const issue = checked.error.issues[0]!;
  const at = nodeStart(doc, issue.path as (string | number)[]);
  const where = issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
  throw invalid(
    file,
    `${issue.message}${where}, found ${describe(valueAt(data, issue.path as (string | number)[]))}`,
    undefined,
    at === undefined ? undefined : line(lines, at),
  );
}

function invalid(file: FolderFile, problem: string, cause?: unknown, lineNumber?: number): PortalOpsError {
  const place = lineNumber === undefined ? file.shown : `${file.shown} line ${lineNumber}`;
  return new PortalOpsError('site_file_invalid', `${place} ${problem}. Nothing was written.`, {
    ...(cause === undefined ? {} : { cause }),
    details: { file: file.shown, ...(lineNumber === undefined ? {} : { line: lineNumber }) },
  });
}

/** Offset of the deepest node of `path` the document has. */
function nodeStart(doc: Document, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return range[0];
  }
  return undefined;
}

function valueAt(data: unknown, path: (string | number)[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  const text = String(value).replace(/[\u0000-\u001f\u007f\ufffd]/g, '?');
  return `${typeof value === 'string' ? 'the text' : `the ${typeof value}`} "${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
}

function line(lines: LineCounter, offset: number): number {
  return lines.linePos(offset).line;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/[.:]$/, '');
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1);
}
