/**
 * lowdb adapter for the store's snapshot: JSON replaced atomically (temp file, fsync, rename)
 * and created owner-only (0600), tightened when found looser.
 */
import { readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import writeFileAtomic from 'write-file-atomic';
import { STORE_FILE_MODE, tightenFile } from './private-files.ts';

export class PrivateJsonFile<T> implements Adapter<T> {
  constructor(
    private readonly file: string,
    private readonly options: { tighten: boolean },
  ) {}

  async read(): Promise<T | null> {
    if (this.options.tighten) tightenFile(this.file);
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    // Compact JSON: snapshots hold every record, so serialization time matters more than looks.
    return JSON.parse(text) as T;
  }

  write(data: T): Promise<void> {
    // Serialized now, before any await, so the snapshot is the state at the moment of the call.
    const text = JSON.stringify(data);
    return writeFileAtomic(this.file, text, { mode: STORE_FILE_MODE });
  }
}
