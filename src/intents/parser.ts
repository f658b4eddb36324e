/**
 * Text → {@link Intent}: a pure function. A grammar of ordered rules, each a phrasing family
 * (questions, pasted platform messages, job references, commands and their synonyms), over words
 * whose environments are found through the registry's names (aliases, display names, stage words)
 * and whose site is the most name-like word left. It never throws, never turns a question into a
 * destructive command, and leaves out a site or environment it is not sure of so the command asks.
 * Accuracy on phrasings it was not written from is measured by test/understanding (see README).
 */
import { ALERT_CONDITION_GROUPS, ALERT_CONDITIONS, type AlertCondition } from '../alerts/alert.ts';
import { closestMatches, editDistance } from '../domain/closest-matches.ts';
import type { Intent, IntentKind, ParseContext, ParseFailure } from './intent.ts';
import { approvalIdIn, jobReferenceIn } from './job-references.ts';
import { parseMigrate } from './migrate-phrases.ts';
import { normalizeText } from './normalize.ts';
import { howQuestion, isDestructive, isQuestion, topicOf } from './questions.ts';
import { findSite, namesSite } from './site-in-text.ts';
import { findTemplate, siteValues, templateWords } from './site-values.ts';
import { findEnvironment, isEnvironmentWord, isFailure, split, type Words } from './words.ts';

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

/** Misspelt first words that are safe to read as meant: they only show something. */
const SAFE_TO_CORRECT = new Set<IntentKind>(['status', 'sites', 'jobs', 'help', 'templates', 'alerts']);

/** Politeness and greetings around a request, which change nothing about it. */
const POLITE_PREFIX =
  /^((hey|hi|hello|yo)\b[\s,!.]*(there\b[\s,!.]*)?(portal\s*ops\b[\s,:!]*)?)?((please|pls|plz|kindly)\s+|(can|could|would|will) you\s+(please\s+|kindly\s+)?)+/i;
const GREETING = /^(hey|hi|hello|yo)\b[\s,!.]*(there\b[\s,!.]*)?(portal\s*ops\b[\s,:!]*)?/i;
const POLITE_SUFFIX = /[\s,.!]*\b(please|pls|plz|thanks|thank you|thx|ty|cheers)[\s.!]*$/i;

