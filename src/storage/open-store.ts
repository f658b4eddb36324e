/**
 * Chooses the store from the configuration: PostgreSQL when PORTALOPS_DATABASE_URL is set
 * (several replicas share it), else the embedded lowdb files in the data dir (one process).
 */
import os from 'node:os';
import type { Config } from '../config/config.ts';
import { isPortalOpsError, PortalOpsError } from '../domain/errors.ts';
import type { Logger } from '../logging/logger.ts';
import { LowdbStore } from './lowdb-store.ts';
import { openDatabase, type PostgresDatabase } from './postgres/database.ts';
import { PostgresStore } from './postgres/postgres-store.ts';
import type { Store } from './store.ts';

/** The opened store, and what the rest of the runtime needs to know about it. */
export interface OpenedStore {
  store: Store;
  /** The shared database (PostgreSQL only): its pool, migrations and listeners. */
  database?: PostgresDatabase;
  /**
   * True when this process holds the store alone (lowdb's data dir lock): a lease held by any
   * other engine is then a dead process's. False for a shared database.
   */
  exclusive: boolean;
  /** Closes the store, then the database. */
  close(): Promise<void>;
}

/**
 * Opens the configured store. On PostgreSQL the schema is migrated first (once, whichever
 * replica starts first); an unreachable database stops start-up with what to check.
 */
export async function openStore(config: Config, logger?: Logger): Promise<OpenedStore> {
  if (!config.database) {
    // Takes the data dir's lock: a second process on it is refused with the holder's pid.
    const store = await LowdbStore.open(config.dataDir, logger ? { logger } : {});
    return { store, exclusive: true, close: () => store.close() };
  }
  const database = await openDatabase({
    url: config.database.url,
    applicationName: `portalops ${os.hostname()} ${process.pid}`,
    ...(logger ? { logger } : {}),
  }).catch((error: unknown) => {
    throw unreachable(error, config.database!.url);
  });
  try {
    const store = await PostgresStore.open(database, logger ? { logger } : {});
    return {
      store,
      database,
      exclusive: false,
      close: async () => {
        await store.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** A connection failure as a start-up error naming the server (never the password) and what to check. */
function unreachable(error: unknown, url: string): unknown {
  if (isPortalOpsError(error)) return error;
  let where = 'the database';
  try {
    const parsed = new URL(url);
    where = `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {}
  const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new PortalOpsError(
    'config_invalid',
    `PortalOps could not open its PostgreSQL database at ${where} (${why}). Check PORTALOPS_DATABASE_URL (postgres://user:password@host:5432/database) and that the server is running and accepts this user.`,
    { cause: error },
  );
}
