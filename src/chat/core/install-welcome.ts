/**
 * Once per installation: platforms announce one installation with more than one event (Teams
 * sends a conversationUpdate and an installationUpdate; Slack a member_joined_channel per
 * channel), and may repeat them. The welcome is keyed by the conversation and how many times the
 * bot was removed from it, so removing and adding the bot again greets again, and nothing else does.
 */
import type { Store } from '../../storage/store.ts';
import { handleOnce } from './handle-once.ts';
import type { ConversationRef } from './surface.ts';

/** How long an installation's welcome is remembered: a year (a removal forgets it at once). */
const INSTALL_TTL_MS = 365 * 24 * 60 * 60 * 1000;

const removalsKey = (c: ConversationRef) => `installs:${c.surface}:${c.conversationId}:removals`;

/** Runs `welcome` the first time the bot's current installation in `conversation` is announced. */
export async function onceForInstall(
  store: Store,
  conversation: ConversationRef,
  welcome: () => Promise<void>,
): Promise<void> {
  const removals = (await store.getValue(removalsKey(conversation))) ?? '0';
  await handleOnce(
    store,
    `${conversation.surface}:installed:${conversation.conversationId}:${removals}`,
    INSTALL_TTL_MS,
    welcome,
    () => undefined,
  );
}

/** Notes that the bot was removed from `conversation`, so its next installation is welcomed. */
export async function forgetInstall(store: Store, conversation: ConversationRef): Promise<void> {
  const removals = Number((await store.getValue(removalsKey(conversation))) ?? '0');
  await store.setValue(removalsKey(conversation), String(removals + 1));
}
