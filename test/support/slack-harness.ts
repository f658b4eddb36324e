import { createSlackApp, type SlackApp } from '../../src/chat/slack/slack-app.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { type ChatHarness, startChatHarness } from './chat-harness.ts';
import { interaction, type SlackCall, sendSigned, slashCommand, startFakeSlackApi } from './fake-slack.ts';

export const SLACK_SECRET = 'test-signing-secret';
export const FORM = 'application/x-www-form-urlencoded';

type SlackBlock = {
  type: string;
  elements?: { text?: { text: string }; value?: string; action_id?: string }[];
};

/** The Slack app over the chat harness, driven over signed HTTP against the fake Web API. */
export async function startSlackHarness() {
  const h: ChatHarness = await startChatHarness();
  const api = await startFakeSlackApi();
  const slack: SlackApp = createSlackApp({
    core: h.core,
    signingSecret: SLACK_SECRET,
    botToken: 'xoxb-test',
    slackApiUrl: api.url,
    logger: silentLogger(),
  });
  const url = (await slack.start(0, '127.0.0.1'))!;
  let trigger = 0;
  const nextTrigger = () => `trig-${++trigger}`;
  return {
    h,
    api,
    slack,
    url,
    nextTrigger,
    /** A `/portal` command; its response_url points at the fake. */
    command: (user: string, text: string, options: { channel?: string; triggerId?: string } = {}) => {
      const triggerId = options.triggerId ?? nextTrigger();
      return sendSigned(
        url,
        SLACK_SECRET,
        slashCommand(user, text, triggerId, options.channel ?? 'C-OPS', api.responseUrl(`cmd-${triggerId}`)),
        FORM,
      );
    },
    /** Clicks the button labelled `label` on a posted message (blocks of a call). */
    click: (
      user: string,
      blocks: unknown,
      label: string,
      options: { channel?: string; ts?: string; state?: object; responseUrl?: string } = {},
    ) => {
      const button = (blocks as SlackBlock[])
        .flatMap((b) => b.elements ?? [])
        .find((e) => e.text?.text === label);
      if (!button) throw new Error(`no ${label} button in ${JSON.stringify(blocks)}`);
      const channel = options.channel ?? 'C-OPS';
      const triggerId = nextTrigger();
      return sendSigned(
        url,
        SLACK_SECRET,
        interaction({
          type: 'block_actions',
          user: { id: user },
          channel: { id: channel },
          container: { type: 'message', channel_id: channel, message_ts: options.ts ?? '1.1' },
          ...(options.ts ? { message: { ts: options.ts } } : {}),
          trigger_id: triggerId,
          response_url: options.responseUrl ?? api.responseUrl(`act-${triggerId}`),
          actions: [
            {
              type: 'button',
              action_id: button.action_id,
              value: button.value,
              action_ts: `${Date.now()}.1`,
            },
          ],
          state: { values: options.state ?? {} },
          api_app_id: 'A-1',
          team: { id: 'T-1' },
        }),
        FORM,
      );
    },
    /** Submits a modal the bot opened or updated (its callback id and metadata) with values. */
    submit: (user: string, view: { callback_id: string; private_metadata: string }, values: object) =>
      sendSigned(
        url,
        SLACK_SECRET,
        interaction({
          type: 'view_submission',
          user: { id: user },
          api_app_id: 'A-1',
          team: { id: 'T-1' },
          trigger_id: nextTrigger(),
          view: {
            id: 'V-submitted',
            hash: `h-${Date.now()}`,
            callback_id: view.callback_id,
            private_metadata: view.private_metadata,
            state: { values },
          },
        }),
        FORM,
      ),
    close: async () => {
      await h.close();
      await slack.stop();
      await api.close();
    },
  };
}

export type SlackHarness = Awaited<ReturnType<typeof startSlackHarness>>;

/** The text of a call's blocks (or modal view), to match against. */
export function textOf(call: SlackCall | undefined): string {
  return JSON.stringify(call?.body.blocks ?? call?.body.view ?? '');
}
