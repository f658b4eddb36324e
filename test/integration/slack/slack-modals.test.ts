import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitForPost } from '../../support/fake-slack.ts';
import { type SlackHarness, startSlackHarness, textOf } from '../../support/slack-harness.ts';
import { waitUntil } from '../../support/wait-until.ts';

type ModalView = { callback_id: string; private_metadata: string; blocks: unknown[] };

const PROVISION_VALUES = {
  environment: { environment: { type: 'static_select', selected_option: { value: 'dev' } } },
  name: { name: { type: 'plain_text_input', value: 'Form Hub' } },
  subdomain: { subdomain: { type: 'plain_text_input', value: 'form-hub' } },
  templateId: {
    templateId: { type: 'static_select', selected_option: { value: 'CustomerSelfServicePortal' } },
  },
};

describe('Slack modals within the 3-second trigger', () => {
  let s: SlackHarness;
  beforeEach(async () => {
    s = await startSlackHarness();
  });
  afterEach(async () => {
    await s.close();
  });

  it('opens a loading modal with the command’s trigger at once, then fills it with the form when its data is ready', async () => {
    // Gathering the form's choices (the environment's languages) is slow this time.
    const environments = s.h.deps.environments;
    const resolve = environments.resolve.bind(environments);
    let modalsWhenDataArrived = -1;
    environments.resolve = async (alias) => {
      await new Promise((done) => setTimeout(done, 1_000));
      modalsWhenDataArrived = s.api.of('views.open').length;
      return resolve(alias);
    };
    const response = await s.command('U-ALICE', 'provision in dev', { triggerId: 'trig-provision' });
    expect(response.status).toBe(200);
    const filled = await waitUntil(() => s.api.of('views.update')[0], 5_000, 'the modal filled in');
    const opened = s.api.of('views.open')[0]!;
    expect(opened.body.trigger_id).toBe('trig-provision');
    expect(JSON.stringify(opened.body.view)).toMatch(/Getting the form ready/);
    expect(modalsWhenDataArrived).toBe(1);
    expect(filled.body.view_id).toBe('V-1');
    expect(filled.body.hash).toBe('h-1');
    const form = filled.body.view as ModalView;
    expect(form.callback_id).toBe('portalops_form');
    expect(JSON.stringify(form.blocks)).toMatch(/subdomain/);
    expect(s.api.of('chat.postMessage')).toEqual([]);

    expect((await s.submit('U-ALICE', form, PROVISION_VALUES)).status).toBe(200);
    await waitForPost(s.api, /Provision form-hub in dev/);
  });

  it.each(['expired_trigger_id', 'invalid_trigger_id'])(
    'posts the form as a message with an "Open the form" button when views.open answers %s',
    async (error) => {
      s.api.failNext('views.open', error);
      await s.command('U-ALICE', 'provision in dev');
      const message = await waitForPost(s.api, /Open the form/);
      // The form's own fields are in the message too, and nothing tried to fill a modal.
      expect(textOf(message)).toMatch(/subdomain/);
      expect(textOf(message)).toMatch(/could not open in time/);
      expect(s.api.of('views.update')).toEqual([]);

      // The button opens the form as a modal with its own, fresh trigger.
      await s.click('U-ALICE', message.body.blocks, 'Open the form', { ts: message.ts! });
      const reopened = await waitUntil(() => s.api.of('views.open')[1], 5_000, 'the form opened again');
      const form = reopened.body.view as ModalView;
      expect(form.callback_id).toBe('portalops_form');
      expect(reopened.body.trigger_id).not.toBe(s.api.of('views.open')[0]!.body.trigger_id);
      expect(JSON.parse(form.private_metadata).channel).toBe('C-OPS');

      await s.submit('U-ALICE', form, PROVISION_VALUES);
      await waitForPost(s.api, /Provision form-hub in dev/);
      expect(s.h.engine.list({ kind: 'provision' })).toHaveLength(1);
    },
  );

  it('shows a refusal in the modal the person is looking at instead of leaving it loading', async () => {
    await s.command('U-DAVE', 'provision in dev');
    const notice = await waitUntil(() => s.api.of('views.update')[0], 5_000, 'the modal updated');
    const view = notice.body.view as ModalView;
    expect(view.callback_id).toBe('portalops_notice');
    expect(JSON.stringify(view.blocks)).toMatch(/why can't I provision/);
    expect(s.api.of('chat.postMessage')).toEqual([]);
    expect(s.h.engine.list()).toEqual([]);
  });

  it('opens the change-and-restart form through a loading modal too', async () => {
    await s.command('U-ALICE', 'change values and restart contoso-broken in dev', {
      triggerId: 'trig-change',
    });
    await waitUntil(() => s.api.of('views.update')[0], 5_000, 'the modal filled in');
    expect(s.api.of('views.open')[0]!.body.trigger_id).toBe('trig-change');
    const form = s.api.of('views.update')[0]!.body.view as ModalView;
    expect(form.callback_id).toBe('portalops_form');
    expect(JSON.parse(form.private_metadata).data.kind).toBe('change-and-restart');
  });

  it('opens a loading modal with the click’s trigger when a "Change values and restart" button is clicked', async () => {
    await s.h.core.post({ surface: 'slack', conversationId: 'C-OPS' }, [
      {
        view: {
          type: 'site-status',
          environment: 'dev',
          title: 'Contoso Broken',
          facts: [{ label: 'Status', value: 'Provisioning failed' }],
          buttons: [
            {
              verb: 'site.change-values',
              label: 'Change values and restart',
              data: { environment: 'dev', site: 'contoso-broken' },
            },
          ],
        },
      },
    ]);
    const card = await waitForPost(s.api, /Contoso Broken/);
    await s.click('U-ALICE', card.body.blocks, 'Change values and restart', { ts: card.ts! });
    const filled = await waitUntil(() => s.api.of('views.update')[0], 5_000, 'the modal filled in');
    expect(JSON.stringify(s.api.of('views.open')[0]!.body.view)).toMatch(/Getting the form ready/);
    const form = filled.body.view as ModalView;
    expect(form.callback_id).toBe('portalops_form');
    expect(JSON.parse(form.private_metadata).data).toMatchObject({
      kind: 'change-and-restart',
      site: 'contoso-broken',
    });
  });
});
