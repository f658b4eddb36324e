/**
 * Reading the store's JSON-lines files (the journal and the audit log) strictly: every complete
 * line must be one well-formed entry, and the journal's sequence numbers must follow on from the
 * snapshot without a gap or a repeat. A damaged line is reported with its file and line number,
 * never skipped, because skipping one silently brings back an older state (a rejected approval
 * pending again, a job gone). The one exception is a last line without its newline: that is an
 * append the process did not finish (it died, or the disk filled), which was never acknowledged
 * to anyone, so it is cut off and kept aside.
 */
import type { CollectionName, StoredRecord } from './store.ts';

/** One change, as a line of the journal. Replaying a line is idempotent. */
export type JournalLine =
  | { seq: number; put: CollectionName; record: StoredRecord }
  | { seq: number; del: CollectionName; id: string }
  | { seq: number; event: string; expires: number }
  | { seq: number; key: string; value?: string };

/** The names of the collections, in the order they are listed. */
export const COLLECTION_NAMES: readonly CollectionName[] = [
  'jobs',
  'approvals',
  'conversations',
  'subscriptions',
  'snapshots',
  'alerts',
  'cardStates',
];

/** A line that cannot be used, with its 1-based number. */
export interface DamagedLine {
  line: number;
  reason: string;
}

/** What a JSON-lines file holds. */
export interface ParsedLines<T> {
  entries: { line: number; value: T }[];
  damaged: DamagedLine[];
  /** Bytes after the last newline (an unfinished append), if any. */
  tornTail?: string;
  /** Length in bytes of the text before the torn tail. */
  goodLength: number;
}

/** Splits `text` into entries checked by `check` (which returns a reason for a bad value). */
export function parseLines<T>(text: string, check: (value: unknown) => string | undefined): ParsedLines<T> {
  const end = text.lastIndexOf('\n') + 1;
  const body = text.slice(0, end);
  const result: ParsedLines<T> = { entries: [], damaged: [], goodLength: Buffer.byteLength(body) };
  if (end < text.length) result.tornTail = text.slice(end);
  const lines = body.split('\n');
  lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      result.damaged.push({ line, reason: 'not valid JSON' });
      return;
    }
    const problem = check(value);
    if (problem) result.damaged.push({ line, reason: problem });
    else result.entries.push({ line, value: value as T });
  });
  return result;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCollection = (value: unknown): value is CollectionName =>
  typeof value === 'string' && (COLLECTION_NAMES as readonly string[]).includes(value);

/** Why `value` is not a journal line, or undefined when it is one. */
export function checkJournalLine(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a journal entry';
  if (!Number.isSafeInteger(value.seq) || (value.seq as number) < 1) return 'no sequence number';
  if ('put' in value) {
    if (!isCollection(value.put)) return `unknown collection ${JSON.stringify(value.put)}`;
    if (!isObject(value.record) || typeof value.record.id !== 'string') return 'a record without an id';
    return undefined;
  }
  if ('del' in value) {
    if (!isCollection(value.del)) return `unknown collection ${JSON.stringify(value.del)}`;
    return typeof value.id === 'string' ? undefined : 'a deletion without an id';
  }
  if ('event' in value)
    return typeof value.event === 'string' && typeof value.expires === 'number'
      ? undefined
      : 'an event without an id or expiry';
  if ('key' in value)
    return typeof value.key === 'string' && (value.value === undefined || typeof value.value === 'string')
      ? undefined
      : 'a value without a key';
  return 'not a journal entry';
}

/** Why `value` is not an audit entry, or undefined when it is one. */
export function checkAuditEntry(value: unknown): string | undefined {
  if (!isObject(value)) return 'not an audit entry';
  for (const field of ['at', 'actor', 'action', 'subject', 'outcome'] as const)
    if (typeof value[field] !== 'string') return `an audit entry without "${field}"`;
  return value.details === undefined || isObject(value.details)
    ? undefined
    : 'audit details that are not an object';
}

/**
 * Checks that the journal lines after the snapshot (`seq` above `snapshotSeq`) number on from it
 * one by one: a gap is a lost line, a repeat a second writer.
 */
export function checkSequence(
  entries: { line: number; value: JournalLine }[],
  snapshotSeq: number,
): DamagedLine[] {
  const problems: DamagedLine[] = [];
  let expected = snapshotSeq + 1;
  for (const { line, value } of entries) {
    if (value.seq <= snapshotSeq) continue;
    if (value.seq === expected) {
      expected += 1;
      continue;
    }
    problems.push({
      line,
      reason:
        value.seq < expected
          ? `sequence number ${value.seq} repeats (two processes wrote this journal)`
          : `sequence number ${value.seq} where ${expected} was due (${value.seq - expected} line(s) missing)`,
    });
    expected = Math.max(expected, value.seq + 1);
  }
  return problems;
}