/** Text that names a symptom or error, as pasted from the admin centre or an error message. */
const SYMPTOM =
  /\b(getting set up|install(ation)? failed|provisioning failed|failed|failing|fails?|error|errors|stuck|not working|doesn'?t work|broken|throttl\w*|too many requests|429|timed? ?out|lacks the permission|permission|denied|unauthori[sz]ed|forbidden|not found)\b|\b[a-z]+_[a-z_]+\b|\b[A-Z][a-z]+(?:[A-Z][a-z]+){2,}\b/;

interface Facts {
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

/** Parses one message. */
export function parseIntent(input: string, context: ParseContext): Intent | ParseFailure {
  try {
    return parse(input, context);
  } catch {
    return { kind: 'unknown', message: 'Sorry, I could not read that. Try "help".', suggestions: ['help'] };
  }
}

function parse(input: string, context: ParseContext): Intent | ParseFailure {
  const normalized = normalizeText(input);
  if (!normalized)
    return {
      kind: 'unknown',
      message: 'Tell me what you need, for example "sites in dev" or "help".',
      suggestions: ['help'],
    };
  const lowered = normalized.toLowerCase();
  const polite = POLITE_PREFIX.test(lowered);
  const text = normalized
    .replace(polite ? POLITE_PREFIX : GREETING, '')
    .replace(/\s*(→|->|=>|⇒)\s*/g, ' to ')
    .replace(/^[^\p{L}\p{N}"'#?<-]+/u, '')
    .replace(POLITE_SUFFIX, '')
    .replace(/[\s,]+(right now|just now|now|currently|at the moment|today)\s*(\?*)$/i, '$2')
    .trim();
  const facts = factsOf(text || normalized, context, polite);
  const intent = readIntent(facts);
  // A question is answered, never carried out: help on the command it mentions instead.
  if (facts.question && !isFailure(intent) && isDestructive(intent))
    return { kind: 'help', topic: intent.kind };
  return intent;
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

function withEnvironment<T extends Intent>(intent: T, w: Words): T | ParseFailure {
  const environment = findEnvironment(w);
  if (isFailure(environment)) return environment;
  return environment ? { ...intent, environment } : intent;
}

/** A request about one site of an environment; destructive ones only take a sure site name. */
function siteRequest<K extends Intent['kind']>(
  kind: K,
  w: Words,
  extra: Record<string, unknown> = {},
  skip: string[] = [],
): Intent | ParseFailure {
  const site = findSite(w, skip, true);
  return withEnvironment({ kind, ...(site ? { site } : {}), ...extra } as Extract<Intent, { kind: K }>, w);
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
  return didYouMean(f);
}

function didYouMean(f: Facts): Intent | ParseFailure {
  const first = f.w.words[0] ?? '';
  // A command word is short; a long one is not a misspelt command (and costs an edit distance).
  const close = first.length <= 20 ? closestMatches(first, Object.keys(COMMAND_WORDS)) : [];
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

type Rule = (f: Facts) => Intent | ParseFailure | undefined;

const help: Rule = ({ t, text }) => {
  if (
    /^\?+$/.test(text) ||
    /^(help|commands|usage|man)\b/.test(t) ||
    /\bwhat (can|could) (you|i) do\b/.test(t) ||
    /\bwhat (are you able to|do you) do\b/.test(t) ||
    /\bwhat commands\b/.test(t) ||
    /\bhow do (i|we) use\b/.test(t)
  ) {
    const topic = topicOf(t.replace(/^(help|commands|usage|man)\s*(me\s*)?(with\s*)?/, ''));
    return topic ? { kind: 'help', topic } : { kind: 'help' };
  }
  return undefined;
};

const whoCanApprove: Rule = ({ t, w }) => {
  if (
    !/\bwho (can|could|may|is able to) approve\b|\bwho approves\b/.test(t) &&
    !(/\bapprovers?\b/.test(t) && /^(who|list|show)\b/.test(t))
  )
    return undefined;
  const site = findSite(w, ['who', 'approvers', 'resets', 'migrations', 'approves', 'restarts'], true);
  return withEnvironment({ kind: 'who-can-approve', ...(site ? { site } : {}) }, w);
};

const whyCantI: Rule = ({ t, w }) => {
  const why =
    /\b(?:why (?:can'?t|cant|cannot|can not|am i not allowed to|am i unable to|won'?t you let me)|^am i (?:allowed|able|permitted) to|^can i|^may i)\b(.*)$/.exec(
      t,
    );
  if (!why) return undefined;
  const asking = /^(am i|can i|may i)/.test(t);
  // "Can I delete a portal from here?" asks how; "can I reset contoso-dev in prod?" asks may I.
  if (asking && w.mentions.length === 0) return undefined;
  const command = topicOf(why[1] ?? '');
  return withEnvironment({ kind: 'why-cant-i', ...(command ? { command } : {}) }, w);
};

const approveOrReject: Rule = ({ t, text, w, approvalId }) => {
  if (
    /^(yes,? |ok,? )?(approve|approved|lgtm|ok to go|approve it|i approve|looks good)\b/.test(t) ||
    (approvalId && /\bapprove\b/.test(t))
  )
    return { kind: 'approve', ...(approvalId ? { approvalId } : {}) };
  if (
    /^(no,? )?(reject|deny|decline|refuse)\b/.test(t) ||
    (approvalId && /\b(reject|deny|decline)\b/.test(t))
  ) {
    const reason = w.options.get('reason') ?? /\b(?:because|reason:?)\s+(.+)$/i.exec(text)?.[1];
    return { kind: 'reject', ...(approvalId ? { approvalId } : {}), ...(reason ? { reason } : {}) };
  }
  return undefined;
};

const alerts: Rule = ({ t, w }) => {
  if (/^(unsubscribe|unfollow|mute|stop (sending |posting )?(\w+ )?alerts)\b/.test(t))
    return withEnvironment({ kind: 'unsubscribe' }, w);
  if (
    /^(subscribe|follow|watch|send (me |us )?(\w+ )?alerts|alert (me|us)|(notify|ping) (me|us)\b|tell (me|us) (when|if|whenever)\b)/.test(
      t,
    )
  )
    return withEnvironment({ kind: 'subscribe', conditions: alertConditionsIn(w.words) }, w);
  if (
    /^((list|show|my|our|which|what|any)\s+)?(open\s+|the\s+)?(alerts|alert subscriptions|subscriptions)( are open| open)?$/.test(
      t,
    )
  )
    return { kind: 'alerts' };
  return undefined;
};

const cancel: Rule = ({ t, jobId }) =>
  /^(cancel|abort|stop|kill)\b/.test(t) ? { kind: 'cancel', ...(jobId ? { jobId } : {}) } : undefined;

const restore: Rule = ({ t, text, w }) => {
  if (!/^(restore|roll ?back|revert)\b/.test(t)) return undefined;
  const snapshot = /\bsnapshot\s+(\S+)/i.exec(text)?.[1]?.replace(/[.,;!?]+$/, '');
  const skip = [
    'restore',
    'snapshot',
    'roll',
    'back',
    'rollback',
    'revert',
    ...(snapshot ? [snapshot.toLowerCase()] : []),
  ];
  const site = findSite(w, skip, true);
  return withEnvironment(
    { kind: 'restore', ...(site ? { site } : {}), ...(snapshot ? { snapshot } : {}) },
    w,
  );
};

const howTo: Rule = ({ t, text, question }) => {
  if (!question) return undefined;
  // "What does missing_site_app_permission mean?" is about an error; "what does X include" a template.
  if (/\bmean\b|\b[a-z]+_[a-z_]+\b/.test(t) && /^what\b/.test(t)) {
    // "What does reprovision mean?" asks about a command; an error code or symptom is looked up.
    const topic = SYMPTOM.test(text) || /\b[a-z]+_[a-z_]+\b/.test(t) ? undefined : topicOf(t);
    return topic ? { kind: 'help', topic } : { kind: 'troubleshoot', query: t };
  }
  if (/\binclude/.test(t)) return undefined;
  const answer = howQuestion(t);
  // What a template holds is the templates command's answer, not help.
  return answer?.kind === 'help' && answer.topic === 'templates' ? undefined : answer;
};

const moveDataModel: Rule = ({ t, w }) => {
  if (!/\b(enhanced|new) (data ?)?model\b|\bto (the )?enhanced\b|\bdata ?model\b/.test(t)) return undefined;
  if (!/\b(move|migrate|migrating|upgrade|convert|switch|change|put|transition)\b/.test(t)) return undefined;
  return siteRequest('move-data-model', w, {}, ['model', 'data', 'enhanced']);
};

/** Pasted messages and symptoms: a named site is asked about, anything else is looked up. */
const symptom: Rule = ({ t, text, w }) => {
  // Site names such as contoso-broken hold symptom words: look past them.
  const plain = (x: string) => x.replace(/\S*[a-z0-9]-[a-z0-9]\S*/gi, ' ');
  const pasted = /^(error|warning|exception)\b/.test(t) || /"[^"]{12,}"/.test(text);
  if (!pasted && !SYMPTOM.test(plain(text)) && !SYMPTOM.test(plain(t))) return undefined;
  if (/^(troubleshoot|diagnose|explain)\b/.test(t))
    return { kind: 'troubleshoot', query: t.replace(/^(troubleshoot|diagnose|explain)\s*/, '') || t };
  // A command naming the symptom ("retry the failed install") is the command.
  if (COMMAND_START.test(t) || /\b(try (it )?again|retry|again)\b/.test(t)) return undefined;
  if (/^(which|what|list|show|any) (\w+ )?jobs\b/.test(t)) return undefined;
  if (pasted) return { kind: 'troubleshoot', query: t };
  const site = findSite(w, [], true);
  // A named site with a symptom ("contoso-dev not working") is asked about: its status explains.
  if (site && /[-\d]/.test(site)) return withEnvironment({ kind: 'status', site }, w);
  if (/^(what'?s|what is) (going on|up|happening|wrong) with\b/.test(t)) return undefined;
  return { kind: 'troubleshoot', query: t };
};

/** The first words of commands. */
const COMMAND_START =
  /^(retry|restart|re-?install|reinstall|reprovision|reset|wipe|nuke|tear|delete|remove|destroy|migrate|promote|deploy|provision|create|change|fix|update|edit|redo|rerun|cancel|stop|abort|approve|reject|deny|status|show|list|subscribe|unsubscribe|restore|reboot|bounce|move|copy|upgrade|convert)\b/;

/** Questions about one site's state: "is hr-hub done provisioning yet", "has contoso-setup finished". */
const siteQuestion: Rule = ({ t, w, question, jobId }) => {
  if (jobId || !question || /^what (would|will)\b|\bwhat would\b/.test(t)) return undefined;
  if (!/^(is|has|did|does|where|how|hows|how's|what|whats|what's|why|any|are)\b/.test(t)) return undefined;
  if (/^(what|which) (sites|portals|websites)\b/.test(t)) return undefined;
  if (!namesSite(w)) return undefined;
  return withEnvironment({ kind: 'status', site: findSite(w)! }, w);
};

const jobReference: Rule = ({ t, jobId }) => {
  if (!jobId) return undefined;
  if (
    /^(retry|rerun|re-run|redo|try|give|resume|restart)\b/.test(t) ||
    /\b(again|another go|another try)\b/.test(t)
  )
    return { kind: 'retry', jobId };
  return { kind: 'status', jobId };
};

const packageInstall: Rule = ({ t, w }) => {
  if (
    /\b(retry|redo|re-?run|rerun|restart|re-?install|reinstall|fix)\b.*\bpackage\b/.test(t) ||
    /\b(retry|restart|redo)\s+(the\s+)?(package\s+)?install(ation)?\b/.test(t) ||
    /^re-?install\b/.test(t) ||
    /\bpackage install(ation)? failed\b.*\b(again|retry)\b/.test(t)
  )
    return siteRequest('retry-package-install', w, {}, [
      'package',
      'install',
      'installation',
      'reinstall',
      're-install',
    ]);
  return undefined;
};

const restartProvisioning: Rule = ({ t, w }) => {
  if (/\b(change|edit|update|fix)\b.*\b(values?|settings|and restart|then restart)\b/.test(t))
    return undefined;
  if (
    /\b(restart|retry|redo|re-?run|rerun|resume|kick off|start)\s+(the\s+)?(failed\s+)?provisioning\b/.test(
      t,
    ) ||
    /^re-?provision\b/.test(t) ||
    /\bprovisioning\b.*\b(restart|retry|again)\b/.test(t) ||
    /^try provisioning\b/.test(t) ||
    /\b(failed to provision|provisioning failed)\b.*\b(retry|restart|again)\b/.test(t)
  )
    return siteRequest('restart-provisioning', w);
  return undefined;
};

const changeAndRestart: Rule = ({ t, w }) => {
  if (
    !/\b(change|edit|update|fix)\b.*\b(values?|settings|and restart|then restart|and try again|language|template)\b/.test(
      t,
    )
  )
    return undefined;
  if (!/\b(restart|again|values?|settings)\b/.test(t)) return undefined;
  const changes = siteValues(w, false);
  // "change the subdomain of contoso-broken to contoso-fixed": the site, then the new value.
  const named = /\b(name|subdomain|title) of ("[^"]+"|\S+) to ("[^"]+"|\S+)/.exec(
    w.raw.join(' ').toLowerCase(),
  );
  if (named) {
    const value = named[3]!.replace(/^"|"$/g, '');
    if (named[1] === 'subdomain') changes.subdomain = value;
    else changes.name = value;
    return withEnvironment({ kind: 'change-and-restart', changes, site: named[2]!.replace(/^"|"$/g, '') }, w);
  }
  const site = findSite(
    w,
    [changes.name ?? '', changes.subdomain ?? '', 'french', 'english', 'spanish', 'german'],
    true,
  );
  return withEnvironment({ kind: 'change-and-restart', changes, ...(site ? { site } : {}) }, w);
};

const restartSite: Rule = ({ t, w }) => {
  if (
    /^(restart|reboot|bounce|recycle|power ?cycle)\b/.test(t) ||
    /\b(you|please|pls|then|and|to|should|must|need|needs) (restart|reboot|bounce)\b/.test(t) ||
    /\b(restart|reboot|bounce) (it|this|that|them|the (site|portal|website)|site|portal|website)\b/.test(t) ||
    /\bclear (the )?(\S+ )?(site |portal |server )?cache\b/.test(t)
  )
    return siteRequest('restart-site', w, {}, ['cache', 'clear']);
  return undefined;
};

const retryWithoutId: Rule = ({ t }) => (/^(retry|try again)\b/.test(t) ? { kind: 'retry' } : undefined);

const migrate: Rule = ({ t, w }) => {
  if (
    /\b(migrate|migrating|migration|promote|deploy|sync|push|ship)\b/.test(t) ||
    /\b(copy|move)\b.*\b(to|into)\b/.test(t)
  )
    return parseMigrate(w);
  return undefined;
};

const reset: Rule = ({ t, w }) => {
  if (
    !/\b(reset|wipe|nuke|tear down|teardown|factory reset|destroy)\b/.test(t) &&
    !/^(delete|remove)\b/.test(t)
  )
    return undefined;
  const reprovision =
    w.flags.has('reprovision') || /\b(re-?provision|recreate|provision (it )?again|and provision)\b/.test(t);
  return siteRequest('reset', w, { reprovision });
};

const templates: Rule = ({ t, w }) => {
  if (
    !/\btempl?ates?\b/.test(t) &&
    !(
      /\bwhat (does|do|is in|'?s in) (the |a )?.*\b(include|includes|portal|template)\b/.test(t) &&
      /\binclude|\bin the\b|\bin a\b/.test(t)
    )
  )
    return undefined;
  const templateId = findTemplate(w);
  return templateId && !/^templ?ates?$/.test(t) ? { kind: 'templates', templateId } : { kind: 'templates' };
};

const provision: Rule = ({ t, w }) => {
  if (
    !/^(provision|create|spin up|set up|setup|build|launch|new)\b/.test(t) &&
    !/\b(provision|spin up)\b/.test(t) &&
    !/\b(create|make|need|want)\b.*\b(new )?(site|portal|website)\b/.test(t)
  )
    return undefined;
  const values = siteValues(w, true);
  if (!values.subdomain) {
    const site = findSite(w, [
      values.name ?? '',
      ...(values.templateId ? templateWords(values.templateId) : []),
    ]);
    if (site && /^[a-z0-9][a-z0-9-]*$/i.test(site) && /[-\d]/.test(site)) values.subdomain = site;
  }
  return withEnvironment({ kind: 'provision', ...values }, w);
};

const sites: Rule = ({ t, w }) => {
  if (
    /^(sites|portals|websites)\b/.test(t) ||
    /\b(list|show|what|which|all|every)\b.*\b(sites|portals|websites)\b/.test(t) ||
    /\b(every|each|all)( the)? (site|portal|website)\b/.test(t) ||
    (/^(what'?s|whats|what is) (in|on|deployed in|running in)\b/.test(t) && w.mentions.length > 0) ||
    (/\b(sites|portals|websites)\b/.test(t) && w.mentions.length > 0 && !namesSite(w))
  )
    return withEnvironment({ kind: 'sites' }, w);
  return undefined;
};

const jobs: Rule = ({ t }) => {
  if (
    /^(my |list |show |running |recent )?(my )?jobs\b/.test(t) ||
    /\b(what'?s|what is|what am i|whats) running\b/.test(t) ||
    /\b(list|show|which|any|what)( me)?( my| all| the| running| recent| failed| active)* jobs\b/.test(t)
  )
    return { kind: 'jobs', mine: /\b(my|mine|am i)\b/.test(t) || /\bi running\b/.test(t) };
  return undefined;
};

const status: Rule = ({ t, w }) => {
  if (
    /^(status|state|check|info|details|describe|show|tell me about|check on|look at)\b/.test(t) ||
    /\b(how is|how's|hows|what'?s (going on|up|happening|wrong) with|what is (going on|wrong|up) with|status of|state of|is .+ (up|ok|down|working|healthy))\b/.test(
      t,
    )
  ) {
    const site = findSite(w);
    return withEnvironment({ kind: 'status', ...(site ? { site } : {}) }, w);
  }
  return undefined;
};

const troubleshoot: Rule = ({ t }) =>
  /^(troubleshoot|diagnose|explain)\b/.test(t)
    ? { kind: 'troubleshoot', query: t.replace(/^(troubleshoot|diagnose|explain)\s*/, '').trim() || t }
    : undefined;

/** "Don't reset contoso-dev": nothing to do, and certainly not the command it names. */
const negated: Rule = ({ t }) =>
  /^(don'?t|do not|dont|never|no need to|not now)\b/.test(t) ||
  /\b(don'?t|do not|dont|never) (\w+ )?(reset|restart|reboot|delete|wipe|migrate|restore|provision|remove|deploy|cancel|retry)\b/.test(
    t,
  )
    ? {
        kind: 'unknown',
        message: 'OK, I will not do anything. Say "help" to see what I can do.',
        suggestions: ['help'],
      }
    : undefined;

/** The rules, first match wins: the order settles phrasings two families share. */
const RULES: readonly Rule[] = [
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
  restartProvisioning,
  changeAndRestart,
  symptom,
  restartSite,
  retryWithoutId,
  migrate,
  reset,
  templates,
  provision,
  jobs,
  sites,
  status,
];

/** Alert conditions named in a subscribe request; none named means all of them. */
function alertConditionsIn(words: readonly string[]): AlertCondition[] {
  const named = new Set<AlertCondition>();
  for (const word of words) {
    for (const [condition, { words: names }] of Object.entries(ALERT_CONDITIONS)) {
      if (names.includes(word)) named.add(condition as AlertCondition);
    }
  }
  if (named.size === 0) {
    for (const word of words)
      for (const condition of ALERT_CONDITION_GROUPS[word] ?? []) named.add(condition);
  }
  return [...named];
}
