import { type ChildProcess, fork } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { TokenCacheFile } from '../../src/platform/auth/token-cache-file.ts';
import { realDisk, type StoreDisk } from '../../src/storage/append-only-file.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { repairStore } from '../../src/storage/store-repair.ts';
import { alice, startChatHarness } from '../support/chat-harness.ts';
import { compiledChild } from '../support/compiled-child.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const { dir, remove } = makeTempDir('store-sec-');
  cleanups.push(remove);
  return dir;
}

/** LowdbStore.open, closing the store (its data-dir lock let go) before its folder is removed. */
async function open(...args: Parameters<typeof LowdbStore.open>): Promise<LowdbStore> {
  const store = await LowdbStore.open(...args);
  cleanups.push(() => store.close().catch(() => undefined));
  return store;
}

const HOLDER = path.resolve('test/support/store-holder-child.ts');

/** Starts a child process that opens the store in `dir`; resolves with what it reported. */
async function startHolder(
  dir: string,
): Promise<{ child: ChildProcess; ready?: { pid: number }; refused?: string }> {
  const child = fork(await compiledChild(HOLDER), [dir], { execArgv: [], stdio: 'ignore' });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const message = await new Promise<{ ready?: boolean; pid?: number; refused?: string }>(
    (resolve, reject) => {
      child.once('message', (m) => resolve(m as never));
      child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    },
  );
  return message.ready ? { child, ready: { pid: message.pid! } } : { child, refused: message.refused! };
}

/** Sends a command to a holder and waits for it to be done. */
async function ask(child: ChildProcess, command: 'put' | 'compact'): Promise<void> {
  const done = new Promise((resolve) => child.once('message', resolve));
  child.send(command);
  await done;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** A disk that, while `full` is set, writes half of an append and then fails as a full disk does. */
function fillableDisk(): StoreDisk & { full: boolean } {
  return {
    full: false,
    async append(handle: FileHandle, bytes: Buffer, file: string) {
      if (!this.full) return realDisk.append(handle, bytes, file);
      await handle.write(bytes, 0, Math.floor(bytes.length / 2));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
  };
}

function journalOf(dir: string): string {
  return readFileSync(path.join(dir, 'portalops.journal.jsonl'), 'utf8');
}

const mode = (file: string) => statSync(file).mode & 0o777;

describe('one writer per data dir', () => {
  it('refuses a second process on the same data dir, naming the pid that holds it', async () => {
    const dir = tempDir();
    const first = await startHolder(dir);
    expect(first.ready).toBeDefined();
    const second = await startHolder(dir);
    expect(second.refused).toContain(`pid ${first.ready!.pid}`);
    expect(second.refused).toContain(`kill ${first.ready!.pid}`);
    expect(second.refused).toContain('PORTALOPS_DATA_DIR');
    // The second process left the first one's running job alone.
    await kill(first.child);
    const store = await open(dir);
    cleanups.push(() => store.close());
    expect(store.collection('subscriptions').get(`job-of-${first.ready!.pid}`)?.state).toBe('running');
  }, 30_000);

  it('refuses a CLI command while `portalops start` holds the data dir, and says what to do', async () => {
    const dir = tempDir();
    const holder = await startHolder(dir);
    const err: string[] = [];
    const code = await runCli(['jobs'], {
      out: () => undefined,
      err: (t) => err.push(t),
      env: { PORTALOPS_DATA_DIR: dir, PORTALOPS_PLAYGROUND: 'off' },
    });
    expect(code).toBe(1);
    const text = err.join('\n');
    expect(text).toContain(`portalops start (pid ${holder.ready!.pid}`);
    expect(text).toMatch(/ask it in chat/);
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  }, 30_000);

  it('takes over at once from a process that was killed, with every write it made', async () => {
    const dir = tempDir();
    const holder = await startHolder(dir);
    await kill(holder.child);
    const store = await open(dir);
    cleanups.push(() => store.close());
    expect(store.collection('subscriptions').get(`job-of-${holder.ready!.pid}`)?.state).toBe('running');
  }, 30_000);

  it('refuses a journal in which two writers repeated sequence numbers', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.collection('jobs').put({ id: 'J-1' } as never);
    await store.collection('jobs').put({ id: 'J-2' } as never);
    await store.close();
    appendFileSync(
      path.join(dir, 'portalops.journal.jsonl'),
      `${JSON.stringify({ seq: 2, put: 'jobs', record: { id: 'J-3' } })}\n`,
    );
    await expect(LowdbStore.open(dir)).rejects.toMatchObject({ code: 'store_damaged' });
    await expect(LowdbStore.open(dir)).rejects.toThrow(/line 3 \(sequence number 2 repeats/);
  });

  it('loses no job when a second process would fold the journal under the first', async () => {
    const dir = tempDir();
    const first = await startHolder(dir);
    const second = await startHolder(dir);
    await ask(first.child, 'put');
    if (second.ready) await ask(second.child, 'compact');
    await kill(first.child);
    if (second.ready) await kill(second.child);
    const store = await open(dir);
    cleanups.push(() => store.close());
    expect(store.collection('subscriptions').get('job-provisioned')?.state).toBe('succeeded');
    expect(second.refused).toContain(`pid ${first.ready!.pid}`);
  }, 30_000);

  it('keeps every record through compaction while writes keep coming', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const subs = store.collection('subscriptions');
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 2_600; i++) writes.push(subs.put({ id: `S-${i % 300}`, n: i }));
    await Promise.all(writes);
    await store.close();
    const reopened = await open(dir);
    cleanups.push(() => reopened.close());
    expect(reopened.collection('subscriptions').list()).toHaveLength(300);
    expect(reopened.collection('subscriptions').get('S-199')?.n).toBe(2_599);
  });
});

