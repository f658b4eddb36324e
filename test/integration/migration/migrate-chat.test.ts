import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alice, bob, type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';
import { addTable, seedFixtureSite } from '../../support/migration-seed.ts';
import { waitUntil } from '../../support/wait-until.ts';

describe('migrate from chat', () => {
  let h: ChatHarness;
  beforeEach(async () => {
    h = await startChatHarness();
    await seedFixtureSite(h, 'dev', 'contoso-construction');
    for (const env of ['test', 'prod']) for (const t of ['gsk_action', 'feedback']) addTable(h, env, t);
  });
  afterEach(async () => {
    await h.close();
  });

  it('shows the plan of a dry run and changes nothing', async () => {
    await h.say(alice, 'migrate dev to test site contoso-construction dry run');
    const plan = h.surface.last('migration-plan')!.view;
    // Tables by the names people know them by, never adx_ names.
    expect(plan.tables.find((t) => t.table === 'Web Page')?.creates).toBeGreaterThan(0);
    expect(plan.tables.map((t) => t.table).join(' ')).not.toMatch(/adx_/);
    expect(h.surface.last('message')?.view.text).toMatch(/Dry run: \d+ record\(s\) would be written/);
    expect(h.engine.list({ kind: 'migrate' })).toHaveLength(0);

    // Its button runs it for real: the plan again in place of the dry run, then the typed confirmation.
    const run = plan.buttons.find((b) => b.label === 'Run this migration')!;
    const replaced = await h.click(alice, run);
    expect(replaced).toMatchObject({
      type: 'migration-plan',
      title: 'Migrate contoso-construction from dev to test',
    });
    expect(h.surface.last('confirmation')?.view.title).toBe('Migrate contoso-construction from dev to test?');
    expect(h.engine.list({ kind: 'migrate' })).toHaveLength(0);
  });

  it('lists every preflight problem and offers nothing to confirm', async () => {
    h.sim.world.findEnvironment('test')!.tables = h.sim.world
      .findEnvironment('test')!
      .tables.filter((t) => t.logicalName !== 'feedback');
    await h.say(alice, 'migrate dev to test site contoso-construction');
    const plan = h.surface.last('migration-plan')!.view;
    expect(JSON.stringify(plan)).toMatch(/name feedback, which test does not have/);
    expect(h.surface.last('message')?.view.text).toMatch(/Nothing was changed/);
    expect(h.surface.last('confirmation')).toBeUndefined();
  });

  it('runs into a protected target after the typed confirmation and another approver, then verifies', async () => {
    await h.say(alice, 'migrate dev to prod site contoso-construction');
    const confirmation = h.surface.last('confirmation')!;
    expect(confirmation.view.type === 'confirmation' && confirmation.view.plan.join(' ')).toMatch(
      /Snapshot prod/,
    );
    await h.click(
      alice,
      confirmation.view.type === 'confirmation' ? confirmation.view.confirm : (undefined as never),
      {
        confirmText: 'contoso-construction',
      },
    );
    const approval = h.surface.last('approval-request')!;
    await h.click(
      bob,
      approval.view.type === 'approval-request' ? approval.view.buttons[0]! : (undefined as never),
    );
    const job = await waitUntil(
      () => h.engine.list({ kind: 'migrate' }).find((j) => j.state === 'succeeded' || j.state === 'failed'),
      20_000,
      'the migration to finish',
    );
    expect(job.state, JSON.stringify(job.lastError)).toBe('succeeded');
    expect(String(job.result?.verified)).toMatch(/records equal/);
    // Its card explains the counts and says a new site was provisioned in prod.
    const result = await waitUntil(() => {
      const view = h.surface.posts
        .filter((p) => p.view.type === 'job-progress')
        .map((p) => h.surface.current(p.messageId))
        .find((v) => v?.type === 'job-result');
      return view?.type === 'job-result' ? view : undefined;
    });
    const labels = result.result.map((r) => r.label);
    expect(labels).toEqual(
      expect.arrayContaining(['Planned (records)', 'Written (requests sent)', 'About the counts']),
    );
    expect(result.result.find((r) => r.label === 'New site in the target')?.value).toMatch(
      /prod had no site on this website record/,
    );
    // The same request again finds nothing to do.
    await h.say(alice, 'migrate dev to prod site contoso-construction');
    expect(h.surface.last('message')?.view.text).toMatch(/prod already matches dev/);

    // And it can be undone from chat: restore prod to the snapshot taken before the migration.
    await h.say(alice, 'restore contoso-construction in prod to snapshot 1');
    const restore = h.surface.last('confirmation')!;
    expect(restore.view.type === 'confirmation' && restore.view.title).toMatch(
      /Restore contoso-construction in prod to snapshot/,
    );
    await h.click(alice, restore.view.type === 'confirmation' ? restore.view.confirm : (undefined as never), {
      confirmText: 'contoso-construction',
    });
    const approval2 = h.surface.last('approval-request')!;
    await h.click(
      bob,
      approval2.view.type === 'approval-request' ? approval2.view.buttons[0]! : (undefined as never),
    );
    const restored = await waitUntil(
      () => h.engine.list({ kind: 'restore' }).find((j) => j.state === 'succeeded' || j.state === 'failed'),
      20_000,
      'the restore to finish',
    );
    expect(restored.state, JSON.stringify(restored.lastError)).toBe('succeeded');
  });

  it('asks which snapshot when none or an unknown one is named', async () => {
    await h.say(alice, 'restore contoso-construction in prod to snapshot 3');
    expect(h.surface.last('message')?.view.text).toMatch(/no snapshot of contoso-construction in prod/);
  });
});
