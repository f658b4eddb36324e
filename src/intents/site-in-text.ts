/**
 * The site a sentence names: `site=`, a quoted name, or the most name-like word left once command
 * words, small words and environment names are set aside. For a destructive request only a word
 * that can be a site's name counts ("delete everything in prod" names no site: the command asks).
 */
import { isEnvironmentWord, option, unquote, type Words } from './words.ts';

/** Small words that never name a site. */
const STOPWORDS = new Set(
  (
    'a an the my our your this that these those please pls plz kindly now again yet still it its is are be been was ' +
    'were am i we you me us they them he she portal portals site sites website websites web page for of to in on ' +
    'into onto at from with and or can could would will should shall may might must do does did done doing has have ' +
    'had env environment environments called named as about tell up down by so just any all every some each here ' +
    'there where when what whats why how hows who which one ones thing things stuff everything anything something ' +
    'nothing whole undo last previous latest ok okay thanks thank thx hey hi hello yes no not dont don t s right today finished yet said says ' +
    'say saying shows show showing current currently looking look doing going happening at back last its first ' +
    'ahead already yesterday tomorrow tonight asap rn including both either instead real anyway though also too ' +
    'maybe really actually still soon later once twice morning afternoon evening night week weekend same ' +
    'didnt doesnt isnt wasnt wont cant couldnt shouldnt hasnt havent aint lunch mind deadline mistake ages other too ' +
    'then customer customers user users caller client'
  ).split(' '),
);

/** Words of commands and their phrasing, never a site. */
const COMMAND_WORDS = new Set(
  (
    'provision provisioning provisioned create new spin set setup make build launch reset wipe nuke tear teardown ' +
    'decommission take scrap trash blow away rid get halt terminate replicate clone mirror stand kick undo revert ' +
    'delete remove destroy factory restart restarts restarted reboot bounce recycle cycle retry redo rerun re-run ' +
    'resume reprovision re-provision kick off change edit update fix values settings language migrate migrating ' +
    'migration migrations promote deploy copy sync move push ship status state check info details describe list ' +
    'jobs job running recent cancel abort stop kill approve approved reject deny decline help templates template ' +
    'include includes troubleshoot diagnose explain cant cannot dry run dry-run plan only preview recreate working ' +
    'healthy need want config configuration cache clear data model enhanced standard convert upgrade switch over ' +
    'hosted failed fail failing broken stuck error install installing installation installed package reinstall ' +
    'restore snapshot news progress healthy up live work worked go another try safe exactly mean means happen ' +
    'happens overwrite changes alerts alert subscribe unsubscribe'
  ).split(' '),
);

/** Words between a verb and the site it acts on ("reset the contoso portal"). */
const ARTICLES = new Set([
  'the',
  'a',
  'an',
  'my',
  'our',
  'this',
  'that',
  'please',
  'pls',
  'of',
  'for',
  'site',
  'portal',
  'website',
]);
const SITE_WORDS = new Set(['site', 'portal', 'website']);

/**
 * Words given as a value, never the site: what follows "subdomain", "named", "called", and the
 * new value in "the subdomain of contoso-broken to broken-fixed".
 */
function valueWords(w: Words): string[] {
  const values: string[] = [];
  w.words.forEach((word, i) => {
    const next = w.words[i + 1];
    if (!next) return;
    if (/^(subdomain|named|called|title)$/.test(word) && !['of', 'to'].includes(next))
      values.push(unquote(next));
    const field = (word: string | undefined) => /^(subdomain|name|title)$/.test(word ?? '');
    const ofForm = w.words[i - 2] === 'of' && field(w.words[i - 3]);
    if (word === 'to' && (ofForm || field(w.words[i - 1]))) values.push(unquote(next));
  });
  return values.map((v) => v.toLowerCase());
}

/** Whether a word (as typed) can be a site's name: a subdomain, a name, an id. */
function nameLike(word: string): boolean {
  return (
    /^[a-z0-9][\w.-]*$/i.test(word) &&
    !/^\d+$/.test(word) &&
    !DURATION.test(word) &&
    !/^\d{4}-\d{2}-\d{2}/.test(word) &&
    !ENGLISH_COMPOUND.test(word)
  );
}

/** Words of a quoted state or error ("Install failed", "Getting set up"), never a quoted site name. */
const QUOTED_MESSAGE =
  /\b(failed|failure|fail|error|getting set up|installing|in use|not available|problem|denied|forbidden|expired?|expiring|suspended|configuring|removed)\b/i;

/** "2hrs", "10am", "3rd", "30min": times and counts, never a site. */
const DURATION = /^\d+(st|nd|rd|th|s|h|hr|hrs|hours?|m|mins?|minutes?|d|days?|w|wks?|weeks?|am|pm|x|%)$/i;

/**
 * Hyphenated English words ("pre-migration", "self-service", "follow-up", "built-in"), never a
 * site's name.
 */
