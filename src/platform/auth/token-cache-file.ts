/**
 * The file MSAL's token caches persist in: `{dataDir}/credentials/msal-token-cache.json`, one
 * section per tenant (each tenant's sign-in has its own MSAL cache, holding its refresh token
 * and one access token per resource). Refresh tokens are as good as a password for their
 * lifetime, so the directory is 0700 and the file 0600, and a looser file or directory found
 * on open is tightened. Nothing here logs a cache's content.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { PortalOpsError } from '../../domain/errors.ts';
import type { Logger } from '../../logging/logger.ts';

/** Owner-only permissions of the credentials directory. */
export const CREDENTIALS_DIR_MODE = 0o700;
/** Owner-only permissions of every file holding tokens or secrets. */
export const SECRET_FILE_MODE = 0o600;

interface CacheFileData {
  version: 1;
  /** Serialized MSAL cache per cache key (`{mode}:{clientId}:{tenantId}`). */
  caches: Record<string, string>;
}

/** Creates `dir` owner-only, or tightens it when it exists with looser permissions. */
export function ensurePrivateDirectory(dir: string, logger?: Logger): void {
  mkdirSync(dir, { recursive: true, mode: CREDENTIALS_DIR_MODE });
  tighten(dir, CREDENTIALS_DIR_MODE, logger);
}

/** Sets `mode` on `target` when its group or other bits are set (POSIX only; a no-op on Windows). */
function tighten(target: string, mode: number, logger?: Logger): void {
  if (process.platform === 'win32') return;
  const current = statSync(target).mode & 0o777;
  if ((current & 0o077) === 0) return;
  chmodSync(target, mode);
  logger?.warn(
    { path: target, was: current.toString(8), now: mode.toString(8) },
    'tightened permissions of a file holding sign-in tokens',
  );
}

/** The token cache file. Reads on every access, so several processes can share it. */
export class TokenCacheFile {
  readonly file: string;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    file: string,
    private readonly logger?: Logger,
  ) {
    this.file = file;
  }

  /**
   * Opens (creating the directory if needed) the cache under `dataDir`. An existing file or
   * directory readable by others is tightened to 0600 / 0700.
   */
  static open(dataDir: string, options: { logger?: Logger } = {}): TokenCacheFile {
    const dir = path.join(dataDir, 'credentials');
    ensurePrivateDirectory(dir, options.logger);
    const file = path.join(dir, 'msal-token-cache.json');
    if (existsSync(file)) tighten(file, SECRET_FILE_MODE, options.logger);
    return new TokenCacheFile(file, options.logger);
  }

  /** The serialized MSAL cache stored under `key`, if any. */
  read(key: string): string | undefined {
    return this.load().caches[key];
  }

  /** Stores (or, with `undefined`, removes) the serialized cache under `key`. */
  write(key: string, serialized: string | undefined): Promise<void> {
    // Writes are chained so two tenants' caches saved at once cannot overwrite each other.
    const next = this.writing.then(async () => {
      const data = this.load();
      if (serialized === undefined) delete data.caches[key];
      else data.caches[key] = serialized;
      await writeFileAtomic(this.file, JSON.stringify(data), { mode: SECRET_FILE_MODE });
    });
    this.writing = next.catch(() => {});
    return next;
  }

  /** Every key with a stored cache. */
  keys(): string[] {
    return Object.keys(this.load().caches);
  }

  private load(): CacheFileData {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, caches: {} };
      throw new PortalOpsError(
        'config_invalid',
        `The token cache ${this.file} could not be read. Check that PortalOps runs as the user who owns it.`,
        { cause: error },
      );
    }
    try {
      const data = JSON.parse(text) as Partial<CacheFileData>;
      return { version: 1, caches: { ...(data.caches ?? {}) } };
    } catch {
      // A torn or hand-edited file only costs a new sign-in; say so instead of failing start-up.
      this.logger?.warn({ path: this.file }, 'the token cache file is not valid JSON; starting empty');
      return { version: 1, caches: {} };
    }
  }
}
