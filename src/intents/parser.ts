/**
 * Text → {@link Intent}: a pure function. A grammar of ordered rules, each a phrasing family
 * (questions, pasted platform messages, job references, commands and their synonyms; see
 * question-rules.ts, site-rules.ts and request-rules.ts), over words whose environments are found
 * through the registry's names (aliases, display names, stage words) and whose site is the most
 * name-like word left. It never throws, never turns a question into a destructive command, and
 * leaves out a site or environment it is not sure of so the command asks. Its accuracy on
 * phrasings it was not written from is measured and stated in README.
 */
import { closestMatches, editDistance } from '../domain/closest-matches.ts';
import { commandLinePhrasing } from './command-line-phrases.ts';
import { correctedRequest } from './corrections.ts';
import { type Facts, type Rule, withEnvironment } from './facts.ts';
import type { Intent, IntentKind, ParseContext, ParseFailure } from './intent.ts';
import { approvalIdIn, jobReferenceIn } from './job-references.ts';
import { insteadRequest, laterClauseRequest } from './later-clause.ts';
import { normalizeText } from './normalize.ts';
import {
  help,
  howTo,
  negated,
  pastedError,
  quotedMessage,
  siteQuestion,
  symptom,
  troubleshoot,
  whoCanApprove,
  whyCantI,
} from './question-rules.ts';
import { isDestructive, isQuestion } from './questions.ts';
import {
  alerts,
  approveOrReject,
  cancel,
  jobReference,
  jobs,
  retryWithoutId,
  sites,
  status,
  templates,
} from './request-rules.ts';
import { findSite, namesSite } from './site-in-text.ts';
import {
  changeAndRestart,
  leadingReset,
  migrate,
  moveDataModel,
  packageInstall,
  provision,
  reset,
  restartProvisioning,
  restartSite,
  restore,
} from './site-rules.ts';
import { isEnvironmentWord, isFailure, split, type Words } from './words.ts';

/** Words people start each command with, for did-you-mean and help topics. */
const COMMAND_WORDS: Record<string, IntentKind> = {
  provision: 'provision',
  create: 'provision',
  new: 'provision',
  reset: 'reset',
  wipe: 'reset',
  restart: 'restart-site',
  reboot: 'restart-site',
  reprovision: 'restart-provisioning',
  reinstall: 'retry-package-install',
  change: 'change-and-restart',
  migrate: 'migrate',
  promote: 'migrate',
  deploy: 'migrate',
  restore: 'restore',
  status: 'status',
  sites: 'sites',
  list: 'sites',
  jobs: 'jobs',
  cancel: 'cancel',
  retry: 'retry',
  approve: 'approve',
  reject: 'reject',
  help: 'help',
  templates: 'templates',
  troubleshoot: 'troubleshoot',
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  alerts: 'alerts',
};

/** Words a message starts with that are words of their own, never a misspelt command ("great" is not "create"). */
const NOT_TYPOS = new Set([
  'great',
  'now',
  'yes',
  'nice',
  'cool',
  'here',
  'there',
  'treat',
  'site',
  'portal',
  'website',
]);

/** Misspelt first words that are safe to read as meant: they only show something. */
const SAFE_TO_CORRECT = new Set<IntentKind>(['status', 'sites', 'jobs', 'help', 'templates', 'alerts']);

