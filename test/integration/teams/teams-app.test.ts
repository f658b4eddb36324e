import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamsApp, type TeamsApp } from '../../../src/chat/teams/teams-app.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';
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

describe('Teams surface over HTTP against a fake connector', () => {
  let h: ChatHarness;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  let teams: TeamsApp;
  let url: string;
  let personal: (user: string) => ActivityPlace;
  let channel: ActivityPlace;

  beforeEach(async () => {
    h = await startChatHarness();
    connector = await startFakeConnector();
    teams = createTeamsApp({ core: h.core, store: h.store, logger: silentLogger(), userSpecificViews: true });
    url = await teams.start(0, '127.0.0.1');
    personal = (user) => ({ serviceUrl: connector.url, conversationId: `personal-${user}` });
    channel = {
      serviceUrl: connector.url,
      conversationId: '19:ops@thread.tacv2',
      conversationType: 'channel',
    };
  });
  afterEach(async () => {
    await teams.stop();
    await h.close();
    await connector.close();
  });

  const text = (call: ConnectorCall | undefined) => JSON.stringify(cardOf(call) ?? call?.body ?? '');
  const posted = (match: RegExp, conversationId?: string) =>
    waitUntil(
      () =>
        connector
          .posts()
          .find((c) => match.test(text(c)) && (!conversationId || c.conversationId === conversationId)),
      5_000,
      `a message matching ${match}`,
    );
  const button = (call: ConnectorCall, title: string) => {
    const action = actionsOf(cardOf(call)).find((a) => a.title === title);
    if (!action) throw new Error(`no ${title} button on ${text(call)}`);
    return action;
  };
  const click = (
    place: ActivityPlace,
    user: string,
    call: ConnectorCall,
    title: string,
    inputs: Record<string, string> = {},
  ) => {
    const action = button(call, title);
    return sendActivity(
      url,
      actionInvoke(place, user, call.activityId!, { verb: action.verb, data: { ...action.data, ...inputs } }),
    );
  };

  it('answers help in a personal chat with the help card', async () => {
    const response = await sendActivity(url, messageActivity(personal('29:alice'), '29:alice', 'help'));
    expect(response.status).toBeLessThan(300);
    const reply = await posted(/provision/i, 'personal-29:alice');
    expect(cardOf(reply)?.type).toBe('AdaptiveCard');
    expect(reply.replyToId).toBeDefined();
  });

  it('in a channel answers only when mentioned, with the mention taken out of the text', async () => {
    await sendActivity(url, messageActivity(channel, '29:alice', 'sites in dev'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connector.posts()).toHaveLength(0);
    await sendActivity(url, messageActivity(channel, '29:alice', 'sites in dev', true));
    const reply = await posted(/Contoso Broken/, channel.conversationId);
    expect(reply.conversationId).toBe(channel.conversationId);
  });

  it('runs a reset: confirm by invoke, approval by another person, progress edited in place, result', async () => {
    // Bob has talked to the bot before, so the approval card can be addressed to him.
    await sendActivity(url, messageActivity(personal('29:bob'), '29:bob', 'help'));
    await posted(/provision/i, 'personal-29:bob');

    await sendActivity(url, messageActivity(channel, '29:alice', 'reset contoso-dev in dev', true));
    const confirmation = await posted(/Type contoso-dev to confirm/);
    const confirmed = await click(channel, '29:alice', confirmation, 'Reset', { confirmText: 'contoso-dev' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body?.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(confirmed.body?.value)).toMatch(/Confirmed by you/);

    const approval = await posted(/Waiting for 1 more approval/);
    const shared = cardOf(approval)!;
    expect((shared.refresh as { userIds: string[] }).userIds).toContain('29:bob');
    expect(actionsOf(shared)).toHaveLength(0);
    const job = await posted(/awaiting approval/);

    // Teams asks the bot for Bob's own version of the card: it has the decision buttons; Dave's has none.
    const refresh = { verb: 'refresh', data: (shared.refresh as { action: { data: object } }).action.data };
    const forBob = await sendActivity(
      url,
      actionInvoke(channel, '29:bob', approval.activityId!, refresh as never),
    );
    const bobsCard = forBob.body?.value as Record<string, unknown>;
    expect(actionsOf(bobsCard).map((a) => a.title)).toEqual(['Approve', 'Reject']);
    const forDave = await sendActivity(
      url,
      actionInvoke(channel, '29:dave', approval.activityId!, refresh as never),
    );
    expect(actionsOf(forDave.body?.value as Record<string, unknown>)).toHaveLength(0);

    const approve = actionsOf(bobsCard).find((a) => a.title === 'Approve')!;
    const approved = await sendActivity(
      url,
      actionInvoke(channel, '29:bob', approval.activityId!, { verb: approve.verb, data: approve.data }),
    );
    expect(JSON.stringify(approved.body?.value)).toMatch(/Approved by Bob Approver/);

    await waitUntil(
      () => connector.updates().some((c) => c.activityId === job.activityId && /✔/.test(text(c))),
      10_000,
      'the job message edited to its result',
    );
    const edits = connector.updates().filter((c) => c.activityId === job.activityId);
    expect(edits.length).toBeGreaterThan(1);
    expect(h.sim.world.sites.has('5e7e0001-0000-4000-8000-000000000001')).toBe(false);
  });

  it('takes a repeated delivery of the same activity once', async () => {
    const activity = messageActivity(
      personal('29:alice'),
      '29:alice',
      'provision name="Once" subdomain=once-only template=CustomerSelfServicePortal in dev',
    );
    await sendActivity(url, activity);
    await sendActivity(url, activity);
    await posted(/Provision once-only/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.engine.list({ kind: 'provision' }).filter((j) => j.siteKey.includes('once-only'))).toHaveLength(
      1,
    );
  });

  it('keeps sending progress after a restart, from the stored conversation reference', async () => {
    await h.engine.stop();
    await sendActivity(
      url,
      messageActivity(
        personal('29:alice'),
        '29:alice',
        'provision name="After Restart" subdomain=after-restart template=CustomerSelfServicePortal in dev',
      ),
    );
    const job = await posted(/Provision after-restart/);
    await teams.stop();
    // A new process: a new adapter and directory over the same store, no live turn.
    teams = createTeamsApp({ core: h.core, store: h.store, logger: silentLogger() });
    await teams.start(0, '127.0.0.1');
    expect(
      connector.updates().filter((c) => c.activityId === job.activityId && /✔/.test(text(c))),
    ).toHaveLength(0);
    h.engine.start();
    await waitUntil(
      () => connector.updates().some((c) => c.activityId === job.activityId && /✔/.test(text(c))),
      15_000,
      'the job message edited to its result after the restart',
    );
  });

  it('waits out connector throttling (429 with Retry-After) instead of dropping the reply', async () => {
    connector.throttle(2);
    const started = Date.now();
    await sendActivity(url, messageActivity(personal('29:alice'), '29:alice', 'templates'));
    await posted(/Customer self-service/i);
    // Retry-After: 0 was honoured (no blind back-off).
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('offers the provision form as a card with choices from the environment', async () => {
    await sendActivity(url, messageActivity(personal('29:alice'), '29:alice', 'provision a site in dev'));
    const form = await posted(/Input\.Text|Input\.ChoiceSet/);
    const body = JSON.stringify(cardOf(form));
    expect(body).toMatch(/Input\.ChoiceSet/);
    expect(body).toMatch(/1033/);
  });
});

describe('Teams endpoint with app credentials', () => {
  it('rejects requests without a valid token and answers nothing', async () => {
    const h = await startChatHarness();
    const connector = await startFakeConnector();
    const teams = createTeamsApp({
      core: h.core,
      store: h.store,
      logger: silentLogger(),
      credentials: {
        clientId: 'app-id-1',
        tenantId: '11111111-2222-3333-4444-555555555555',
        clientSecret: 's',
      },
    });
    try {
      const url = await teams.start(0, '127.0.0.1');
      const activity = messageActivity({ serviceUrl: connector.url }, '29:alice', 'help');
      expect((await sendActivity(url, activity)).status).toBe(401);
      expect((await sendActivity(url, activity, { Authorization: 'Basic abc' })).status).toBe(401);
      const forged = [
        Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url'),
        Buffer.from(JSON.stringify({ aud: 'someone-else', iss: 'https://api.botframework.com' })).toString(
          'base64url',
        ),
        'c2lnbmF0dXJl',
      ].join('.');
      expect((await sendActivity(url, activity, { Authorization: `Bearer ${forged}` })).status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(connector.calls).toHaveLength(0);
    } finally {
      await teams.stop();
      await h.close();
      await connector.close();
    }
  });

  it('refuses to listen anonymously on a non-loopback interface', async () => {
    const h = await startChatHarness();
    const teams = createTeamsApp({ core: h.core, store: h.store, logger: silentLogger() });
    try {
      await expect(teams.start(0, '0.0.0.0')).rejects.toThrow(/only listens on loopback/);
    } finally {
      await h.close();
    }
  });
});
