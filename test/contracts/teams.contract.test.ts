/**
 * Teams' own activities (test/contracts/samples/teams/, sources in its README) fed through the
 * real Teams endpoint: what reaches the chat core, what the bot answers the invoke with (shapes
 * of invoke-response.adaptivecard-action.json), and what it sends the Bot Connector. Each
 * sample's serviceUrl is pointed at the fake connector on loopback; nothing else is changed
 * unless a test says so.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InboundAction, InboundMessage } from '../../src/chat/core/surface.ts';
import { createTeamsApp, type TeamsApp } from '../../src/chat/teams/teams-app.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { type ChatHarness, startChatHarness } from '../support/chat-harness.ts';
import { type ConnectorCall, cardOf, sendActivity, startFakeConnector } from '../support/fake-teams.ts';
import type { Json } from '../support/json.ts';
import { waitUntil } from '../support/wait-until.ts';

const SAMPLES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'samples/teams');
const sampleJson = (name: string): Json => JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8'));
const INVOKE_RESPONSES = sampleJson('invoke-response.adaptivecard-action.json').variants;

describe('Teams activity samples through the Teams endpoint', () => {
  let h: ChatHarness;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  let teams: TeamsApp;
  let url: string;
  let messages: InboundMessage[];
  let actions: InboundAction[];

  beforeEach(async () => {
    h = await startChatHarness();
    connector = await startFakeConnector();
    teams = createTeamsApp({ core: h.core, store: h.store, logger: silentLogger(), userSpecificViews: true });
    url = await teams.start(0, '127.0.0.1');
    messages = [];
    actions = [];
    const handleMessage = h.core.handleMessage.bind(h.core);
    const handleAction = h.core.handleAction.bind(h.core);
    vi.spyOn(h.core, 'handleMessage').mockImplementation(async (m) => {
      messages.push(m);
      return handleMessage(m);
    });
    vi.spyOn(h.core, 'handleAction').mockImplementation(async (a) => {
      actions.push(a);
      return handleAction(a);
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await teams.stop();
    await h.close();
    await connector.close();
  });

  /** A sample with its serviceUrl on the fake connector. */
  const onLoopback = (name: string): Json => ({ ...sampleJson(name), serviceUrl: connector.url });
  const keysOf = (o: object) => Object.keys(o).sort();
  const text = (call: ConnectorCall) => JSON.stringify(cardOf(call) ?? call.body);

  it('answers the captured invoke, whose action has no verb, with a toast in the documented shape', async () => {
    const response = await sendActivity(url, onLoopback('invoke-adaptivecard-action.personal.json'));
    expect(response.status).toBe(200);
    expect(keysOf(response.body!)).toEqual(keysOf(INVOKE_RESPONSES.toast_message));
    expect(response.body).toMatchObject({
      statusCode: 200,
      type: INVOKE_RESPONSES.toast_message.type,
      value: 'That button is not known to PortalOps.',
    });
    expect(actions).toEqual([]);
  });

  it('turns the captured invoke with a PortalOps verb into the click, answered with a replacing card', async () => {
    const invoke = onLoopback('invoke-adaptivecard-action.personal.json');
    invoke.value.action.verb = 'refresh';
    invoke.value.action.data = { ...invoke.value.action.data, approvalId: 'A-NONE', nonce: 'N-1' };
    const response = await sendActivity(url, invoke);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      eventId: invoke.id,
      conversation: { surface: 'teams', conversationId: invoke.conversation.id },
      user: { id: invoke.from.id, displayName: 'Rido' },
      messageId: '1767765488332',
      verb: 'refresh',
      data: { feedback: 'test invokes', approvalId: 'A-NONE', nonce: 'N-1' },
    });
    expect(response.status).toBe(200);
    expect(keysOf(response.body!)).toEqual(keysOf(INVOKE_RESPONSES.replace_card));
    expect(response.body).toMatchObject({ statusCode: 200, type: INVOKE_RESPONSES.replace_card.type });
    expect(response.body!.value).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(JSON.stringify(response.body!.value)).toMatch(/out of date/);
  });

  it('turns the channel reply with a mention into the text without the mention, answered in that thread', async () => {
    const activity = onLoopback('message-channel-reply-with-mention.json');
    await sendActivity(url, activity);
    const message = await waitUntil(() => messages[0], 5_000, 'the message');
    expect(message).toMatchObject({
      eventId: '1759944781430',
      conversation: { surface: 'teams', conversationId: activity.conversation.id },
      user: { id: activity.from.id },
      text: 'reply to thread',
    });
    // The `;messageid=` conversation id keeps the answer in the thread it was asked in.
    const answer = await waitUntil(() => connector.posts()[0], 5_000, 'the answer');
    expect(answer.conversationId).toBe(activity.conversation.id);
    expect(answer.replyToId).toBe('1759944781430');
  });

  it('greets a team once when installing the bot sends both a conversationUpdate and an installationUpdate', async () => {
    const added = onLoopback('conversationupdate-bot-added-to-team.json');
    await sendActivity(url, added);
    await sendActivity(url, onLoopback('installationupdate-add-team.json'));
    const welcome = await waitUntil(() => connector.posts()[0], 5_000, 'the welcome');
    expect(welcome.conversationId).toBe(added.conversation.id);
    expect(text(welcome)).toMatch(/PortalOps is here/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connector.posts()).toHaveLength(1);
    expect(messages).toEqual([]);
    // The channel is remembered, so alerts and progress can be posted to it later.
    expect(h.core.conversationRef('teams', added.conversation.id).reference?.serviceUrl).toBe(connector.url);
  });

  it('greets a person who adds the bot to a personal chat (the sample’s bot-id placeholder filled in)', async () => {
    const added = onLoopback('conversationupdate-bot-added-personal.json');
    added.recipient.id = added.membersAdded[0].id;
    await sendActivity(url, added);
    const welcome = await waitUntil(() => connector.posts()[0], 5_000, 'the welcome');
    expect(welcome.conversationId).toBe(added.conversation.id);
    expect(text(welcome)).toMatch(/help/);
  });

  it('says nothing when someone else joins a team the bot is in', async () => {
    const joined = onLoopback('conversationupdate-bot-added-to-team.json');
    joined.membersAdded = [{ id: '29:someone-else', aadObjectId: 'aad-someone' }];
    expect((await sendActivity(url, joined)).status).toBeLessThan(300);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connector.posts()).toEqual([]);
  });
});
