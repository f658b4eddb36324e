/**
 * A configuration migration as people put it: "migrate dev to prod", "copy the contoso-dev
 * configuration to production", "move site config dev -> prod", "push Contoso Dev's config up to
 * Contoso Production", "promote contoso from test to prod", "what would migrating … change?".
 * Each environment named takes its role from the word before it (from / to, into, onto), else
 * from its place (the first is the source, the next the target).
 */
import { closestMatches } from '../domain/closest-matches.ts';
import type { Intent, ParseFailure } from './intent.ts';
import { findSite } from './site-in-text.ts';
import { environmentOption, isFailure, unquote, type Words } from './words.ts';

const TO_WORDS = new Set(['to', 'into', 'onto']);
const FROM_WORDS = new Set(['from']);
/** "make test look like dev": the environment after these is the source. */
const LIKE_WORDS = new Set(['like', 'match', 'matches', 'as']);

/** A word that can be an environment's name: "preprod", "pre-prod", "uat2". */
const ENVIRONMENT_LIKE = /^[a-z]+(-[a-z]+)*\d*$/;

/** Words that follow "to" without naming an environment. */
const NOT_ENVIRONMENTS = new Set(
  'the a an its it this that their our my your be see what which where change changes do production prod test dev'.split(
    ' ',
  ),
);

/** The migrate intent of a sentence already known to ask for one. */
export function parseMigrate(w: Words): Intent {
  // "not a dry run", "no dry run, for real this time" is a real run.
  const notDry =
    /\b(not|no|without|skip( the)?|isn'?t) (a |the )?(dry[ -]?run|preview)\b|\bfor real\b|\breal run\b/.test(
      w.text,
    );
  const dryRun =
    w.flags.has('dry-run') ||
    w.flags.has('dryrun') ||
    w.flags.has('plan-only') ||
    w.flags.has('plan') ||
    /^(true|yes|1)$/i.test(w.options.get('dryrun') ?? w.options.get('dry-run') ?? '') ||
    (!notDry &&
      /\b(dry[ -]?run|plan only|preview|what would|what will|would change|migration plan|just the plan|no changes|simulat\w*|don'?t write|without writing|read[- ]only|what would happen|don'?t actually (do|run) it|(show|tell) me (what|first)|plan first|(show|give) me the plan|would (overwrite|change|affect|touch|break|remove|delete))\b/.test(
        w.text,
      ));
  // An environment that is not registered is never guessed: the intent keeps the name given and
  // the command asks ("migrate contoso-dev from dev into preprod").
  let notKnown: string | undefined;
  const given = (value: string | ParseFailure | undefined) => {
    if (!isFailure(value)) return value;
    notKnown ??= value.unknownEnvironment;
    return undefined;
  };
  let from = given(environmentOption(w, ['from', 'source', 'src']));
  let to = given(environmentOption(w, ['to', 'target', 'dst', 'dest']));
  // "sync test with dev" brings test in line with dev: dev is the source.
  const syncing = /\b(sync|up to date|in line|in sync|match)\b.*\bwith\b/.test(w.text);
  const unplaced: string[] = [];
  for (const mention of w.mentions) {
    const before = w.words[mention.start - 1] ?? '';
    const before2 = w.words[mention.start - 2] ?? '';
    if (TO_WORDS.has(before) || (before === 'up' && TO_WORDS.has(before2))) to ??= mention.alias;
    else if (FROM_WORDS.has(before) || (before === 'with' && syncing) || LIKE_WORDS.has(before))
      from ??= mention.alias;
    // "… exactly as it is in test": where it is now is the source.
    else if (
      before === 'in' &&
      w.words
        .slice(Math.max(0, mention.start - 4), mention.start)
        .join(' ')
        .includes('as it is')
    )
      from ??= mention.alias;
    // What is brought in line ("bring prod up to date with test") is the target.
    else if (syncing && w.words.indexOf('with') > mention.start && !to) to = mention.alias;
    else unplaced.push(mention.alias);
  }
  for (const alias of unplaced) {
    if (!from && alias !== to) from = alias;
    else if (!to && alias !== from) to = alias;
  }
  if (!to) {
    // "to preprod": a target that is not registered is asked about, never guessed.
    const index = w.words.findIndex((word, i) => TO_WORDS.has(word) && w.words[i + 1] !== undefined);
    const candidate = index >= 0 ? unquote(w.words[index + 1]!) : '';
    if (ENVIRONMENT_LIKE.test(candidate) && !NOT_ENVIRONMENTS.has(candidate)) notKnown ??= candidate;
  }
  if (!from && !notKnown) {
    // "dve to prod": a misspelt source is asked about too.
    const toIndex = w.words.findIndex((word) => TO_WORDS.has(word));
    const left = toIndex > 0 ? unquote(w.words[toIndex - 1]!) : '';
    if (
      /^[a-z]+$/.test(left) &&
      closestMatches(
        left,
        w.names.map((n) => n.alias),
      ).length > 0
    )
      notKnown ??= left;
    const index = w.words.findIndex((word, i) => FROM_WORDS.has(word) && w.words[i + 1] !== undefined);
    const candidate = index >= 0 ? unquote(w.words[index + 1]!) : '';
    if (ENVIRONMENT_LIKE.test(candidate) && !NOT_ENVIRONMENTS.has(candidate)) notKnown ??= candidate;
  }
  const site = findSite(w, ['configuration', 'config', 'dry', 'run', 'ship', 'migrating', 'promote'], true);
  return {
    kind: 'migrate',
    dryRun,
    ...(from ? { source: from } : {}),
    ...(to ? { target: to } : {}),
    ...(site && site !== from && site !== to && site !== notKnown ? { site } : {}),
    ...(notKnown ? { unknownEnvironment: notKnown } : {}),
  };
}
