/**
 * Cleans chat text before parsing: bot mentions (Teams `<at>…</at>`, Slack `<@U…>`, a leading
 * `@PortalOps`), markup, control characters, smart quotes, and overlong input.
 */

/** Longest input the parser looks at; chat commands are short. */
export const MAX_INPUT_LENGTH = 1_000;

/** The text with mentions and markup removed, whitespace collapsed. */
export function normalizeText(raw: string): string {
  let text = String(raw ?? '').slice(0, MAX_INPUT_LENGTH * 4);
  text = text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<@[A-Z0-9._-]+(\|[^>]*)?>/gi, ' ')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/gi, '$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/gi, '$2')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2066-\u2069]/g, ' ')
    .replace(/^\s*@?portal\s*ops\b[:,]?/i, ' ')
    .replace(/(^|\s)@portal\s*ops\b[:,]?/gi, ' ')
    .replace(/^\s*\/portal\b/i, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.slice(0, MAX_INPUT_LENGTH);
}

/** A word split of normalized text, keeping quoted phrases together and `key=value` pairs whole. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /(?:[\w.-]+=)?"([^"]*)"|(?:[\w.-]+=)?'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    const whole = match[0];
    const eq = /^([\w.-]+)=["']/.exec(whole);
    if (eq) tokens.push(`${eq[1]}=${match[1] ?? match[2] ?? ''}`);
    else if (match[1] !== undefined || match[2] !== undefined) tokens.push(`"${match[1] ?? match[2]}"`);
    else tokens.push(match[3]!);
  }
  return tokens;
}
