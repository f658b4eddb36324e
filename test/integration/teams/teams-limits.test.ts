import { afterEach, describe, expect, it } from 'vitest';
import { createTeamsApp, type TeamsApp } from '../../../src/chat/teams/teams-app.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { policySchema } from '../../../src/policy/policy.ts';
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
import { listManySites } from '../../support/many-sites.ts';
import { waitUntil } from '../../support/wait-until.ts';

/** A policy whose dev approvers are Bob and `others` more people, all of whom the bot has met. */
function approversPolicy(others: number) {
  const approvers = [
    'bob@contoso.com',
    ...Array.from({ length: others }, (_, i) => `approver-${i}@contoso.com`),
  ];
  return {
    approvers,
    policy: policySchema.parse({
      roles: { '*': { viewer: ['*'] }, dev: { operator: ['alice@contoso.com'], approver: approvers } },
    }),
  };
}

describe('Teams within its documented limits', () => {
  let h: ChatHarness;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  let teams: TeamsApp;
  let url: string;
  let channel: ActivityPlace;

  const start = async (options: { approvers?: number } = {}) => {
    const people = options.approvers === undefined ? undefined : approversPolicy(options.approvers);
    h = await startChatHarness(people ? { policy: people.policy } : {});
    connector = await startFakeConnector();
    if (people) {
      // Every approver has talked to the bot before, so their Teams ids are known.
      const ids: Record<string, string> = { 'bob@contoso.com': '29:bob', '29:bob': '29:bob' };
      people.approvers.slice(1).forEach((email, i) => {
        ids[email] = `29:approver-${i}`;
        ids[`29:approver-${i}`] = `29:approver-${i}`;
      });
      await h.store.setValue('teams:directory', JSON.stringify(ids));
    }
    teams = createTeamsApp({ core: h.core, store: h.store, logger: silentLogger(), userSpecificViews: true });
    url = await teams.start(0, '127.0.0.1');
    channel = {
      serviceUrl: connector.url,
      conversationId: '19:ops@thread.tacv2',
      conversationType: 'channel',
    };
  };
  afterEach(async () => {
    await teams.stop();
    await h.close();
    await connector.close();
  });

  const text = (call: ConnectorCall | undefined) => JSON.stringify(cardOf(call) ?? call?.body ?? '');
  const posted = (match: RegExp) =>
    waitUntil(() => connector.posts().find((c) => match.test(text(c))), 5_000, `a message matching ${match}`);
  const invoke = (
    user: string,
    call: ConnectorCall,
    action: { verb: string; data: Record<string, unknown> },
  ) => sendActivity(url, actionInvoke(channel, user, call.activityId!, action));

  /** Alice asks for a reset in the channel and confirms it; resolves with the approval card's message. */
  const requestReset = async () => {
    await sendActivity(url, messageActivity(channel, '29:alice', 'reset contoso-dev in dev', true));
    const confirmation = await posted(/Type contoso-dev to confirm/);
    const reset = actionsOf(cardOf(confirmation)).find((a) => a.title === 'Reset')!;
    await invoke('29:alice', confirmation, {
      verb: reset.verb,
      data: { ...reset.data, confirmText: 'contoso-dev' },
    });
    return posted(/Waiting for 1 more approval/);
  };

  it('with 61 approvers leaves refresh.userIds out: everyone sees the buttons and the server refuses a non-approver', async () => {
    await start({ approvers: 60 });
    const approval = await requestReset();
    const card = cardOf(approval)!;
    expect(card.refresh).toBeUndefined();
    const buttons = actionsOf(card);
    expect(buttons.map((b) => b.title)).toEqual(['Approve', 'Reject']);
    const approvalId = String(buttons[0]!.data.approvalId);

    // Dave sees the buttons too; his click is refused and changes nothing.
    const refused = await invoke('29:dave', approval, { verb: buttons[0]!.verb, data: buttons[0]!.data });
    expect(refused.status).toBe(200);
    expect(refused.body?.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(refused.body?.value)).toMatch(/Dave Viewer is viewer in dev; this needs approver or admin/);
    expect(h.approvals.get(approvalId)?.state).toBe('pending');
    expect(h.store.readAudit({ action: 'card.refused' })).toHaveLength(1);

    // One of the 61 approves.
    const approved = await invoke('29:bob', approval, { verb: buttons[0]!.verb, data: buttons[0]!.data });
    expect(approved.body?.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(approved.body?.value)).toMatch(/Approved by Bob Approver/);
  });

  it('with 60 approvers addresses all of them in refresh.userIds and keeps the buttons off the shared card', async () => {
    await start({ approvers: 59 });
    const approval = await requestReset();
    const card = cardOf(approval)!;
    const userIds = (card.refresh as { userIds: string[] }).userIds;
    expect(userIds).toHaveLength(60);
    expect(userIds).toContain('29:bob');
    expect(actionsOf(card)).toHaveLength(0);
  });

  it('pages a 200-site list: each card under 28 KB, "Show more" turns to the next 20 until every site was shown', async () => {
    await start();
    listManySites(h, 200);
    const personal = { serviceUrl: connector.url, conversationId: 'personal-29:alice' };
    await sendActivity(url, messageActivity(personal, '29:alice', 'sites in dev'));
    let call = await posted(/Showing sites 1–20 of 200/);
    let card = cardOf(call)!;
    const seen = new Set<string>();
    for (let page = 1; ; page++) {
      expect(JSON.stringify(call.body).length * 2).toBeLessThanOrEqual(28 * 1024);
      for (const m of JSON.stringify(card).matchAll(/bulk-site-(\d+)\)/g)) seen.add(m[1]!);
      const more = actionsOf(card).find((a) => a.title === 'Show more');
      if (!more) {
        expect(page).toBe(10);
        break;
      }
      const next = await sendActivity(url, actionInvoke(personal, '29:alice', call.activityId!, more));
      expect(next.body?.type).toBe('application/vnd.microsoft.card.adaptive');
      card = next.body?.value as Record<string, unknown>;
      call = { ...call, body: { attachments: [{ content: card }] } };
      expect(JSON.stringify(card)).toMatch(
        new RegExp(`Showing sites ${page * 20 + 1}–${page * 20 + 20} of 200`),
      );
    }
    expect(seen.size).toBe(200);

    // The kept list belongs to the conversation it was shown in.
    const first = actionsOf(cardOf(await posted(/Showing sites 1–20 of 200/))).find(
      (a) => a.title === 'Show more',
    )!;
    const elsewhere = await sendActivity(
      url,
      actionInvoke({ serviceUrl: connector.url, conversationId: 'personal-29:dave' }, '29:dave', 'x', first),
    );
    expect(JSON.stringify(elsewhere.body?.value)).toMatch(/no longer kept/);
  });
});
