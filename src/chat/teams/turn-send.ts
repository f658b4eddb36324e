/**
 * Sending the bot's own messages through a turn. `TurnContext.sendActivity` validates every
 * outgoing activity again with the SDK's schema (a new schema object per call) before handing it
 * to the adapter; PortalOps' activities are built by its own typed code, so they go to the
 * adapter's `sendActivities` / `updateActivity` directly, addressed with the turn's conversation
 * reference exactly as the turn context addresses them. A turn that asked for its replies in the
 * response (`deliveryMode: expectReplies`) keeps the turn context's path, which buffers them.
 * PortalOps registers no send or update hooks on turns, which that path would also run.
 */
import { Activity, ActivityTypes, DeliveryModes } from '@microsoft/agents-activity';
import type { CloudAdapter, ResourceResponse, TurnContext } from '@microsoft/agents-hosting';

/** The bot's own activity as the SDK's `Activity`, addressed to the turn's conversation. */
function addressed(context: TurnContext, message: Partial<Activity>): Activity {
  const activity = Object.assign(new Activity(message.type ?? ActivityTypes.Message), message);
  return activity.applyConversationReference(context.activity.getConversationReference());
}

function buffersReplies(context: TurnContext): boolean {
  return context.activity.deliveryMode === DeliveryModes.ExpectReplies;
}

/** Sends a new message through the turn; resolves with the id the channel gave it. */
export async function sendInTurn(
  adapter: CloudAdapter,
  context: TurnContext,
  message: Partial<Activity>,
): Promise<ResourceResponse | undefined> {
  if (buffersReplies(context)) return context.sendActivity(message as Activity);
  const activity = addressed(context, message);
  delete (activity as { id?: string }).id;
  const [response] = await adapter.sendActivities(context, [activity]);
  context.responded = true;
  return response;
}

/** Replaces a message sent before (`message.id`) through the turn. */
export async function updateInTurn(
  adapter: CloudAdapter,
  context: TurnContext,
  message: Partial<Activity>,
): Promise<void> {
  if (buffersReplies(context)) {
    await context.updateActivity(message as Activity);
    return;
  }
  await adapter.updateActivity(context, addressed(context, message));
}
