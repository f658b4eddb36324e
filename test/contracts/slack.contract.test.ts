/**
 * Slack's own payloads (test/contracts/samples/slack/, sources in its README) fed through the
 * real Slack surface over signed HTTP: what reaches the chat core, what Slack gets back.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InboundAction, InboundMessage } from '../../src/chat/core/surface.ts';
import { createSlackApp } from '../../src/chat/slack/slack-app.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { startChatHarness } from '../support/chat-harness.ts';
import { interaction, sendSigned, signature, startFakeSlackApi } from '../support/fake-slack.ts';
import type { Json } from '../support/json.ts';
import { FORM, SLACK_SECRET, type SlackHarness, startSlackHarness } from '../support/slack-harness.ts';
import { waitUntil } from '../support/wait-until.ts';

const SAMPLES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'samples/slack');
const sample = (name: string) => readFileSync(path.join(SAMPLES, name), 'utf8');
const sampleJson = (name: string): Json => JSON.parse(sample(name));
/** The lines of a sample text file that are not comments or blank. */
const dataLines = (name: string) =>
  sample(name)
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
/** `key:   value` lines of the signing vector. */
const vectorField = (key: string) =>
  sample('signing-test-vector.txt')
    .split('\n')
    .find((l) => l.startsWith(`${key}:`))!
    .slice(key.length + 1)
    .trim();

describe('Slack request signing, with the official test vector', () => {
  const secret = vectorField('signing_secret');
  const timestamp = Number(vectorField('X-Slack-Request-Timestamp'));
  const expected = vectorField('expected');
  const lines = sample('signing-test-vector.txt').split('\n');
  const body = lines[lines.indexOf('raw body (exact bytes, no trailing newline):') + 1]!;

  it('signs the way Slack does (the tests’ signer reproduces the vector)', () => {
    expect(signature(secret, timestamp, body)).toBe(expected);
  });

  it('accepts the vector’s request and refuses it with one byte of the body changed', async () => {
    const h = await startChatHarness();
    const api = await startFakeSlackApi();
    const slack = createSlackApp({
      core: h.core,
      signingSecret: secret,
      botToken: 'xoxb-test',
      slackApiUrl: api.url,
      logger: silentLogger(),
    });
    const url = (await slack.start(0, '127.0.0.1'))!;
    // Bolt refuses timestamps older than 5 minutes: the clock reads the vector's time.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date((timestamp + 1) * 1000));
    try {
      const send = (raw: string) =>
        fetch(url, {
          method: 'POST',
          headers: {
            'Content-Type': FORM,
            'X-Slack-Request-Timestamp': String(timestamp),
            'X-Slack-Signature': expected,
          },
          body: raw,
        });
      const tampered = await send(body.replace('text=&', 'text=x&'));
      expect(tampered.status).toBe(401);
      // The vector's command (/webhook-collect) is not PortalOps', so no listener acknowledges
      // it and Bolt answers 404 after 3 s; what matters is that it got past the signature check.
      const genuine = await send(body);
      expect(genuine.status).toBe(404);
    } finally {
      vi.useRealTimers();
      await h.close();
      await slack.stop();
      await api.close();
    }
  });
});

