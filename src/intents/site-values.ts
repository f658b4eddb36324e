/**
 * The values of a provisioning named in a sentence: name ("called …"), subdomain ("at …"),
 * template (API name or what people call it), audience, language and site administrator.
 */
import { PORTAL_ADD_ONS } from '../domain/portal-add-ons.ts';
import { LANGUAGES } from '../domain/provisioning-rules.ts';
import { type Audience, PORTAL_TEMPLATES } from '../domain/templates.ts';
import type { SiteValues } from './intent.ts';
import { option, unquote, type Words } from './words.ts';

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

/** Each template's id as a pattern, and each alias's, made once (in the tables' order). */
const TEMPLATE_ID_PATTERNS = TEMPLATE_NAMES.map((t) => ({
  id: t.id,
  pattern: new RegExp(`(^|[^a-z0-9_-])${escapeRegExp(t.id.toLowerCase())}([^a-z0-9_-]|$)`),
}));
const TEMPLATE_ALIAS_PATTERNS = TEMPLATE_ALIASES.map(({ id, alias }) => ({
  id,
  pattern: new RegExp(`(^|[^a-z])${alias.replace(/ /g, '[ -]')}([^a-z]|$)`),
}));

/** The template a sentence names (`template=` or by name), as the API's id. */
export function findTemplate(w: Words): string | undefined {
  const given = option(w, 'template', 'templateid', 'templatename', 'type');
  const text = ` ${(given ?? w.text).toLowerCase()} `;
  const byId = TEMPLATE_ID_PATTERNS.find((t) => t.pattern.test(text));
  if (byId) return byId.id;
  const byAlias = TEMPLATE_ALIAS_PATTERNS.find((a) => a.pattern.test(text));
  return byAlias?.id ?? (given ? given : undefined);
}

/** The words of a template's id and aliases (never a site's name). */
export function templateWords(templateId: string): string[] {
  const template = TEMPLATE_NAMES.find((t) => t.id === templateId);
  return template ? [template.id.toLowerCase(), ...template.aliases.flatMap((a) => a.split(' '))] : [];
}

/** Each language's names and the sentence pattern naming it, made once (in the table's order). */
const LANGUAGE_NAMES = [...LANGUAGES].map(([lcid, name]) => {
  const full = name.toLowerCase();
  const simple = full.replace(/ \(.*\)$/, '');
  return {
    lcid,
    full,
    simple,
    inSentence: new RegExp(`\\b(in|language|to) ${simple}\\b|\\b${simple}[- ](language|speaking)\\b`),
  };
});

function findLanguage(w: Words): number | undefined {
  const given = option(w, 'language', 'lang', 'lcid', 'locale');
  if (given && /^\d{4}$/.test(given)) return Number(given);
  const text = (given ?? '').toLowerCase() || w.text;
  for (const { lcid, full, simple, inSentence } of LANGUAGE_NAMES) {
    if (given ? text === simple || text === full : inSentence.test(text)) return lcid;
  }
  const lcid = /\b(10\d{2}|20\d{2}|30\d{2})\b/.exec(w.text);
  return lcid ? Number(lcid[1]) : undefined;
}

function findAudience(w: Words): Audience | undefined {
  const given = (option(w, 'audience', 'for') ?? '').toLowerCase();
  for (const audience of ['partner', 'customer', 'employee'] as const) {
    if (given.startsWith(audience)) return audience;
  }
  const stated = /\baudience:? (partners?|customers?|clients?|employees?|staff)\b/.exec(w.text)?.[1];
  if (stated)
    return stated.startsWith('partner')
      ? 'partner'
      : /^(employee|staff)/.test(stated)
        ? 'employee'
        : 'customer';
  if (/\bfor (our )?(partners?)\b/.test(w.text)) return 'partner';
  if (/\bfor (our )?(customers?|clients?)\b/.test(w.text)) return 'customer';
  if (/\bfor (our )?(employees?|staff|colleagues|internal use)\b/.test(w.text)) return 'employee';
  if (/\b(customer|client)s? (portal|site|website)\b/.test(w.text)) return 'customer';
  if (/\b(employee|staff|internal)s? (portal|site|website)\b/.test(w.text)) return 'employee';
  return undefined;
}

/** The provisioning values a sentence gives; `includeSubdomainWord` reads "at <subdomain>". */
export function siteValues(w: Words, includeSubdomainWord: boolean): SiteValues {
  const values: SiteValues = {};
  // "called Partner Hub": the name runs over its capitalized words ("called Events in dev" → Events).
  const named =
    /\b(?:called|named|(?:name|call|title) it)\s+("[^"]+"|[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|\d+\b))*|\S+)/.exec(
      w.raw.join(' '),
    );
  const name = option(w, 'name', 'title') ?? (named ? unquote(named[1]!) : undefined);
  if (name) values.name = name;
  const subdomainWord =
    /\b(?:at|subdomain|url|address)\s+(?!(?:yet|is|was|of|to|for|and|or|the|a|it|that|this|instead|already|later|field|value|taken|clash\w*|conflict\w*|\w+ed)\b)("[^"]+"|[\w-]+)/i.exec(
      w.raw.join(' '),
    );
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
    option(w, 'admin', 'administrator', 'owner') ??
    (/\badmin(?:istrator)?\s+(?:to\s+|=\s*|:\s*|(?:should|must|needs to|has to) be\s+)?(\S+@\S+)/.exec(
      w.text,
    ) ?? /\bmake\s+(\S+@\S+)\s+(?:the\s+)?(?:site\s+)?(?:admin|administrator|owner)\b/.exec(w.text))?.[1];
  if (admin) values.siteAdministrator = admin;
  return values;
}
