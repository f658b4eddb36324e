/**
 * Scores the parser on the held-out phrasings (held-out.json): a phrasing counts as understood
 * when the parse has the expected kind and every listed field has the expected value (`null`: the
 * field is absent, so the command asks; an expected environment suggestion is also met by the
 * request kept with the name that is not an environment, whose command asks the same). Shared by the held-out test and `npm run bench -- understanding`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closestMatches } from '../../src/domain/closest-matches.ts';
import type { Intent, ParseContext, ParseFailure } from '../../src/intents/intent.ts';

/** One held-out phrasing and what it must be read as. */
export interface HeldOutCase {
  text: string;
  kind: string;
  /** A question: whatever it is read as, never a destructive command. */
  question?: boolean;
  /** A command an `unknown` answer must suggest. */
  suggests?: string;
  [field: string]: unknown;
}

/** The held-out set. */
export interface HeldOutSet {
  environments: { alias: string; displayName: string }[];
  cases: HeldOutCase[];
}

/** Reads test/understanding/held-out.json. */
export function readHeldOut(): HeldOutSet {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'held-out.json');
  return JSON.parse(readFileSync(file, 'utf8')) as HeldOutSet;
}

/** The parse context of the set: its environments' aliases and display names. */
export function contextOf(set: HeldOutSet): ParseContext {
  return { environments: set.environments };
}

const META = new Set(['text', 'kind', 'question', 'suggests', 'batch']);

/**
 * Whether `parsed` keeps a request whose environment is not registered, and so gets the answer an
 * expected `unknown` suggesting `alias` stands for: 'There is no environment "prdo". Did you mean
 * prod?' (the request keeps its kind and `unknownEnvironment`; its command asks the question).
 */
function asksForEnvironment(
  parsed: Intent | ParseFailure,
  alias: string,
  aliases: readonly string[],
): boolean {
  const fields = parsed as { unknownEnvironment?: string; environment?: string; target?: string };
  const name = fields.unknownEnvironment?.toLowerCase();
  if (parsed.kind === 'unknown' || !name || fields.environment || fields.target) return false;
  return closestMatches(name, aliases).includes(alias) || name.includes(alias);
}

/**
 * Why `parsed` is not what `expected` says, or undefined when it is. `aliases` are the set's
 * environments, for an expected environment suggestion.
 */
export function mismatch(
  parsed: Intent | ParseFailure,
  expected: HeldOutCase,
  aliases: readonly string[] = ['dev', 'test', 'prod'],
): string | undefined {
  if (
    expected.kind === 'unknown' &&
    expected.suggests !== undefined &&
    aliases.includes(expected.suggests) &&
    asksForEnvironment(parsed, expected.suggests, aliases)
  )
    return undefined;
  if (parsed.kind !== expected.kind) return `kind ${parsed.kind}, expected ${expected.kind}`;
  if (expected.suggests !== undefined) {
    const failure = parsed as ParseFailure;
    const said = [...failure.suggestions, failure.message].join(' ');
    if (!said.includes(expected.suggests)) return `does not suggest ${expected.suggests}: ${failure.message}`;
  }
  const fields = parsed as unknown as Record<string, unknown>;
  for (const [field, want] of Object.entries(expected)) {
    if (META.has(field)) continue;
    const got = fields[field];
    if (want === null ? got !== undefined : JSON.stringify(got) !== JSON.stringify(want))
      return `${field} ${JSON.stringify(got)}, expected ${want === null ? 'none' : JSON.stringify(want)}`;
  }
  return undefined;
}
