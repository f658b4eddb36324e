/**
 * What a destructive plan rests on, so an approval can be bound to it: the operations it will
 * perform (for an import, every create, update and delete with its table, record id and content
 * checksum), the record sets it was derived from (the source and target of a migration, the
 * configuration a reset snapshots) and the facts it names (the site, its website record, the
 * snapshot). The hash covers all of it; the summary kept with the approval is small but enough
 * to say afterwards, in words, what changed.
 */
import { createHash } from 'node:crypto';
import type { PlanSummary, PlanTally as Tally } from '../domain/approval.ts';

export type { PlanSummary } from '../domain/approval.ts';

/** One thing a plan does: `create`/`update`/`delete` a record, or a site-level step. */
export interface PlanOperation {
  op: string;
  /** The table of a record operation; empty for site-level steps. */
  table: string;
  /** The record (or site) acted on. */
  id: string;
  /** The content written (or, for a delete, the content removed). */
  checksum?: string;
  /** For an update: the content it replaces. */
  replaces?: string;
}

/** A record a plan was derived from. */
export interface PlanInput {
  table: string;
  id: string;
  checksum: string;
}

/** Everything a plan rests on. */
export interface PlanBasis {
  facts: Record<string, string | number | boolean>;
  operations: PlanOperation[];
  /** Named record sets the plan was derived from (e.g. `source`, `target`). */
  inputs: Record<string, PlanInput[]>;
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

const operationKey = (o: PlanOperation) =>
  `${o.op}|${o.table}|${o.id}|${o.checksum ?? ''}|${o.replaces ?? ''}`;
const inputKey = (i: PlanInput) => `${i.table}|${i.id}|${i.checksum}`;

function tally<T>(
  items: T[],
  groupOf: (item: T) => string,
  keyOf: (item: T) => string,
): Record<string, Tally> {
  const groups = new Map<string, string[]>();
  for (const item of items) {
    const group = groupOf(item);
    groups.set(group, [...(groups.get(group) ?? []), keyOf(item)]);
  }
  return Object.fromEntries(
    [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([group, keys]) => [group, { count: keys.length, digest: digest(keys.sort()).slice(0, 16) }]),
  );
}

const sortedFacts = (facts: PlanBasis['facts']) =>
  Object.fromEntries(Object.entries(facts).sort(([a], [b]) => a.localeCompare(b)));

/**
 * The summary of a plan, with a hash over the kind, the parameters, every fact, every operation
 * and every input record (order does not matter).
 */
export function summarizePlan(kind: string, params: Record<string, unknown>, basis: PlanBasis): PlanSummary {
  const canonicalParams = Object.fromEntries(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
  const hash = digest([
    kind,
    canonicalParams,
    sortedFacts(basis.facts),
    basis.operations.map(operationKey).sort(),
    Object.entries(basis.inputs)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, records]) => [name, records.map(inputKey).sort()]),
  ]).slice(0, 32);
  return {
    hash,
    facts: sortedFacts(basis.facts),
    operations: tally(basis.operations, (o) => `${o.op} ${o.table}`.trim(), operationKey),
    inputs: Object.fromEntries(
      Object.entries(basis.inputs).map(([name, records]) => [name, tally(records, (r) => r.table, inputKey)]),
    ),
  };
}

const FACT_LABELS: Record<string, string> = {
  websiteId: 'the hosted site',
  websiteRecordId: 'the website record',
  state: "the site's state",
  subdomain: "the site's subdomain",
  templateName: "the site's template",
  language: "the site's language",
  snapshot: 'the snapshot',
  sourceEnvironment: 'the source environment',
  targetEnvironment: 'the target environment',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** How the records of one input set changed: "25 records were added to the source". */
function inputChanges(name: string, before: Record<string, Tally>, after: Record<string, Tally>): string[] {
  let added = 0;
  let removed = 0;
  const edited: string[] = [];
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[table] ?? { count: 0, digest: '' };
    const b = after[table] ?? { count: 0, digest: '' };
    if (b.count > a.count) added += b.count - a.count;
    else if (b.count < a.count) removed += a.count - b.count;
    else if (a.digest !== b.digest) edited.push(table);
  }
  const was = (n: number) => (n === 1 ? 'record was' : 'records were');
  return [
    ...(added ? [`${added} ${was(added)} added to the ${name}`] : []),
    ...(removed ? [`${removed} ${was(removed)} removed from the ${name}`] : []),
    ...(edited.length ? [`records of ${edited.join(', ')} were edited in the ${name}`] : []),
  ];
}

/** How the operations changed: "25 more creates in adx_webpage". */
function operationChanges(before: Record<string, Tally>, after: Record<string, Tally>): string[] {
  const lines: string[] = [];
  for (const group of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const a = before[group] ?? { count: 0, digest: '' };
    const b = after[group] ?? { count: 0, digest: '' };
    const [op = group, ...rest] = group.split(' ');
    const where = rest.length ? ` in ${rest.join(' ')}` : '';
    if (b.count > a.count) lines.push(`${b.count - a.count} more ${op}s${where}`);
    else if (b.count < a.count) lines.push(`${a.count - b.count} fewer ${op}s${where}`);
    else if (a.digest !== b.digest)
      lines.push(`${plural(a.count, op)}${where} now touch other records or content`);
  }
  return lines;
}

/**
 * What changed between the plan an approval was bound to and the plan as it is now, in one
 * sentence, e.g. "25 records were added to the source since the plan was approved: 25 more
 * creates in adx_webpage."
 */
export function describePlanChange(
  approved: PlanSummary | undefined,
  current: PlanSummary,
  since: 'requested' | 'approved',
): string {
  if (!approved)
    return `The plan was ${since} before PortalOps bound approvals to the records they cover, so it cannot be checked.`;
  const facts = [...new Set([...Object.keys(approved.facts), ...Object.keys(current.facts)])]
    .filter((k) => approved.facts[k] !== current.facts[k])
    .map(
      (k) =>
        `${FACT_LABELS[k] ?? k} changed (was ${String(approved.facts[k] ?? 'none')}, now ${String(current.facts[k] ?? 'none')})`,
    );
  const inputs = [...new Set([...Object.keys(approved.inputs), ...Object.keys(current.inputs)])].flatMap(
    (name) => inputChanges(name, approved.inputs[name] ?? {}, current.inputs[name] ?? {}),
  );
  const operations = operationChanges(approved.operations, current.operations);
  const what = [...facts, ...inputs];
  const lead = what.length ? capitalize(joinWords(what)) : 'The plan changed';
  return `${lead} since the plan was ${since}${operations.length ? `: ${operations.join(', ')}` : ''}.`;
}

function joinWords(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function capitalize(text: string): string {
  return text ? `${text[0]!.toUpperCase()}${text.slice(1)}` : text;
}
