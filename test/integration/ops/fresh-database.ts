/**
 * A database of its own for one test file on the local PostgreSQL (`PORTALOPS_TEST_DATABASE_URL`,
 * default `postgres://postgres@127.0.0.1:5432/postgres`), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server tests run against. */
export const SERVER_URL =
  process.env.PORTALOPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database: its URL, a pool factory, and `drop()`. */
export interface FreshDatabase {
  url: string;
  name: string;
  /** A new pool on the database (closed by `drop()`); its sessions carry `applicationName`. */
  pool(max?: number, applicationName?: string): pg.Pool;
  /** Ends every session of the database named `applicationName` (as a crash or a network cut would). */
  terminateSessions(applicationName: string): Promise<number>;
  drop(): Promise<void>;
}

/** Creates a database with a random name. */
export async function createFreshDatabase(): Promise<FreshDatabase> {
  const name = `portalops_ops_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const pools: pg.Pool[] = [];
  return {
    url: url.toString(),
    name,
    pool(max = 5, applicationName = 'portalops-test') {
      const pool = new pg.Pool({ connectionString: url.toString(), max, application_name: applicationName });
      // A test that ends a pool's sessions on purpose sees the errors on its idle clients here.
      pool.on('error', () => {});
      pools.push(pool);
      return pool;
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
      const admin2 = new pg.Client({ connectionString: SERVER_URL });
      await admin2.connect();
      try {
        await admin2.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin2.end();
      }
    },
  };
}
