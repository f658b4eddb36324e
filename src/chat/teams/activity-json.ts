/**
 * A reply's JSON written once. A card is rendered as JSON text (`renderAdaptiveCardJson`) and
 * carried inside the activity as a {@link SerializedCard}; the Bot Connector transport writes the
 * activity around that text instead of copying and serializing the card again. The SDK's own
 * client serializes every outgoing activity twice more (a deep copy through JSON, then the
 * request body), which for a card-sized reply was a twentieth of a turn's CPU.
 */

/**
 * An Adaptive Card kept as its JSON text. Anything that serializes it the ordinary way
 * (`JSON.stringify`, a logger, an invoke response) gets the card itself through `toJSON`.
 */
export class SerializedCard {
  constructor(readonly json: string) {}

  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

/** `{…head}` with `"name":<raw JSON>` added as its last member. */
function withMember(head: string, name: string, raw: string): string {
  return `${head.slice(0, -1)}${head === '{}' ? '' : ','}"${name}":${raw}}`;
}

function attachmentJson(attachment: unknown): string {
  if (!attachment || typeof attachment !== 'object') return JSON.stringify(attachment);
  const { content, ...rest } = attachment as { content?: unknown };
  if (!(content instanceof SerializedCard)) return JSON.stringify(attachment);
  return withMember(JSON.stringify(rest), 'content', content.json);
}

/**
 * The activity as the Bot Connector receives it, as `JSON.stringify` would write it, with the
 * cards of its attachments written from their kept text.
 */
export function activityJson(activity: object): string {
  const { attachments, ...rest } = activity as { attachments?: unknown };
  if (!Array.isArray(attachments) || !attachments.some((a) => a?.content instanceof SerializedCard))
    return JSON.stringify(activity);
  return withMember(JSON.stringify(rest), 'attachments', `[${attachments.map(attachmentJson).join(',')}]`);
}
