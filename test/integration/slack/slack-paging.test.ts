import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SLACK_LIMITS } from '../../../src/views/slack-renderer.ts';
import { waitForPost } from '../../support/fake-slack.ts';
import { listManySites } from '../../support/many-sites.ts';
import { type SlackHarness, startSlackHarness, textOf } from '../../support/slack-harness.ts';
import { waitUntil } from '../../support/wait-until.ts';

type Block = { type: string; elements?: { value?: string }[] };

describe('Slack long lists and long button data', () => {
  let s: SlackHarness;
  beforeEach(async () => {
    s = await startSlackHarness();
  });
  afterEach(async () => {
    await s.close();
  });

  it('pages a 200-site list in place: at most 50 blocks a message, "Show more" until every site was shown', async () => {
    listManySites(s.h, 200);
    await s.command('U-ALICE', 'sites in dev');
    const message = await waitForPost(s.api, /Showing sites 1–20 of 200/);
    const seen = new Set<string>();
    let blocks = message.body.blocks as Block[];
    for (let page = 1; ; page++) {
      expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      for (const m of JSON.stringify(blocks).matchAll(/bulk-site-(\d+)\)/g)) seen.add(m[1]!);
      if (!/Show more/.test(JSON.stringify(blocks))) {
        expect(page).toBe(10);
        break;
      }
      const edits = s.api.of('chat.update').length;
      await s.click('U-ALICE', blocks, 'Show more', { ts: message.ts! });
      const edit = await waitUntil(() => s.api.of('chat.update')[edits], 5_000, `page ${page + 1}`);
      // The same message turns to the next page.
      expect(edit.body.ts).toBe(message.ts);
      expect(textOf(edit)).toMatch(new RegExp(`Showing sites ${page * 20 + 1}–${page * 20 + 20} of 200`));
      blocks = edit.body.blocks as Block[];
    }
    expect(seen.size).toBe(200);
    expect(s.api.of('chat.postMessage')).toHaveLength(1);
  });

  it('keeps button data too long for Slack’s 2,000-character value server side and acts on all of it', async () => {
    const jobId = `J-${'X'.repeat(2_100)}`;
    await s.h.core.post({ surface: 'slack', conversationId: 'C-OPS' }, [
      {
        view: {
          type: 'site-status',
          environment: 'dev',
          title: 'A card with a long id',
          facts: [],
          buttons: [{ verb: 'job.retry', label: 'Retry', data: { jobId } }],
        },
      },
    ]);
    const card = await waitForPost(s.api, /A card with a long id/);
    const values = (card.body.blocks as Block[]).flatMap((b) => b.elements ?? []).map((e) => e.value ?? '');
    expect(values).toHaveLength(1);
    expect(values[0]!.length).toBeLessThanOrEqual(SLACK_LIMITS.value);
    expect(JSON.parse(values[0]!)).toMatchObject({
      verb: 'job.retry',
      stateRef: expect.stringMatching(/^cs-/),
    });

    await s.click('U-ALICE', card.body.blocks, 'Retry', { ts: card.ts! });
    // The click took effect with the whole id: the answer names it in full.
    const answer = await waitForPost(s.api, /There is no job/);
    expect(textOf(answer)).toContain(jobId);
  });
});
