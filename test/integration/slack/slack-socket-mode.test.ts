import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackApp, type SlackApp } from '../../../src/chat/slack/slack-app.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';
import { blocksText, startFakeSlackApi, waitForPost } from '../../support/fake-slack.ts';
import { startFakeSocketMode } from '../../support/fake-slack-socket.ts';
import { waitUntil } from '../../support/wait-until.ts';

describe('Slack surface over Socket Mode', () => {
  let h: ChatHarness;
  let socket: Awaited<ReturnType<typeof startFakeSocketMode>>;
  let api: Awaited<ReturnType<typeof startFakeSlackApi>>;
  let slack: SlackApp;

  beforeEach(async () => {
    h = await startChatHarness();
    socket = await startFakeSocketMode();
    api = await startFakeSlackApi({ socketUrl: socket.url });
    slack = createSlackApp({
      core: h.core,
      signingSecret: 'unused-over-a-socket',
      botToken: 'xoxb-test',
      appToken: 'xapp-test',
      slackApiUrl: api.url,
      logger: silentLogger(),
    });
    // No HTTP endpoint: the app dials out to Slack instead.
    expect(await slack.start(0, '127.0.0.1')).toBeUndefined();
    await waitUntil(() => socket.connected(), 5_000, 'the app connected to the Socket Mode server');
  });
  afterEach(async () => {
    await slack.stop();
    await h.close();
    await socket.close();
    await api.close();
  });

  const posted = (match: RegExp) => waitForPost(api, match);
  const acked = (envelopeId: string) =>
    waitUntil(
      () => socket.acks.find((a) => a.envelope_id === envelopeId),
      5_000,
      `the ack of envelope ${envelopeId}`,
    );

  it('opens the connection with the app token and answers a /portal command sent over it', async () => {
    expect(api.of('apps.connections.open')).toHaveLength(1);

    const envelope = socket.send('slash_commands', {
      command: '/portal',
      text: 'help',
      user_id: 'U-ALICE',
      channel_id: 'C-OPS',
      team_id: 'T-1',
      api_app_id: 'A-1',
      trigger_id: 'socket-trigger-1',
      response_url: 'https://hooks.slack.invalid/commands/1',
    });

    await acked(envelope);
    const reply = await posted(/provision/i);
    expect(reply.body.channel).toBe('C-OPS');
  });

  it('takes a redelivered mention once, acknowledging both deliveries', async () => {
    const mention = {
      type: 'event_callback',
      team_id: 'T-1',
      api_app_id: 'A-1',
      event_id: 'Ev-socket-1',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'app_mention',
        user: 'U-ALICE',
        text: '<@U-BOT> templates',
        channel: 'C-OPS',
        ts: '1700000000.000200',
        event_ts: '1700000000.000200',
      },
    };

    const first = socket.send('events_api', mention);
    await acked(first);
    await posted(/Customer self-service/i);
    const again = socket.send('events_api', mention, undefined, 1);
    await acked(again);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(
      api.of('chat.postMessage').filter((c) => /Customer self-service/i.test(blocksText(c))),
    ).toHaveLength(1);
  });
});
