import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackApp, type SlackApp } from '../../../src/chat/slack/slack-app.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';
import {
  blocksText,
  interaction,
  type SlackCall,
  sendSigned,
  slashCommand,
  startFakeSlackApi,
  waitForPost,
} from '../../support/fake-slack.ts';
import { waitUntil } from '../../support/wait-until.ts';

const SECRET = 'test-signing-secret';
const FORM = 'application/x-www-form-urlencoded';

describe('Slack surface over HTTP with signed requests', () => {
  let h: ChatHarness;
  let api: Awaited<ReturnType<typeof startFakeSlackApi>>;
  let slack: SlackApp;
  let url: string;
  let trigger = 0;

  beforeEach(async () => {
    h = await startChatHarness();
    api = await startFakeSlackApi();
    slack = createSlackApp({
      core: h.core,
      signingSecret: SECRET,
      botToken: 'xoxb-test',
      slackApiUrl: api.url,
      logger: silentLogger(),
    });
    url = (await slack.start(0, '127.0.0.1'))!;
  });
  afterEach(async () => {
    await h.close();
    await slack.stop();
    await api.close();
  });

  const command = (user: string, text: string, triggerId = `trig-${++trigger}`, options = {}) =>
    sendSigned(url, SECRET, slashCommand(user, text, triggerId), FORM, options);
  const posted = (match: RegExp) => waitForPost(api, match);
  const buttonValue = (call: SlackCall, label: string) => {
    const blocks = call.body.blocks as {
      type: string;
      elements?: { text: { text: string }; value: string; action_id: string }[];
    }[];
    const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.text?.text === label)!;
    return { value: button.value, action_id: button.action_id };
  };
  const click = (user: string, message: SlackCall, label: string, state: object = {}) => {
    const button = buttonValue(message, label);
    return sendSigned(
      url,
      SECRET,
      interaction({
        type: 'block_actions',
        user: { id: user },
        channel: { id: 'C-OPS' },
        container: { type: 'message', channel_id: 'C-OPS', message_ts: '1' },
        message: { ts: message.ts },
        trigger_id: `trig-${++trigger}`,
        actions: [
          { type: 'button', action_id: button.action_id, value: button.value, action_ts: `${Date.now()}.1` },
        ],
        state: { values: state },
        api_app_id: 'A-1',
        team: { id: 'T-1' },
      }),
      FORM,
    );
  };

  it('acknowledges a slash command at once and replies with the sites', async () => {
    const response = await command('U-ALICE', 'sites in dev');
    expect(response.status).toBe(200);
    expect(response.ms).toBeLessThan(1_000);
    const reply = await posted(/Contoso Broken/);
    expect(reply.body.channel).toBe('C-OPS');
    expect(api.of('auth.test').length).toBeGreaterThan(0);
  });

  it('runs a reset: confirmation, approval by another user, progress edited in place, result', async () => {
    await command('U-ALICE', 'reset contoso-dev in dev');
    const confirmation = await posted(/Type contoso-dev to confirm/);
    await click('U-ALICE', confirmation, 'Reset', {
      confirmText: { confirmText: { type: 'plain_text_input', value: 'contoso-dev' } },
    });
    const approval = await posted(/Waiting for 1 more approval/);
    const job = await posted(/awaiting approval/);
    await waitUntil(() =>
      api
        .of('chat.update')
        .some((c) => c.body.ts === confirmation.ts && /Confirmed by you/.test(String(c.body.text))),
    );
    await click('U-BOB', approval, 'Approve');
    await waitUntil(() =>
      api
        .of('chat.update')
        .some((c) => c.body.ts === approval.ts && /Approved by Bob Approver/.test(blocksText(c))),
    );
    await waitUntil(
      () => api.of('chat.update').some((c) => c.body.ts === job.ts && /white_check_mark/.test(blocksText(c))),
      10_000,
    );
    const thread = api
      .of('chat.postMessage')
      .filter((c) => c.body.thread_ts === job.ts)
      .map((c) => String(c.body.text));
    expect(thread.length).toBeGreaterThan(0);
    expect(thread.every((t) => t.startsWith('→ '))).toBe(true);
    expect(h.sim.world.sites.has('5e7e0001-0000-4000-8000-000000000001')).toBe(false);
  });

  it('opens the provision form as a modal and shows a bad subdomain as a field error', async () => {
    await command('U-ALICE', 'provision in dev');
    const filled = await waitUntil(() => api.of('views.update')[0]);
    const view = filled.body.view as { callback_id: string; private_metadata: string };
    const response = await sendSigned(
      url,
      SECRET,
      interaction({
        type: 'view_submission',
        user: { id: 'U-ALICE' },
        api_app_id: 'A-1',
        team: { id: 'T-1' },
        trigger_id: 'trig-modal',
        view: {
          id: 'V-1',
          hash: 'h1',
          callback_id: view.callback_id,
          private_metadata: view.private_metadata,
          state: {
            values: {
              environment: { environment: { type: 'static_select', selected_option: { value: 'dev' } } },
              name: { name: { type: 'plain_text_input', value: 'Partner Hub' } },
              subdomain: { subdomain: { type: 'plain_text_input', value: 'Partner Hub!' } },
            },
          },
        },
      }),
      FORM,
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({
      response_action: 'errors',
      errors: { subdomain: 'Use only letters, digits and hyphens (not at the start or end).' },
    });
    expect(h.engine.list()).toEqual([]);
  });

  it('answers 401 to a bad signature and to a stale timestamp', async () => {
    expect((await command('U-ALICE', 'sites in dev', 'bad-1', { badSignature: true })).status).toBe(401);
    expect(
      (await command('U-ALICE', 'sites in dev', 'bad-2', { timestamp: Math.floor(Date.now() / 1000) - 600 }))
        .status,
    ).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(api.of('chat.postMessage')).toEqual([]);
  });

  it('acts once on a retried delivery', async () => {
    await command('U-ALICE', 'reset contoso-dev in dev', 'same-trigger');
    await command('U-ALICE', 'reset contoso-dev in dev', 'same-trigger', { retryNum: 1 });
    await posted(/Type contoso-dev to confirm/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(
      api.of('chat.postMessage').filter((c) => /Type contoso-dev to confirm/.test(blocksText(c))),
    ).toHaveLength(1);
  });

  it('answers a mention in the channel', async () => {
    const body = JSON.stringify({
      type: 'event_callback',
      token: 'legacy',
      team_id: 'T-1',
      api_app_id: 'A-1',
      event_id: 'Ev-1',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'app_mention',
        user: 'U-DAVE',
        text: '<@U-BOT> status contoso-dev in dev',
        channel: 'C-OPS',
        ts: '1.1',
        event_ts: '1.1',
      },
    });
    expect((await sendSigned(url, SECRET, body, 'application/json')).status).toBe(200);
    await posted(/Contoso Dev \(contoso-dev\) in dev/);
  });
});
