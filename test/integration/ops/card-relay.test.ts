/**
 * Card updates from any replica, on the real PostgreSQL: a job run by replica A updates the card
 * in a conversation only replica B can reach (LISTEN/NOTIFY and the outbox), an alert posted by A
 * into it gets B's message id back, and two replicas updating cards in one conversation keep its
 * pace together.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobNotifier } from '../../../src/chat/core/job-notifier.ts';
import type { ChatSurface, ConversationRef } from '../../../src/chat/core/surface.ts';
import { JobEngine } from '../../../src/jobs/engine.ts';
import type { JobKindDefinition } from '../../../src/jobs/job-kind.ts';
import { CardRelay } from '../../../src/ops/postgres/card-relay.ts';
import { PostgresConversationPace } from '../../../src/ops/postgres/conversation-pace.ts';
import { LowdbStore } from '../../../src/storage/lowdb-store.ts';
import { openDatabase, type PostgresDatabase } from '../../../src/storage/postgres/database.ts';
import type { View } from '../../../src/views/view.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { waitUntil } from '../../support/wait-until.ts';
import { createFreshDatabase, type FreshDatabase } from './fresh-database.ts';

/** A chat surface that records what reached it and when. */
function recordingSurface(name: string) {
  const sent: { op: 'post' | 'update'; conversationId: string; messageId: string; view: View; at: number }[] =
    [];
  const surface: ChatSurface = {
    name,
    async post(conversation: ConversationRef, view: View) {
      const messageId = `${name}-${sent.length + 1}`;
      sent.push({ op: 'post', conversationId: conversation.conversationId, messageId, view, at: Date.now() });
      return messageId;
    },
    async update(conversation: ConversationRef, messageId: string, view: View) {
      sent.push({
        op: 'update',
        conversationId: conversation.conversationId,
        messageId,
        view,
        at: Date.now(),
      });
    },
  };
  return { surface, sent };
}

const conversation = (surface: string, conversationId: string): ConversationRef => ({
  surface,
  conversationId,
});

