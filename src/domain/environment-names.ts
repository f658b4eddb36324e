/**
 * What people call an environment: its alias ("prod"), its display name ("Contoso Production"),
 * its id, or a common word for its stage ("production", "staging", "development", "live", "uat").
 * One pure resolution, used by the environments registry and by the parser, so a name that works
 * in one place works everywhere.
 */

/** The names of one registered environment. */
export interface EnvironmentName {
  alias: string;
  displayName?: string;
  environmentId?: string;
}

/**
 * Common words for each stage. A word names the one registered environment whose alias, or a word
 * of whose display name, is in the same group; when none or several do, it names nothing.
 */
export const STAGE_WORDS: readonly (readonly string[])[] = [
  ['prod', 'production', 'live'],
  ['dev', 'development', 'develop', 'devel'],
  ['test', 'testing', 'qa', 'uat', 'staging', 'stage'],
];

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** Environments given as aliases only, or with their other names. */
export function asEnvironmentNames(environments: readonly (string | EnvironmentName)[]): EnvironmentName[] {
  return environments.map((e) => (typeof e === 'string' ? { alias: e } : e));
}

/**
 * The alias of the environment `name` means (case-insensitive): an alias, display name or id,
 * then a stage word; undefined when it names none, or more than one.
 * @example environmentNamed([{ alias: 'prod', displayName: 'Contoso Production' }], 'production') // 'prod'
 */
export function environmentNamed(environments: readonly EnvironmentName[], name: string): string | undefined {
  const key = name.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!key) return undefined;
  const exact = environments.find(
    (e) =>
      e.alias.toLowerCase() === key ||
      e.displayName?.toLowerCase() === key ||
      e.environmentId?.toLowerCase() === key,
  );
  if (exact) return exact.alias;
  const group = STAGE_WORDS.find((g) => g.includes(key));
  if (!group) return undefined;
  const matches = environments.filter(
    (e) => group.includes(e.alias.toLowerCase()) || words(e.displayName ?? '').some((w) => group.includes(w)),
  );
  return matches.length === 1 ? matches[0]!.alias : undefined;
}

/** A registered environment named in a text, and where. */
export interface EnvironmentMention {
  alias: string;
  /** The words of the text that name it (index of the first, and how many). */
  start: number;
  length: number;
}

/**
 * Every environment a list of lower-case words names, in order: display names (longest first,
 * as whole phrases), then single words (aliases, ids, stage words). Possessives ("Contoso Dev's")
 * count as the name.
 */
export function environmentMentions(
  environments: readonly EnvironmentName[],
  wordList: readonly string[],
): EnvironmentMention[] {
  const clean = wordList.map((w) => w.replace(/^"|"$/g, '').replace(/'s$/, '').toLowerCase());
  const taken = new Array<boolean>(clean.length).fill(false);
  const found: EnvironmentMention[] = [];
  const phrases = environments
    .filter((e) => e.displayName && words(e.displayName).length > 1)
    .map((e) => ({ alias: e.alias, words: words(e.displayName!) }))
    .sort((a, b) => b.words.length - a.words.length);
  for (const phrase of phrases) {
    for (let i = 0; i + phrase.words.length <= clean.length; i++) {
      const span = clean.slice(i, i + phrase.words.length);
      if (span.every((w, j) => w === phrase.words[j] && !taken[i + j])) {
        for (let j = 0; j < phrase.words.length; j++) taken[i + j] = true;
        found.push({ alias: phrase.alias, start: i, length: phrase.words.length });
      }
    }
  }
  clean.forEach((word, i) => {
    if (taken[i]) return;
    // "live" is a verb too ("which sites live in staging"): a stage only after a preposition.
    const preposition = (j: number) => ['in', 'on', 'to', 'into', 'from', 'onto'].includes(clean[j] ?? '');
    const placed =
      preposition(i - 1) ||
      (clean[i - 1] === 'the' && preposition(i - 2)) ||
      // "sites live" (not "which sites live in staging").
      (['sites', 'portals', 'websites'].includes(clean[i - 1] ?? '') && clean[i + 1] === undefined);
    if (word === 'live' && !placed && !['env', 'environment'].includes(clean[i + 1] ?? '')) return;
    const alias = environmentNamed(environments, word);
    if (alias) found.push({ alias, start: i, length: 1 });
  });
  return found.sort((a, b) => a.start - b.start);
}
