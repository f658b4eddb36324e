/**
 * Text → {@link Intent}: a pure function. It understands commands, their synonyms and natural
 * phrasing ("wipe the portal", "promote test to prod", "what's going on with contoso-dev"),
 * `key=value` and `--flag` forms, quotes for names with spaces, and environment aliases; for
 * anything else it answers with the closest commands. It never throws.
 */
import { ALERT_CONDITION_GROUPS, ALERT_CONDITIONS, type AlertCondition } from '../alerts/alert.ts';
import { closestMatches } from '../domain/closest-matches.ts';
import { PORTAL_ADD_ONS } from '../domain/portal-add-ons.ts';
import { LANGUAGES } from '../domain/provisioning-rules.ts';
import { type Audience, PORTAL_TEMPLATES } from '../domain/templates.ts';
import type { Intent, IntentKind, ParseContext, ParseFailure, SiteValues } from './intent.ts';
import { normalizeText, tokenize } from './normalize.ts';

const JOB_ID = /\bJ-[2-9A-Z]{5}\b/i;
const APPROVAL_ID = /\bA-[2-9A-Z]{5}\b/i;

/** Words people use for each command (first word or phrase), for suggestions and help topics. */
const COMMAND_WORDS: Record<string, IntentKind> = {
  provision: 'provision',
  create: 'provision',
  new: 'provision',
  reset: 'reset',
  wipe: 'reset',
  restart: 'restart-provisioning',
  reprovision: 'restart-provisioning',
  reinstall: 'retry-package-install',
  change: 'change-and-restart',
  migrate: 'migrate',
  promote: 'migrate',
  deploy: 'migrate',
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
};

const ENVIRONMENT_SYNONYMS: Record<string, string[]> = {
  prod: ['production', 'live', 'prd'],
  dev: ['development', 'develop'],
  test: ['testing', 'qa', 'uat', 'staging'],
};

const STOPWORDS = new Set(
  'a an the my our this that please pls plz portal portals site sites website websites page for of to in on into at from with and or me can you could would will kindly now again it its is are be env environment called named as'.split(
    ' ',
  ),
);

const COMMAND_VOCABULARY = new Set(
  (
    'provision create new spin up set setup make build launch reset wipe nuke tear down teardown delete remove destroy ' +
    'factory restart retry redo rerun re-run resume reprovision re-provision provisioning change edit update fix values settings ' +
    'migrate migration promote deploy copy sync move push status how hows what whats going happening check state info ' +
    'details describe list show jobs job running recent cancel abort stop approve approved reject deny decline help ' +
    'templates template include includes troubleshoot diagnose explain who why cant cannot dry run dry-run plan only ' +
    'preview then recreate again up down ok working healthy need want'
  ).split(' '),
);

interface Words {
  /** Lower-case words without options, punctuation trimmed. */
  words: string[];
  /** The same, joined by spaces. */
  text: string;
  /** Words as typed (quotes kept), aligned with `words`. */
  raw: string[];
  options: Map<string, string>;
  flags: Set<string>;
}

function split(text: string): Words {
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
    const word = token.startsWith('"') ? token : token.replace(/^[([{]+|[)\]}.,;:!?]+$/g, '');
    if (!word) continue;
    raw.push(word);
    words.push(word.startsWith('"') ? word : word.toLowerCase());
  }
  return { words, raw, text: words.join(' '), options, flags };
}

