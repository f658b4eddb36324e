/**
 * Schema migrations: the numbered SQL files in `./migrations/` (`001-store.sql`, …), applied in
 * order at start-up, each once, recorded in `portalops.schema_migrations`. Replicas starting at
 * the same time serialize on a transaction-scoped advisory lock, so each file runs exactly once
 * and a replica never sees half a schema. A file runs in one transaction with its version row:
 * a failure leaves the database as it was.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { PortalOpsError } from '../../domain/errors.ts';
import type { Logger } from '../../logging/logger.ts';

/** The folder of the SQL files, next to this module. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Key of the advisory lock taken while migrating (any constant unique to PortalOps). */
const MIGRATION_LOCK_KEY = 0x504f5254; // "PORT"

/** One SQL file of the repository. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** What start-up found and did. */
export interface MigrationReport {
  /** Versions applied by this call. */
  applied: number[];
  /** The highest version now in the database. */
  current: number;
}

/** The repository's migrations, ordered by version. File names are `<version>-<name>.sql`. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d+-[\w-]+\.sql$/.test(file))
    .map((file) => {
      const [, version, name] = /^(\d+)-([\w-]+)\.sql$/.exec(file)!;
      return { version: Number(version), name: name!, sql: readFileSync(`${dir}/${file}`, 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
}

const CREATE_VERSION_TABLE = `
  CREATE SCHEMA IF NOT EXISTS portalops;
  CREATE TABLE IF NOT EXISTS portalops.schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  );`;

/**
 * Applies every migration the database lacks. Refuses to start (`config_invalid`) when the
 * database holds a version this code does not know: a newer PortalOps migrated it, and running
 * older code against it could corrupt it.
 */
export async function applyMigrations(
  pool: pg.Pool,
  logger?: Logger,
  migrations = readMigrations(),
): Promise<MigrationReport> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(CREATE_VERSION_TABLE);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM portalops.schema_migrations',
    );
    const done = new Set(rows.map((r) => r.version));
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...done].filter((v) => !known.has(v));
    if (unknown.length > 0)
      throw new PortalOpsError(
        'config_invalid',
        `The database was migrated by a newer PortalOps (schema version ${Math.max(...unknown)}; this one knows up to ${Math.max(0, ...known)}). Run the newer version, or point PORTALOPS_DATABASE_URL at another database.`,
      );
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO portalops.schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    if (applied.length > 0) logger?.info({ applied }, 'database schema migrated');
    return { applied, current: Math.max(0, ...done, ...applied) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Versions in the repository not yet applied to the database (empty when it is current). */
export async function pendingMigrations(pool: pg.Pool, migrations = readMigrations()): Promise<number[]> {
  const { rows } = await pool.query<{ version: number }>('SELECT version FROM portalops.schema_migrations');
  const done = new Set(rows.map((r) => r.version));
  return migrations.map((m) => m.version).filter((v) => !done.has(v));
}
