/**
 * Slack as a chat surface: views posted with `chat.postMessage` and edited with `chat.update`
 * (the Web API client waits out 429s with their Retry-After; the notifier keeps edits to one per
 * second per message). A form opens as a modal: filled into the loading modal opened at the
 * acknowledgement, or opened with the request's trigger; when the trigger has expired it is
 * posted as a message form with a button that opens it again. Where the bot is not in the
 * channel, the answer goes through the request's `response_url` (or the person's DM) with how
 * to add the bot, and job progress that cannot be shown is skipped without touching the job.
 */
import type { ActionsBlock, KnownBlock, ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { type Logger, silentLogger } from '../../logging/logger.ts';
import { escapeSlack } from '../../views/escape.ts';
import { buttonValueFits, renderSlack, SLACK_LIMITS, type SlackMessage } from '../../views/slack-renderer.ts';
import type { Button, View } from '../../views/view.ts';
import type { CardStates } from '../core/card-state.ts';
import type { ChatSurface, ConversationRef } from '../core/surface.ts';
import { ResponseUrls } from './response-urls.ts';
import { type FormMetadata, formMetadata, formModal, loadingModal, noticeModal } from './slack-modal.ts';
import {
  type OpenedModal,
  type RefusedModal,
  type SlackTurn,
  slackErrorOf,
  slackTurnOf,
  UNREACHABLE_CHANNEL_ERRORS,
} from './slack-turn.ts';

/** The verb of the button that reopens a message form as a modal (handled by the Slack app). */
export const OPEN_FORM_VERB = 'form.open';

type FormView = Extract<View, { type: 'form' }>;

/** Views that end a job's story: worth one of a response_url's few uses. */
const FINAL_VIEWS: ReadonlySet<View['type']> = new Set(['job-result', 'failure', 'message']);

const conversationKey = (c: ConversationRef) => `${c.surface}:${c.conversationId}`;

/** How to add the bot to a channel, for answers that had to go around it. */
export function notInChannelNote(channel: string): string {
  return `I’m not a member of <#${channel}>, so I answered only through this message and can’t post job progress there. To add me, type \`/invite @PortalOps\` in the channel (or open the channel’s details → Integrations → Add apps).`;
}

/** The Slack surface. Conversation ids are channel ids; message ids are message timestamps. */
export class SlackSurface implements ChatSurface {
  readonly name = 'slack';
  /** The step each job message showed last, to post step changes into its thread. */
  private readonly steps = new Map<string, string>();
  /** Messages the bot can no longer edit (it left or was removed from the channel). */
  private readonly unreachable = new Set<string>();
  private readonly responses: ResponseUrls;
  private readonly logger: Logger;

  constructor(
    private readonly client: WebClient,
    private readonly states: CardStates,
    options: { logger?: Logger; now?: () => number } = {},
  ) {
    this.logger = options.logger ?? silentLogger();
    this.responses = new ResponseUrls(options.now);
  }

  /** Whether a view fits one message: at most 50 blocks (the renderer keeps each text within its limit). */
  fits(view: View): boolean {
    return renderSlack(view).blocks.length <= SLACK_LIMITS.blocks;
  }

  /**
   * Opens the loading modal with a trigger right away (call it in the acknowledgement path);
   * the first reply to the request fills it in. Never rejects.
   */
  openLoadingModal(triggerId: string): Promise<OpenedModal | RefusedModal> {
    return this.openModal(triggerId, loadingModal());
  }

  /** Opens a kept message form as a modal with a fresh trigger; false when it is no longer kept. */
  async reopenForm(turn: SlackTurn, conversation: ConversationRef, formRef: string): Promise<boolean> {
    const form = this.states.get<FormView>(formRef, 'form', conversationKey(conversation));
    if (!form || !turn.triggerId) return false;
    const trigger = turn.triggerId;
    turn.triggerId = undefined;
    const opened = await this.openModal(trigger, await this.formModalOf(form, conversation, turn));
    return opened.ok;
  }

  async post(conversation: ConversationRef, view: View): Promise<string> {
    const turn = slackTurnOf(conversation.live);
    if (turn?.modal) {
      const pending = turn.modal;
      turn.modal = undefined;
      turn.triggerId = undefined;
      const opened = await pending;
      if (view.type === 'form') {
        if (opened.ok && (await this.updateModal(opened, await this.formModalOf(view, conversation, turn))))
          return `modal:${opened.id}`;
        return this.postMessageForm(conversation, view);
      }
      if (opened.ok) {
        // A plain answer (a refusal, a question) is for the one who asked; anything else also
        // goes to the channel, where its buttons work and the team sees it.
        if (view.type === 'message') {
          if (await this.updateModal(opened, noticeModal(view, undefined))) return `modal:${opened.id}`;
        } else {
          await this.updateModal(opened, noticeModal(view, `Posted in <#${conversation.conversationId}>.`));
        }
      }
    } else if (view.type === 'form' && turn?.triggerId) {
      const trigger = turn.triggerId;
      turn.triggerId = undefined;
      const opened = await this.openModal(trigger, await this.formModalOf(view, conversation, turn));
      if (opened.ok) return `modal:${opened.id}`;
      return this.postMessageForm(conversation, view);
    }
    return this.postMessage(conversation, await this.render(view, conversation));
  }

  async update(conversation: ConversationRef, messageId: string, view: View): Promise<void> {
    if (messageId.startsWith('modal:')) return;
    if (messageId.startsWith('response:')) {
      // A response_url takes 5 messages in 30 minutes: only the end of a job is sent, as a new message.
      const id = messageId.slice('response:'.length);
      const url = this.responses.urlOf(id);
      if (url && FINAL_VIEWS.has(view.type)) {
        // Sent once: later edits of the same end (the notifier may repeat it) are not news.
        this.responses.forget(id);
        const message = await this.render(view, conversation);
        await this.responses.send(url, { ...message, response_type: 'in_channel' });
      }
      return;
    }
    const [channel, ts] = messageId.startsWith('dm:')
      ? (messageId.slice(3).split(':') as [string, string])
      : [conversation.conversationId, messageId];
    if (this.unreachable.has(`${channel}:${ts}`)) return;
    const message = await this.render(view, conversation);
    const turn = slackTurnOf(conversation.live);
    if (turn?.ephemeral && turn.responseUrl) {
      await this.responses.send(turn.responseUrl, { ...message, replace_original: true });
      return;
    }
    try {
      await this.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
    } catch (error) {
      if (!UNREACHABLE_CHANNEL_ERRORS.has(slackErrorOf(error) ?? '')) throw error;
      if (turn?.responseUrl && this.responses.usable(turn.responseUrl)) {
        await this.responses.send(turn.responseUrl, { ...message, replace_original: true });
        return;
      }
      this.unreachable.add(`${channel}:${ts}`);
      this.logger.warn(
        { channel, error: slackErrorOf(error) },
        'the bot can no longer edit a message in this channel; its later edits are skipped',
      );
      return;
    }
    const step = view.type === 'job-progress' ? view.job.step : undefined;
    if (step && this.steps.get(ts) !== step) {
      this.steps.set(ts, step);
      await this.client.chat.postMessage({ channel, thread_ts: ts, text: `→ ${escapeSlack(step)}` });
    } else if (view.type !== 'job-progress') {
      this.steps.delete(ts);
    }
  }

  /** Renders a view, first moving button data too long for Slack's value field to the server. */
  private async render(view: View, conversation: ConversationRef): Promise<SlackMessage> {
    const written: Promise<unknown>[] = [];
    const compact = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(compact);
      if (!node || typeof node !== 'object') return node;
      const record = node as Record<string, unknown>;
      if (typeof record.verb === 'string' && typeof record.label === 'string' && record.data) {
        const button = record as unknown as Button;
        if (buttonValueFits(button)) return button;
        const kept = this.states.reserve('button', button.data, {
          conversation: conversationKey(conversation),
        });
        written.push(kept.written);
        return { ...button, data: { stateRef: kept.id } };
      }
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, compact(v)]));
    };
    const shown = compact(view) as View;
    await Promise.all(written);
    return renderSlack(shown);
  }

  private async postMessage(conversation: ConversationRef, message: SlackMessage): Promise<string> {
    try {
      const result = await this.client.chat.postMessage({
        channel: conversation.conversationId,
        text: message.text,
        blocks: message.blocks,
        ...(typeof conversation.reference?.threadTs === 'string'
          ? { thread_ts: conversation.reference.threadTs }
          : {}),
      });
      return String(result.ts ?? '');
    } catch (error) {
      const reason = slackErrorOf(error);
      if (!UNREACHABLE_CHANNEL_ERRORS.has(reason ?? '')) throw error;
      return this.postAround(conversation, message, reason!, error);
    }
  }

  /**
   * The bot cannot post in the channel: the answer goes through the request's response_url
   * (shown in the channel), else to the person's DM, each time with how to add the bot.
   */
  private async postAround(
    conversation: ConversationRef,
    message: SlackMessage,
    reason: string,
    error: unknown,
  ): Promise<string> {
    const channel = conversation.conversationId;
    const turn = slackTurnOf(conversation.live);
    const note: KnownBlock = {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: notInChannelNote(channel) }],
    };
    const blocks = [...message.blocks.slice(0, SLACK_LIMITS.blocks - 1), note];
    this.logger.info({ channel, reason }, 'not in the channel: answering around it');
    if (turn?.responseUrl && this.responses.usable(turn.responseUrl)) {
      const id = await this.responses.send(turn.responseUrl, {
        text: message.text,
        blocks,
        response_type: 'in_channel',
      });
      return `response:${id}`;
    }
    if (turn?.userId) {
      const result = await this.client.chat.postMessage({ channel: turn.userId, text: message.text, blocks });
      return `dm:${String(result.channel ?? turn.userId)}:${String(result.ts ?? '')}`;
    }
    throw error;
  }

  /**
   * The form as a message, for when no modal could open (the trigger expired): its fields and
   * submit button work in the message, and "Open the form" opens it as a modal again.
   */
  private async postMessageForm(conversation: ConversationRef, view: FormView): Promise<string> {
    const formRef = await this.states.keep('form', view, { conversation: conversationKey(conversation) });
    const message = await this.render(view, conversation);
    const reopen: ActionsBlock = {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open the form' },
          action_id: OPEN_FORM_VERB,
          value: JSON.stringify({ verb: OPEN_FORM_VERB, formRef }),
        },
      ],
    };
    const blocks: KnownBlock[] = [
      ...message.blocks,
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'The form could not open in time. Fill it in here, or open it again.' },
        ],
      },
      reopen,
    ];
    return this.postMessage(conversation, {
      text: message.text,
      blocks: blocks.slice(0, SLACK_LIMITS.blocks),
    });
  }

  private async formModalOf(
    view: FormView,
    conversation: ConversationRef,
    turn: SlackTurn,
  ): Promise<ModalView> {
    const meta: FormMetadata = {
      channel: conversation.conversationId,
      data: view.submit.data,
      ...(turn.responseUrl ? { responseUrl: turn.responseUrl } : {}),
    };
    const written: Promise<unknown>[] = [];
    const metadata = formMetadata(meta, (m) => {
      const kept = this.states.reserve('form', m, { conversation: conversationKey(conversation) });
      written.push(kept.written);
      return kept.id;
    });
    await Promise.all(written);
    return formModal(view, metadata);
  }

  /** `views.open`; a trigger that expired or was used is an answer, not a failure. */
  private async openModal(triggerId: string, view: ModalView): Promise<OpenedModal | RefusedModal> {
    try {
      const result = await this.client.views.open({ trigger_id: triggerId, view });
      const opened = result.view as { id?: string; hash?: string } | undefined;
      return { ok: true, id: opened?.id ?? '', ...(opened?.hash ? { hash: opened.hash } : {}) };
    } catch (error) {
      const reason = slackErrorOf(error) ?? 'request_failed';
      this.logger.info({ error: reason }, 'could not open a modal');
      return { ok: false, error: reason };
    }
  }

  /** `views.update` of an opened modal; false when it is gone (closed) or changed meanwhile. */
  private async updateModal(opened: OpenedModal, view: ModalView): Promise<boolean> {
    try {
      await this.client.views.update({
        view_id: opened.id,
        ...(opened.hash ? { hash: opened.hash } : {}),
        view,
      });
      return true;
    } catch (error) {
      this.logger.info({ error: slackErrorOf(error) }, 'could not update a modal');
      return false;
    }
  }
}
