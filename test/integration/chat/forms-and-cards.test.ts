import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { siteKeyOf } from '../../../src/domain/job.ts';
import type { View } from '../../../src/views/view.ts';
import { alice, bob, type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';
import { waitUntil } from '../../support/wait-until.ts';

type Form = Extract<View, { type: 'form' }>;
const value = (form: Form, id: string) => form.inputs.find((i) => i.id === id)?.value;
const choices = (form: Form, id: string) =>
  form.inputs.find((i) => i.id === id)?.choices?.map((c) => c.value);

describe('forms start right, problems stay on the form, cards stay current', () => {
  let h: ChatHarness;
  beforeEach(async () => {
    h = await startChatHarness();
  });
  afterEach(() => h.close());

  it('presets audience, template and the environment’s base language from what was said', async () => {
    await h.say(alice, 'provision a partner portal in dev');
    const form = h.surface.last('form')!.view;
    expect(value(form, 'audience')).toBe('partner');
    expect(value(form, 'templateId')).toBe('PartnerPortal');
    expect(value(form, 'languageLcid')).toBe('1033');
    expect(choices(form, 'templateId')).toEqual(
      expect.arrayContaining(['PartnerPortal', 'Community', 'BlankPage']),
    );
  });

  it('answers validation problems on the form with the values kept, never as a job or an alert', async () => {
    await h.say(
      alice,
      'provision name="Second Dev" subdomain=contoso-dev template=CustomerSelfServicePortal in dev',
    );
    const form = h.surface.last('form')!.view;
    expect(form.errors?.join(' ')).toMatch(/contoso-dev/);
    expect(value(form, 'name')).toBe('Second Dev');
    expect(value(form, 'subdomain')).toBe('contoso-dev');
    expect(value(form, 'templateId')).toBe('CustomerSelfServicePortal');
    expect(h.engine.list({})).toEqual([]);
    expect(h.store.readAudit({ action: 'alert.opened' })).toEqual([]);
  });

  it('reopens the form with the values when a job refused for invalid input is retried', async () => {
    const env = h.env('dev');
    const job = await h.engine.submit({
      kind: 'provision',
      siteKey: siteKeyOf(env.id, 'contoso-dev'),
      requester: { id: 'alice@contoso.com' },
      params: {
        environment: 'dev',
        name: 'Taken',
        subdomain: 'contoso-dev',
        templateId: 'PartnerPortal',
        audience: 'partner',
        siteAdministrator: 'alice@contoso.com',
        requesterUpn: 'alice@contoso.com',
      },
    });
    expect((await h.finished(job.id)).lastError?.code).toBe('validation_failed');
    await h.say(alice, `retry ${job.id}`);
    const form = h.surface.last('form')!.view;
    expect([value(form, 'name'), value(form, 'subdomain'), value(form, 'templateId')]).toEqual([
      'Taken',
      'contoso-dev',
      'PartnerPortal',
    ]);
    expect(value(form, 'audience')).toBe('partner');
    expect(form.errors?.join(' ')).toMatch(/contoso-dev/);
    expect(h.engine.get(job.id)?.state).toBe('failed');
    expect(h.store.readAudit({ action: 'alert.opened' })).toEqual([]);
  });

  it('keeps every value of a failed site, its template included, in "Change values and restart"', async () => {
    await h.say(alice, 'status contoso-broken in dev');
    const change = h.surface.last('site-status')!.view.buttons.find((b) => b.verb === 'site.change-values')!;
    await h.click(alice, change);
    const form = h.surface.last('form')!.view;
    const site = h.sim.world.sites.get('5e7e0002-0000-4000-8000-000000000002')!;
    expect(value(form, 'name')).toBe(site.name);
    expect(value(form, 'subdomain')).toBe('contoso-broken');
    expect(value(form, 'templateId')).toBe(site.templateName);
    expect(value(form, 'languageLcid')).toBe(String(site.selectedBaseLanguage));
    expect(choices(form, 'templateId')).toContain(site.templateName);
  });

  it('takes the buttons off the requester’s approval card once someone else approved', async () => {
    await h.say(alice, 'reset portal contoso-dev in dev');
    const confirmation = h.surface.last('confirmation')!;
    await h.click(alice, confirmation.view.confirm, { confirmText: 'contoso-dev' });
    const card = h.surface.last('approval-request')!;
    // Bob approves from a card of his own (another message), not the requester's.
    await h.click(bob, card.view.buttons[0]!, {}, undefined, 'bobs-copy');
    const requesters = h.surface.current(card.messageId);
    expect(requesters).toMatchObject({
      type: 'approval-request',
      status: 'Approved by Bob Approver',
      buttons: [],
    });
  });

  it('answers a button no command or feature registered, doing nothing', async () => {
    const replaced = await h.click(alice, { verb: 'thing.unknown', label: 'x', data: {} });
    expect(replaced).toBeUndefined();
    expect(h.core.knowsVerb('thing.unknown')).toBe(false);
    expect(h.core.knowsVerb('alert.snooze')).toBe(true);
    expect(h.surface.last('message')?.view.text).toBe('That button is not known to PortalOps.');
  });

  it('shows a status card again as the site is once a restart typed elsewhere has succeeded', async () => {
    await h.say(alice, 'status contoso-broken in dev');
    const status = h.surface.last('site-status')!;
    await h.say(alice, 'restart provisioning contoso-broken in dev');
    await h.click(alice, h.surface.last('confirmation')!.view.confirm, { confirmText: 'contoso-broken' });
    const job = h.engine.list({ kind: 'restart-provisioning' })[0]!;
    expect((await h.finished(job.id)).state).toBe('succeeded');
    const now = await waitUntil(() => {
      const view = h.surface.current(status.messageId);
      return view?.type === 'site-status' && view.facts[0]?.value === 'Configured' ? view : undefined;
    });
    expect(now.buttons.map((b) => b.label)).not.toContain('Restart provisioning');
  });

  it('has another person approve a restart of provisioning in a protected environment', async () => {
    const prodSite = [...h.sim.world.sites.values()].find((x) => x.environmentId === h.env('prod').id)!;
    Object.assign(prodSite, { status: 'OperationFailed' });
    await h.say(alice, `restart provisioning ${prodSite.subdomain} in prod`);
    const confirmed = await h.click(alice, h.surface.last('confirmation')!.view.confirm, {
      confirmText: prodSite.subdomain,
    });
    expect(confirmed).toMatchObject({
      type: 'message',
      text: expect.stringContaining('Waiting for approval'),
    });
    const job = h.engine.list({ kind: 'restart-provisioning' })[0]!;
    expect(job.state).toBe('awaiting_approval');
    await h.click(bob, h.surface.last('approval-request')!.view.buttons[0]!);
    expect((await h.finished(job.id)).state).toBe('succeeded');
  });
});