function option(w: Words, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = w.options.get(key);
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

const unquote = (word: string) => word.replace(/^"|"$/g, '');

/** An environment alias named in the text, or a did-you-mean failure for one that is not registered. */
function findEnvironment(
  w: Words,
  context: ParseContext,
  roles: 'any' | 'source' | 'target' = 'any',
): string | ParseFailure | undefined {
  const aliases = context.environments.map((a) => a.toLowerCase());
  const resolve = (word: string): string | undefined => {
    const clean = unquote(word).toLowerCase();
    if (aliases.includes(clean)) return clean;
    for (const [alias, synonyms] of Object.entries(ENVIRONMENT_SYNONYMS)) {
      if (aliases.includes(alias) && synonyms.includes(clean)) return alias;
    }
    return undefined;
  };
  const given = option(
    w,
    'env',
    'environment',
    ...(roles === 'source' ? ['from', 'source'] : roles === 'target' ? ['to', 'target'] : []),
  );
  if (given) {
    const alias = resolve(given);
    if (alias) return alias;
    return unknownEnvironment(given, aliases);
  }
  if (roles !== 'any') return undefined;
  for (const word of w.words) {
    const alias = resolve(word);
    if (alias) return alias;
  }
  const index = w.words.findIndex(
    (word, i) => ['in', 'on', 'into'].includes(word) && w.words[i + 1] !== undefined,
  );
  if (index >= 0) {
    const candidate = unquote(w.words[index + 1]!);
    const next = w.words[index + 2];
    if ((next === 'env' || next === 'environment') && !resolve(candidate))
      return unknownEnvironment(candidate, aliases);
  }
  return undefined;
}

function unknownEnvironment(name: string, aliases: string[]): ParseFailure {
  const suggestions = closestMatches(name, aliases);
  return {
    kind: 'unknown',
    message: `There is no environment "${name}".${suggestions.length > 0 ? ` Did you mean ${suggestions.join(' or ')}?` : ` Known environments: ${aliases.join(', ')}.`}`,
    suggestions,
  };
}

function isFailure(value: unknown): value is ParseFailure {
  return typeof value === 'object' && value !== null && (value as ParseFailure).kind === 'unknown';
}

/** The site a sentence names: `site=`, a quoted name, or the most name-like word left. */
function findSite(w: Words, context: ParseContext, extraSkip: string[] = []): string | undefined {
  const given = option(w, 'site', 'portal', 'website');
  if (given) return given;
  const aliases = new Set(context.environments.map((a) => a.toLowerCase()));
  const skip = new Set([...extraSkip.map((s) => s.toLowerCase())]);
  const candidates = w.raw.filter((word, i) => {
    const lower = w.words[i]!;
    if (word.startsWith('"')) return true;
    if (STOPWORDS.has(lower) || COMMAND_VOCABULARY.has(lower) || aliases.has(lower) || skip.has(lower))
      return false;
    if (JOB_ID.test(word) || APPROVAL_ID.test(word)) return false;
    if (Object.values(ENVIRONMENT_SYNONYMS).flat().includes(lower)) return false;
    if (/^\d+$/.test(word)) return false;
    return /^[\w][\w.-]*$/.test(word);
  });
  const quoted = candidates.find((c) => c.startsWith('"'));
  if (quoted) return unquote(quoted);
  const nameLike = candidates.filter((c) => /[-\d]/.test(c));
  return (nameLike.at(-1) ?? candidates.at(-1))?.toLowerCase();
}

/**
 * Everything a template can be called: the API's `templateName` values with their aliases, then
 * the documents' partner add-ons (not templates; the commands explain that), longest alias first.
 */
const TEMPLATE_NAMES = [...PORTAL_TEMPLATES, ...PORTAL_ADD_ONS].map((t) => ({
  id: t.id,
  aliases: t.aliases,
  audiences: t.audiences,
}));
const TEMPLATE_ALIASES = TEMPLATE_NAMES.flatMap((t) => t.aliases.map((alias) => ({ id: t.id, alias }))).sort(
  (a, b) => b.alias.length - a.alias.length,
);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The audience of a template offered to one audience only (partner portal, employee self-service). */
function onlyAudienceOf(templateId: string): Audience | undefined {
  const audiences =
    TEMPLATE_NAMES.find((t) => t.id.toLowerCase() === templateId.toLowerCase())?.audiences ?? [];
  return audiences.length === 1 ? audiences[0] : undefined;
}

function findTemplate(w: Words): string | undefined {
  const given = option(w, 'template', 'templateid', 'templatename', 'type');
  const text = ` ${(given ?? w.text).toLowerCase()} `;
  const byId = TEMPLATE_NAMES.find((t) =>
    new RegExp(`(^|[^a-z0-9_-])${escapeRegExp(t.id.toLowerCase())}([^a-z0-9_-]|$)`).test(text),
  );
  if (byId) return byId.id;
  const byAlias = TEMPLATE_ALIASES.find(({ alias }) =>
    new RegExp(`(^|[^a-z])${alias.replace(/ /g, '[ -]')}([^a-z]|$)`).test(text),
  );
  return byAlias?.id ?? (given ? given : undefined);
}

function findLanguage(w: Words): number | undefined {
  const given = option(w, 'language', 'lang', 'lcid', 'locale');
  if (given && /^\d{4}$/.test(given)) return Number(given);
  const text = (given ?? '').toLowerCase() || w.text;
  for (const [lcid, name] of LANGUAGES) {
    const simple = name.toLowerCase().replace(/ \(.*\)$/, '');
    if (
      given
        ? text === simple || text === name.toLowerCase()
        : new RegExp(`\\b(in|language) ${simple}\\b`).test(text)
    )
      return lcid;
  }
  const lcid = /\b(10\d{2}|20\d{2}|30\d{2})\b/.exec(w.text);
  return lcid ? Number(lcid[1]) : undefined;
}

function findAudience(w: Words): Audience | undefined {
  const given = (option(w, 'audience', 'for') ?? '').toLowerCase();
  for (const audience of ['partner', 'customer', 'employee'] as const) {
    if (given.startsWith(audience)) return audience;
  }
  if (/\bfor (our )?(partners?)\b/.test(w.text)) return 'partner';
  if (/\bfor (our )?(customers?)\b/.test(w.text)) return 'customer';
  if (/\bfor (our )?(employees?|staff)\b/.test(w.text)) return 'employee';
  return undefined;
}

function siteValues(w: Words, includeSubdomainWord: boolean): SiteValues {
  const values: SiteValues = {};
  const named = /\b(?:called|named)\s+("[^"]+"|\S+)/.exec(w.raw.join(' '));
  const name = option(w, 'name', 'title') ?? (named ? unquote(named[1]!) : undefined);
  if (name) values.name = name;
  const subdomainWord = /\b(?:at|subdomain|url|address)\s+("[^"]+"|[\w-]+)/.exec(w.raw.join(' '));
  const subdomain =
    option(w, 'subdomain', 'url', 'domain') ??
    (includeSubdomainWord && subdomainWord ? unquote(subdomainWord[1]!) : undefined);
  if (subdomain) values.subdomain = subdomain;
  const template = findTemplate(w);
  if (template) values.templateId = template;
  const audience = findAudience(w) ?? (template ? onlyAudienceOf(template) : undefined);
  if (audience) values.audience = audience;
  const language = findLanguage(w);
  if (language) values.languageLcid = language;
  const admin =
    option(w, 'admin', 'administrator', 'owner') ?? /\badmin(?:istrator)?\s+(\S+@\S+)/.exec(w.text)?.[1];
  if (admin) values.siteAdministrator = admin;
  return values;
}

function kindOf(word: string | undefined): IntentKind | undefined {
  if (!word) return undefined;
  return (
    COMMAND_WORDS[word.toLowerCase()] ??
    (['help', 'status', 'sites', 'jobs'].includes(word) ? (word as IntentKind) : undefined)
  );
}

function withEnvironment<T extends Intent>(
  intent: T,
  environment: string | ParseFailure | undefined,
): T | ParseFailure {
  if (isFailure(environment)) return environment;
  return environment ? { ...intent, environment } : intent;
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
  const text = normalizeText(input);
  if (!text)
    return {
      kind: 'unknown',
      message: 'Tell me what you need, for example "sites in dev" or "help".',
      suggestions: ['help'],
    };
  const w = split(text);
  const t = w.text;
  const jobId = JOB_ID.exec(text)?.[0]?.toUpperCase();
  const approvalId = APPROVAL_ID.exec(text)?.[0]?.toUpperCase();
  const first = w.words[0] ?? '';

  if (
    /^\?+$/.test(text) ||
    /^(help|commands|usage|man)\b/.test(t) ||
    /\bwhat can (you|i) do\b/.test(t) ||
    /\bhow do i use\b/.test(t)
  ) {
    const topic = kindOf(w.words[1]) ?? kindOf(w.words.find((x, i) => i > 0 && kindOf(x)));
    return topic ? { kind: 'help', topic } : { kind: 'help' };
  }
  if (
    /\bwho (can|could|may|is able to) approve\b/.test(t) ||
    (/\bapprovers?\b.*\?*$/.test(t) && /^(who|list|show)\b/.test(t))
  ) {
    const site = findSite(w, context, [
      'who',
      'approve',
      'approvers',
      'resets',
      'reset',
      'migrations',
      'migration',
    ]);
    const base = { kind: 'who-can-approve' as const, ...(site && !['who'].includes(site) ? { site } : {}) };
    return withEnvironment(base, findEnvironment(w, context));
  }
  const why =
    /\bwhy (can'?t|cant|cannot|can not|am i not allowed to|am i unable to|won'?t you let me)\b(.*)$/.exec(t);
  if (why) {
    const rest = split(why[2] ?? '');
    const command = kindOf(rest.words.find((x) => kindOf(x))) ?? detectKind(rest.text);
    return withEnvironment(
      { kind: 'why-cant-i', ...(command ? { command } : {}) },
      findEnvironment(w, context),
    );
  }
  if (/^(approve|approved|lgtm|ok to go|approve it)\b/.test(t) || (approvalId && /\bapprove\b/.test(t))) {
    return { kind: 'approve', ...(approvalId ? { approvalId } : {}) };
  }
  if (/^(reject|deny|decline|refuse)\b/.test(t) || (approvalId && /\b(reject|deny|decline)\b/.test(t))) {
    const reason = option(w, 'reason') ?? /\b(?:because|reason:?)\s+(.+)$/.exec(text)?.[1];
    return { kind: 'reject', ...(approvalId ? { approvalId } : {}), ...(reason ? { reason } : {}) };
  }
  if (/^(cancel|abort|stop|kill)\b/.test(t)) return { kind: 'cancel', ...(jobId ? { jobId } : {}) };
  if (/^restore\b/.test(t)) {
    const snapshot = /\bsnapshot\s+(\S+)/i.exec(text)?.[1]?.replace(/[.,;!?]+$/, '');
    const site = findSite(w, context, ['restore', 'snapshot', 'to', ...(snapshot ? [snapshot] : [])]);
    return withEnvironment(
      { kind: 'restore', ...(site ? { site } : {}), ...(snapshot ? { snapshot } : {}) },
      findEnvironment(w, context),
    );
  }
  if (/^(unsubscribe|unfollow|mute|stop (sending )?alerts)\b/.test(t)) {
    return withEnvironment({ kind: 'unsubscribe' }, findEnvironment(w, context));
  }
  if (/^(subscribe|follow|watch|send (me|us) alerts|alert (me|us))\b/.test(t)) {
    return withEnvironment(
      { kind: 'subscribe', conditions: alertConditionsIn(w.words) },
      findEnvironment(w, context),
    );
  }
  if (/^((list|show|my|our|which|what)\s+)?(alerts|alert subscriptions|subscriptions)\??$/.test(t)) {
    return { kind: 'alerts' };
  }

  const kind = detectKind(t, Boolean(jobId));
  if (!kind) {
    if (jobId) return { kind: 'status', jobId };
    const suggestions = [
      ...new Set(closestMatches(first, Object.keys(COMMAND_WORDS)).map((word) => kindOf(word)!)),
    ];
    return {
      kind: 'unknown',
      message: `I did not understand "${text.slice(0, 80)}".${suggestions.length > 0 ? ` Did you mean ${suggestions.join(' or ')}?` : ''} Say "help" to see what I can do.`,
      suggestions: suggestions.length > 0 ? suggestions : ['help'],
    };
  }

  switch (kind) {
    case 'retry':
      return { kind: 'retry', ...(jobId ? { jobId } : {}) };
    case 'jobs':
      return { kind: 'jobs', mine: /\bmy\b|\bmine\b/.test(t) || w.flags.has('mine') };
    case 'troubleshoot': {
      const query = t.replace(/^(troubleshoot|diagnose|explain)\s*/, '').trim();
      return { kind: 'troubleshoot', query: query || t };
    }
    case 'templates': {
      const templateId = findTemplate(w);
      return templateId && !/^templates?$/.test(t)
        ? { kind: 'templates', templateId }
        : { kind: 'templates' };
    }
    case 'sites':
      return withEnvironment({ kind: 'sites' }, findEnvironment(w, context));
    case 'status': {
      if (jobId) return { kind: 'status', jobId };
      const site = findSite(w, context);
      return withEnvironment({ kind: 'status', ...(site ? { site } : {}) }, findEnvironment(w, context));
    }
    case 'migrate':
      return parseMigrate(w, context);
    case 'reset': {
      const reprovision =
        w.flags.has('reprovision') ||
        /\b(re-?provision|recreate|provision (it )?again|and provision)\b/.test(t);
      const site = findSite(w, context);
      return withEnvironment(
        { kind: 'reset', reprovision, ...(site ? { site } : {}) },
        findEnvironment(w, context),
      );
    }
    case 'retry-package-install': {
      const site = findSite(w, context, ['package', 'install', 'installation', 'reinstall', 're-install']);
      return withEnvironment(
        { kind: 'retry-package-install', ...(site ? { site } : {}) },
        findEnvironment(w, context),
      );
    }
    case 'restart-provisioning': {
      const site = findSite(w, context);
      return withEnvironment(
        { kind: 'restart-provisioning', ...(site ? { site } : {}) },
        findEnvironment(w, context),
      );
    }
    case 'change-and-restart': {
      const changes = siteValues(w, false);
      const site = findSite(w, context, [changes.name ?? '', changes.subdomain ?? '']);
      return withEnvironment(
        { kind: 'change-and-restart', changes, ...(site ? { site } : {}) },
        findEnvironment(w, context),
      );
    }
    case 'provision': {
      const values = siteValues(w, true);
      if (!values.subdomain) {
        const site = findSite(w, context, [
          values.name ?? '',
          ...(values.templateId ? templateWords(values.templateId) : []),
        ]);
        if (site && /^[a-z0-9][a-z0-9-]*$/i.test(site) && /[-\d]/.test(site)) values.subdomain = site;
      }
      return withEnvironment({ kind: 'provision', ...values }, findEnvironment(w, context));
    }
    default:
      return { kind: 'help' };
  }
}

function templateWords(templateId: string): string[] {
  const template = TEMPLATE_NAMES.find((t) => t.id === templateId);
  return template ? [template.id.toLowerCase(), ...template.aliases.flatMap((a) => a.split(' '))] : [];
}

/** The command a sentence asks for, by its verbs and phrasing. */
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

function detectKind(t: string, hasJobId = false): IntentKind | undefined {
  if (/^(troubleshoot|diagnose|explain)\b/.test(t)) return 'troubleshoot';
  if (
    /\b(retry|redo|re-?run|rerun|restart|re-?install|reinstall|fix)\b.*\bpackage\b/.test(t) ||
    /\b(retry|restart|redo)\s+(the\s+)?(package\s+)?install(ation)?\b/.test(t) ||
    /^re-?install\b/.test(t)
  )
    return 'retry-package-install';
  if (
    /\b(restart|retry|redo|re-?run|rerun|resume)\s+(the\s+)?provisioning\b/.test(t) ||
    /^re-?provision\b/.test(t)
  )
    return 'restart-provisioning';
  if (/\bprovisioning\b.*\b(restart|retry|again)\b/.test(t)) return 'restart-provisioning';
  if (/\b(change|edit|update|fix)\b.*\b(values?|settings|and restart|then restart)\b/.test(t))
    return 'change-and-restart';
  if (/^(retry|try again|rerun|re-run)\b/.test(t) && hasJobId) return 'retry';
  if (/^(retry|try again)\b/.test(t)) return 'retry';
  if (
    /\b(migrate|migration|promote|deploy|sync|push)\b/.test(t) ||
    /\b(copy|move)\b.*\b(config|configuration|site|portal)?\b.*\bto\b/.test(t)
  )
    return 'migrate';
  if (
    /\b(reset|wipe|nuke|tear down|teardown|factory reset|destroy)\b/.test(t) ||
    /^(delete|remove)\b/.test(t)
  )
    return 'reset';
  if (
    /\btemplates?\b/.test(t) ||
    (/\bwhat (does|do|is in|'?s in) (the |a )?.*\b(include|includes|portal|template)\b/.test(t) &&
      /\binclude|\bin the\b|\bin a\b/.test(t))
  )
    return 'templates';
  if (
    /^(provision|create|spin up|set up|setup|build|launch|new)\b/.test(t) ||
    /\b(provision|spin up)\b/.test(t) ||
    /\b(create|make|need|want)\b.*\b(new )?(site|portal|website)\b/.test(t)
  )
    return 'provision';
  // Asking about a named thing ("what's going on with contoso-broken") is a status question even
  // when the name holds a symptom word such as "broken".
  if (/\bwhat(?:'?s| is) (going on|up|happening|wrong) with\b/.test(t)) return 'status';
  if (
    /^(troubleshoot|diagnose|explain)\b/.test(t) ||
    (/\b(getting set up|stuck|error|failed|failing|broken|not working|doesn'?t work|install failed)\b/.test(
      t,
    ) &&
      /^(why|what|how|help with|troubleshoot)\b/.test(t)) ||
    (/\b[a-z]+_[a-z_]+\b/.test(t) && /^(what|explain|troubleshoot)/.test(t))
  )
    return 'troubleshoot';
  if (
    /^(my |list |show |running |recent )?(my )?jobs\b/.test(t) ||
    /\b(what'?s|what is) running\b/.test(t) ||
    /\b(list|show)( me)?( my| all| the| running| recent)? jobs\b/.test(t)
  )
    return 'jobs';
  if (
    /^(sites|portals|websites)\b/.test(t) ||
    /\b(list|show|what|which)\b.*\b(sites|portals|websites)\b/.test(t)
  )
    return 'sites';
  if (
    /^(status|state|check|info|details|describe|show)\b/.test(t) ||
    /\b(how is|how's|hows|what'?s (going on|up|happening) with|status of|state of|is .+ (up|ok|down|working|healthy))\b/.test(
      t,
    )
  )
    return 'status';
  return undefined;
}

function parseMigrate(w: Words, context: ParseContext): Intent | ParseFailure {
  const aliases = context.environments.map((a) => a.toLowerCase());
  const dryRun =
    w.flags.has('dry-run') ||
    w.flags.has('dryrun') ||
    /\b(dry[ -]?run|plan only|preview|what would)\b/.test(w.text);
  const source = findEnvironment(w, context, 'source');
  const target = findEnvironment(w, context, 'target');
  if (isFailure(source)) return source;
  if (isFailure(target)) return target;
  const mentioned: string[] = [];
  for (const word of w.words) {
    const clean = unquote(word);
    const alias = aliases.includes(clean)
      ? clean
      : Object.entries(ENVIRONMENT_SYNONYMS).find(([a, s]) => aliases.includes(a) && s.includes(clean))?.[0];
    if (alias) mentioned.push(alias);
  }
  const arrow = /\b(\S+)\s+(?:to|->|→|into)\s+(\S+)/.exec(w.text);
  let from = source;
  let to = target;
  if (!from || !to) {
    if (mentioned.length >= 2) {
      from ??= mentioned[0];
      to ??= mentioned[1];
    } else if (mentioned.length === 1) {
      if (/\b(to|into)\s+\S+/.test(w.text) && arrow && mentioned[0] === unquote(arrow[2]!))
        to ??= mentioned[0];
      else from ??= mentioned[0];
    }
    if (arrow && (!from || !to)) {
      const [left, right] = [unquote(arrow[1]!), unquote(arrow[2]!)];
      if (
        !from &&
        !aliases.includes(left) &&
        /^[a-z]+$/.test(left) &&
        !COMMAND_VOCABULARY.has(left) &&
        !STOPWORDS.has(left)
      ) {
        return unknownEnvironment(left, aliases);
      }
      if (!to && !aliases.includes(right) && /^[a-z]+$/.test(right) && !STOPWORDS.has(right))
        return unknownEnvironment(right, aliases);
    }
  }
  const site = findSite(w, context, ['configuration', 'config', 'dry', 'run']);
  return {
    kind: 'migrate',
    dryRun,
    ...(from ? { source: from } : {}),
    ...(to ? { target: to } : {}),
    ...(site && site !== from && site !== to ? { site } : {}),
  };
}
