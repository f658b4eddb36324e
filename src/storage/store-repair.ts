/**
 * `portalops store repair`: makes a damaged store readable again without guessing. Each damaged
 * file is first copied beside itself (`<file>.damaged-<time>`, owner-only); then only the lines
 * that cannot be read are dropped, each one named. The journal's readable lines are folded into
 * the snapshot in the order they were written, so a missing or repeated sequence number (named
 * too) no longer matters. The data dir's lock is held throughout, so PortalOps must be stopped.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { PortalOpsError } from '../domain/errors.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { applyLine, emptyData, STORE_FILES, type StoreData } from './lowdb-store.ts';
import { ensurePrivateDir, STORE_FILE_MODE } from './private-files.ts';
import {
  checkAuditEntry,
  checkJournalLine,
  checkSequence,
  type DamagedLine,
  type JournalLine,
  type ParsedLines,
  parseLines,
} from './store-lines.ts';

/** One problem found, and what was done about it. */
export interface RepairFinding {
  file: string;
  line: number;
  reason: string;
  /** `dropped` for an unreadable line; `kept` for a sequence problem (the line itself is fine). */
  action: 'dropped' | 'kept';
}

/** What {@link repairStore} found and did. */
export interface RepairReport {
  findings: RepairFinding[];
  /** Copies of the damaged files, as they were before the repair. */
  copies: string[];
}

/** Repairs the store in `dataDir` (see the file comment). Changes nothing when it is sound. */
export async function repairStore(
  dataDir: string,
  options: { now?: () => Date } = {},
): Promise<RepairReport> {
  ensurePrivateDir(dataDir);
  const lock = await lockDataDir(dataDir, 'portalops store repair');
  try {
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const report: RepairReport = { findings: [], copies: [] };
    repairJournal(dataDir, stamp, report);
    repairAudit(dataDir, stamp, report);
    return report;
  } finally {
    await lock.release();
  }
}

function repairJournal(dataDir: string, stamp: string, report: RepairReport): void {
  const journalFile = path.join(dataDir, STORE_FILES.journal);
  if (!existsSync(journalFile)) return;
  const snapshotFile = path.join(dataDir, STORE_FILES.snapshot);
  const data = readSnapshot(snapshotFile);
  const parsed = parseLines<JournalLine>(readFileSync(journalFile, 'utf8'), checkJournalLine);
  const sequence = checkSequence(parsed.entries, data.seq ?? 0);
  const findings = [
    ...dropped(journalFile, parsed),
    ...sequence.map((d) => ({ file: journalFile, ...d, action: 'kept' as const })),
  ];
  if (findings.length === 0) return;
  report.findings.push(...findings.sort((a, b) => a.line - b.line));
  report.copies.push(keepCopy(journalFile, stamp));
  const snapshotSeq = data.seq ?? 0;
  let seq = snapshotSeq;
  for (const { value } of parsed.entries) {
    if (value.seq <= snapshotSeq) continue;
    applyLine(data, value);
    seq = Math.max(seq, value.seq);
  }
  data.seq = seq;
  // The snapshot first: should this stop half-way, the journal still holds every line.
  writeFileAtomic.sync(snapshotFile, JSON.stringify(data), { mode: STORE_FILE_MODE });
  writeFileAtomic.sync(journalFile, '', { mode: STORE_FILE_MODE });
}

function repairAudit(dataDir: string, stamp: string, report: RepairReport): void {
  const auditFile = path.join(dataDir, STORE_FILES.audit);
  if (!existsSync(auditFile)) return;
  const text = readFileSync(auditFile, 'utf8');
  const parsed = parseLines(text, checkAuditEntry);
  const findings = dropped(auditFile, parsed);
  if (findings.length === 0) return;
  report.findings.push(...findings);
  report.copies.push(keepCopy(auditFile, stamp));
  const badLines = new Set(parsed.damaged.map((d) => d.line));
  const kept = text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .slice(0, -1)
    .filter((line, index) => !badLines.has(index + 1) && line.trim() !== '');
  writeFileAtomic.sync(auditFile, kept.map((line) => `${line}\n`).join(''), { mode: STORE_FILE_MODE });
}

function dropped(file: string, parsed: ParsedLines<unknown>): RepairFinding[] {
  const findings: RepairFinding[] = parsed.damaged.map((d: DamagedLine) => ({
    file,
    ...d,
    action: 'dropped',
  }));
  if (parsed.tornTail !== undefined) {
    const lines = parsed.entries.length + parsed.damaged.length;
    findings.push({ file, line: lines + 1, reason: 'an unfinished last line', action: 'dropped' });
  }
  return findings;
}

function keepCopy(file: string, stamp: string): string {
  const copy = `${file}.damaged-${stamp}`;
  writeFileSync(copy, readFileSync(file), { mode: STORE_FILE_MODE, flag: 'wx' });
  return copy;
}

function readSnapshot(file: string): StoreData {
  const data = emptyData();
  if (!existsSync(file)) return data;
  let read: Partial<StoreData>;
  try {
    read = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoreData>;
  } catch (error) {
    throw new PortalOpsError(
      'store_damaged',
      `The snapshot ${file} cannot be read, so the journal cannot be folded into it. Restore it from a backup, or move it aside to start afresh.`,
      { cause: error },
    );
  }
  return {
    ...data,
    ...read,
    collections: { ...data.collections, ...(read.collections ?? {}) },
    processedEvents: read.processedEvents ?? {},
    values: read.values ?? {},
  };
}
