/**
 * One writer per data dir. The store keeps its state in memory and appends to files, so two
 * processes on one data dir would each miss the other's changes, reuse sequence numbers and
 * overwrite each other's snapshots. The lock is a `portalops.lock` directory made atomically by
 * proper-lockfile (kept fresh while held, removed on exit); beside it `portalops.owner.json`
 * names the holder so a refusal can say who it is. A lock left by a process that died (same
 * host, pid gone) is taken over at once instead of after the staleness delay.
 */
import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { PortalOpsError } from '../domain/errors.ts';
import { STORE_FILE_MODE } from './private-files.ts';

/** Who holds a data dir. */
export interface LockOwner {
  pid: number;
  host: string;
  /** What the holder runs, e.g. `portalops start`. */
  command: string;
  /** ISO timestamp. */
  since: string;
}

/** A held lock. */
export interface DataDirLock {
  readonly owner: LockOwner;
  release(): Promise<void>;
}

/** Only after this long without a refresh is a lock whose owner cannot be checked stale. */
const STALE_MS = 60_000;

/** Name of the lock directory and the owner file inside a data dir. */
export const LOCK_NAME = 'portalops.lock';
export const OWNER_FILE = 'portalops.owner.json';

/**
 * Takes the data dir's lock, or refuses with `data_dir_locked` naming the holder's pid.
 *
 * @example const lock = await lockDataDir('/var/lib/portalops', 'portalops start');
 */
export async function lockDataDir(dataDir: string, command: string): Promise<DataDirLock> {
  const target = path.join(dataDir, 'portalops.json');
  const lockfilePath = path.join(dataDir, LOCK_NAME);
  const ownerFile = path.join(dataDir, OWNER_FILE);
  const options = {
    realpath: false,
    lockfilePath,
    stale: STALE_MS,
    onCompromised: (error: Error) => {
      // Someone removed or replaced the lock while it was held: writing on could interleave
      // with another writer, so the process stops rather than risk the store.
      throw new PortalOpsError(
        'data_dir_locked',
        `The lock on the data dir ${dataDir} was taken away while this process held it; stopping so two processes do not write one store.`,
        { cause: error },
      );
    },
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const holder = readOwner(ownerFile);
    if (!holder || isAlive(holder)) throw lockedError(dataDir, holder);
    // The holder died without removing its lock (killed, or the machine stopped).
    rmSync(lockfilePath, { recursive: true, force: true });
    try {
      release = await lockfile.lock(target, options);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'ELOCKED') throw again;
      throw lockedError(dataDir, readOwner(ownerFile));
    }
  }
  const owner: LockOwner = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  writeFileSync(ownerFile, JSON.stringify(owner), { mode: STORE_FILE_MODE });
  let released = false;
  return {
    owner,
    release: async () => {
      if (released) return;
      released = true;
      try {
        unlinkSync(ownerFile);
      } catch {
        // Already gone: nothing names this process any more.
      }
      await release();
    },
  };
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string'
      ? {
          pid: owner.pid,
          host: owner.host,
          command: String(owner.command ?? ''),
          since: String(owner.since ?? ''),
        }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the owner may still run. Only a process on this host can be checked. */
function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(dataDir: string, owner: LockOwner | undefined): PortalOpsError {
  const who = owner
    ? `${owner.command || 'PortalOps'} (pid ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ''}, since ${owner.since})`
    : 'another PortalOps process';
  const stop = owner
    ? owner.pid === process.pid
      ? 'Close the store this process opened there first.'
      : `Stop it first (Ctrl-C in its terminal, or \`kill ${owner.pid}\`), or give this one a data dir of its own with PORTALOPS_DATA_DIR.`
    : 'Stop it first, or give this one a data dir of its own with PORTALOPS_DATA_DIR.';
  return new PortalOpsError(
    'data_dir_locked',
    `The data dir ${dataDir} is in use by ${who}; one process writes a data dir at a time. ${stop} If no PortalOps runs there any more, delete ${path.join(dataDir, LOCK_NAME)}.`,
  );
}