describe('a full disk', () => {
  it('leaves neither half a line nor a change in memory, and the next write survives a restart', async () => {
    const dir = tempDir();
    const disk = fillableDisk();
    const store = await open(dir, { disk });
    const jobs = store.collection('subscriptions');
    await jobs.put({ id: 'J-1', state: 'queued' });
    const before = journalOf(dir);

    disk.full = true;
    await expect(jobs.put({ id: 'J-1', state: 'running' })).rejects.toMatchObject({
      code: 'store_write_failed',
      message: expect.stringContaining('the disk is full'),
    });
    await expect(jobs.put({ id: 'J-2', state: 'queued' })).rejects.toMatchObject({
      code: 'store_write_failed',
    });
    expect(journalOf(dir)).toBe(before);
    expect(jobs.get('J-1')?.state).toBe('queued');
    expect(jobs.get('J-2')).toBeUndefined();

    disk.full = false;
    await jobs.put({ id: 'J-3', state: 'queued' });
    const seqs = journalOf(dir)
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(seqs).toEqual([1, 2]);
    await store.close();

    const reopened = await open(dir);
    cleanups.push(() => reopened.close());
    expect(reopened.collection('subscriptions').list()).toEqual([
      { id: 'J-1', state: 'queued' },
      { id: 'J-3', state: 'queued' },
    ]);
  });

  it('does not keep an audit entry in memory whose write failed', async () => {
    const dir = tempDir();
    const disk = fillableDisk();
    const store = await open(dir, { disk });
    cleanups.push(() => store.close());
    await store.appendAudit({ actor: 'alice', action: 'job.created', subject: 'job:J-1', outcome: 'ok' });
    disk.full = true;
    await expect(
      store.appendAudit({ actor: 'bob', action: 'approval.granted', subject: 'job:J-1', outcome: 'ok' }),
    ).rejects.toMatchObject({ code: 'store_write_failed' });
    disk.full = false;
    await store.appendAudit({ actor: 'bob', action: 'job.cancelled', subject: 'job:J-1', outcome: 'ok' });
    expect(store.readAudit().map((e) => e.action)).toEqual(['job.created', 'job.cancelled']);
    expect(readFileSync(path.join(dir, 'audit.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('takes a redelivered message whose first delivery could not be saved', async () => {
    const disk = fillableDisk();
    const h = await startChatHarness({ disk });
    cleanups.push(() => h.close());
    disk.full = true;
    await expect(h.say(alice, 'help', 'teams-activity-1')).rejects.toMatchObject({
      code: 'store_write_failed',
    });
    expect(h.surface.posts).toHaveLength(0);
    disk.full = false;
    await h.say(alice, 'help', 'teams-activity-1');
    expect(h.surface.posts.length).toBeGreaterThan(0);
    // Once handled, the same delivery is a repeat.
    const count = h.surface.posts.length;
    await h.say(alice, 'help', 'teams-activity-1');
    expect(h.surface.posts).toHaveLength(count);
  }, 30_000);
});

describe('damaged lines', () => {
  /** A store whose approval was requested, then rejected (the journal's second line). */
  async function rejectedApproval(dir: string): Promise<void> {
    const store = await open(dir);
    await store.collection('approvals').put({ id: 'A-1', state: 'pending' } as never);
    await store.collection('approvals').put({ id: 'A-1', state: 'rejected' } as never);
    await store.collection('jobs').put({ id: 'J-1', state: 'queued' } as never);
    await store.close();
  }

  function replaceLine(file: string, index: number, text: string | undefined): void {
    const lines = readFileSync(file, 'utf8').split('\n');
    if (text === undefined) lines.splice(index, 1);
    else lines[index] = text;
    writeFileSync(file, lines.join('\n'));
  }

  it('stops start-up at a garbled journal line, naming the file, the line and the repair', async () => {
    const dir = tempDir();
    await rejectedApproval(dir);
    const journal = path.join(dir, 'portalops.journal.jsonl');
    replaceLine(journal, 1, '{"seq":2,"put":"approvals","record":{"id":"A-1","sta');
    const opening = LowdbStore.open(dir);
    await expect(opening).rejects.toMatchObject({ code: 'store_damaged' });
    await expect(LowdbStore.open(dir)).rejects.toThrow(
      new RegExp(
        `${journal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is damaged: line 2 \\(not valid JSON\\).*portalops store repair`,
      ),
    );
    // Nothing was changed by the refused start.
    expect(readFileSync(journal, 'utf8')).toContain('"sta\n');
  });

  it('stops start-up at a deleted journal line instead of bringing a rejected approval back', async () => {
    const dir = tempDir();
    await rejectedApproval(dir);
    replaceLine(path.join(dir, 'portalops.journal.jsonl'), 1, undefined);
    await expect(LowdbStore.open(dir)).rejects.toThrow(/line 2 \(sequence number 3 where 2 was due/);
  });

  it('explains a {"record":null} line instead of crashing on it', async () => {
    const dir = tempDir();
    await rejectedApproval(dir);
    replaceLine(path.join(dir, 'portalops.journal.jsonl'), 2, '{"seq":3,"put":"jobs","record":null}');
    const error = await open(dir).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'store_damaged' });
    expect((error as Error).message).toContain('line 3 (a record without an id)');
    expect((error as Error).message).not.toContain('Cannot read properties');
  });

  it('stops start-up at a damaged audit line, and sets an unfinished last line aside with a warning', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.appendAudit({ actor: 'alice', action: 'job.created', subject: 'job:J-1', outcome: 'ok' });
    await store.appendAudit({ actor: 'bob', action: 'approval.rejected', subject: 'job:J-1', outcome: 'ok' });
    await store.close();
    const audit = path.join(dir, 'audit.jsonl');
    const whole = readFileSync(audit, 'utf8');

    // Cut in the middle: the last line is unfinished. It is kept aside, and said so.
    writeFileSync(audit, whole.slice(0, whole.length - 20));
    const warnings: string[] = [];
    const logger = { warn: (_: unknown, message: string) => warnings.push(message) } as never;
    const reopened = await open(dir, { logger });
    expect(reopened.readAudit().map((e) => e.action)).toEqual(['job.created']);
    await reopened.close();
    expect(warnings.join()).toMatch(/unfinished last line/);
    expect(readFileSync(`${audit}.torn`, 'utf8')).toContain('approval.rej');

    // A damaged line in the middle stops start-up.
    writeFileSync(audit, `${whole.split('\n')[0]}\n{"actor":null}\n${whole.split('\n')[1]}\n`);
    await expect(LowdbStore.open(dir)).rejects.toThrow(
      /audit\.jsonl is damaged: line 2 \(an audit entry without "at"\)/,
    );
  });

  it('repairs with `portalops store repair`: a copy kept, only the bad lines dropped and named', async () => {
    const dir = tempDir();
    await rejectedApproval(dir);
    const journal = path.join(dir, 'portalops.journal.jsonl');
    const original = readFileSync(journal, 'utf8');
    replaceLine(journal, 2, 'garbage');
    const damaged = readFileSync(journal, 'utf8');
    const out: string[] = [];
    const code = await runCli(['store', 'repair'], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      env: { PORTALOPS_DATA_DIR: dir },
    });
    expect(code).toBe(0);
    expect(out.join('\n')).toContain(`${journal} line 3: not valid JSON — dropped`);
    const copy = readdirSync(dir).find((f) => f.startsWith('portalops.journal.jsonl.damaged-'));
    expect(copy).toBeDefined();
    expect(readFileSync(path.join(dir, copy!), 'utf8')).toBe(damaged);
    expect(original).not.toBe(damaged);

    const store = await open(dir);
    cleanups.push(() => store.close());
    expect(store.collection('approvals').get('A-1')).toMatchObject({ state: 'rejected' });
    expect(store.collection('jobs').get('J-1')).toBeUndefined();
    expect((await repairStore(dir).catch((e) => e)).code).toBe('data_dir_locked');
  });
});

