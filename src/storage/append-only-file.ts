/**
 * An append-only file whose appends are all-or-nothing: when a write fails part-way (a full
 * disk, a quota), the file is cut back to where it ended before, so the next append does not
 * glue onto half a line and a restart never sees a torn line in the middle.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { PortalOpsError } from '../domain/errors.ts';
import { STORE_FILE_MODE, tightenFile } from './private-files.ts';

/** How bytes reach the disk; tests pass one that fails part-way, as a full disk does. */
export interface StoreDisk {
  /** Writes all of `bytes` at the end of `handle` (opened for appending). */
  append(handle: FileHandle, bytes: Buffer, file: string): Promise<void>;
}

/** Writes through the file system, looping over short writes. */
export const realDisk: StoreDisk = {
  async append(handle, bytes) {
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
  },
};

/** One append-only file of the store. */
export class AppendOnlyFile {
  private handle: FileHandle | undefined;
  /** Set when a failed append could not be cut back: the file's end is unknown, so no more appends. */
  private broken: Error | undefined;

  constructor(
    readonly file: string,
    private size: number,
    private readonly disk: StoreDisk = realDisk,
  ) {
    tightenFile(file);
  }

  /** Appends `text` whole, or leaves the file as it was and rejects. */
  async append(text: string): Promise<void> {
    if (this.broken) throw this.brokenError();
    const handle = await this.open();
    const bytes = Buffer.from(text);
    try {
      await this.disk.append(handle, bytes, this.file);
    } catch (error) {
      try {
        await handle.truncate(this.size);
      } catch (truncateError) {
        this.broken = truncateError as Error;
      }
      throw error;
    }
    this.size += bytes.length;
  }

  /** Empties the file (its content was folded into the snapshot). */
  async clear(): Promise<void> {
    const handle = await this.open();
    await handle.truncate(0);
    this.size = 0;
    this.broken = undefined;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  private async open(): Promise<FileHandle> {
    this.handle ??= await open(this.file, 'a', STORE_FILE_MODE);
    return this.handle;
  }

  private brokenError(): PortalOpsError {
    return new PortalOpsError(
      'store_write_failed',
      `${this.file} could not be cut back after a failed write, so nothing more is written to it. Free some disk space and restart PortalOps; start-up sets the unfinished line aside.`,
      { cause: this.broken },
    );
  }
}
