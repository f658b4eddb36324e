/**
 * Pure translation between Teams activities and the chat core: what someone said (mentions
 * removed), whether the bot was addressed, and the card attachments of views as Teams shows them.
 */
import type { Activity, ConversationReference } from '@microsoft/agents-activity';
import { renderAdaptiveCard, renderAdaptiveCardJson } from '../../views/adaptive-renderer.ts';
import { neutraliseCardMarkdown } from '../../views/escape.ts';
import type { View } from '../../views/view.ts';
import { activityJson, SerializedCard } from './activity-json.ts';

/** Content type of an Adaptive Card attachment. */
export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * Teams' limits on what the bot sends.
 * - `refreshUsers`: "Maximum 60 different users can see a different version of the card"
 *   (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/user-specific-views).
 * - `messageBytes`: the bot message limit counts the whole payload encoded as UTF-16
 *   (learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages: 40 KB in
 *   older versions of the page, 100 KB with 80 KB advised in newer ones; Teams' own connectors
 *   stop at about 28 KB). The strictest, 28 KB of UTF-16, is kept so a card fits everywhere;
 *   a larger one is refused with 413 `MessageSizeTooBig`.
 */
export const TEAMS_LIMITS = { refreshUsers: 60, messageBytes: 28 * 1024 };

/** The size Teams counts for a payload: its JSON as UTF-16 (two bytes per code unit). */
export function teamsPayloadBytes(payload: object): number {
  return activityJson(payload).length * 2;
}

/** The text of a message without `<at>…</at>` mentions and HTML leftovers. */
export function messageText(activity: Pick<Activity, 'text'>): string {
  return (activity.text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether a message is meant for the bot: always in personal and group chats (Teams delivers
 * group messages to a bot only when it is mentioned), in channels only when it is mentioned.
 */
export function isAddressedToBot(
  activity: Pick<Activity, 'conversation' | 'entities' | 'recipient'>,
): boolean {
  if (activity.conversation?.conversationType !== 'channel') return true;
  const botId = activity.recipient?.id;
  return (activity.entities ?? []).some(
    (e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === botId,
  );
}

/** Who is looking at a card, to decide what it shows them. */
export interface CardViewer {
  id: string;
  email?: string;
}

/**
 * The Adaptive Card of a view for Teams. An approval request shows its Approve/Reject buttons
 * only to approvers: the card everyone sees carries the status and a `refresh` for the
 * approvers' Teams ids, and Teams fetches their own version (with buttons) from the bot. When
 * no approver's Teams id is known yet, or there are more approvers than Teams shows personal
 * versions to (60), there is no `refresh` and the buttons stay on the shared card: everyone sees
 * them, and a click from someone who may not approve is refused by the chat core's policy check.
 */
export function teamsCard(
  view: View,
  options: { approverTeamsIds?: string[]; viewer?: CardViewer } = {},
): Record<string, unknown> {
  const card: Record<string, unknown> = renderAdaptiveCard(view);
  if (view.type !== 'approval-request') return card;
  const known = options.approverTeamsIds ?? [];
  const teamsIds = known.length > TEAMS_LIMITS.refreshUsers ? [] : known;
  const refresh = card.refresh as { userIds?: string[] } | undefined;
  if (refresh) {
    if (teamsIds.length === 0) delete card.refresh;
    else refresh.userIds = teamsIds;
  }
  const viewer = options.viewer;
  const isApprover =
    viewer !== undefined &&
    view.approverIds.some(
      (a) =>
        a === viewer.id || (viewer.email !== undefined && a.toLowerCase() === viewer.email.toLowerCase()),
    );
  if (teamsIds.length > 0 && !isApprover) delete card.actions;
  return card;
}

/**
 * The card of a view as a message carries it: as its JSON text, except an approval request's,
 * which is made for its approvers (see {@link teamsCard}).
 */
export function teamsCardContent(
  view: View,
  options: { approverTeamsIds?: string[] } = {},
): Record<string, unknown> | SerializedCard {
  if (view.type === 'approval-request') return teamsCard(view, options);
  return new SerializedCard(renderAdaptiveCardJson(view));
}

/** A message activity carrying one card. */
export function cardActivity(
  card: Record<string, unknown> | SerializedCard,
  summary?: string,
): Partial<Activity> {
  return {
    type: 'message',
    ...(summary ? { summary } : {}),
    attachments: [{ contentType: ADAPTIVE_CARD, content: card }],
  };
}

/** The invoke response body that replaces the clicked card. */
export function cardInvokeResponse(card: Record<string, unknown>) {
  return { statusCode: 200, type: ADAPTIVE_CARD, value: card };
}

/** The invoke response body that leaves the card as it is, with a short note. */
export function messageInvokeResponse(text: string) {
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: neutraliseCardMarkdown(text),
  };
}

/** Conversations of several people: a message the bot posts there is for the conversation. */
const SHARED_CONVERSATIONS = new Set(['groupChat', 'channel']);

/**
 * The parts of a conversation reference worth storing (no secrets in it): where the
 * conversation is, not which message came last, so it stays the same from one message to the next.
 * In a group chat or a channel that leaves out who spoke last too (the reference's `user`): the
 * bot's later posts there (progress, approvals, alerts) address the conversation, and otherwise
 * every message from someone else would rewrite the record. A personal chat keeps its person.
 */
export function storableReference(reference: Partial<ConversationReference>): Record<string, unknown> {
  const { activityId: _activityId, ...rest } = reference;
  if (SHARED_CONVERSATIONS.has(String(reference.conversation?.conversationType))) delete rest.user;
  return plainCopy(rest) as Record<string, unknown>;
}

/** A copy of JSON-like data as JSON would make it (undefined members left out), without the text in between. */
function plainCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : plainCopy(item)));
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(value));
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined && typeof member !== 'function') copy[key] = plainCopy(member);
  }
  return copy;
}

/** A short plain-text summary of a view (notification previews, screen readers). */
export function viewSummary(view: View): string {
  return neutraliseCardMarkdown(summaryOf(view));
}

function summaryOf(view: View): string {
  switch (view.type) {
    case 'message':
      return view.text.slice(0, 120);
    case 'job-progress':
    case 'job-result':
      return view.job.title;
    case 'approval-request':
    case 'confirmation':
    case 'failure':
    case 'form':
    case 'site-status':
    case 'migration-plan':
      return view.title;
    default:
      return 'PortalOps';
  }
}