describe('store repair', () => {
  it('drops a damaged audit line and an unfinished one, keeps the rest, and folds a journal with a gap', async () => {
    const dir = tempDir();
    const store = await open(dir);
    for (const action of ['job.created', 'approval.rejected', 'job.cancelled'])
      await store.appendAudit({ actor: 'bob', action, subject: 'job:J-1', outcome: 'ok' });
    await store.collection('jobs').put({ id: 'J-1', state: 'queued' } as never);
    await store.collection('jobs').put({ id: 'J-2', state: 'queued' } as never);
    await store.collection('jobs').put({ id: 'J-3', state: 'queued' } as never);
    await store.close();
    const audit = path.join(dir, 'audit.jsonl');
    const lines = readFileSync(audit, 'utf8').trim().split('\n');
    writeFileSync(audit, `${lines[0]}\n{"broken"\n${lines[1]}\n${lines[2]!.slice(0, 30)}`);
    const journal = path.join(dir, 'portalops.journal.jsonl');
    const journalLines = readFileSync(journal, 'utf8').trim().split('\n');
    writeFileSync(journal, `${journalLines[0]}\n${journalLines[2]}\n`);

    const report = await repairStore(dir);
    expect(report.findings).toEqual([
      {
        file: journal,
        line: 2,
        reason: 'sequence number 3 where 2 was due (1 line(s) missing)',
        action: 'kept',
      },
      { file: audit, line: 2, reason: 'not valid JSON', action: 'dropped' },
      { file: audit, line: 4, reason: 'an unfinished last line', action: 'dropped' },
    ]);
    expect(report.copies).toHaveLength(2);
    const repaired = await open(dir);
    cleanups.push(() => repaired.close());
    expect(repaired.readAudit().map((e) => e.action)).toEqual(['job.created', 'approval.rejected']);
    expect(
      repaired
        .collection('jobs')
        .list()
        .map((j) => j.id),
    ).toEqual(['J-1', 'J-3']);
  });
});

