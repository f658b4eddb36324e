import { afterEach, describe, expect, it } from 'vitest';
import { alice, type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';
import { waitUntil } from '../../support/wait-until.ts';

describe('job notifier', () => {
  let h: ChatHarness;
  afterEach(() => h.close());

  it('edits a job’s message at most once per interval and ends on the result', async () => {
    h = await startChatHarness({ minIntervalMs: 300 });
    let events = 0;
    h.engine.subscribe(() => {
      events++;
    });
    await h.say(
      alice,
      'provision site name="Coalesced" subdomain=coalesced template=CustomerSelfServicePortal in dev',
    );
    const progress = h.surface.last('job-progress')!;
    await waitUntil(() => h.surface.current(progress.messageId)?.type === 'job-result', 10_000);
    const edits = h.surface.updates.filter((u) => u.messageId === progress.messageId);
    expect(events).toBeGreaterThan(edits.length);
    for (let i = 1; i < edits.length; i++)
      expect(edits[i]!.at - edits[i - 1]!.at).toBeGreaterThanOrEqual(290);
  });
});
