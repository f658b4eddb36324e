import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackApp, type SlackApp } from '../../../src/chat/slack/slack-app.ts';
import { createTeamsApp, type TeamsApp } from '../../../src/chat/teams/teams-app.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { alice, bob, type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';
import { sendSigned, slashCommand, startFakeSlackApi } from '../../support/fake-slack.ts';
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

const SECRET = 'alerts-signing-secret';
const BROKEN = '5e7e0002-0000-4000-8000-000000000002';
const DEV_SITE = '5e7e0001-0000-4000-8000-000000000001';

describe('alerts in Teams and Slack', () => {
  let h: ChatHarness;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  let slackApi: Awaited<ReturnType<typeof startFakeSlackApi>>;
  let teams: TeamsApp;
  let slack: SlackApp;
  let teamsUrl: string;
  let slackUrl: string;
  let channel: ActivityPlace;

  beforeEach(async () => {
    h = await startChatHarness();
    await h.engine.stop();
    connector = await startFakeConnector();
    slackApi = await startFakeSlackApi();
    teams = createTeamsApp({ core: h.core, store: h.store, logger: silentLogger() });
    teamsUrl = await teams.start(0, '127.0.0.1');
    slack = createSlackApp({
      core: h.core,
      signingSecret: SECRET,
      botToken: 'xoxb-test',
      slackApiUrl: slackApi.url,
      logger: silentLogger(),
    });
    slackUrl = (await slack.start(0, '127.0.0.1'))!;
    channel = {
      serviceUrl: connector.url,
      conversationId: '19:alerts@thread.tacv2',
      conversationType: 'channel',
    };
    await sendActivity(
      teamsUrl,
      messageActivity(channel, '29:alice', 'subscribe this channel to dev alerts', true),
    );
    await waitUntil(() =>
      connector.posts().find((c) => /now gets every alert for dev/.test(JSON.stringify(c.body))),
    );
    await sendSigned(
      slackUrl,
      SECRET,
      slashCommand('U-ALICE', 'subscribe to provisioning failures in dev', 'alerts-trigger-1'),
      'application/x-www-form-urlencoded',
    );
    await waitUntil(() =>
      slackApi.of('chat.postMessage').find((c) => /provisioning failed/.test(JSON.stringify(c.body))),
    );
  });
  afterEach(async () => {
    await teams.stop();
    await slack.stop();
    await h.close();
    await connector.close();
    await slackApi.close();
  });

  const teamsAlerts = () =>
    connector.posts().filter((c) => cardOf(c) && /Detected/.test(JSON.stringify(cardOf(c))));
  const slackAlerts = () =>
    slackApi.of('chat.postMessage').filter((c) => /Detected/.test(JSON.stringify(c.body.blocks)));
  const teamsAlert = (match: RegExp) => teamsAlerts().find((c) => match.test(JSON.stringify(cardOf(c))));

  it('posts each condition once to the subscribed Teams channel and Slack channel, with the fixes that fit', async () => {
    await h.alerts.pollOnce();
    const broken = teamsAlert(/Provisioning failed: contoso-broken in dev/);
    expect(actionsOf(cardOf(broken)).map((a) => a.title)).toEqual([
      'Restart provisioning',
      'Change values and restart',
      'Acknowledge',
      'Snooze 1 day',
    ]);
    expect(teamsAlert(/Package install failed: contoso-setup in dev/)).toBeDefined();
    // Slack subscribed to provisioning failures only.
    expect(slackAlerts()).toHaveLength(1);
    expect(JSON.stringify(slackAlerts()[0]!.body.blocks)).toMatch(/contoso-broken/);
    expect(JSON.stringify(slackAlerts()[0]!.body.blocks)).toMatch(/Restart provisioning/);

    // Polling again, a restarted bot and a second watcher on the same store post nothing new.
    const teamsCount = teamsAlerts().length;
    await h.alerts.pollOnce();
    const restarted = h.alertCenter();
    const replica = h.alertCenter();
    await Promise.all([restarted.pollOnce(), replica.pollOnce()]);
    expect(teamsAlerts()).toHaveLength(teamsCount);
    expect(slackAlerts()).toHaveLength(1);

    // A new condition reaches the channel once, whichever watcher sees it first.
    Object.assign(h.sim.world.sites.get(DEV_SITE)!, { type: 'Trial', trialExpiringInDays: 3 });
    await Promise.all([restarted.pollOnce(), replica.pollOnce(), h.alerts.pollOnce()]);
    const trial = teamsAlerts().filter((c) =>
      /Trial expiring: contoso-dev in dev/.test(JSON.stringify(cardOf(c))),
    );
    expect(trial).toHaveLength(1);
    // The card says it in words and keeps the platform's raw values for support.
    expect(JSON.stringify(cardOf(trial[0]!))).toMatch(/The trial ends in 3 days/);
    expect(JSON.stringify(cardOf(trial[0]!))).toMatch(
      /status OperationComplete · package Installed · type Trial/,
    );
    expect(slackAlerts()).toHaveLength(1);
  });

  it('restarts provisioning from the alert card, follows the job on it and marks it resolved', async () => {
    await h.alerts.pollOnce();
    const alert = teamsAlert(/Provisioning failed: contoso-broken in dev/)!;
    const restart = actionsOf(cardOf(alert)).find((a) => a.title === 'Restart provisioning')!;
    const asked = await sendActivity(
      teamsUrl,
      actionInvoke(channel, '29:alice', alert.activityId!, { verb: restart.verb, data: restart.data }),
    );
    // Disruptive work asks for the typed site name first, on the alert's own card.
    const card = asked.body?.value as Record<string, unknown>;
    expect(JSON.stringify(card)).toMatch(/Type contoso-broken to confirm/);
    expect(h.engine.list({ kind: 'restart-provisioning' })).toEqual([]);
    const confirm = actionsOf(card).find((a) => a.title === 'Restart provisioning')!;
    const clicked = await sendActivity(
      teamsUrl,
      actionInvoke(channel, '29:alice', alert.activityId!, {
        verb: confirm.verb,
        data: { ...confirm.data, confirmText: 'contoso-broken' },
      }),
    );
    expect(JSON.stringify(clicked.body?.value)).toMatch(/Restarted provisioning by Alice Admin/);
    const job = h.engine.list({ kind: 'restart-provisioning' })[0]!;
    expect(job).toBeDefined();

    h.engine.start();
    await waitUntil(() => h.engine.get(job.id)?.state === 'succeeded', 15_000, 'the restart to succeed');
    await waitUntil(
      () =>
        connector
          .updates()
          .some(
            (c: ConnectorCall) => c.activityId === alert.activityId && /100%/.test(JSON.stringify(cardOf(c))),
          ),
      5_000,
      'the alert card showing the finished job',
    );
    expect(h.sim.world.sites.get(BROKEN)).toMatchObject({
      status: 'OperationComplete',
      packageInstallStatus: 'Installed',
    });

    await h.alerts.pollOnce();
    await waitUntil(
      () =>
        connector
          .updates()
          .some(
            (c) =>
              c.activityId === alert.activityId &&
              /Resolved: provisioning failed/.test(JSON.stringify(cardOf(c))),
          ),
      5_000,
      'the resolved update on the same card',
    );
    const slackCard = slackAlerts()[0]!;
    await waitUntil(() =>
      slackApi
        .of('chat.update')
        .some((c) => c.body.ts === slackCard.ts && /Resolved/.test(JSON.stringify(c.body.blocks))),
    );
  });

  it('lets people acknowledge or snooze, and refuses those who may not act in the environment', async () => {
    await h.alerts.pollOnce();
    const alert = teamsAlert(/Package install failed: contoso-setup/)!;
    const ack = actionsOf(cardOf(alert)).find((a) => a.title === 'Acknowledge')!;
    const byDave = await sendActivity(
      teamsUrl,
      actionInvoke(channel, '29:dave', alert.activityId!, { verb: ack.verb, data: ack.data }),
    );
    expect(JSON.stringify(byDave.body?.value ?? '')).not.toMatch(/Acknowledged by/);
    const byAlice = await sendActivity(
      teamsUrl,
      actionInvoke(channel, '29:alice', alert.activityId!, { verb: ack.verb, data: ack.data }),
    );
    expect(JSON.stringify(byAlice.body?.value)).toMatch(/Acknowledged by Alice Admin/);
    expect(actionsOf(byAlice.body?.value as Record<string, unknown>).map((a) => a.title)).not.toContain(
      'Acknowledge',
    );
  });

  it('shows what is open when a channel subscribes, lists open alerts, and stops after unsubscribing', async () => {
    // Subscribing (in beforeEach) posted the alerts already open in dev, each as its live card.
    expect(teamsAlert(/Provisioning failed: contoso-broken in dev/)).toBeDefined();
    expect(teamsAlert(/Package install failed: contoso-setup in dev/)).toBeDefined();
    expect(connector.posts().find((c) => /2 are open now, below/.test(JSON.stringify(c.body)))).toBeDefined();
    await sendActivity(teamsUrl, messageActivity(channel, '29:alice', 'alerts', true));
    const list = await waitUntil(() =>
      connector.posts().find((c) => /dev: every alert/.test(JSON.stringify(c.body))),
    );
    expect(JSON.stringify(list.body)).toMatch(/Provisioning failed: contoso-broken in dev, since/);
    await sendActivity(teamsUrl, messageActivity(channel, '29:alice', 'unsubscribe from dev alerts', true));
    await waitUntil(() =>
      connector.posts().find((c) => /no more dev alerts here/.test(JSON.stringify(c.body))),
    );
    const shown = teamsAlerts().length;
    Object.assign(h.sim.world.sites.get(DEV_SITE)!, { type: 'Trial', trialExpiringInDays: 3 });
    await h.alerts.pollOnce();
    expect(teamsAlerts()).toHaveLength(shown);
  });
});