describe('file permissions and secrets', () => {
  it('creates every store file 0600 in a 0700 data dir, and tightens looser ones', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const store = await open(dir);
    await store.collection('conversations').put({ id: 'C-1' });
    await store.appendAudit({ actor: 'a', action: 'x', subject: 's', outcome: 'ok' });
    for (let i = 0; i < 2_100; i++) await store.setValue('k', String(i));
    expect(mode(dir)).toBe(0o700);
    for (const file of ['portalops.json', 'portalops.journal.jsonl', 'audit.jsonl', 'portalops.owner.json'])
      expect({ file, mode: mode(path.join(dir, file)) }).toEqual({ file, mode: 0o600 });
    await store.close();

    for (const file of ['portalops.json', 'portalops.journal.jsonl', 'audit.jsonl'])
      chmodSync(path.join(dir, file), 0o644);
    chmodSync(dir, 0o755);
    const reopened = await open(dir);
    cleanups.push(() => reopened.close());
    expect(mode(dir)).toBe(0o700);
    for (const file of ['portalops.json', 'portalops.journal.jsonl', 'audit.jsonl'])
      expect({ file, mode: mode(path.join(dir, file)) }).toEqual({ file, mode: 0o600 });
  });

  it('keeps the token cache owner-only in credentials/, tightening a world-readable one', async () => {
    const dir = tempDir();
    const credentials = path.join(dir, 'credentials');
    mkdirSync(credentials, { mode: 0o755 });
    const file = path.join(credentials, 'msal-token-cache.json');
    writeFileSync(file, JSON.stringify({ version: 1, caches: {} }), { mode: 0o644 });
    chmodSync(file, 0o644);
    const cache = TokenCacheFile.open(dir);
    expect(mode(credentials)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    await cache.write('device_code:app:tenant', '{"RefreshToken":{}}');
    expect(mode(file)).toBe(0o600);
  });

  it('purges an old token cache from the snapshot and the journal, and refuses a new one', async () => {
    const dir = tempDir();
    const refresh = 'refresh-token-0.AAAA-secret';
    writeFileSync(
      path.join(dir, 'portalops.json'),
      JSON.stringify({
        version: 1,
        seq: 1,
        collections: {},
        processedEvents: {},
        values: {
          'msal-cache:device_code:app': JSON.stringify({ RefreshToken: { x: { secret: refresh } } }),
        },
      }),
    );
    writeFileSync(
      path.join(dir, 'portalops.journal.jsonl'),
      `${JSON.stringify({ seq: 2, key: 'msal-cache:device_code:app', value: `{"AccessToken":"${refresh}"}` })}\n${JSON.stringify({ seq: 3, key: 'other', value: 'kept' })}\n`,
    );
    const store = await open(dir);
    expect(store.getValue('msal-cache:device_code:app')).toBeUndefined();
    expect(store.getValue('other')).toBe('kept');
    for (const file of ['portalops.json', 'portalops.journal.jsonl'])
      expect(readFileSync(path.join(dir, file), 'utf8')).not.toContain(refresh);

    await expect(store.setValue('msal-cache:client_credentials:app', 'access-token-secret')).rejects.toThrow(
      /credentials folder/,
    );
    expect(journalOf(dir)).not.toContain('access-token-secret');
    await store.close();
    expect(existsSync(path.join(dir, 'portalops.owner.json'))).toBe(false);
  });
});
