import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alice, type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';

describe('site states in chat, in the admin centre’s words', () => {
  let h: ChatHarness;
  beforeEach(async () => {
    h = await startChatHarness();
  });
  afterEach(() => h.close());

  it('lists sites with their state and what needs attention', async () => {
    await h.say(alice, 'sites in test');
    const list = h.surface.last('site-list')!.view;
    expect(list.sites.map((s) => [s.subdomain, s.status, s.note])).toEqual([
      ['contoso-test', 'Configured', 'trial ends in 5 days'],
      ['contoso-pilot', 'Suspended', 'trial ended; deleted in 5 days'],
    ]);
  });

  it('shows a site’s state with the platform’s raw values, and the buttons that fit', async () => {
    await h.say(alice, 'status contoso-broken in dev');
    const card = h.surface.last('site-status')!.view;
    const fact = (label: string) => card.facts.find((f) => f.label === label)?.value;
    expect(fact('Status')).toBe('Provisioning failed');
    expect(fact('Platform values')).toBe(
      'status OperationFailed · package None · type Trial · trialExpiringInDays 28 · suspendedWebsiteDeletingInDays 35 · dataModel Standard',
    );
    expect(card.buttons.map((b) => b.label)).toEqual(['Restart provisioning', 'Change values and restart']);

    await h.say(alice, 'status contoso-setup in dev');
    const setup = h.surface.last('site-status')!.view;
    expect(setup.facts.find((f) => f.label === 'Status')?.value).toBe('Getting set up');
    expect(setup.facts.find((f) => f.label === 'Platform values')?.value).toMatch(/package InstallFailed/);

    await h.say(alice, 'status contoso-pilot in test');
    const pilot = h.surface.last('site-status')!.view;
    expect(pilot.facts.slice(0, 2)).toEqual([
      { label: 'Status', value: 'Suspended' },
      { label: 'Type', value: 'Trial, ended' },
    ]);
    expect(pilot.facts.find((f) => f.label === 'Attention')?.value).toBe('trial ended; deleted in 5 days');
  });

  it('refuses a restart or a reset the site’s state does not allow, before any job or confirmation', async () => {
    await h.say(alice, 'restart provisioning contoso-dev in dev');
    expect(h.surface.last('message')!.view.text).toMatch(
      /contoso-dev is Configured \(status OperationComplete .*\); only a site whose provisioning failed can be restarted/,
    );
    await h.say(alice, 'reset contoso-pilot in test');
    expect(h.surface.last('message')!.view.text).toMatch(
      /contoso-pilot is Suspended .*can be reset once it is configured or its provisioning failed/,
    );
    expect(h.engine.list({})).toEqual([]);
    expect(h.surface.last('confirmation')).toBeUndefined();
  });
});
