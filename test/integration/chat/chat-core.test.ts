import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { View } from '../../../src/views/view.ts';
import { alice, bob, type ChatHarness, dave, startChatHarness } from '../../support/chat-harness.ts';
import { waitUntil } from '../../support/wait-until.ts';

describe('chat core end to end against the simulator', () => {
  let h: ChatHarness;

  beforeEach(async () => {
    h = await startChatHarness();
  });
  afterEach(() => h.close());

  /** Asks for a reset and confirms it by typing the site name; returns the approval card. */
  async function requestReset(site = 'contoso-dev') {
    await h.say(alice, `reset portal ${site} in dev`);
    const confirmation = h.surface.last('confirmation')!;
    expect(confirmation.view.plan.join(' ')).toContain('Snapshot the configuration');
    const replaced = await h.click(alice, confirmation.view.confirm, { confirmText: site });
    expect(replaced).toMatchObject({
      type: 'message',
      text: expect.stringContaining('Waiting for approval'),
    });
    return h.surface.last('approval-request')!;
  }

  it('asks with a form for what a provisioning lacks, then runs it and updates the card to the result', async () => {
    await h.say(alice, 'provision a partner portal in dev');
    const form = h.surface.last('form')!;
    expect(form.view.inputs.find((i) => i.id === 'templateId')?.value).toBe('PartnerPortal');
    expect(form.view.inputs.find((i) => i.id === 'audience')?.value).toBe('partner');
    expect(form.view.inputs.find((i) => i.id === 'templateId')?.choices?.map((c) => c.value)).toContain(
      'BlankPage',
    );
    expect(form.view.inputs.find((i) => i.id === 'languageLcid')?.choices?.map((c) => c.value)).toEqual([
      '1033',
      '1036',
      '3082',
      '1041',
    ]);
    await h.click(alice, form.view.submit, {
      environment: 'dev',
      name: 'Partner Hub',
      subdomain: 'partner-hub',
      templateId: 'PartnerPortal',
      audience: 'partner',
    });
    const progress = h.surface.last('job-progress')!;
    const done = await waitUntil(() => {
      const view = h.surface.current(progress.messageId);
      return view?.type === 'job-result' ? view : undefined;
    });
    expect(done.result.find((r) => r.label === 'Site address')?.value).toMatch(/\/sites\/partner-hub$/);
  });

  it('answers a partner add-on or an old template name with the form and the reason, submitting nothing', async () => {
    await h.say(alice, 'provision partner field service portal called "Field Hub" at field-hub in dev');
    const addOn = h.surface.last('form')!.view;
    expect(addOn.errors?.[0]).toMatch(
      /^Partner Field Service is not a template of the Power Pages admin API\./,
    );
    expect(addOn.inputs.find((i) => i.id === 'templateId')?.value).toBe('PartnerPortal');
    await h.say(alice, 'provision name="Old" subdomain=old-name template=CustomerSelfServiceTemplate in dev');
    const old = h.surface.last('form')!.view;
    expect(old.errors?.[0]).toContain('"CustomerSelfServiceTemplate" is not a template name');
    expect(old.inputs.find((i) => i.id === 'templateId')?.value).toBeUndefined();
    expect(h.engine.list({ kind: 'provision' })).toEqual([]);
  });

  it('resets after the requester typed the site name and another person approved', async () => {
    const approval = await requestReset();
    expect(approval.view.approverIds).toContain('bob@contoso.com');
    const job = h.engine.list({ kind: 'reset' })[0]!;
    expect(job.state).toBe('awaiting_approval');
    const approved = await h.click(bob, approval.view.buttons[0]!);
    expect(approved).toMatchObject({
      type: 'approval-request',
      status: 'Approved by Bob Approver',
      buttons: [],
    });
    const finished = await h.finished(job.id);
    expect(finished.state).toBe('succeeded');
    expect(h.sim.world.sites.has('5e7e0001-0000-4000-8000-000000000001')).toBe(false);
    const actions = h.store
      .readAudit({ subject: `approval:${approval.view.buttons[0]!.data.approvalId}` })
      .map((a) => a.action);
    expect(actions).toEqual(['approval.requested', 'approval.confirmed', 'approval.granted']);
  });

  it('does nothing when the typed name does not match', async () => {
    await h.say(alice, 'reset contoso-dev in dev');
    const confirmation = h.surface.last('confirmation')!;
    await h.click(alice, confirmation.view.confirm, { confirmText: 'contoso' });
    expect(h.surface.last('message')?.view.text).toContain('does not match "contoso-dev"');
    expect(h.engine.list()).toEqual([]);
  });

  it('refuses self-approval and keeps the card', async () => {
    const approval = await requestReset();
    const result = await h.click(alice, approval.view.buttons[0]!);
    expect(result).toBeUndefined();
    expect(h.surface.last('message')?.view.text).toBe(
      'You cannot approve your own request; another approver has to.',
    );
    expect(h.store.readAudit({ action: 'approval.approve_refused' })[0]?.details).toMatchObject({
      reason: 'self-approval',
    });
    expect(h.engine.list({ kind: 'reset' })[0]?.state).toBe('awaiting_approval');
  });

  it('refuses an approval after the request expired and releases the site', async () => {
    const approval = await requestReset();
    h.advance(25 * 3_600_000);
    const result = (await h.click(bob, approval.view.buttons[0]!)) as Extract<
      View,
      { type: 'approval-request' }
    >;
    expect(result.status).toBe('Expired without enough approvals');
    expect(h.surface.last('message')?.view.text).toContain('expired');
    await h.core.sweepApprovals();
    await waitUntil(() => h.engine.list({ kind: 'reset' })[0]?.state === 'cancelled');
  });

  it('escalates an unanswered request to the admins through the environment’s alert channel, once', async () => {
    await h.subscriptions.subscribe({
      surface: 'fake',
      conversationId: 'dev-alerts',
      environment: 'dev',
      conditions: [],
      by: 'alice@contoso.com',
    });
    await requestReset();
    await h.core.sweepApprovals();
    expect(h.surface.posts.filter((p) => p.conversationId === 'dev-alerts')).toHaveLength(0);
    h.advance(5 * 3_600_000);
    await h.core.sweepApprovals();
    await h.core.sweepApprovals();
    const escalated = h.surface.posts.filter((p) => p.conversationId === 'dev-alerts');
    expect(escalated.map((p) => p.view.type)).toEqual(['message', 'approval-request']);
    // Alice is the only dev admin but asked herself, so nobody else is named.
    expect(JSON.stringify(escalated[0]!.view)).toMatch(/Admins of dev: none named/);
    expect(h.surface.last('message')?.view.text).toMatch(/went to the dev admins/);
    expect(h.store.readAudit({ action: 'approval.escalated' })).toHaveLength(1);
  });

  it('answers a stale card with the current state instead of acting again', async () => {
    const approval = await requestReset();
    await h.click(bob, approval.view.buttons[0]!);
    const again = await h.click(bob, approval.view.buttons[1]!);
    expect(again).toMatchObject({ type: 'approval-request', status: 'Approved by Bob Approver' });
    expect(h.approvals.get(approval.view.buttons[0]!.data.approvalId!)?.decisions).toHaveLength(1);
  });

  it('acts once on a double click (the same event delivered twice)', async () => {
    const approval = await requestReset();
    const [first, second] = await Promise.all([
      h.click(bob, approval.view.buttons[0]!, {}, 'same-event'),
      h.click(bob, approval.view.buttons[0]!, {}, 'same-event'),
    ]);
    expect([first, second].filter((v) => v?.type === 'approval-request')).toHaveLength(2);
    expect(h.approvals.get(approval.view.buttons[0]!.data.approvalId!)?.decisions).toHaveLength(1);
    expect(h.engine.list({ kind: 'reset' })).toHaveLength(1);
  });

  it('refuses and audits a click from someone who may not approve', async () => {
    const approval = await requestReset();
    expect(await h.click(dave, approval.view.buttons[0]!)).toBeUndefined();
    expect(h.surface.last('message')?.view.text).toMatch(
      /Dave Viewer is viewer in dev; this needs approver or admin/,
    );
    expect(h.store.readAudit({ action: 'card.refused' })).toHaveLength(1);
    expect(h.approvals.get(approval.view.buttons[0]!.data.approvalId!)?.state).toBe('pending');
  });

  it('refuses a command to someone without the role, saying why', async () => {
    await h.say(dave, 'reset contoso-dev in dev');
    expect(h.surface.last('message')?.view.text).toMatch(
      /Dave Viewer is viewer in dev; this needs operator or admin/,
    );
    expect(h.store.readAudit({ action: 'command.refused' })).toHaveLength(1);
  });

  it('takes a repeated message delivery once', async () => {
    await h.say(alice, 'reset contoso-dev in dev', 'delivery-1');
    await h.say(alice, 'reset contoso-dev in dev', 'delivery-1');
    expect(h.surface.posts.filter((p) => p.view.type === 'confirmation')).toHaveLength(1);
  });

  it('suggests the closest command or environment for unknown names', async () => {
    await h.say(alice, 'rset contoso-dev');
    expect(h.surface.last('message')?.view).toMatchObject({ suggestions: ['reset'] });
    await h.say(alice, 'sites env=produ');
    expect(h.surface.last('message')?.view.text).toContain('Did you mean prod?');
    await h.say(alice, 'status contoso-dvv in dev');
    expect(h.surface.last('message')?.view.text).toContain('Did you mean contoso-dev?');
  });

  it('asks again when a destructive request names an environment that is not registered', async () => {
    for (const [text, asks] of [
      [
        'reset contoso-dev in preprod',
        /There is no environment "preprod"\. Did you mean prod\? Which environment/,
      ],
      ['restore contoso-dev in prd', /There is no environment "prd"\. Did you mean prod\?/],
      [
        'migrate contoso-dev from dev into pre-prod',
        /There is no environment "pre-prod"\. Did you mean prod\?/,
      ],
      [
        'restart contoso-dev on the sandbox environment',
        /There is no environment "sandbox" \(known: dev, test, prod\)/,
      ],
    ] as const) {
      await h.say(alice, text);
      expect(h.surface.last('message')?.view.text, text).toMatch(asks);
    }
    expect(h.surface.posts.filter((p) => p.view.type === 'confirmation')).toHaveLength(0);
  });

  it('shows help with only the commands the caller may run', async () => {
    await h.say(dave, 'help');
    const titles = h.surface.last('help')!.view.groups.flatMap((g) => g.commands.map((c) => c.title));
    expect(titles).toContain('Status');
    expect(titles).not.toContain('Reset a site');
    await h.say(alice, 'help');
    expect(h.surface.last('help')!.view.groups.flatMap((g) => g.commands.map((c) => c.title))).toContain(
      'Reset a site',
    );
  });

  it('asks for the typed site name before restarting provisioning, then the status card follows the job', async () => {
    await h.say(alice, 'status contoso-broken in dev');
    const status = h.surface.last('site-status')!;
    expect(status.view.buttons.map((b) => b.label)).toEqual([
      'Restart provisioning',
      'Change values and restart',
    ]);
    const asked = await h.click(alice, status.view.buttons[0]!, {}, undefined, status.messageId);
    if (asked?.type !== 'confirmation') throw new Error(`expected a confirmation, got ${asked?.type}`);
    expect(h.engine.list({ kind: 'restart-provisioning' })).toEqual([]);
    const confirmed = await h.click(
      alice,
      asked.confirm,
      { confirmText: 'contoso-broken' },
      undefined,
      status.messageId,
    );
    expect(confirmed?.type).toBe('job-progress');
    const job = h.engine.list({ kind: 'restart-provisioning' })[0]!;
    expect((await h.finished(job.id)).state).toBe('succeeded');
    // The status card is now the job's: it ends on the result, with no restart buttons left.
    const done = await waitUntil(() => {
      const view = h.surface.current(status.messageId);
      return view?.type === 'job-result' ? view : undefined;
    });
    expect(done.job.id).toBe(job.id);
  });

  it('offers the package-install retry on the status of a site whose install failed', async () => {
    await h.say(alice, 'status contoso-setup in dev');
    expect(h.surface.last('site-status')!.view.buttons.map((b) => b.label)).toEqual([
      'Retry the package install',
    ]);
  });
});