describe('Slack payload samples through the Slack surface', () => {
  let s: SlackHarness;
  let messages: InboundMessage[];
  let actions: InboundAction[];

  beforeEach(async () => {
    s = await startSlackHarness();
    messages = [];
    actions = [];
    const core = s.h.core;
    const handleMessage = core.handleMessage.bind(core);
    const handleAction = core.handleAction.bind(core);
    vi.spyOn(core, 'handleMessage').mockImplementation(async (m) => {
      messages.push(m);
      return handleMessage(m);
    });
    vi.spyOn(core, 'handleAction').mockImplementation(async (a) => {
      actions.push(a);
      return handleAction(a);
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await s.close();
  });

  const signedForm = (body: string) => sendSigned(s.url, SLACK_SECRET, body, FORM);
  const signedJson = (body: object) =>
    sendSigned(s.url, SLACK_SECRET, JSON.stringify(body), 'application/json');

  it('echoes the url_verification challenge', async () => {
    const response = await signedJson(sampleJson('url_verification.request.json'));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual(sampleJson('url_verification.response.json'));
  });

  it.each([0, 1])(
    'turns slash command form body %i into the message of the person in the channel',
    async (i) => {
      // The samples' own fields, with PortalOps' command name and its response_url on loopback.
      const fields = new URLSearchParams(dataLines('slash-command.form-body.txt')[i]!);
      fields.set('command', '/portal');
      fields.set('response_url', s.api.responseUrl('sample'));
      const response = await signedForm(fields.toString());
      expect(response.status).toBe(200);
      expect(response.ms).toBeLessThan(1_000);
      const message = await waitUntil(() => messages[0], 5_000, 'the message');
      expect(message).toMatchObject({
        eventId: `command:${fields.get('trigger_id')}`,
        conversation: { surface: 'slack', conversationId: fields.get('channel_id') },
        user: { id: fields.get('user_id') },
        text: '',
      });
      // The answer goes to the channel the command came from.
      const answer = await waitUntil(() => s.api.of('chat.postMessage')[0], 5_000, 'the answer');
      expect(answer.body.channel).toBe(fields.get('channel_id'));
    },
  );

  it.each([
    ['as captured', {}],
    ['with the modern envelope fields', sampleJson('event_callback.envelope-modern-fields.json')],
  ])(
    'turns the app_mention envelope (%s) into the mention’s text without the bot’s mention',
    async (_n, extra) => {
      const { _comment, ...modern } = extra as Record<string, unknown>;
      const envelope = { ...sampleJson('event_callback.app_mention.json'), ...modern };
      expect((await signedJson(envelope)).status).toBe(200);
      const message = await waitUntil(() => messages[0], 5_000, 'the message');
      expect(message).toMatchObject({
        eventId: 'Ev111',
        conversation: { surface: 'slack', conversationId: 'C111' },
        user: { id: 'W222' },
        text: 'Hi there!',
      });
    },
  );

  it('acknowledges the block_actions sample, whose button value is not PortalOps’, and does nothing with it', async () => {
    const response = await signedForm(interaction(sampleJson('block_actions.payload.json')));
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(actions).toEqual([]);
  });

  it('turns the block_actions sample with a PortalOps value into the click on the message in its container', async () => {
    const payload = sampleJson('block_actions.payload.json');
    payload.actions[0].value = JSON.stringify({ verb: 'refresh', approvalId: 'A-NONE', nonce: 'N-1' });
    payload.response_url = s.api.responseUrl('clicked');
    expect((await signedForm(interaction(payload))).status).toBe(200);
    const action = await waitUntil(() => actions[0], 5_000, 'the click');
    expect(action).toMatchObject({
      eventId: 'action:111.222.valid:1596530385.194939',
      conversation: { surface: 'slack', conversationId: 'C111' },
      user: { id: 'W111' },
      messageId: '111.222',
      verb: 'refresh',
      data: { approvalId: 'A-NONE', nonce: 'N-1' },
      inputs: {},
    });
    // The clicked message is ephemeral: Slack can only replace it through the response_url.
    const replaced = await waitUntil(() => s.api.of('response_url')[0], 5_000, 'the card replaced');
    expect(replaced.body).toMatchObject({ id: 'clicked', replace_original: true });
    expect(s.api.of('chat.update')).toEqual([]);
  });

  it('acknowledges the view_submission sample without acting on metadata that is not PortalOps’', async () => {
    const payload = sampleJson('view_submission.payload.json');
    payload.view.callback_id = 'portalops_form';
    const response = await signedForm(interaction(payload));
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(actions).toEqual([]);
  });

  it('turns the view_submission sample of a PortalOps form into the submitted inputs', async () => {
    const payload = sampleJson('view_submission.payload.json');
    payload.view.callback_id = 'portalops_form';
    payload.view.private_metadata = JSON.stringify({
      channel: 'C111',
      data: { kind: 'change-and-restart', site: 'contoso-broken' },
    });
    const response = await signedForm(interaction(payload));
    expect(response.status).toBe(200);
    const action = await waitUntil(() => actions[0], 5_000, 'the submission');
    expect(action).toMatchObject({
      eventId: 'view:V111:1596530361.3wRYuk3R',
      conversation: { surface: 'slack', conversationId: 'C111' },
      user: { id: 'W111' },
      verb: 'provision.submit',
      data: { kind: 'change-and-restart', site: 'contoso-broken' },
      inputs: { hspI: 'test' },
    });
  });
});
