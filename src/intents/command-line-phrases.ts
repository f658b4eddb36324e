/**
 * Messages typed like a command line or like the bot's own words, rewritten into the phrasing
 * the rules read: a command's id as its first word ("restart-site --env dev --site contoso-dev",
 * "man move-data-model"), flags that take a value (`--site contoso-dev`, `-e dev`, `--name "Vendor
 * Hub"`), `site/env` pairs ("contoso-broken/dev"), and misspelt domain nouns ("provisoning").
 */
import { editDistance } from '../domain/closest-matches.ts';

/**
 * A site record pasted as JSON (`{"name":"contoso-broken","status":"OperationFailed",…}`) as the
 * sentence it says: "contoso-broken shows OperationFailed".
 */
function pastedRecord(text: string): string {
  if (!/^\s*\{[\s\S]*\}\s*$/.test(text)) return text;
  try {
    const record = JSON.parse(text) as Record<string, unknown>;
    const name = [record.subdomain, record.name, record.websiteName, record.siteName].find(
      (v): v is string => typeof v === 'string' && /^[a-z0-9][a-z0-9-]*$/i.test(v),
    );
    const states = [record.status, record.packageInstallStatus].filter((v) => typeof v === 'string');
    return name ? `${name} shows ${states.join(' ')}`.trim() : text;
  } catch {
    return text;
  }
}

/** Command ids people type as they appear in help, with the words the rules read them by. */
const COMMAND_IDS: Record<string, string> = {
  'restart-site': 'restart',
  'restart-provisioning': 'restart provisioning',
  'change-and-restart': 'change values and restart',
  'retry-package-install': 'retry the package install',
  'move-data-model': 'move to the enhanced data model',
  'who-can-approve': 'who can approve',
  'why-cant-i': "why can't i",
};

/** Flags whose value follows them, and the option each sets. */
const VALUE_FLAGS: Record<string, string> = {
  env: 'env',
  environment: 'env',
  e: 'env',
  site: 'site',
  portal: 'site',
  s: 'site',
  name: 'name',
  title: 'name',
  n: 'name',
  subdomain: 'subdomain',
  template: 'template',
  t: 'template',
  from: 'from',
  source: 'from',
  src: 'from',
  to: 'to',
  target: 'to',
  dst: 'to',
  dest: 'to',
  language: 'language',
  lang: 'language',
  admin: 'admin',
  reason: 'reason',
  snapshot: 'snapshot',
  audience: 'audience',
};

/**
 * Nouns of the domain a typo should not hide: never a command verb (a misspelt verb is asked
 * about) nor an environment's name (a misspelt one is asked about too).
 */
const DOMAIN_NOUNS = [
  'provisioning',
  'environment',
  'package',
  'installation',
  'snapshot',
  'template',
  'templates',
  'approval',
  'approvals',
  'subscription',
  'enhanced',
  'configuration',
  'alerts',
];

/** Words already looked at: the same words come again and again, and an edit distance is not cheap. */
const correctedWords = new Map<string, string>();

/** `word` corrected to the domain noun it is one or two typos away from, or itself. */
function corrected(word: string): string {
  if (word.length < 6 || /[^a-z]/.test(word) || DOMAIN_NOUNS.includes(word)) return word;
  const known = correctedWords.get(word);
  if (known !== undefined) return known;
  if (correctedWords.size >= 10_000) correctedWords.clear();
  const fixed = nearestNoun(word);
  correctedWords.set(word, fixed);
  return fixed;
}

/** The one domain noun `word` is a typo or two away from, or `word`. */
function nearestNoun(word: string): string {
  const allowed = word.length >= 11 ? 2 : 1;
  const near = DOMAIN_NOUNS.filter(
    (noun) => Math.abs(noun.length - word.length) <= allowed && editDistance(word, noun) <= allowed,
  );
  return near.length === 1 ? near[0]! : word;
}

/** The text with command ids, value flags, `site/env` pairs and misspelt domain nouns rewritten. */
export function commandLinePhrasing(text: string): string {
  let out = pastedRecord(text)
    // A site's address names it by its subdomain: "https://contoso-dev.powerappsportals.com/…".
    .replace(
      /\bhttps?:\/\/([a-z0-9][a-z0-9-]*)\.(?:powerappsportals|powerpages|microsoftcrmportals)\.[a-z.]+(?:\/\S*)?/gi,
      '$1',
    )
    // A ticket's number leading the message: "INC0077120 - Please reset …", "RITM0045521 | Request …".
    .replace(/^\s*(?:FW|FWD|RE):\s*/i, '')
    .replace(/^\s*[A-Z]{2,6}\d{4,}\s*[-|–—]\s*/, '')
    // "contoso-broken/dev": a site and its environment (never a URL).
    .replace(
      /(^|\s)([a-z0-9][\w-]*)\/([a-z][\w-]*)(?=\s|$|[,.;:!?])/gi,
      (whole, pre, a: string, b: string) => (/[-\d]/.test(a) ? `${pre}${a} in ${b}` : whole),
    )
    // "--site contoso-dev", "-e dev", "--name \"Vendor Hub\"": a flag and its value are one option.
    .replace(
      /(^|\s)--?([a-z]+)\s+("[^"]*"|'[^']*'|[^\s-][^\s]*)/gi,
      (whole, pre, flag: string, value: string) => {
        const key = VALUE_FLAGS[flag.toLowerCase()];
        return key ? `${pre}${key}=${value}` : whole;
      },
    );
  const first = /^\s*(man\s+|help\s+)?([a-z]+(?:-[a-z]+)+)\b/i.exec(out);
  const phrase = first ? COMMAND_IDS[first[2]!.toLowerCase()] : undefined;
  if (first && phrase) out = `${first[1] ? 'help ' : ''}${phrase}${out.slice(first[0].length)}`;
  out = out
    // "re-try", "re-start": the verb as one word.
    .replace(/\bre-(try|start|run|do|install|boot|deploy)\b/gi, 're$1')
    // Approval by emoji alone (the command still asks which request when none is named).
    .replace(/^\s*(👍|✅|👌)\s*$/u, 'approve')
    .replace(/\b(jbos|jibs|josb|jobss|jobz)\b/gi, 'jobs')
    .replace(/\b(wats|wat's|whta's|whats)\b/gi, "what's")
    .replace(/\b(sties|stes|sitse|siets)\b/gi, 'sites')
    .replace(/\b(alers|alrets|aletrs|alertz)\b/gi, 'alerts');
  return out.replace(/[A-Za-z]+/g, (word) => {
    const fixed = corrected(word.toLowerCase());
    return fixed === word.toLowerCase() ? word : fixed;
  });
}