describe('alerts for failed PortalOps jobs', () => {
  it('turn the job’s own card into the alert, then into the site’s alert: one card, one set of buttons', async () => {
    const h = await startChatHarness();
    try {
      h.sim.faults.failNextProvisioning({ subdomain: 'doomed-site', outcome: 'provisioning_failed' });
      await h.say(
        alice,
        'provision name="Doomed" subdomain=doomed-site template=CustomerSelfServicePortal in dev',
      );
      const card = h.surface.last('job-progress')!;
      const job = await waitUntil(
        () => h.engine.list({ kind: 'provision' }).find((j) => j.state === 'failed'),
        15_000,
      );
      const alert = await waitUntil(
        () => {
          const view = h.surface.current(card.messageId);
          return view?.type === 'alert' && /PortalOps job failed/.test(view.title) ? view : undefined;
        },
        5_000,
        'the job card become the failed-job alert',
      );
      expect(alert.buttons.find((b) => b.verb === 'job.retry')?.data.jobId).toBe(job.id);
      expect(h.store.readAudit({ action: 'alert.opened' })).toHaveLength(1);

      // The watcher then sees the site's failed provisioning: the same card shows it.
      await h.alerts.pollOnce();
      const site = await waitUntil(() => {
        const view = h.surface.current(card.messageId);
        return view?.type === 'alert' && /Provisioning failed: doomed-site/.test(view.title)
          ? view
          : undefined;
      });
      expect(site.buttons.map((b) => b.label)).toEqual([
        'Restart provisioning',
        'Change values and restart',
        'Acknowledge',
        'Snooze 1 day',
      ]);
      // Nothing else was posted about it: no second alert card, no "job failed" card.
      expect(h.surface.posts.filter((p) => p.view.type !== 'job-progress')).toEqual([]);
      // The job's own updates no longer touch the card the alert owns.
      await h.notifier.stop();
      expect(h.surface.current(card.messageId)?.type).toBe('alert');
    } finally {
      await h.close();
    }
  });

  it('follow a retry from the alert card on that card, which ends Resolved when the retry succeeds', async () => {
    const h = await startChatHarness();
    try {
      const refuse = h.sim.faults.add({
        service: 'powerpages',
        method: 'POST',
        path: /\/websites$/,
        times: Number.POSITIVE_INFINITY,
        effect: { status: 403, code: 'Forbidden', message: 'The caller may not create websites.' },
      });
      await h.say(alice, 'provision name="Retry Hub" subdomain=retry-hub template=BlankPage in dev');
      const card = h.surface.last('job-progress')!;
      const failed = await waitUntil(() => {
        const view = h.surface.current(card.messageId);
        return view?.type === 'alert' && /PortalOps job failed/.test(view.title) ? view : undefined;
      });
      refuse();
      const retry = failed.buttons.find((b) => b.verb === 'job.retry')!;
      const following = await h.click(alice, retry, {}, undefined, card.messageId);
      expect(following).toMatchObject({
        type: 'alert',
        status: expect.stringMatching(/Retried the job by Alice Admin/),
      });
      const resolved = await waitUntil(
        () => {
          const view = h.surface.current(card.messageId);
          return view?.type === 'alert' && /^Resolved: PortalOps job failed/.test(view.title)
            ? view
            : undefined;
        },
        15_000,
        'the same card resolved',
      );
      expect(resolved.buttons).toEqual([]);
      expect(h.surface.posts.map((p) => p.view.type)).toEqual(['job-progress']);
    } finally {
      await h.close();
    }
  });

  it('do not alert on a site PortalOps itself is changing through an approved job', async () => {
    const h = await startChatHarness();
    try {
      await h.say(alice, 'subscribe this channel to dev alerts');
      await h.engine.stop();
      await h.say(alice, 'reset portal contoso-dev in dev');
      await h.click(alice, h.surface.last('confirmation')!.view.confirm, { confirmText: 'contoso-dev' });
      await h.click(bob, h.surface.last('approval-request')!.view.buttons[0]!);
      expect(h.engine.list({ kind: 'reset' })[0]?.state).toBe('queued');
      // What the platform shows of a site while its hosted site is being deleted.
      Object.assign(h.sim.world.sites.get(DEV_SITE)!, {
        type: 'Trial',
        trialExpiringInDays: 0,
        suspendedWebsiteDeletingInDays: 1,
      });
      await h.alerts.pollOnce();
      const aboutDev = h.alerts.openAlerts(['dev']).filter((a) => a.subdomain === 'contoso-dev');
      expect(aboutDev).toEqual([]);
      // Another site in the same state still alerts.
      expect(h.alerts.openAlerts(['dev']).map((a) => a.subdomain)).toContain('contoso-broken');
    } finally {
      await h.close();
    }
  });
});
