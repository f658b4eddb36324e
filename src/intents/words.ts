/**
 * A message as the parser reads it: lower-case words (quotes kept), `key=value` options and
 * `--flags`, and the environments it names, found through the registry's names.
 */

import { closestMatches } from '../domain/closest-matches.ts';
import {
  asEnvironmentNames,
  type EnvironmentMention,
  type EnvironmentName,
  environmentMentions,
  environmentNamed,
  STAGE_WORDS,
} from '../domain/environment-names.ts';
import type { ParseContext, ParseFailure } from './intent.ts';
import { tokenize } from './normalize.ts';

/** A split message. */
export interface Words {
  /** Lower-case words without options, punctuation trimmed. */
  words: string[];
  /** The same, joined by spaces. */
  text: string;
  /** Words as typed (quotes kept), aligned with `words`. */
  raw: string[];
  options: Map<string, string>;
  flags: Set<string>;
  /** The registered environments. */
  names: EnvironmentName[];
  /** The environments the words name, in order. */
  mentions: EnvironmentMention[];
}

/** Contractions that keep their 's ("what's", "how's"); on other words it is a possessive. */
const CONTRACTIONS = /^(what|how|who|where|it|that|there|here|let|when|why)'s$/i;

/** "Contoso Dev's" → "Contoso Dev": the owner is what names the site or environment. */
const possessive = (word: string) => (CONTRACTIONS.test(word) ? word : word.replace(/['’]s$/i, ''));

/** Splits normalized text into {@link Words}. */
export function split(text: string, context: ParseContext): Words {
  const options = new Map<string, string>();
  const flags = new Set<string>();
  const words: string[] = [];
  const raw: string[] = [];
  for (const token of tokenize(text)) {
    const option = /^--?([a-z][\w-]*)(?:=(.*))?$/i.exec(token);
    if (option && !/^-?\d/.test(token.slice(1))) {
      if (option[2] !== undefined) options.set(option[1]!.toLowerCase(), option[2]);
      else flags.add(option[1]!.toLowerCase());
      continue;
    }
    const pair = /^([a-z][\w.-]*)=(.*)$/i.exec(token);
    if (pair) {
      options.set(pair[1]!.toLowerCase(), pair[2]!.replace(/^["']|["']$/g, ''));
      continue;
    }
    const word = token.startsWith('"')
      ? token
      : possessive(token.replace(/^[([{'`*_]+|[)\]}.,;:!?'`*_]+$/g, ''));
    if (!word) continue;
    raw.push(word);
    words.push(word.startsWith('"') ? word : word.toLowerCase());
  }
  const names = asEnvironmentNames(context.environments);
  return {
    words,
    raw,
    text: words.join(' '),
    options,
    flags,
    names,
    mentions: environmentMentions(names, words),
  };
}

/** The first non-empty option among `keys`. */
export function option(w: Words, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = w.options.get(key);
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** A quoted word without its quotes. */
export const unquote = (word: string) => word.replace(/^"|"$/g, '');

/** Whether a parse result is a failure. */
export function isFailure(value: unknown): value is ParseFailure {
  return typeof value === 'object' && value !== null && (value as ParseFailure).kind === 'unknown';
}

/** The did-you-mean answer for an environment that is not registered. */
export function unknownEnvironment(name: string, w: Words): ParseFailure {
  const aliases = w.names.map((n) => n.alias);
  const lower = name.toLowerCase();
  const suggestions = [
    ...new Set([...closestMatches(name, aliases), ...aliases.filter((a) => lower.includes(a))]),
  ];
  return {
    kind: 'unknown',
    message: `There is no environment "${name}".${suggestions.length > 0 ? ` Did you mean ${suggestions.join(' or ')}?` : ` Known environments: ${aliases.join(', ')}.`}`,
    suggestions,
    unknownEnvironment: name,
  };
}

/** The alias an option value names, or the did-you-mean failure. */
export function environmentOption(w: Words, keys: string[]): string | ParseFailure | undefined {
  const given = option(w, ...keys);
  if (!given) return undefined;
  return environmentNamed(w.names, given) ?? unknownEnvironment(given, w);
}

/** Whether word `i` is part of an environment's name. */
export function isEnvironmentWord(w: Words, i: number): boolean {
  return w.mentions.some((m) => i >= m.start && i < m.start + m.length);
}

/**
 * The environment a request concerns: `env=`/`--env`, else the first one named; a word after
 * "in"/"on" that looks like an environment name but is not registered is a did-you-mean failure.
 */
export function findEnvironment(w: Words): string | ParseFailure | undefined {
  const given = environmentOption(w, ['env', 'environment']);
  if (given) return given;
  if (w.mentions.length > 0) return w.mentions[0]!.alias;
  return unregisteredEnvironment(w);
}

/** Words that start or end like an environment but name none. */
const ORDINARY_WORDS = new Set([
  'latest',
  'contest',
  'protest',
  'attest',
  'product',
  'products',
  'device',
  'devices',
]);

/**
 * "pre-prod", "non-prod", "prod-2": an environment's alias or stage word joined to a short prefix
 * or number, which names no registered environment ("contoso-dev" is a site: its other part is long).
 */
function stagePrefixed(candidate: string, aliases: string[]): boolean {
  const parts = candidate.split('-');
  if (parts.length !== 2 || !parts.every((p) => /^[a-z0-9]+$/.test(p))) return false;
  const names = new Set([...aliases, ...STAGE_WORDS.flat()]);
  const [a, b] = parts as [string, string];
  return (names.has(a) && (b.length <= 4 || /^\d+$/.test(b))) || (names.has(b) && a.length <= 4);
}

/** A did-you-mean failure for "in <word>" naming no registered environment but close to one. */
export function unregisteredEnvironment(
  w: Words,
  prepositions = ['in', 'on', 'into', 'to'],
): ParseFailure | undefined {
  const aliases = w.names.map((n) => n.alias);
  for (let i = 0; i < w.words.length - 1; i++) {
    if (!prepositions.includes(w.words[i]!)) continue;
    // "in Contoso Preprod": a name made like the registered display names, of no environment.
    const shared = w.names.some((n) => n.displayName?.toLowerCase().split(' ')[0] === w.words[i + 1]);
    const offset = shared && w.words[i + 2] !== undefined ? 1 : 0;
    const candidate = unquote(w.words[i + 1 + offset]!);
    const next = w.words[i + 2 + offset];
    if (stagePrefixed(candidate, aliases)) return unknownEnvironment(candidate, w);
    if (!/^[a-z]+\d*$/.test(candidate)) continue;
    if (next === 'env' || next === 'environment') return unknownEnvironment(candidate, w);
    if (candidate.length < 3 || aliases.includes(candidate)) continue;
    const stageLike = [...aliases, ...STAGE_WORDS.flat()].some(
      (name) =>
        name.length >= 3 &&
        candidate !== name &&
        (candidate.startsWith(name) || candidate.endsWith(name)) &&
        !ORDINARY_WORDS.has(candidate),
    );
    if (stageLike || closestMatches(candidate, aliases).length > 0) return unknownEnvironment(candidate, w);
  }
  return undefined;
}
