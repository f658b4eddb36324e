/**
 * Making user- and site-supplied text inert on each surface. Site names, descriptions, what
 * people typed and what the platform answered reach every view; shown as they are, they could
 * ping a Slack channel (`<!channel>`), draw a link under a harmless label (`[Sign in](https://…)`)
 * or drive the terminal with escape sequences. Each renderer applies one of these to every text
 * it shows, so no field can be forgotten.
 */

/**
 * Text for Slack `mrkdwn` (and the `text` fallback, which Slack parses the same way): `&`, `<`
 * and `>` become entities, as docs.slack.dev/messaging/formatting-message-text#escaping asks, so
 * `<!channel>`, `<@U…>` and `<url|label>` show as typed instead of acting.
 * @example escapeSlack('<!channel> & co') === '&lt;!channel&gt; &amp; co'
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `%XX` for one character (`encodeURIComponent` leaves `(`, `)` and others as they are). */
const percentEncoded = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/** An http(s) address as it may go in a link, or undefined when it is no such address. */
function webAddress(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Slack link to a site's address: `<https://…>` for an http(s) address (the characters that
 * end or label a link percent-encoded), the address as plain escaped text otherwise.
 */
export function slackLink(url: string): string {
  const address = webAddress(url);
  if (!address) return escapeSlack(url);
  const target = address.href.replace(/[|<>\s]/g, percentEncoded).replace(/&/g, '&amp;');
  return `<${target}>`;
}

/** Zero-width space: invisible, but it breaks the syntax it is put into. */
const BREAK = '\u200b';

/**
 * Text for an Adaptive Card `TextBlock` or `FactSet` in Teams, whose markdown would turn
 * `[label](url)` into a live link and whose host reads `<at>…</at>` mentions and HTML. A
 * zero-width space goes between `]` and `(` (no link), after every `<` (no tag, no mention) and
 * after every `&` (no entity); the text reads the same.
 * @example neutraliseCardMarkdown('[click](https://evil.example)') // "[click]\u200b(https://evil.example)"
 */
export function neutraliseCardMarkdown(text: string): string {
  if (!/[\]<&]/.test(text)) return text;
  return text.replace(/\]\s*\(/g, (m) => `]${BREAK}${m.slice(1)}`).replace(/[<&]/g, (c) => `${c}${BREAK}`);
}

/**
 * A markdown link to a site's address for an Adaptive Card: the label neutralised, the target
 * an http(s) address with the characters that would end it percent-encoded; plain text when the
 * address is not http(s).
 */
export function cardLink(url: string): string {
  const address = webAddress(url);
  const label = neutraliseCardMarkdown(url);
  if (!address) return label;
  const target = address.href.replace(/[()<>\s[\]]/g, percentEncoded);
  return `[${label}](${target})`;
}

/**
 * Characters a terminal would act on instead of print: C0 controls but newline and tab (ESC
 * starts colour, cursor and OSC 8 hyperlink sequences; CR overwrites the line), DEL, C1
 * controls, and the bidirectional overrides that make text read differently than it is.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for the terminal: each control character becomes `�`, so a site name cannot move the
 * cursor, recolour the screen or open a link.
 */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_CONTROLS, '\ufffd');
}
