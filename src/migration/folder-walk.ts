/**
 * Listing the files of a site folder without ever leaving it: entries are looked at as lstat sees
 * them (the listing's own entry types, which Node fills in with lstat where the disk gives none),
 * a symbolic link is taken only when it resolves to a regular file inside the folder, and a link
 * pointing outside (or dangling, or to a folder, which could loop) is refused with its path, so
 * a local file can never be read into a site by a link planted in the folder.
 */
import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { PortalOpsError } from '../domain/errors.ts';
import { isInside } from './folder-paths.ts';
import type { FolderFile } from './site-yaml.ts';

/** One file of a folder: `/`-separated path inside it, and where its bytes are. */
export interface ListedFile extends FolderFile {
  rel: string;
}

/**
 * Every file below `root`, sorted by path, `/`-separated. Throws `unsafe_path` for a symbolic link
 * that leaves the folder, dangles or names a folder, `site_file_invalid` for a special file (pipe,
 * socket, device) or an unreadable entry, and `invalid_input` when `root` is not a folder.
 */
export function listFolderFiles(root: string): ListedFile[] {
  let base: string;
  try {
    base = realpathSync(root);
    if (!statSync(base).isDirectory()) throw new Error('not a folder');
  } catch (error) {
    throw new PortalOpsError('invalid_input', `${root} is not a folder that can be read.`, {
      cause: error,
      details: { path: root },
    });
  }
  const files: ListedFile[] = [];
  const visit = (dir: string) => {
    for (const entry of entries(root, base, dir)) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      const absolute = path.join(base, ...rel.split('/'));
      const shown = path.join(root, rel);
      if (entry.isDirectory()) visit(rel);
      else if (entry.isFile()) files.push({ rel, absolute, shown });
      else if (entry.isSymbolicLink())
        files.push({ rel, absolute: linkTarget(base, absolute, shown), shown });
      else
        throw new PortalOpsError(
          'site_file_invalid',
          `${shown} is not a regular file or folder. Nothing was written.`,
          {
            details: { file: shown },
          },
        );
    }
  };
  visit('');
  return files;
}

function entries(root: string, base: string, dir: string): Dirent[] {
  try {
    return readdirSync(path.join(base, ...dir.split('/').filter(Boolean)), { withFileTypes: true }).sort(
      (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  } catch (error) {
    const shown = path.join(root, dir);
    throw new PortalOpsError(
      'site_file_invalid',
      `${shown} cannot be listed (${code(error)}). Nothing was written.`,
      {
        cause: error,
        details: { file: shown },
      },
    );
  }
}

/** The real file a link in the folder names, when that is a regular file inside the folder. */
function linkTarget(base: string, link: string, shown: string): string {
  const refuse = (why: string) =>
    new PortalOpsError(
      'unsafe_path',
      `${shown} is a symbolic link ${why}; site folders are read without following links out of them. Replace it with the file itself. Nothing was read or written.`,
      { details: { file: shown } },
    );
  let target: string;
  try {
    target = realpathSync(link);
  } catch {
    throw refuse('that points nowhere');
  }
  if (!isInside(base, target)) throw refuse(`that points outside the folder`);
  if (!statSync(target).isFile()) throw refuse('to something that is not a file');
  return target;
}

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
