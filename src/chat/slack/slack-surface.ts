/**
 * Slack as a chat surface: views posted with `chat.postMessage` and edited with `chat.update`
 * (the Web API client waits out 429s with their Retry-After; the notifier keeps edits to one per
 * second per message). A form is opened as a modal when there is a trigger to open it with.
 */
import type { WebClient } from '@slack/web-api';
import { renderSlack } from '../../views/slack-renderer.ts';
import type { View } from '../../views/view.ts';
import type { ChatSurface, ConversationRef } from '../core/surface.ts';
import { formModal } from './slack-modal.ts';

/** The Slack surface. Conversation ids are channel ids; message ids are message timestamps. */
export class SlackSurface implements ChatSurface {
  readonly name = 'slack';
  /** Trigger ids usable right now, per channel, to open a modal instead of posting a form. */
  private readonly triggers = new Map<string, string>();
  /** The step each job message showed last, to post step changes into its thread. */
  private readonly steps = new Map<string, string>();

  constructor(private readonly client: WebClient) {}

  /** Remembers a trigger (slash command or button) so a form reply opens as a modal. */
  offerTrigger(channel: string, triggerId: string): void {
    this.triggers.set(channel, triggerId);
  }

  async post(conversation: ConversationRef, view: View): Promise<string> {
    const trigger = this.triggers.get(conversation.conversationId);
    if (view.type === 'form' && trigger) {
      this.triggers.delete(conversation.conversationId);
      await this.client.views.open({
        trigger_id: trigger,
        view: formModal(view, conversation.conversationId),
      });
      return `modal:${trigger}`;
    }
    const message = renderSlack(view);
    const result = await this.client.chat.postMessage({
      channel: conversation.conversationId,
      text: message.text,
      blocks: message.blocks,
      ...(typeof conversation.reference?.threadTs === 'string'
        ? { thread_ts: conversation.reference.threadTs }
        : {}),
    });
    return String(result.ts ?? '');
  }

  async update(conversation: ConversationRef, messageId: string, view: View): Promise<void> {
    if (messageId.startsWith('modal:')) return;
    const message = renderSlack(view);
    await this.client.chat.update({
      channel: conversation.conversationId,
      ts: messageId,
      text: message.text,
      blocks: message.blocks,
    });
    const step = view.type === 'job-progress' ? view.job.step : undefined;
    if (step && this.steps.get(messageId) !== step) {
      this.steps.set(messageId, step);
      await this.client.chat.postMessage({
        channel: conversation.conversationId,
        thread_ts: messageId,
        text: `→ ${step}`,
      });
    } else if (view.type !== 'job-progress') {
      this.steps.delete(messageId);
    }
  }
}
