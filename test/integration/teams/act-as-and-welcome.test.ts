/**
 * Local mode (the Agents Playground's): one person sees a reset through to the end by acting as
 * the approver, and the welcome comes once per installation. With Teams credentials "act as"
 * is refused.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { playgroundPersonas } from '../../../src/chat/teams/local-personas.ts';
import { createTeamsApp, type TeamsApp } from '../../../src/chat/teams/teams-app.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { alice, type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';
import {
  type ActivityPlace,
  actionInvoke,
  actionsOf,
  type ConnectorCall,
  cardOf,
  messageActivity,
  sendActivity,
  startFakeConnector,
} from '../../support/fake-teams.ts';
import { waitUntil } from '../../support/wait-until.ts';

const bot = { id: '28:portalops-bot', name: 'PortalOps' };

describe('Teams local mode: acting as another person, and the welcome', () => {
  let h: ChatHarness;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  let teams: TeamsApp;
  let url: string;
  let chat: ActivityPlace;

  beforeEach(async () => {
    h = await startChatHarness();
    connector = await startFakeConnector();
    // As `portalops start` runs it for the playground: no credentials, one card for everyone.
    teams = createTeamsApp({
      core: h.core,
      store: h.store,
      logger: silentLogger(),
      userSpecificViews: false,
    });
    url = await teams.start(0, '127.0.0.1');
    chat = { serviceUrl: connector.url, conversationId: 'portalops-personal-chat' };
  });
  afterEach(async () => {
    await teams.stop();
    await h.close();
    await connector.close();
  });

  const text = (call: ConnectorCall | undefined) => JSON.stringify(cardOf(call) ?? call?.body ?? '');
  const posted = (match: RegExp, after = 0) =>
    waitUntil(
      () =>
        connector
          .posts()
          .slice(after)
          .find((c) => match.test(text(c))),
      5_000,
      `a message matching ${match}`,
    );
  const click = (
    call: ConnectorCall,
    title: string,
    inputs: Record<string, string> = {},
    place: ActivityPlace = chat,
  ) => {
    const action = actionsOf(cardOf(call)).find((a) => a.title === title);
    if (!action) throw new Error(`no ${title} button on ${text(call)}`);
    return sendActivity(
      url,
      actionInvoke(place, '29:alice', call.activityId!, {
        verb: action.verb,
        data: { ...action.data, ...inputs },
      }),
    );
  };
  const say = (words: string) => sendActivity(url, messageActivity(chat, '29:alice', words));

  it('lets one playground user ask for a reset, act as Bob, approve it, and be themselves again', async () => {
    await say('reset contoso-dev in dev');
    const confirmation = await posted(/Type contoso-dev to confirm/);
    await click(confirmation, 'Reset', { confirmText: 'contoso-dev' });
    const approval = await posted(/Waiting for 1 more approval/);

    // Alice may not approve her own reset.
    const own = await click(approval, 'Approve');
    expect(JSON.stringify(own.body)).toMatch(/approve|own/i);
    expect(h.engine.list({ kind: 'reset' })[0]!.state).toBe('awaiting_approval');

    const before = connector.posts().length;
    await say('act as bob');
    expect(text(await posted(/acting as Bob Approver \(bob@contoso.com\)/, before))).toMatch(/act as me/);
    const approved = await click(approval, 'Approve');
    expect(JSON.stringify(approved.body?.value)).toMatch(/Approved by Bob Approver/);
    const job = h.engine.list({ kind: 'reset' })[0]!;
    expect((await h.finished(job.id)).state).toBe('succeeded');
    expect(job.requester.id).toBe('alice@contoso.com');

    const again = connector.posts().length;
    await say('act as me');
    await posted(/yourself again \(alice@contoso.com\)/, again);
    await say('help');
    expect(text(await posted(/What I can do/, again))).toMatch(/You are admin in dev, test and prod/);
  });

  it('answers a redelivered "act as" once', async () => {
    const activity = messageActivity(chat, '29:alice', 'act as bob');
    await sendActivity(url, activity);
    // The turn is answered before the request returns, so a second reply would be there already.
    await sendActivity(url, activity);
    await posted(/acting as Bob Approver/);
    expect(connector.posts().filter((c) => /acting as Bob Approver/.test(text(c)))).toHaveLength(1);
  });

  it('names the people one can act as when the name is unknown, and never parses "act as" as a request', async () => {
    await say('act as mallory');
    const answer = await posted(/no demo person called/);
    expect(text(answer)).toMatch(/bob/);
    expect(h.engine.list()).toHaveLength(0);
  });

  it('greets a group chat once per installation, and again after the bot was removed and added back', async () => {
    const group: ActivityPlace = {
      serviceUrl: connector.url,
      conversationId: '19:group@thread.v2',
      conversationType: 'groupChat',
    };
    const install = (action: 'add' | 'remove') => ({
      ...messageActivity(group, '29:alice', ''),
      type: 'installationUpdate',
      action,
      text: undefined,
    });
    const added = {
      ...messageActivity(group, '29:alice', ''),
      type: 'conversationUpdate',
      text: undefined,
      membersAdded: [bot, { id: '29:alice' }],
    };
    await sendActivity(url, added);
    await sendActivity(url, install('add'));
    await sendActivity(url, { ...added, id: 'repeat' });
    const welcome = await posted(/PortalOps is here/);
    expect(text(welcome)).toMatch(/Mention me/);
    // Locally it says how to act as someone else.
    expect(text(welcome)).toMatch(/act as bob/);
    expect(actionsOf(cardOf(welcome)).map((a) => a.title)).toEqual(['Help']);
    // Its Help button sends "help" for whoever clicks it.
    expect((await click(welcome, 'Help', {}, group)).status).toBe(200);
    await posted(/What I can do/);
    expect(connector.posts().filter((c) => /PortalOps is here/.test(text(c)))).toHaveLength(1);

    await sendActivity(url, install('remove'));
    await sendActivity(url, install('add'));
    await waitUntil(
      () => connector.posts().filter((c) => /PortalOps is here/.test(text(c))).length === 2,
      5_000,
      'a second welcome after the reinstall',
    );
  });
});

describe('act as, with Teams credentials', () => {
  it('is refused, and everyone stays who Teams says they are', () => {
    const personas = playgroundPersonas({ clientId: 'app-id-1', tenantId: 'tenant-1', clientSecret: 's' });
    const answer = personas.actAs('act as bob', alice);
    expect(answer).toMatchObject({ tone: 'error' });
    expect(answer.text).toMatch(/only works when PortalOps runs locally without Teams credentials/);
    expect(personas.apply(alice)).toEqual(alice);
  });
});