describe('card relay across replicas', () => {
  let fresh: FreshDatabase;
  let databases: PostgresDatabase[];
  let relays: CardRelay[];

  beforeEach(async () => {
    fresh = await createFreshDatabase();
    databases = [
      await openDatabase({ url: fresh.url, applicationName: 'replica-a' }),
      await openDatabase({ url: fresh.url, applicationName: 'replica-b' }),
    ];
    relays = [];
  });
  afterEach(async () => {
    await Promise.allSettled(relays.map((r) => r.stop()));
    await Promise.allSettled(databases.map((d) => d.close()));
    await fresh.drop();
  });

  const relayOn = async (
    db: PostgresDatabase,
    local: ChatSurface[],
    intervalMs = 50,
    postTimeoutMs = 10_000,
  ) => {
    const relay = new CardRelay({
      pool: db.pool,
      listen: (channel, listener, onReconnect) => db.listen(channel, listener, onReconnect),
      pace: new PostgresConversationPace(db.pool, intervalMs),
      local: (name) => local.find((s) => s.name === name),
      conversation,
      relayedSurfaces: ['terminal'],
      postTimeoutMs,
    });
    await relay.start();
    relays.push(relay);
    return relay;
  };

  it("moves a job's card on the replica that has the conversation while another replica runs the job", async () => {
    const terminal = recordingSurface('terminal');
    const [dbA, dbB] = databases as [PostgresDatabase, PostgresDatabase];
    const relayA = await relayOn(dbA, []);
    await relayOn(dbB, [terminal.surface]);

    const temp = makeTempDir('portalops-relay-');
    const store = await LowdbStore.open(temp.dir);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const kind: JobKindDefinition<object> = {
      kind: 'demo',
      title: () => 'Demo job',
      steps: () => [
        { id: 'first', title: 'First step', run: () => gate },
        { id: 'second', title: 'Second step', run: async () => undefined },
      ],
    };
    const engine = new JobEngine<object>({ store, kinds: [kind], deps: {}, pollIntervalMs: 20 });
    const notifier = new JobNotifier({ engine, surface: relayA.surfaces(), conversation, minIntervalMs: 20 });
    try {
      notifier.start();
      engine.start();
      await engine.submit({
        kind: 'demo',
        params: {},
        requester: { id: 'alice', displayName: 'Alice' },
        siteKey: 'env/site',
        messages: [{ surface: 'terminal', conversationId: 'alice-terminal', messageId: 'card-1' }],
      });
      await waitUntil(() => terminal.sent.some((s) => JSON.stringify(s.view).includes('First step')), 10_000);
      release();
      await waitUntil(
        () => terminal.sent.at(-1)?.view.type === 'job-result',
        10_000,
        'the finished job on the card',
      );
      expect(terminal.sent.every((s) => s.op === 'update' && s.messageId === 'card-1')).toBe(true);
      expect(relays[1]?.relayedDeliveries).toBe(terminal.sent.length);
    } finally {
      await notifier.stop();
      await engine.stop();
      await store.close();
      temp.remove();
    }
  });

  it("posts an alert through the replica that has the conversation and returns that replica's message id", async () => {
    const terminal = recordingSurface('terminal');
    const [dbA, dbB] = databases as [PostgresDatabase, PostgresDatabase];
    const relayA = await relayOn(dbA, []);
    await relayOn(dbB, [terminal.surface]);
    const view: View = { type: 'message', text: 'Provisioning failed: contoso-broken in dev' };
    const messageId = await relayA.surfaces()('terminal')!.post(conversation('terminal', 'ops'), view);
    expect(messageId).toBe('terminal-1');
    expect(terminal.sent).toEqual([expect.objectContaining({ op: 'post', conversationId: 'ops', view })]);
  });

  it('says no replica can post when none has the surface', async () => {
    const relayA = await relayOn(databases[0]!, [], 50, 300);
    await expect(
      relayA.surfaces()('terminal')!.post(conversation('terminal', 'ops'), { type: 'message', text: 'hi' }),
    ).rejects.toThrow(/No running PortalOps replica has the terminal surface/);
    // Nothing is left behind for a replica that starts later to post out of the blue.
    const { rows } = await databases[0]!.pool.query('SELECT count(*)::int AS n FROM portalops.card_outbox');
    expect(rows[0].n).toBe(0);
  });

  it('keeps one conversation at its pace across replicas', async () => {
    const intervalMs = 150;
    const teamsA = recordingSurface('teams');
    const teamsB = recordingSurface('teams');
    const [dbA, dbB] = databases as [PostgresDatabase, PostgresDatabase];
    const relayA = await relayOn(dbA, [teamsA.surface], intervalMs);
    const relayB = await relayOn(dbB, [teamsB.surface], intervalMs);
    const started = Date.now();
    const view: View = { type: 'message', text: 'progress' };
    await Promise.all(
      [relayA, relayB].flatMap((relay, r) =>
        Array.from({ length: 5 }, (_, i) =>
          relay.surfaces()('teams')!.update(conversation('teams', 'busy-channel'), `card-${r}-${i}`, view),
        ),
      ),
    );
    const sends = [...teamsA.sent, ...teamsB.sent].sort((a, b) => a.at - b.at);
    expect(sends).toHaveLength(10);
    // Ten sends at one per interval take at least nine intervals, whichever replica sent them
    // (each replica pacing alone would be done after four).
    expect(sends.at(-1)!.at - started).toBeGreaterThanOrEqual(9 * intervalMs - 5);
    // Another conversation is not held up by the busy one.
    const quiet = Date.now();
    await relayA.surfaces()('teams')!.update(conversation('teams', 'quiet-channel'), 'card-q', view);
    expect(Date.now() - quiet).toBeLessThan(9 * intervalMs);
  });
});
