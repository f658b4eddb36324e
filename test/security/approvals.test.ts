import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportSite } from '../../src/migration/site-export.ts';
import type { View } from '../../src/views/view.ts';
import { alice, bob, type ChatHarness, startChatHarness } from '../support/chat-harness.ts';
import { addTable, seedFixtureSite } from '../support/migration-seed.ts';

const SITE = 'contoso-construction';

describe('approvals are bound to the exact plan', () => {
  let h: ChatHarness;
  let websiteId: string;
  beforeEach(async () => {
    h = await startChatHarness();
    ({ websiteId } = await seedFixtureSite(h, 'dev', SITE));
    for (const env of ['test', 'prod']) for (const t of ['gsk_action', 'feedback']) addTable(h, env, t);
  });
  afterEach(async () => {
    await h.close();
  });

  const dataverseOf = (alias: string) =>
    h.deps.dataverse(h.sim.environmentsRegistry().find((e) => e.alias === alias)!.dataverseUrl);

  /** Someone keeps editing the source after the plan was shown. */
  async function addWebPages(count: number) {
    const dev = dataverseOf('dev');
    for (let i = 0; i < count; i++) {
      await dev.create('adx_webpages', {
        adx_webpageid: randomUUID(),
        adx_name: `Late page ${i}`,
        adx_partialurl: `late-page-${i}`,
        'adx_websiteid@odata.bind': `/adx_websites(${websiteId})`,
      });
    }
  }

  /** Alice asks to migrate dev to prod and confirms; the approval card waits for Bob. */
  async function requestMigrationToProd() {
    await h.say(alice, `migrate dev to prod site ${SITE}`);
    const confirmation = h.surface.last('confirmation')!.view;
    await h.click(alice, confirmation.confirm, { confirmText: SITE });
    return h.surface.last('approval-request')!;
  }

  const prodRecords = async () => (await exportSite(dataverseOf('prod'), websiteId)).length;

  it('voids an approval whose source gained 25 records before the approver clicked, and writes nothing', async () => {
    const approval = await requestMigrationToProd();
    await addWebPages(25);

    const replaced = (await h.click(bob, approval.view.buttons[0]!)) as Extract<
      View,
      { type: 'approval-request' }
    >;

    expect(replaced.type).toBe('approval-request');
    expect(replaced.status).toMatch(
      /^Void: 25 records were added to the source since the plan was requested/,
    );
    expect(replaced.status).toMatch(/25 more creates in adx_webpage/);
    expect(replaced.status).toMatch(/Ask again for a new approval/);
    expect(replaced.buttons).toHaveLength(0);
    expect(h.surface.last('message')!.view.text).toMatch(/25 more creates in adx_webpage.*ask again/);
    const [job] = h.engine.list({ kind: 'migrate' });
    expect(job!.state).toBe('cancelled');
    expect(await prodRecords()).toBe(0);
    expect(h.store.readAudit({ action: 'approval.voided' })).toHaveLength(1);

    // Asked again, the new plan counts the new pages and can be approved.
    const again = await requestMigrationToProd();
    await h.click(bob, again.view.buttons[0]!);
    const done = await h.finished(
      h.engine.list({ kind: 'migrate' }).find((j) => j.state !== 'cancelled')!.id,
    );
    expect(done.state, JSON.stringify(done.lastError)).toBe('succeeded');
    expect(await prodRecords()).toBe((await exportSite(dataverseOf('dev'), websiteId)).length);
  });

  it('stops the job before its first write when the source changed between the approval and the start', async () => {
    const approval = await requestMigrationToProd();
    // The approval goes through while no engine runs the job, then the source changes.
    await h.engine.stop();
    await h.click(bob, approval.view.buttons[0]!);
    expect(h.approvals.get(approval.view.buttons[0]!.data.approvalId!)!.state).toBe('approved');
    await addWebPages(25);
    h.engine.start();

    const job = await h.finished(h.engine.list({ kind: 'migrate' })[0]!.id);

    expect(job.state).toBe('failed');
    expect(job.lastError!.code).toBe('plan_changed');
    expect(job.lastError!.message).toMatch(
      /^25 records were added to the source since the plan was approved: 25 more creates in adx_webpage\. Request A-\w+ is void, so nothing was changed; ask again/,
    );
    expect(job.steps.find((s) => s.id === 'import')!.status).toBe('failed');
    expect(await prodRecords()).toBe(0);
    expect(h.approvals.get(approval.view.buttons[0]!.data.approvalId!)!.state).toBe('void');
    // The failure card says what changed and offers no retry of a void approval.
    const card = h.surface.current(job.messages[0]!.messageId) ?? h.surface.last('failure')!.view;
    expect(JSON.stringify(card)).toMatch(/25 more creates in adx_webpage/);
    expect(card.type === 'failure' && card.buttons.map((b) => b.verb)).not.toContain('job.retry');
  });

  it('voids a reset approval when the site’s configuration changed before the approver clicked', async () => {
    await h.say(alice, `reset ${SITE} in dev`);
    const confirmation = h.surface.last('confirmation')!.view;
    await h.click(alice, confirmation.confirm, { confirmText: SITE });
    const approval = h.surface.last('approval-request')!;
    await addWebPages(1);

    const replaced = (await h.click(bob, approval.view.buttons[0]!)) as Extract<
      View,
      { type: 'approval-request' }
    >;

    expect(replaced.status).toMatch(
      /^Void: 1 record was added to the configuration since the plan was requested/,
    );
    expect(h.engine.list({ kind: 'reset' })[0]!.state).toBe('cancelled');
    expect([...h.sim.world.sites.values()].some((s) => s.subdomain === SITE)).toBe(true);
  });

  it('still runs an approved plan that did not change', async () => {
    const approval = await requestMigrationToProd();
    await h.click(bob, approval.view.buttons[0]!);
    const job = await h.finished(h.engine.list({ kind: 'migrate' })[0]!.id);
    expect(job.state, JSON.stringify(job.lastError)).toBe('succeeded');
    expect(job.context.approvedPlanChecked).toBe(
      h.approvals.get(approval.view.buttons[0]!.data.approvalId!)!.planHash,
    );
  });
});