const ENGLISH_COMPOUND =
  /^(pre|post|re|non|self|co|multi|anti|un|semi|cross|auto|well|half|full|opt|e|x|so|all|one|two|three|first|last)-[a-z]+$|^[a-z]+-(up|in|off|out|on|over|back|based|related|only|free|wide|level|time|ready|friendly|specific|facing|side|like|run|ish)$/i;
/** A word in Title-Case on both sides of its hyphen, as in a product's name. */
const TITLE_CASE_COMPOUND = /^[A-Z][a-z]+-[A-Z][a-z]+$/;

/**
 * The site named in `w`. `skip` lists more words that are not the site (a template's words, a
 * name given with "called"); `strict` keeps only words that look like site names (a hyphen or
 * digit, a quoted name, `site=`, or the word right after the command verb or "site"/"portal").
 * `unquoted` sets quoted words aside (beside a pasted message, the quotes hold the message).
 */
export function findSite(
  w: Words,
  skip: readonly string[] = [],
  strict = false,
  unquoted = false,
): string | undefined {
  const given = option(w, 'site', 'portal', 'website', 'subdomain');
  if (given) return given;
  const skipped = new Set([...skip.map((s) => s.toLowerCase()), ...valueWords(w)]);
  const candidates: { word: string; index: number }[] = [];
  // A message typed In Title Case throughout says nothing by its capitals.
  const titleCased = w.raw.filter((word) => /^[A-Z]/.test(word)).length > w.raw.length * 0.6;
  w.raw.forEach((word, i) => {
    const lower = w.words[i]!;
    if (word.startsWith('"')) {
      if (unquoted) return;
      // A quoted name ("Partner Hub"), not a quoted message ("The website is not available. Error 403").
      const quoted = unquote(word);
      if (
        !isEnvironmentWord(w, i) &&
        quoted.split(' ').length <= 4 &&
        !/[.:!?;()]/.test(quoted) &&
        !QUOTED_MESSAGE.test(quoted) &&
        // "what does 'restart provisioning' do" quotes a command, not a site.
        !quoted
          .toLowerCase()
          .split(' ')
          .every((q) => COMMAND_WORDS.has(q) || STOPWORDS.has(q))
      )
        candidates.push({ word: quoted, index: i });
      return;
    }
    if (STOPWORDS.has(lower) || COMMAND_WORDS.has(lower) || skipped.has(lower)) return;
    if (isEnvironmentWord(w, i) || /^#/.test(word) || /^[JA]-?[2-9A-Z]{5}$/i.test(word)) return;
    // A ticket's number ("INC-20931", "CHG0031") is not a site.
    if (
      /^[A-Z]{2,6}-?\d{3,}$/.test(word) ||
      /^(ticket|incident|chg|ref|case|req)$/.test(w.words[i - 1] ?? '')
    )
      return;
    // "Customer Self-Service package": a pasted product name, not a site ("Reset Contoso-Dev" is one).
    const titled = (j: number) => j > 0 && /^[A-Z][a-z]+$/.test(w.raw[j] ?? '');
    if (TITLE_CASE_COMPOUND.test(word) && !titleCased && (titled(i - 1) || titled(i + 1))) return;
    if (nameLike(word)) candidates.push({ word, index: i });
  });
  const quoted = candidates.find((c) => w.raw[c.index]!.startsWith('"'));
  if (quoted) return quoted.word;
  const named = candidates.filter((c) => /[-\d]/.test(c.word));
  // A destructive request works on one site: naming two ("restart contoso-dev and contoso-events")
  // names none for sure, so the command asks which.
  if (strict && new Set(named.map((c) => c.word.toLowerCase())).size > 1) return undefined;
  if (named.length > 0) return named.at(-1)!.word.toLowerCase();
  if (strict) {
    // A plain word is a site only where a site's name stands: "reset contoso in prod", "the contoso site".
    // Right after the verb or "site"/"portal", past articles only: "nuke it from orbit" names none.
    const placed = candidates.find((c) => {
      let i = c.index - 1;
      while (i >= 0 && ARTICLES.has(w.words[i]!)) i--;
      const before = w.words[i];
      const after = w.words[c.index + 1];
      // "our faculty site" describes a site; it does not name one.
      if (['our', 'my', 'your', 'their'].includes(w.words[c.index - 1] ?? '')) return false;
      return (
        before === undefined ||
        COMMAND_WORDS.has(before) ||
        SITE_WORDS.has(before) ||
        SITE_WORDS.has(after ?? '')
      );
    });
    return placed?.word.toLowerCase();
  }
  return candidates.at(-1)?.word.toLowerCase();
}

/** Whether `w` names something that looks like a site (a hyphenated or numbered name, or a quoted one). */
export function namesSite(w: Words): boolean {
  const site = findSite(w, [], true);
  return site !== undefined && /[-\d]|\s/.test(site);
}