/** A greeting, and whom it greets, before a request ("hi team bot -", "morning all,"). */
const GREETING =
  /^((hey|hi|hiya|hello|yo|g'?day|howdy|morning|good (morning|afternoon|evening)|greetings)\b[\s,!.:-]*((there|team|all|folks|everyone|guys|bot|team bot|portal\s*ops)\b[\s,!.:-]*)*)/i;

/** Politeness before a request, which changes nothing about it. */
const POLITE_WORDS =
  /^((please|pls|plz|kindly)\s+|(can|could|would|will) (you|u|ya)\s+(please\s+|pls\s+|kindly\s+)?|would you mind\s+|(do you|would you) mind\s+|(i|we) (want|need|would like|'d like) (you )?to\s+|i'd like (you )?to\s+|let'?s\s+|(ok,?\s+)?go ahead and\s+|(can|could|may) (i|we) (get|have)\s+|(can|could) we\s+|(can|could) (someone|somebody|anyone|anybody) (please )?|(any chance|is there any way) (you )?(could|can)\s+)+/i;

const POLITE_PREFIX = new RegExp(`${GREETING.source}?${POLITE_WORDS.source.slice(1)}`, 'i');

/** A polite request after a first sentence or clause: "…failed last night. Could you retry it?" */
const POLITE_LATER =
  /(^|[,;.!:–—-]\s*)(can|could|would|will) (you|u|ya)\b(?! (tell|show|explain|say)\b)|\bwould you mind\b/i;

/** Politeness and fillers ending a request. */
const POLITE_SUFFIX =
  /[\s,.!]*\b(please|pls|plz|thanks|thank you|thanks in advance|thx|ty|cheers|for me|for us|asap|rn|right now|when you can|if you can|if possible|when you get a (sec|second|minute|moment|chance)|mate|ta)[\s.!]*$/i;

/** `text` without its polite endings, a final question mark kept. */
function withoutPoliteEnd(text: string): string {
  const asked = /\?[\s.!]*$/.test(text);
  let rest = text.replace(/[?\s]+$/, '');
  for (let previous = ''; previous !== rest; ) {
    previous = rest;
    rest = rest.replace(POLITE_SUFFIX, '').replace(/[?\s]+$/, '');
  }
  return asked ? `${rest}?` : rest;
}

/** Parses one message. */
export function parseIntent(input: string, context: ParseContext): Intent | ParseFailure {
  try {
    return parse(input, context);
  } catch {
    return { kind: 'unknown', message: 'Sorry, I could not read that. Try "help".', suggestions: ['help'] };
  }
}

function parse(input: string, context: ParseContext): Intent | ParseFailure {
  const normalized = commandLinePhrasing(normalizeText(input));
  if (!normalized)
    return {
      kind: 'unknown',
      message: 'Tell me what you need, for example "sites in dev" or "help".',
      suggestions: ['help'],
    };
  const lowered = normalized.toLowerCase();
  // "can you …" at the start, or after a comma ("provisioning failed on …, can you kick it off again?").
  const polite = POLITE_PREFIX.test(lowered) || POLITE_LATER.test(lowered);
  const text = withoutPoliteEnd(
    normalized
      .replace(GREETING, '')
      .replace(POLITE_WORDS, '')
      .replace(
        /^((now|so|then|and|also|alright|anyway|right|btw|roughly|approximately|quick (q|question)|just (wondering|curious))[,:]?\s+)+/i,
        '',
      )
      .replace(POLITE_WORDS, '')
      .replace(/\s*(→|->|=>|⇒)\s*/g, ' to ')
      .replace(/^[^\p{L}\p{N}"'#?<-]+/u, '')
      .replace(/^[?\s]+(?=\p{L})/u, ''),
  )
    .replace(/[\s,]+(right now|just now|now|currently|at the moment|today)\s*(\?*)$/i, '$2')
    .trim();
  const facts = factsOf(text || normalized, context, polite);
  const readPart = (part: string) => readIntent(factsOf(part, context, polite));
  // "reset hr-hub in test sorry not test, prod": what is corrected replaces what it corrects.
  const whole =
    insteadRequest(facts, readPart) ?? correctedRequest(facts.text, facts, readPart) ?? readIntent(facts);
  // "the site is super slow, can u restart hr-hub in prod": context first, then the request.
  const intent = laterClauseRequest(facts, whole, readPart) ?? whole;
  // A question is answered, never carried out: help on the command it mentions instead. So is a
  // polite one that names nothing to act on ("can you delete portals?" asks what the bot can do).
  const askedOfBot = /\b(can|could|would|will) (you|u|ya)\b|\bwould you mind\b/.test(lowered);
  const capability = polite && /\?\s*$/.test(normalized) && !namesTarget(intent, facts.w, askedOfBot);
  if (
    !isFailure(intent) &&
    isDestructive(intent) &&
    (facts.question || (capability && intent.kind !== 'provision')) &&
    // "can we provision a new customer portal in dev, subdomain contoso-loyalty?" opens the form.
    !(intent.kind === 'provision' && /\b(can|could) (we|i) (please )?provision\b/.test(lowered))
  )
    return { kind: 'help', topic: intent.kind };
  return intent;
}

/**
 * Whether a request names what it acts on: a site or a job. Asked of the bot ("could you …"), the
 * environments of a migration or a site among others (for the command to ask which) count too;
 * "can we copy the dev config into production?" asks what may be done.
 */
function namesTarget(intent: Intent | ParseFailure, w: Words, askedOfBot: boolean): boolean {
  const fields = intent as { site?: string; jobId?: string; source?: string; target?: string };
  if (fields.site || fields.jobId) return true;
  if (!askedOfBot) return false;
  if (fields.source && fields.target) return true;
  return w.raw.some((word, i) => /^[a-z0-9]+(-[a-z0-9]+)+$/i.test(word) && !isEnvironmentWord(w, i));
}

function factsOf(text: string, context: ParseContext, polite: boolean): Facts {
  const w = split(text, context);
  const job = jobReferenceIn(text);
  const approvalId = approvalIdIn(text);
  return {
    text,
    t: w.text,
    w,
    context,
    ...(job ? { jobId: job.jobId } : {}),
    ...(approvalId ? { approvalId } : {}),
    question: !polite && isQuestion(text.toLowerCase()),
  };
}

function readIntent(f: Facts): Intent | ParseFailure {
  const { w } = f;
  for (const rule of RULES) {
    const intent = rule(f);
    if (intent) return intent;
  }
  // A name alone ("contoso-dev", "contoso-broken?", "contoso-events in dev") asks about that site.
  const rest = w.words.filter((word, i) => !isEnvironmentWord(w, i) && !['in', 'on', 'at'].includes(word));
  if (rest.length === 1 && namesSite(w)) return withEnvironment({ kind: 'status', site: findSite(w)! }, w);
  // A misspelt command ("rset contoso-dev") is answered with the commands it may mean.
  const meant = didYouMean(f);
  if (!isFailure(meant) || meant.suggestions.some((x) => x !== 'help')) return meant;
  // Otherwise, a message no rule reads that names a site, and asks for no change, is answered with
  // the site's status; one that names only an environment and asks to see, with its sites. A
  // message asking for a change it did not understand is never guessed.
  if (!CHANGE_WORDS.test(f.t)) {
    const site = findSite(w, [], true);
    if (site && /[-\d]/.test(site)) return withEnvironment({ kind: 'status', site }, w);
    if (!site && w.mentions.length > 0 && /^(what|which|show|see|view|overview|summary|any)\b/.test(f.t))
      return withEnvironment({ kind: 'sites' }, w);
  }
  return meant;
}

/** Words of requests for a change: a message with one of these is never answered by a guess. */
const CHANGE_WORDS =
  /\b(restart\w*|reboot\w*|bounce|reset\w*|wipe|delete|remove|destroy|nuke|migrat\w*|copy|move|deploy|promot\w*|push|sync|restor\w*|roll|revert|provision\w*|create|cancel|stop|kill|retry|re-?install|upgrade|convert|change|update|edit|fix|flush|clear|purge|approve|reject|subscribe|unsubscribe|bring|make)\b/;

function didYouMean(f: Facts): Intent | ParseFailure {
  const first = f.w.words[0] ?? '';
  // A command word is short; a long one is not a misspelt command (and costs an edit distance).
  const close =
    first.length <= 20 && !NOT_TYPOS.has(first) ? closestMatches(first, Object.keys(COMMAND_WORDS)) : [];
  const kinds = [...new Set(close.map((word) => COMMAND_WORDS[word]!))];
  const nearest = Math.min(...close.map((word) => editDistance(first, word)));
  const best = [...new Set(close.filter((word) => editDistance(first, word) === nearest))];
  // A misspelt command that only shows something (or opens a form) is read as meant; anything
  // that changes a site is asked about.
  const meant = best.length === 1 ? COMMAND_WORDS[best[0]!] : undefined;
  if (meant && best[0] !== first && (SAFE_TO_CORRECT.has(meant) || meant === 'provision')) {
    const at = f.text.toLowerCase().indexOf(first);
    const text = at < 0 ? f.text : `${f.text.slice(0, at)}${best[0]}${f.text.slice(at + first.length)}`;
    const corrected = readIntent(factsOf(text, f.context, false));
    if (!isFailure(corrected) && corrected.kind === meant) return corrected;
  }
  return {
    kind: 'unknown',
    message: `I did not understand "${f.text.slice(0, 80)}".${kinds.length > 0 ? ` Did you mean ${kinds.join(' or ')}?` : ''} Say "help" to see what I can do.`,
    suggestions: kinds.length > 0 ? kinds : ['help'],
  };
}

/** The rules, first match wins: the order settles phrasings two families share. */
const RULES: readonly Rule[] = [
  pastedError,
  quotedMessage,
  negated,
  help,
  whoCanApprove,
  whyCantI,
  approveOrReject,
  alerts,
  cancel,
  restore,
  troubleshoot,
  howTo,
  moveDataModel,
  siteQuestion,
  jobReference,
  packageInstall,
  changeAndRestart,
  restartProvisioning,
  symptom,
  restartSite,
  retryWithoutId,
  leadingReset,
  migrate,
  reset,
  templates,
  provision,
  jobs,
  sites,
  status,
];
