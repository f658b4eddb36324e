import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../src/alerts/alert.ts';
import { LOCAL_POLICY, policySchema } from '../../src/policy/policy.ts';
import type { Button } from '../../src/views/view.ts';
import { alice, bob, type ChatHarness, carol, dave, startChatHarness } from '../support/chat-harness.ts';
import { listManySites } from '../support/many-sites.ts';

const CANT = /^You can't act on this/;

describe('card actions act on the stored record, never on what the button says', () => {
  let h: ChatHarness;
  beforeEach(async () => {
    h = await startChatHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  /** A provisioning failure of prod's site, as the alert center records it. */
  async function prodAlert(): Promise<AlertRecord> {
    const site = [...h.sim.world.sites.values()].find((s) => s.subdomain === 'contoso')!;
    site.status = 'OperationFailed';
    await h.alerts.pollOnce();
    return h.store.collection('alerts').list((a) => a.environment === 'prod')[0]!;
  }

  const refusal = () => h.surface.last('message')?.view;

  it('refuses a dev-only operator who acknowledges a prod alert with a forged environment', async () => {
    const alert = await prodAlert();
    const forged: Button = {
      verb: 'alert.acknowledge',
      label: 'Acknowledge',
      data: { alertId: alert.id, environment: 'dev' },
    };

    expect(await h.click(carol, forged)).toBeUndefined();

    expect(refusal()?.text).toMatch(CANT);
    expect(refusal()?.text).not.toMatch(/prod|contoso/);
    expect(h.store.collection('alerts').get(alert.id)!.state).toBe('open');
    expect(h.store.readAudit({ action: 'card.refused' })).toHaveLength(1);
    // Someone who operates prod can.
    await h.click(bob, { ...forged, data: { alertId: alert.id } });
    expect(h.store.collection('alerts').get(alert.id)!.state).toBe('acknowledged');
  });

  it('refuses a viewer who snoozes an alert with an empty environment', async () => {
    const alert = await prodAlert();

    await h.click(dave, {
      verb: 'alert.snooze',
      label: 'Snooze',
      data: { alertId: alert.id, environment: '' },
    });

    expect(refusal()?.text).toMatch(CANT);
    const stored = h.store.collection('alerts').get(alert.id)!;
    expect(stored.state).toBe('open');
    expect(stored.actions).toHaveLength(0);
  });

  it('restarts the alert’s own site, whatever environment and site the button names', async () => {
    const alert = await prodAlert();
    // Carol operates dev: with the button's word she could restart anything; prod is not hers.
    await h.click(carol, {
      verb: 'site.restart-provisioning',
      label: 'Restart provisioning',
      data: { alertId: alert.id, environment: 'dev', site: 'contoso-broken' },
    });
    expect(refusal()?.text).toMatch(/carol|Carol/);
    expect(h.engine.list({ kind: 'restart-provisioning' })).toHaveLength(0);
  });

  it('does not open another person’s job in the change-values form', async () => {
    await h.engine.stop();
    await h.say(alice, 'provision a customer portal called "Secret Launch" at secret-launch in dev');
    const job = h.engine.list({ kind: 'provision' })[0]!;
    const forged: Button = { verb: 'site.change-values', label: 'Change values', data: { jobId: job.id } };

    await h.click(carol, forged);

    expect(refusal()?.text).toMatch(CANT);
    expect(JSON.stringify(h.surface.posts.filter((p) => p.view.type === 'form'))).not.toMatch(
      /Secret Launch|secret-launch/,
    );
    // Its requester gets the form with the job's values.
    await h.click(alice, forged);
    expect(JSON.stringify(h.surface.last('form')!.view)).toMatch(/secret-launch/);
  });

  it('refuses a retry that names an alert about another job', async () => {
    await h.engine.stop();
    await h.say(alice, 'provision a customer portal called "Other" at other-site in dev');
    const job = h.engine.list({ kind: 'provision' })[0]!;
    const alert = await prodAlert();

    await h.click(alice, { verb: 'job.retry', label: 'Retry', data: { jobId: job.id, alertId: alert.id } });

    expect(refusal()?.text).toMatch(CANT);
    expect(h.store.collection('alerts').get(alert.id)!.actions).toHaveLength(0);
  });

  it('shows a request named by a forged id only to people with a role where it applies', async () => {
    await h.close();
    // Only named people are viewers here: a stranger holds no role anywhere.
    h = await startChatHarness({
      policy: policySchema.parse({
        roles: { ...LOCAL_POLICY.roles, '*': { ...LOCAL_POLICY.roles['*'], viewer: ['dave@contoso.com'] } },
      }),
    });
    await h.say(alice, 'reset contoso-dev in dev');
    const confirm = h.surface.last('confirmation')!.view.confirm;
    const stranger = { id: 'u-eve', email: 'eve@fabrikam.com', displayName: 'Eve' };

    const shown = await h.click(stranger, { ...confirm, data: { ...confirm.data, nonce: 'N-OLD' } });

    expect(shown).toBeUndefined();
    expect(refusal()?.text).toMatch(CANT);
    expect(JSON.stringify(refusal())).not.toMatch(/contoso-dev/);
  });

  it('serves a kept page only to the conversation it was shown in', async () => {
    listManySites(h, 60);
    await h.say(alice, 'sites in dev');
    const shown = JSON.stringify(h.surface.posts.at(-1)!.view);
    const more = JSON.parse(shown.match(/\{"verb":"view\.page"[^}]*\}[^}]*\}/)![0]) as Button;

    const elsewhere = await h.core.handleAction({
      eventId: 'a-elsewhere',
      conversation: { surface: 'fake', conversationId: 'channel-2' },
      user: alice,
      verb: more.verb,
      data: more.data,
      inputs: {},
    });
    expect(JSON.stringify(elsewhere)).not.toMatch(/bulk-site-/);
    expect(JSON.stringify(await h.click(alice, more))).toMatch(/bulk-site-2\d/);
  });
});
