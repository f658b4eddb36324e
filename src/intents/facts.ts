/**
 * What every phrasing rule reads (the message as words, the job and approval it names, whether it
 * is a question) and the helpers rules share to fill in the environment and the site.
 */
import type { Intent, ParseContext, ParseFailure } from './intent.ts';
import { findSite } from './site-in-text.ts';
import { findEnvironment, isFailure, type Words } from './words.ts';

/** Text that names a symptom or error, as pasted from the admin centre or an error message. */
export const SYMPTOM =
  /\b(InstallFailed|OperationFailed|UninstallFailed|OperationNotStarted|InstallRetrying)\b|\b(getting set up|install(ation)? failed|provisioning failed|failed|failing|fails?|error|errors|stuck|not working|doesn'?t work|broken|problems?|issues|(an|the|some|this|that|any) issue|issue with|oops|went wrong|expir\w*|suspended|inactive|already (in use|taken|exists)|package removed|trial ending|deleting soon|not configured|something wrong|(won'?t|doesn'?t|does not|not) (load|open|come up)|not loading|(shows?|showing|getting|see|seeing) (a )?(blank|white|empty) (page|screen)|50[0-4]|40[134]|throttl\w*|too many requests|429|timed? ?out|lacks the permission|permissions?|denied|unauthori[sz]ed|forbidden|not found)\b|\b[a-z]+_[a-z_]+\b|\b[A-Z][a-z]+(?:[A-Z][a-z]+){2,}\b/;

/** A message as the rules read it. */
export interface Facts {
  /** Normalized text as typed (case kept). */
  text: string;
  /** Lower-case words joined. */
  t: string;
  w: Words;
  context: ParseContext;
  jobId?: string;
  approvalId?: string;
  question: boolean;
}

/** One phrasing family: the intent it reads, or undefined when the message is not of it. */
export type Rule = (f: Facts) => Intent | ParseFailure | undefined;

/** `intent` with the environment the words name, or the did-you-mean failure for one not registered. */
export function withEnvironment<T extends Intent>(intent: T, w: Words): T | ParseFailure {
  const environment = findEnvironment(w);
  // A request keeps its kind when its environment is not a registered one: the command asks for
  // it, saying the name given is not one ("reset contoso-dev in preprod").
  if (isFailure(environment))
    return environment.unknownEnvironment && ASKS_ENVIRONMENT.has(intent.kind)
      ? { ...intent, unknownEnvironment: environment.unknownEnvironment }
      : environment;
  if (environment) return { ...intent, environment };
  const unknownEnvironment = ASKS_ENVIRONMENT.has(intent.kind) ? notAnEnvironment(w) : undefined;
  return unknownEnvironment ? { ...intent, unknownEnvironment } : intent;
}

/** Requests whose command asks for a missing environment (and can say a name given is not one). */
export const ASKS_ENVIRONMENT: ReadonlySet<Intent['kind']> = new Set<Intent['kind']>([
  'reset',
  'restart-provisioning',
  'restart-site',
  'retry-package-install',
  'change-and-restart',
  'move-data-model',
  'sites',
  'subscribe',
  'restore',
]);

/**
 * The word of "… in|on <word>" ending the message (or followed by "env"/"environment") when it
 * names no registered environment and is not the site: "reset contoso-dev in sandbox" → sandbox.
 */
function notAnEnvironment(w: Words): string | undefined {
  const site = findSite(w, [], true);
  for (let i = 0; i < w.words.length - 1; i++) {
    if (!['in', 'on'].includes(w.words[i]!)) continue;
    const article = w.words[i + 1] === 'the' ? 1 : 0;
    const word = w.words[i + 1 + article];
    if (word === undefined) continue;
    const next = w.words[i + 2 + article];
    const last = next === 'env' || next === 'environment' || (next === undefined && article === 0);
    if (last && /^[a-z][a-z0-9-]{2,}$/.test(word) && word !== site && !NOT_PLACES.has(word)) return word;
  }
  return undefined;
}

/** Words after "in"/"on" that are not a place. */
const NOT_PLACES = new Set([
  'it',
  'this',
  'that',
  'there',
  'here',
  'again',
  'now',
  'time',
  'order',
  'case',
  'chat',
]);

/** A request about one site of an environment; destructive ones only take a sure site name. */
export function siteRequest<K extends Intent['kind']>(
  kind: K,
  w: Words,
  extra: Record<string, unknown> = {},
  skip: string[] = [],
): Intent | ParseFailure {
  // "restart contoso-events in sandbox2": the word that is no environment is not the site either.
  const notEnvironment = notAnEnvironment(w);
  const site = findSite(w, notEnvironment ? [...skip, notEnvironment] : skip, true);
  return withEnvironment({ kind, ...(site ? { site } : {}), ...extra } as Extract<Intent, { kind: K }>, w);
}
