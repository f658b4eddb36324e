/**
 * One contract for every Store: lowdb (embedded, one process) and PostgreSQL (several replicas on
 * one database, against the real server). A "peer" is a second handle on the same state: another
 * replica for PostgreSQL, the same store for lowdb (one process holds its data dir).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../src/domain/job.ts';
import { LowdbStore } from '../../../src/storage/lowdb-store.ts';
import { PostgresStore } from '../../../src/storage/postgres/postgres-store.ts';
import type { Store } from '../../../src/storage/store.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { createTestDatabase } from '../../support/test-database.ts';
import { waitUntil } from '../../support/wait-until.ts';

interface Place {
  open(options?: { now?: () => number }): Promise<Store>;
  /** A second handle on the same state (another replica where the store allows several). */
  peer(of: Store, options?: { now?: () => number }): Promise<Store>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const kinds: { name: string; place(): Promise<Place> }[] = [
  {
    name: 'lowdb',
    async place() {
      const temp = makeTempDir('store-contract-');
      cleanups.push(temp.remove);
      return {
        async open(options = {}) {
          const store = await LowdbStore.open(temp.dir, options);
          cleanups.push(() => store.close());
          return store;
        },
        peer: async (of) => of,
      };
    },
  },
  {
    name: 'postgres',
    async place() {
      const database = await createTestDatabase();
      cleanups.push(() => database.drop());
      const open = async (options: { now?: () => number } = {}) => {
        const store = await PostgresStore.open({ url: database.url, maxConnections: 4 }, options);
        cleanups.push(() => store.close());
        return store;
      };
      return { open, peer: (_of, options) => open(options) };
    },
  },
];

function job(id: string, siteKey: string, state: Job['state'] = 'queued'): Job {
  const at = new Date(0).toISOString();
  return {
    id,
    kind: 'provision',
    title: `Provision ${siteKey}`,
    params: {},
    requester: { id: 'alice@contoso.com' },
    siteKey,
    state,
    steps: [],
    attempt: 1,
    createdAt: at,
    updatedAt: at,
    context: {},
    messages: [],
  };
}

