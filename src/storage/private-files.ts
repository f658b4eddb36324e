/**
 * Owner-only permissions for the store's files. The store holds who asked for what, the audit
 * log and, in older data dirs, a copy of the sign-in token cache, so nothing in it is for other
 * users of the machine: the data dir is 0700 and every file 0600, and looser ones found on open
 * are tightened.
 */
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';

/** Permissions of the data dir. */
export const STORE_DIR_MODE = 0o700;
/** Permissions of every file the store writes. */
export const STORE_FILE_MODE = 0o600;

/** Creates `dir` owner-only, or tightens it. Returns whether an existing one was looser. */
export function ensurePrivateDir(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: STORE_DIR_MODE });
  return tighten(dir, STORE_DIR_MODE);
}

/** Tightens an existing file to 0600. Returns whether it was looser. */
export function tightenFile(file: string): boolean {
  return existsSync(file) ? tighten(file, STORE_FILE_MODE) : false;
}

function tighten(target: string, mode: number): boolean {
  // Windows has no POSIX mode bits to tighten; its ACLs are the user's profile's.
  if (process.platform === 'win32') return false;
  if ((statSync(target).mode & 0o077) === 0) return false;
  chmodSync(target, mode);
  return true;
}
