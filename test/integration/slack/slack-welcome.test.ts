/**
 * Slack's welcome: once when the bot joins a channel (member_joined_channel naming the bot) and
 * once when a person first opens its Messages tab (app_home_opened, sent on every visit), with
 * a Help button that sends "help" for the clicker. Event shapes from docs.slack.dev/reference/events.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blocksText, sendSigned } from '../../support/fake-slack.ts';
import { SLACK_SECRET, type SlackHarness, startSlackHarness } from '../../support/slack-harness.ts';
import { waitUntil } from '../../support/wait-until.ts';

let eventCounter = 0;
const event = (body: Record<string, unknown>, eventId = `Ev-w${++eventCounter}`) =>
  JSON.stringify({
    type: 'event_callback',
    token: 'legacy',
    team_id: 'T-1',
    api_app_id: 'A-1',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: { event_ts: `${Date.now() / 1000}`, ...body },
  });

describe('Slack welcome', () => {
  let s: SlackHarness;
  beforeEach(async () => {
    s = await startSlackHarness();
  });
  afterEach(() => s.close());

  const send = (body: Record<string, unknown>, eventId?: string) =>
    sendSigned(s.url, SLACK_SECRET, event(body, eventId), 'application/json');
  const welcomes = (channel: string) =>
    s.api
      .of('chat.postMessage')
      .filter((c) => c.body.channel === channel && /PortalOps is here/.test(blocksText(c)));

  it('greets a channel once when the bot is invited, not when people join, and again after it was removed', async () => {
    const joined = {
      type: 'member_joined_channel',
      user: 'U-BOT',
      channel: 'C-NEW',
      channel_type: 'C',
      team: 'T-1',
      inviter: 'U-ALICE',
    };
    expect((await send(joined, 'Ev-join')).status).toBe(200);
    await send(joined, 'Ev-join');
    await send({ ...joined, user: 'U-DAVE' });
    await waitUntil(() => welcomes('C-NEW').length === 1, 5_000, 'the welcome');
    expect(blocksText(welcomes('C-NEW')[0])).toMatch(/Mention me/);
    await send(joined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(welcomes('C-NEW')).toHaveLength(1);

    await send({ type: 'channel_left', channel: 'C-NEW', actor_id: 'U-ALICE' });
    await waitUntil(
      async () => {
        await send(joined);
        return welcomes('C-NEW').length === 2;
      },
      5_000,
      'a welcome after the bot was invited again',
    );
  });

  it('greets a person on their first visit to the Messages tab only, and its Help button answers with help', async () => {
    const opened = { type: 'app_home_opened', user: 'U-ALICE', channel: 'D-ALICE', tab: 'messages' };
    await send(opened);
    await send({ ...opened, tab: 'home' });
    await waitUntil(() => welcomes('D-ALICE').length === 1, 5_000, 'the welcome');
    await send(opened);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(welcomes('D-ALICE')).toHaveLength(1);

    const welcome = welcomes('D-ALICE')[0]!;
    expect(
      (await s.click('U-ALICE', welcome.body.blocks, 'Help', { channel: 'D-ALICE', ts: welcome.ts })).status,
    ).toBe(200);
    await waitUntil(
      () =>
        s.api
          .of('chat.postMessage')
          .some((c) => c.body.channel === 'D-ALICE' && /What I can do/.test(blocksText(c))),
      5_000,
      'help in the DM',
    );
  });
});