describe.each(kinds)('the $name store', (kind) => {
  it('keeps records across a reopen, and hands out copies', async () => {
    const place = await kind.place();
    const store = await place.open();
    await store.collection('subscriptions').put({ id: 'S-1', jobId: 'J-1', steps: ['a'] });
    await store.collection('conversations').put({ id: 'C-1', jobId: 'J-1' });
    const copy = store.collection('subscriptions').get('S-1') as unknown as { steps: string[] };
    copy.steps.push('b');
    expect(store.collection('subscriptions').get('S-1')).toEqual({ id: 'S-1', jobId: 'J-1', steps: ['a'] });
    await store.close();

    const reopened = await place.open();
    expect(reopened.collection('subscriptions').get('S-1')).toEqual({
      id: 'S-1',
      jobId: 'J-1',
      steps: ['a'],
    });
    expect(reopened.collection('conversations').list()).toEqual([{ id: 'C-1', jobId: 'J-1' }]);
    expect(reopened.collection('conversations').list((c) => c.jobId === 'J-2')).toEqual([]);
  });

  it('deletes records, saying whether there was one', async () => {
    const store = await (await kind.place()).open();
    const alerts = store.collection('subscriptions');
    await alerts.put({ id: 'S-1' });
    expect(await alerts.delete('S-1')).toBe(true);
    expect(await alerts.delete('S-1')).toBe(false);
    expect(alerts.get('S-1')).toBeUndefined();
    await alerts.put({ id: 'S-1', again: true });
    expect(alerts.get('S-1')).toEqual({ id: 'S-1', again: true });
  });

  it('updates atomically from the current value, from every handle on the state', async () => {
    const place = await kind.place();
    const store = await place.open();
    const peer = await place.peer(store);
    await store.collection('subscriptions').put({ id: 'S-1', count: 0 });
    const bump = (s: Store) =>
      s.collection('subscriptions').update('S-1', (r) => ({ ...r, count: (r.count as number) + 1 }));
    await Promise.all(Array.from({ length: 30 }, (_, i) => bump(i % 2 ? store : peer)));
    expect((await bump(store))?.count).toBe(31);
    expect(store.collection('subscriptions').get('S-1')?.count).toBe(31);
    await waitUntil(
      () => peer.collection('subscriptions').get('S-1')?.count === 31,
      5_000,
      'the peer to see it',
    );
    expect(await store.collection('subscriptions').update('missing', (r) => r)).toBeUndefined();
    expect(await store.collection('subscriptions').update('S-1', () => undefined)).toMatchObject({
      count: 31,
    });
    await expect(
      store.collection('subscriptions').update('S-1', (r) => ({ ...r, id: 'S-2' })),
    ).rejects.toThrow(/changed its id/);
  });

  it('inserts a new record once: a second insert of its id, from any handle, is refused', async () => {
    const place = await kind.place();
    const store = await place.open();
    const peer = await place.peer(store);
    const outcomes = await Promise.allSettled([
      store.collection('jobs').insert(job('J-SAME', 'dev/a')),
      peer.collection('jobs').insert(job('J-SAME', 'dev/b')),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'conflict', details: { collection: 'jobs', id: 'J-SAME' } });
    const kept = (outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<Job>).value;
    await waitUntil(
      () => peer.collection('jobs').get('J-SAME')?.siteKey === kept.siteKey,
      5_000,
      'the winner on both',
    );
    expect(store.collection('jobs').get('J-SAME')?.siteKey).toBe(kept.siteKey);
  });

  it('lets exactly one of many racing claims set a lease token', async () => {
    const place = await kind.place();
    const store = await place.open();
    const peer = await place.peer(store);
    await store.collection('jobs').put(job('J-1', 'dev/contoso'));
    const tokens = Array.from({ length: 10 }, (_, i) => `token-${i}`);
    const results = await Promise.all(
      tokens.map((token, i) =>
        (i % 2 ? store : peer)
          .collection('jobs')
          .update(
            'J-1',
            (current) =>
              current.lease
                ? undefined
                : { ...current, state: 'running', lease: { owner: token, token, expiresAt: '' } },
            { skipLocked: i % 3 === 0 },
          ),
      ),
    );
    const winners = tokens.filter((token, i) => results[i]?.lease?.token === token);
    expect(winners).toHaveLength(1);
    expect(store.collection('jobs').get('J-1')?.lease?.token).toBe(winners[0]);
  });

  it('shows a change made through one handle to the other', async () => {
    const place = await kind.place();
    const store = await place.open();
    const peer = await place.peer(store);
    await store.collection('approvals').put({
      id: 'A-1',
      jobId: 'J-1',
    } as never);
    await store.setValue('teams-directory', '{"a":"b"}');
    await waitUntil(() => peer.collection('approvals').get('A-1'), 5_000, 'the approval on the peer');
    await waitUntil(() => peer.getValue('teams-directory') === '{"a":"b"}', 5_000, 'the value on the peer');
    await peer.collection('approvals').delete('A-1');
    await waitUntil(() => store.collection('approvals').get('A-1') === undefined, 5_000, 'the delete');
  });

  it('appends audit entries with a timestamp, filters them, and keeps them across a reopen', async () => {
    const place = await kind.place();
    const store = await place.open({ now: () => Date.UTC(2026, 10, 22) });
    await store.appendAudit({ actor: 'alice', action: 'job.created', subject: 'job:J-1', outcome: 'ok' });
    await store.appendAudit({ actor: 'bob', action: 'approval.granted', subject: 'job:J-1', outcome: 'ok' });
    await store.appendAudit({
      actor: 'bob',
      action: 'job.created',
      subject: 'job:J-2',
      outcome: 'ok',
      details: { n: 1 },
    });
    expect(store.readAudit({ subject: 'job:J-1' }).map((e) => e.action)).toEqual([
      'job.created',
      'approval.granted',
    ]);
    expect(store.readAudit({ action: 'job.created' })).toHaveLength(2);
    expect(store.readAudit({ limit: 1 })[0]).toMatchObject({ subject: 'job:J-2', details: { n: 1 } });
    expect(store.readAudit()[0]?.at).toBe('2026-11-22T00:00:00.000Z');
    await store.close();
    const reopened = await place.open();
    expect(reopened.readAudit().map((e) => `${e.actor} ${e.action}`)).toEqual([
      'alice job.created',
      'bob approval.granted',
      'bob job.created',
    ]);
  });

  it('takes an inbound event once while it is handled and after, and again after its time to live', async () => {
    let now = 1_000_000;
    const store = await (await kind.place()).open({ now: () => now });
    const claim = await store.claimEvent('teams:msg:1', 60_000);
    expect(claim).toBeDefined();
    expect(await store.claimEvent('teams:msg:1', 60_000)).toBeUndefined();
    await claim!.done();
    expect(await store.claimEvent('teams:msg:1', 60_000)).toBeUndefined();
    now += 61_000;
    const again = await store.claimEvent('teams:msg:1', 60_000);
    expect(again).toBeDefined();
    await again!.done();
    expect(await store.markEventProcessed('teams:msg:1', 60_000)).toBe(false);
  });

  it('hands a released event to the next delivery', async () => {
    const store = await (await kind.place()).open();
    const claim = await store.claimEvent('slack:Ev1');
    claim!.release();
    await waitUntil(
      async () => {
        const next = await store.claimEvent('slack:Ev1');
        if (next) await next.done();
        return next !== undefined;
      },
      5_000,
      'the released event to be claimable',
    );
    expect(await store.claimEvent('slack:Ev1')).toBeUndefined();
  });

  it('lets one of many deliveries of an event through, across handles', async () => {
    const place = await kind.place();
    const store = await place.open();
    const peer = await place.peer(store);
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? store : peer).markEventProcessed('slack:Ev-race')),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it('keeps values, forgets removed ones, and refuses a token cache', async () => {
    const place = await kind.place();
    const store = await place.open();
    await store.setValue('a', '1');
    await store.setValue('b', '2');
    await store.setValue('a', undefined);
    await expect(store.setValue('msal-cache:device_code:app', '{}')).rejects.toThrow(/credentials folder/);
    await store.close();
    const reopened = await place.open();
    expect(reopened.getValue('a')).toBeUndefined();
    expect(reopened.getValue('b')).toBe('2');
  });

  it('refuses writes once closed', async () => {
    const store = await (await kind.place()).open();
    await store.close();
    await expect(store.collection('jobs').put(job('J-1', 'dev/x'))).rejects.toThrow(/closed/);
  });
});
