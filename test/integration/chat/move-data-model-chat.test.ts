import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alice, bob, type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';
import { waitUntil } from '../../support/wait-until.ts';

describe('moving a site to the enhanced data model from chat', () => {
  let h: ChatHarness;

  beforeEach(async () => {
    h = await startChatHarness();
    h.env('prod').solutions.push({ uniqueName: 'PowerPages_CustomerPortal_V2', version: '1.0.2403.1' });
  });
  afterEach(() => h.close());

  it('in a protected environment: typed confirmation, another person approves, the site moves', async () => {
    await h.say(alice, 'move contoso in prod to the enhanced data model');
    const confirmation = h.surface.last('confirmation')!;
    const plan = confirmation.view.plan.join('\n');
    expect(plan).toContain('Snapshot the configuration of Contoso');
    expect(plan).toContain('Afterwards, by a person');
    expect(plan).toContain('learn.microsoft.com/power-pages/admin/migrate-enhanced-data-model');
    expect(plan).toContain('outside business hours');
    const replaced = await h.click(alice, confirmation.view.confirm, { confirmText: 'contoso' });
    expect(replaced).toMatchObject({
      type: 'message',
      text: expect.stringContaining('Waiting for approval'),
    });
    const approval = h.surface.last('approval-request')!;
    const job = h.engine.list({ kind: 'move-data-model' })[0]!;
    expect(job.state).toBe('awaiting_approval');
    // The requester cannot approve their own request; nothing was sent meanwhile.
    await h.click(alice, approval.view.buttons[0]!);
    expect(h.engine.get(job.id)?.state).toBe('awaiting_approval');
    const site = h.sim.world.sites.get('5e7e0005-0000-4000-8000-000000000005')!;
    expect(h.sim.world.dataModel.accepted[site.id]).toBeUndefined();
    await h.click(bob, approval.view.buttons[0]!);
    // The move reads and writes the whole site three times: a loaded machine gets a long wait.
    const done = await waitUntil(() => {
      const now = h.engine.get(job.id);
      return now && ['succeeded', 'failed'].includes(now.state) ? now : undefined;
    }, 50_000);
    expect(done.state).toBe('succeeded');
    expect(site.dataModel).toBe('Enhanced');
    const progress = h.surface.last('job-progress')!;
    const card = await waitUntil(() => {
      const view = h.surface.current(progress.messageId);
      return view?.type === 'job-result' ? view : undefined;
    });
    expect(card.result.find((r) => r.label === 'After the move (by a person)')?.value).toContain(
      'learn.microsoft.com',
    );
  }, 60_000);

  it('refuses a site already on the enhanced data model before anyone confirms', async () => {
    await h.say(alice, 'move contoso-events in dev to the enhanced data model');
    expect(h.surface.last('confirmation')).toBeUndefined();
    expect(JSON.stringify(h.surface.posts.at(-1)?.view)).toContain('already uses the enhanced data model');
    expect(h.engine.list({ kind: 'move-data-model' })).toEqual([]);
  });
});
