/**
 * Reading what Slack sends in the parts that are free text: button values (ours are JSON,
 * others' are anything) and mention texts.
 */

/**
 * A button's value as its verb and data; undefined for values that are not ours (another app's
 * button, an old message): `{"verb": …, …ids}` is all PortalOps puts in a value.
 */
export function buttonData(
  value: string | undefined,
): ({ verb: string } & Record<string, string>) | undefined {
  try {
    const parsed = JSON.parse(value ?? '') as unknown;
    if (!parsed || typeof parsed !== 'object' || typeof (parsed as { verb?: unknown }).verb !== 'string')
      return undefined;
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    ) as { verb: string } & Record<string, string>;
  } catch {
    return undefined;
  }
}

/** A mention's text without the `<@U…>` mentions it starts with (the bot's own). */
export function withoutLeadingMentions(text: string): string {
  return text.replace(/^(\s*<@[A-Z0-9]+(?:\|[^>]*)?>)+/i, '').trim();
}
