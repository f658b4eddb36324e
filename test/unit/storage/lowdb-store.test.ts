import { fork } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../../src/storage/lowdb-store.ts';
import { compiledChild } from '../../support/compiled-child.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

const cleanups: (() => void)[] = [];
const opened: LowdbStore[] = [];
afterEach(async () => {
  // Every store a test opened lets go of its data-dir lock before the folder goes, so no lock
  // check of a removed folder fires later in the same worker.
  for (const store of opened.splice(0)) await store.close().catch(() => undefined);
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** LowdbStore.open, remembering the store so the test's clean-up closes it. */
async function open(...args: Parameters<typeof LowdbStore.open>): Promise<LowdbStore> {
  const store = await LowdbStore.open(...args);
  opened.push(store);
  return store;
}

function tempDir(): string {
  const { dir, remove } = makeTempDir('store-');
  cleanups.push(remove);
  return dir;
}

describe('LowdbStore', () => {
  it('keeps records across a reopen', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.collection('subscriptions').put({ id: 'J-1', state: 'queued' });
    await store.collection('conversations').put({ id: 'C-1', jobId: 'J-1' });
    await store.close();

    const reopened = await open(dir);
    expect(reopened.collection('subscriptions').get('J-1')).toEqual({ id: 'J-1', state: 'queued' });
    expect(reopened.collection('conversations').list()).toHaveLength(1);
  });

  it('hands out copies, so callers cannot change stored data behind its back', async () => {
    const store = await open(tempDir());
    const jobs = store.collection('subscriptions');
    await jobs.put({ id: 'J-1', steps: ['a'] });
    const copy = jobs.get('J-1') as unknown as { steps: string[] };
    copy.steps.push('b');
    expect(jobs.get('J-1')).toEqual({ id: 'J-1', steps: ['a'] });
  });

  it('updates atomically from the current value', async () => {
    const store = await open(tempDir());
    const jobs = store.collection('subscriptions');
    await jobs.put({ id: 'J-1', count: 0 });
    await Promise.all(
      Array.from({ length: 20 }, () =>
        jobs.update('J-1', (job) => ({ ...job, count: (job.count as number) + 1 })),
      ),
    );
    expect(jobs.get('J-1')?.count).toBe(20);
    expect(await jobs.update('missing', (j) => j)).toBeUndefined();
  });

  it('makes every write durable once its promise resolves, even when many are in flight', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const jobs = store.collection('subscriptions');
    await Promise.all(Array.from({ length: 100 }, (_, i) => jobs.put({ id: `J-${i}` })));
    // Reading the files now (as a process would after a crash) finds every write.
    const other = await open(dir, { readOnly: true });
    expect(other.collection('subscriptions').list()).toHaveLength(100);
  });

  it('costs one journal line per change and folds the journal into the snapshot as it grows', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const subs = store.collection('subscriptions');
    await subs.put({ id: 'S-1', n: 0 });
    const journal = path.join(dir, 'portalops.journal.jsonl');
    expect(readFileSync(journal, 'utf8').trim().split('\n')).toHaveLength(1);
    for (let n = 1; n <= 2_500; n++) await subs.update('S-1', (s) => ({ ...s, n }));
    await subs.delete('S-1');
    await subs.put({ id: 'S-2', n: 1 });
    await store.setValue('token', 'abc');
    const lines = readFileSync(journal, 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(2_500);
    const snapshot = JSON.parse(readFileSync(path.join(dir, 'portalops.json'), 'utf8'));
    expect(snapshot.collections.subscriptions['S-1']?.n).toBeGreaterThan(1_000);
    const reopened = await open(dir, { readOnly: true });
    expect(reopened.collection('subscriptions').list()).toEqual([{ id: 'S-2', n: 1 }]);
    expect(reopened.getValue('token')).toBe('abc');
  });

  it('replays nothing twice when a crash left old journal lines beside a newer snapshot', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const subs = store.collection('subscriptions');
    await subs.put({ id: 'S-1', state: 'running' });
    const journal = path.join(dir, 'portalops.journal.jsonl');
    const oldJournal = readFileSync(journal, 'utf8');
    for (let i = 0; i < 2_100; i++) await store.setValue('k', String(i));
    await subs.put({ id: 'S-1', state: 'succeeded' });
    await store.close();
    // The snapshot was written, then the process died before the journal was emptied.
    writeFileSync(journal, oldJournal + readFileSync(journal, 'utf8'));
    const reopened = await open(dir);
    expect(reopened.collection('subscriptions').get('S-1')).toEqual({ id: 'S-1', state: 'succeeded' });
    expect(reopened.getValue('k')).toBe('2099');
  });

  it('takes an inbound event once and forgets it after its time to live', async () => {
    let now = 1_000_000;
    const store = await open(tempDir(), { now: () => now });
    expect(await store.markEventProcessed('slack:Ev1', 60_000)).toBe(true);
    expect(await store.markEventProcessed('slack:Ev1', 60_000)).toBe(false);
    now += 61_000;
    expect(await store.markEventProcessed('slack:Ev1', 60_000)).toBe(true);
  });

  it('appends audit entries with a timestamp and filters them', async () => {
    const store = await open(tempDir(), { now: () => Date.UTC(2026, 10, 22) });
    await store.appendAudit({ actor: 'alice', action: 'job.created', subject: 'job:J-1', outcome: 'ok' });
    await store.appendAudit({ actor: 'bob', action: 'approval.granted', subject: 'job:J-1', outcome: 'ok' });
    await store.appendAudit({ actor: 'bob', action: 'job.created', subject: 'job:J-2', outcome: 'ok' });
    expect(store.readAudit({ subject: 'job:J-1' }).map((e) => e.action)).toEqual([
      'job.created',
      'approval.granted',
    ]);
    expect(store.readAudit({ action: 'job.created' })).toHaveLength(2);
    expect(store.readAudit()[0]?.at).toBe('2026-11-22T00:00:00.000Z');
  });

  it('keeps the audit log in an append-only file across restarts, skipping a line torn by a crash', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.appendAudit({ actor: 'alice', action: 'job.created', subject: 'job:J-1', outcome: 'queued' });
    await store.appendAudit({
      actor: 'engine',
      action: 'job.succeeded',
      subject: 'job:J-1',
      outcome: 'succeeded',
    });
    await store.close();
    appendFileSync(path.join(dir, 'audit.jsonl'), '{"actor":"engine","action":"job.fa');
    const reopened = await open(dir);
    expect(reopened.readAudit().map((e) => e.action)).toEqual(['job.created', 'job.succeeded']);
    await reopened.appendAudit({
      actor: 'bob',
      action: 'job.retried',
      subject: 'job:J-1',
      outcome: 'queued',
    });
    await reopened.close();
    const last = await open(dir);
    expect(last.readAudit().map((e) => e.action)).toEqual(['job.created', 'job.succeeded', 'job.retried']);
    await last.collection('conversations').put({ id: 'C-1' });
    await last.close();
    expect(readFileSync(path.join(dir, 'portalops.journal.jsonl'), 'utf8')).not.toContain('job.created');
  });

  it('explains an unreadable store file instead of crashing', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'portalops.json'), '{"version": 1, "collections": {');
    await expect(LowdbStore.open(dir)).rejects.toMatchObject({ code: 'config_invalid' });
    await expect(LowdbStore.open(dir)).rejects.toThrow(/could not be read\. Move it aside/);
  });

  it('never leaves an unreadable file when the process is killed mid-write', async () => {
    const dir = tempDir();
    const child = path.resolve('test/support/store-writer-child.ts');
    for (const delay of [15, 40, 75, 120, 180]) {
      const proc = fork(await compiledChild(child), [dir], { execArgv: [], stdio: 'ignore' });
      await new Promise<void>((resolve) => proc.once('message', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, delay));
      proc.kill('SIGKILL');
      await new Promise((resolve) => proc.once('exit', resolve));
      const store = await open(dir);
      expect(store.collection('subscriptions').list().length).toBeGreaterThan(0);
      await store.close();
    }
  }, 30_000);
});
