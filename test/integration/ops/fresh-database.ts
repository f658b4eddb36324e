/**
 * A database of its own for one test file on the local PostgreSQL (`PORTALOPS_TEST_DATABASE_URL`,
 * default `postgres://postgres@127.0.0.1:5432/postgres`), dropped afterwards.
 */
import pg from 'pg';
import { createTestDatabase, TEST_SERVER_URL as SERVER_URL } from '../../support/test-database.ts';

/** A fresh database: its URL, a pool factory, and `drop()`. */
export interface FreshDatabase {
  url: string;
  name: string;
  /** A new pool on the database (closed by `drop()`); its sessions carry `applicationName`. */
  pool(max?: number, applicationName?: string): pg.Pool;
  /** Runs one statement on the database; resolves with its rows. */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Ends every session of the database named `applicationName` (as a crash or a network cut would). */
  terminateSessions(applicationName: string): Promise<number>;
  drop(): Promise<void>;
}

/** Creates a database with a random name. */
export async function createFreshDatabase(): Promise<FreshDatabase> {
  const database = await createTestDatabase('portalops_ops');
  const { name } = database;
  const url = new URL(database.url);
  const pools: pg.Pool[] = [];
  const makePool = (max = 5, applicationName = 'portalops-test') => {
    const pool = new pg.Pool({ connectionString: url.toString(), max, application_name: applicationName });
    // A test that ends a pool's sessions on purpose sees the errors on its idle clients here.
    pool.on('error', () => {});
    pools.push(pool);
    return pool;
  };
  let shared: pg.Pool | undefined;
  return {
    url: url.toString(),
    name,
    pool: makePool,
    async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      shared ??= makePool(2, 'portalops-test-queries');
      return (await shared.query<T>(sql, params)).rows;
    },
    async terminateSessions(applicationName) {
      const admin2 = new pg.Client({ connectionString: SERVER_URL });
      await admin2.connect();
      try {
        const { rowCount } = await admin2.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
          [name, applicationName],
        );
        return rowCount ?? 0;
      } finally {
        await admin2.end();
      }
    },
    async drop() {
      // A pool whose clients are still out would wait for them: the database is dropped with FORCE anyway.
      await Promise.race([
        Promise.allSettled(pools.filter((p) => !p.ended).map((p) => p.end())),
        new Promise((resolve) => setTimeout(resolve, 2_000)),
      ]);
      await database.drop();
    },
  };
}
