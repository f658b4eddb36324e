/**
 * What one Slack request leaves the replies to it: the trigger that can open a modal (once,
 * within 3 seconds), the loading modal already opened at the acknowledgement, the request's
 * `response_url`, and who asked. It rides in `ConversationRef.live` and is never stored.
 */

/** A modal Slack opened: its id and the hash that guards the next `views.update`. */
export interface OpenedModal {
  ok: true;
  id: string;
  hash?: string;
}

/** Why a modal could not be opened (e.g. `expired_trigger_id`). */
export interface RefusedModal {
  ok: false;
  error: string;
}

/** The live handle of one Slack request. */
export interface SlackTurn {
  /** Who sent the request (their DM is the last way to reach them). */
  userId: string;
  /** Usable once: consumed by the first form that opens with it. */
  triggerId?: string;
  /** The loading modal opened at the acknowledgement; the first reply fills or replaces it. */
  modal?: Promise<OpenedModal | RefusedModal>;
  /** Where Slack takes answers to this request even in channels the bot is not in. */
  responseUrl?: string;
  /** The clicked message is ephemeral: only `response_url` can replace it. */
  ephemeral?: boolean;
}

/** The Slack turn of a conversation handle, if it came from a live request. */
export function slackTurnOf(live: unknown): SlackTurn | undefined {
  const turn = live as SlackTurn | undefined;
  return turn && typeof turn.userId === 'string' ? turn : undefined;
}

/**
 * Slack's answers that mean the bot cannot post or edit in the channel: it is not a member
 * (`not_in_channel`), or cannot see it at all, as with private channels it was not added to
 * (`channel_not_found`). Error names from docs.slack.dev/reference/methods/chat.postMessage.
 */
export const UNREACHABLE_CHANNEL_ERRORS: ReadonlySet<string> = new Set([
  'not_in_channel',
  'channel_not_found',
]);

/** The `error` of a Slack Web API platform error (`{ ok: false, error }`), if it is one. */
export function slackErrorOf(error: unknown): string | undefined {
  const e = error as { code?: string; data?: { error?: unknown } } | undefined;
  return e?.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string'
    ? e.data.error
    : undefined;
}
