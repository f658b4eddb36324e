import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alice, bob, type ChatHarness, dave, startChatHarness } from '../../support/chat-harness.ts';
import { waitUntil } from '../../support/wait-until.ts';

describe('restart site in chat against the simulator', () => {
  let h: ChatHarness;

  beforeEach(async () => {
    h = await startChatHarness();
  });
  afterEach(() => h.close());

  /** The restart calls the simulated Power Pages API received for a site. */
  function restartCalls(websiteId: string) {
    return h.sim.requestLog.filter(
      (r) => r.method === 'POST' && r.path.toLowerCase().endsWith(`/websites/${websiteId}/restart`),
    );
  }

  const siteId = (subdomain: string) =>
    [...h.sim.world.sites.values()].find((s) => s.subdomain === subdomain)!.id;

  it('asks for the typed site name, restarts the site once, and checks it answers again', async () => {
    await h.say(alice, 'restart contoso-dev in dev');
    const confirmation = h.surface.last('confirmation')!;
    expect(confirmation.view.title).toBe('Restart contoso-dev in dev?');
    expect(confirmation.view.plan.join(' ')).toContain('stops answering for a moment');
    expect(confirmation.view.plan.join(' ')).toContain('configuration, solutions and data are not touched');
    expect(restartCalls(siteId('contoso-dev'))).toHaveLength(0);

    await h.click(alice, confirmation.view.confirm, { confirmText: 'contoso' });
    expect(h.surface.last('message')?.view.text).toContain('does not match "contoso-dev"');
    expect(h.engine.list({ kind: 'restart-site' })).toHaveLength(0);

    const replaced = await h.click(alice, confirmation.view.confirm, { confirmText: 'contoso-dev' });
    expect(replaced?.type).toBe('job-progress');
    const job = h.engine.list({ kind: 'restart-site' })[0]!;
    const done = await h.finished(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.steps.map((s) => s.id)).toEqual(['locate', 'restart', 'verify']);
    expect(restartCalls(siteId('contoso-dev'))).toHaveLength(1);
    expect(h.engine.list({ kind: 'restart-provisioning' })).toHaveLength(0);
  });

  it('takes an approver other than the requester in a protected environment', async () => {
    await h.say(alice, 'please reboot the contoso site in Contoso Production');
    const confirmation = h.surface.last('confirmation')!;
    expect(confirmation.view.title).toBe('Restart contoso in prod?');
    const replaced = await h.click(alice, confirmation.view.confirm, { confirmText: 'contoso' });
    expect(replaced).toMatchObject({
      type: 'message',
      text: expect.stringContaining('Waiting for approval'),
    });
    const approval = h.surface.last('approval-request')!;
    expect(restartCalls(siteId('contoso'))).toHaveLength(0);

    await h.click(alice, approval.view.buttons[0]!);
    expect(h.approvals.get(approval.view.buttons[0]!.data.approvalId!)?.state).toBe('pending');

    await h.click(bob, approval.view.buttons[0]!);
    const job = await waitUntil(() => h.engine.list({ kind: 'restart-site' })[0]);
    expect((await h.finished(job.id)).state).toBe('succeeded');
    expect(restartCalls(siteId('contoso'))).toHaveLength(1);
  });

  it('refuses a site that is not running, naming what fits instead, and asks nothing', async () => {
    await h.say(alice, 'restart contoso-broken in dev');
    expect(h.surface.last('message')?.view.text).toContain('restart provisioning contoso-broken');
    await h.say(alice, 'restart contoso-setup in dev');
    expect(h.surface.last('message')?.view.text).toContain('retry the package install for contoso-setup');
    expect(h.surface.posts.filter((p) => p.view.type === 'confirmation')).toHaveLength(0);
    expect(h.engine.list({ kind: 'restart-site' })).toHaveLength(0);
  });

  it('asks which site or environment instead of guessing, and answers a question with help', async () => {
    await h.say(alice, 'restart the site');
    expect(h.surface.last('message')?.view.text).toContain('Which site should I restart?');
    await h.say(alice, 'restart contoso-dev');
    expect(h.surface.last('message')?.view.text).toContain('Which environment should I restart the site in?');
    await h.say(alice, 'restart contoso-dev in sandbox');
    expect(h.surface.last('message')?.view.text).toContain(
      'There is no environment "sandbox" (known: dev, test, prod)',
    );
    expect(h.surface.last('message')?.view.text).toContain('Which environment should I restart the site in?');
    await h.say(alice, 'restart contoso-dvv in dev');
    expect(h.surface.last('message')?.view.text).toContain('Did you mean contoso-dev?');
    await h.say(alice, 'restart contoso-dev in prodd');
    expect(h.surface.last('message')?.view.text).toContain('Did you mean prod?');
    await h.say(alice, 'how do I restart a website?');
    expect(h.surface.posts.at(-1)?.view.type).toBe('help');
    expect(h.surface.posts.filter((p) => p.view.type === 'confirmation')).toHaveLength(0);
  });

  it('is refused to someone who may not operate the environment', async () => {
    await h.say(dave, 'restart contoso-dev in dev');
    expect(h.surface.last('message')?.view.tone).toBe('error');
    expect(h.surface.posts.filter((p) => p.view.type === 'confirmation')).toHaveLength(0);
  });

  it('runs from the "Restart site" button exactly as typed', async () => {
    await h.click(alice, {
      verb: 'site.restart',
      label: 'Restart site',
      data: { environment: 'dev', site: 'contoso-dev' },
    });
    const confirmation = h.surface.last('confirmation')!;
    expect(confirmation.view.title).toBe('Restart contoso-dev in dev?');
    await h.click(alice, confirmation.view.confirm, { confirmText: 'contoso-dev' });
    const job = h.engine.list({ kind: 'restart-site' })[0]!;
    expect((await h.finished(job.id)).state).toBe('succeeded');
  });
});
