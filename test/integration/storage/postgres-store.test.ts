/** What only the PostgreSQL store does: migrations, the database's own guards, reconnecting. */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.ts';
import type { Job } from '../../../src/domain/job.ts';
import { JobEngine } from '../../../src/jobs/engine.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import { openDatabase } from '../../../src/storage/postgres/database.ts';
import { readMigrations } from '../../../src/storage/postgres/migrate.ts';
import { PostgresStore } from '../../../src/storage/postgres/postgres-store.ts';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.ts';
import { waitUntil } from '../../support/wait-until.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fresh(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  return database;
}

async function openOn(database: TestDatabase, applicationName?: string): Promise<PostgresStore> {
  const store = await PostgresStore.open({
    url: database.url,
    maxConnections: 3,
    ...(applicationName ? { applicationName } : {}),
  });
  cleanups.push(() => store.close());
  return store;
}

async function sql(database: TestDatabase, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

describe('the PostgreSQL store', () => {
  it('applies each migration once when replicas start together, and refuses a newer schema', async () => {
    const database = await fresh();
    const opened = await Promise.all(
      [1, 2, 3].map(() => openDatabase({ url: database.url, maxConnections: 1 })),
    );
    for (const db of opened) cleanups.push(() => db.close());
    const files = readMigrations().map((m) => m.version);
    expect(opened.flatMap((db) => db.migrations.applied).sort()).toEqual(files);
    expect(await opened[0]!.isReady()).toBe(true);
    const { rows } = await sql(database, 'SELECT version FROM portalops.schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(files);

    await sql(database, "INSERT INTO portalops.schema_migrations (version, name) VALUES (999, 'future')");
    await expect(openDatabase({ url: database.url })).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringMatching(/newer PortalOps \(schema version 999/),
    });
  });

  it('keeps the audit log append-only in the database itself', async () => {
    const database = await fresh();
    const store = await openOn(database);
    await store.appendAudit({ actor: 'alice', action: 'job.created', subject: 'job:J-1', outcome: 'queued' });
    for (const statement of [
      "UPDATE portalops.audit SET entry = '{}'",
      'DELETE FROM portalops.audit',
      'TRUNCATE portalops.audit',
    ])
      await expect(sql(database, statement), statement).rejects.toThrow(/append-only/);
    expect(store.readAudit()).toHaveLength(1);
  });

  it('refuses a second active job for a site submitted on another replica, naming the first', async () => {
    const database = await fresh();
    const [a, b] = [await openOn(database), await openOn(database)];
    const kind = {
      kind: 'noop',
      title: () => 'Nothing',
      steps: () => [{ id: 'wait', title: 'Wait', run: async () => undefined }],
    };
    const engineOn = (store: PostgresStore) => new JobEngine({ store, kinds: [kind], deps: {} });
    const request = { kind: 'noop', params: {}, requester: { id: 'alice' }, siteKey: 'dev/contoso' };
    // Submitted at the same moment on both: the database lets one through.
    const outcomes = await Promise.allSettled([engineOn(a).submit(request), engineOn(b).submit(request)]);
    const accepted = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      code: 'site_busy',
      message: expect.stringContaining(`This site already has an active job: ${(accepted[0] as Job).id}`),
    });
  });

  it('catches up on changes made while its notice connection was down', async () => {
    const database = await fresh();
    const store = await openOn(database, 'portalops-listener-test');
    const peer = await openOn(database);
    const terminated = await sql(
      database,
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'portalops-listener-test' AND query LIKE 'LISTEN%'",
    );
    expect(terminated.rowCount, 'listener connections cut').toBe(1);
    await peer.collection('subscriptions').put({ id: 'S-while-down', n: 1 });
    await waitUntil(
      () => store.collection('subscriptions').get('S-while-down'),
      10_000,
      'the change after reconnecting',
    );
    await peer.collection('subscriptions').put({ id: 'S-after', n: 2 });
    await waitUntil(() => store.collection('subscriptions').get('S-after'), 5_000, 'a change after it');
  });

  it('stops start-up with what to check when the database cannot be reached, never showing the password', async () => {
    const config = loadConfig({
      PORTALOPS_DATABASE_URL: 'postgres://portalops:s3cret@127.0.0.1:1/portalops',
    });
    const failure = await openStore(config).then(
      () => undefined,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(failure?.code).toBe('config_invalid');
    expect(failure?.message).toMatch(/127\.0\.0\.1:1\/portalops .*PORTALOPS_DATABASE_URL/);
    expect(failure?.message).not.toContain('s3cret');
  });
});
