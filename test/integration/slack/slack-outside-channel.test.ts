import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendSigned } from '../../support/fake-slack.ts';
import { SLACK_SECRET, type SlackHarness, startSlackHarness, textOf } from '../../support/slack-harness.ts';
import { waitUntil } from '../../support/wait-until.ts';

const PRIVATE = 'C-PRIVATE';

describe('Slack where the bot is not a channel member', () => {
  let s: SlackHarness;
  beforeEach(async () => {
    s = await startSlackHarness();
    s.api.leaveChannel(PRIVATE);
  });
  afterEach(async () => {
    await s.close();
  });

  const responses = () => s.api.of('response_url');

  it('answers /portal through the command’s response_url, saying how to add the bot', async () => {
    await s.command('U-ALICE', 'sites in dev', { channel: PRIVATE, triggerId: 'trig-sites' });
    const answer = await waitUntil(() => responses()[0], 5_000, 'an answer through response_url');
    expect(answer.body.id).toBe('cmd-trig-sites');
    expect(answer.body.response_type).toBe('in_channel');
    expect(textOf(answer)).toMatch(/Contoso Broken/);
    expect(textOf(answer)).toMatch(/\/invite @PortalOps/);
    // It tried the channel first and was told it is not in it.
    expect(s.api.of('chat.postMessage').map((c) => c.body.channel)).toEqual([PRIVATE]);
  });

  it('runs a job started there to the end and sends its result the same way, skipping progress it cannot show', async () => {
    await s.command(
      'U-ALICE',
      'provision name="Outside" subdomain=outside-one template=CustomerSelfServicePortal in dev',
      { channel: PRIVATE },
    );
    await waitUntil(() => responses()[0], 5_000, 'the job card through response_url');
    expect(textOf(responses()[0])).toMatch(/Provision outside-one in dev/);
    const job = await waitUntil(
      () => s.h.engine.list({ kind: 'provision' }).find((j) => j.state === 'succeeded'),
      15_000,
      'the job to succeed',
    );
    const result = await waitUntil(
      () => responses().find((c) => /white_check_mark/.test(textOf(c))),
      5_000,
      'the result through response_url',
    );
    expect(textOf(result)).toMatch(new RegExp(job.id));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(responses().filter((c) => /white_check_mark/.test(textOf(c)))).toHaveLength(1);
    // A response_url takes 5 messages: the card and the result, not every progress edit.
    expect(responses().length).toBeLessThanOrEqual(5);
    expect(s.api.of('chat.update').filter((c) => c.body.channel === PRIVATE)).toEqual([]);
  });

  it('keeps a job going when the bot is removed from the channel mid-job, and stops editing there', async () => {
    // The job waits until the bot has left, so every edit of its card comes after.
    await s.h.engine.stop();
    await s.command(
      'U-ALICE',
      'provision name="Removed" subdomain=removed-mid template=CustomerSelfServicePortal in dev',
      { channel: 'C-LEAVING' },
    );
    await waitUntil(
      () => s.api.of('chat.postMessage').find((c) => /Provision removed-mid/.test(textOf(c))),
      5_000,
      'the job card in the channel',
    );
    s.api.leaveChannel('C-LEAVING');
    s.h.engine.start();
    const job = await waitUntil(
      () => s.h.engine.list({ kind: 'provision' }).find((j) => j.state === 'succeeded'),
      15_000,
      'the job to succeed',
    );
    expect(job.siteKey).toMatch(/removed-mid/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // One edit was refused; the bot did not keep trying on every step.
    const refusedEdits = s.api.of('chat.update').filter((c) => c.body.channel === 'C-LEAVING');
    expect(refusedEdits.length).toBe(1);
  });

  it('answers a form submitted from a modal through the command’s response_url', async () => {
    await s.command('U-ALICE', 'provision in dev', { channel: PRIVATE, triggerId: 'trig-form' });
    const filled = await waitUntil(() => s.api.of('views.update')[0], 5_000, 'the form in the modal');
    const form = filled.body.view as { callback_id: string; private_metadata: string };
    expect(JSON.parse(form.private_metadata).responseUrl).toBe(s.api.responseUrl('cmd-trig-form'));
    await s.submit('U-ALICE', form, {
      environment: { environment: { type: 'static_select', selected_option: { value: 'dev' } } },
      name: { name: { type: 'plain_text_input', value: 'Private Hub' } },
      subdomain: { subdomain: { type: 'plain_text_input', value: 'private-hub' } },
      templateId: {
        templateId: { type: 'static_select', selected_option: { value: 'CustomerSelfServicePortal' } },
      },
    });
    const answer = await waitUntil(() => responses()[0], 5_000, 'the job card through response_url');
    expect(answer.body.id).toBe('cmd-trig-form');
    expect(textOf(answer)).toMatch(/Provision private-hub in dev/);
  });

  it('without a response_url, tells the person in their DM', async () => {
    const mention = JSON.stringify({
      type: 'event_callback',
      token: 'legacy',
      team_id: 'T-1',
      api_app_id: 'A-1',
      event_id: 'Ev-outside',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'app_mention',
        user: 'U-DAVE',
        text: '<@U-BOT> sites in dev',
        channel: PRIVATE,
        ts: '1.1',
      },
    });
    await sendSigned(s.url, SLACK_SECRET, mention, 'application/json');
    const dm = await waitUntil(
      () => s.api.of('chat.postMessage').find((c) => c.body.channel === 'U-DAVE'),
      5_000,
      'a DM',
    );
    expect(textOf(dm)).toMatch(/Contoso Broken/);
    expect(textOf(dm)).toMatch(/\/invite @PortalOps/);
  });
});
