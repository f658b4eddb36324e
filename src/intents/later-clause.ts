/**
 * A request in a later clause of a message that starts with context: "the site is super slow, can
 * u restart hr-hub in Contoso Production", "contoso-setup in dev: install the portal package again",
 * "the one that failed was contoso-broken (dev) – can you kick off its provisioning again?". The
 * clause is read on its own; the environment the whole message names fills in a missing one, and
 * the site only where the clause points back to it ("its", "it"), never for "the other one".
 */
import { ASKS_ENVIRONMENT, type Facts, withEnvironment } from './facts.ts';
import type { Intent, ParseFailure } from './intent.ts';
import { findSite } from './site-in-text.ts';
import { isFailure } from './words.ts';

/** What a clause starting a request begins with, once politeness is set aside. */
const REQUEST_START =
  /^(just |please |pls |then |so |now )*(restart|reboot|bounce|recycle|reset|wipe|nuke|retry|rerun|redo|re-?install|install|approve|reject|deny|decline|cancel|stop|abort|migrate|promote|deploy|push|copy|restore|roll back|rollback|revert|undo|kick off|kick|provision|reprovision|re-?provision|change|update|set|make|move|convert|upgrade|subscribe|unsubscribe|give it|try it|turn)\b/i;

/** Politeness opening a clause ("can u", "could you please"). */
const CLAUSE_POLITE =
  /^((can|could|would|will) (you|u|ya)\s+(please\s+|pls\s+|kindly\s+)?|would you mind\s+|please\s+|pls\s+|kindly\s+|(i|we) (need|want|would like) (you )?to\s+)+/i;

/** Words of a clause pointing back to the site named before: "its provisioning", "restart the thing". */
const POINTS_BACK = /\b(it|its|this|that|the (\S+ )?(thing|site|portal|website))\b/i;

/** Kinds whose intent names one site: those asking for an environment, but lists and subscriptions. */
const SITE_KINDS = new Set<Intent['kind']>(
  [...ASKS_ENVIRONMENT].filter((kind) => kind !== 'sites' && kind !== 'subscribe'),
);

/** Kinds whose intent names an environment. */
const ENVIRONMENT_KINDS = new Set<Intent['kind']>([
  ...ASKS_ENVIRONMENT,
  'unsubscribe',
  'provision',
  'who-can-approve',
]);

/** Whole-message readings a later clause's request replaces: context, not a request. */
const CONTEXT_KINDS = new Set<string>(['unknown', 'status', 'troubleshoot', 'sites']);

/**
 * "don't reset contoso-dev, just restart it in dev": the request that replaces the one refused,
 * with the site the refused one named when the clause points back to it; undefined otherwise.
 */
export function insteadRequest(
  whole: Facts,
  read: (text: string) => Intent | ParseFailure,
): Intent | ParseFailure | undefined {
  const refused =
    /^(don'?t|do not|dont|never|no need to)\b[^,;.—–]*[,;.—–]+\s*(?:(?:just|instead|but|rather|only|please)\s+)*(.+)$/i.exec(
      whole.text,
    );
  if (!refused) return undefined;
  // "… so the new snippets show": the reason is not part of the request.
  const clause = refused[2]!.replace(/\s+(so|so that|because|since|as)\s+.*$/i, '').trim();
  if (!REQUEST_START.test(clause)) return undefined;
  const intent = read(clause);
  if (isFailure(intent) || CONTEXT_KINDS.has(intent.kind)) return undefined;
  return withContext(intent, clause, whole);
}

/**
 * The request of a later clause, when the message as a whole read as context only (`whole`), or
 * undefined. `read` reads one clause's text.
 */
export function laterClauseRequest(
  whole: Facts,
  wholeIntent: Intent | ParseFailure,
  read: (text: string) => Intent | ParseFailure,
): Intent | ParseFailure | undefined {
  if (!CONTEXT_KINDS.has(wholeIntent.kind)) return undefined;
  // A quoted message's sentences are what was shown, not requests.
  const clauses = whole.text
    .replace(/"[^"]*"/g, ' ')
    .split(/\s*[,;:.!?]+\s+|\s+[–—-]+\s+/)
    .slice(1);
  for (const raw of clauses) {
    const clause = raw
      .replace(CLAUSE_POLITE, '')
      .replace(/^((just|please|pls|then|so|now|and|also)\s+)+/i, '')
      .trim();
    if (!REQUEST_START.test(clause)) continue;
    const intent = read(clause);
    if (isFailure(intent) || CONTEXT_KINDS.has(intent.kind)) continue;
    return withContext(intent, clause, whole);
  }
  return undefined;
}

/** The clause's intent with the environment, and a pointed-back site, of the whole message. */
function withContext(intent: Intent, clause: string, whole: Facts): Intent | ParseFailure {
  const fields = intent as { environment?: string; site?: string; unknownEnvironment?: string };
  let out: Intent | ParseFailure = intent;
  if (SITE_KINDS.has(intent.kind) && !fields.site && POINTS_BACK.test(clause)) {
    const site = /\bother\b/i.test(clause) ? undefined : findSite(whole.w, [], true, true);
    if (site && /[-\d]/.test(site)) out = { ...out, site } as Intent;
  }
  if ('environment' in fields || fields.unknownEnvironment || !ENVIRONMENT_KINDS.has(intent.kind)) return out;
  return withEnvironment(out as Intent, whole.w);
}
