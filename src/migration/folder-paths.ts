/**
 * Paths inside a site folder (a pac download, a snapshot, `deployment-profiles/`). File names come
 * from site data (a web file's partial URL, a record's name) or from operators (a profile name),
 * so every one is checked to stay a plain relative path below its folder on every platform
 * before anything is read or written.
 */
import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** Longest file name most file systems take (bytes of UTF-8). */
const MAX_SEGMENT_BYTES = 255;

/**
 * Why one path segment cannot be a file or folder name inside a folder, or undefined when it
 * can. `..`, `.` and names made only of dots and spaces (Windows trims those to `..`), separators
 * of any platform, NUL and other control characters, and `:` (a Windows drive or NTFS stream) are
 * refused.
 */
export function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'it has an empty part (a leading, doubled or trailing "/")';
  if (/^[. ]+$/.test(segment)) return `"${segment}" is not a name (it would mean this or the parent folder)`;
  if (segment.includes('/') || segment.includes('\\')) return 'it contains a path separator';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f]/.test(segment)) return 'it contains a NUL or control character';
  if (segment.includes(':')) return 'it contains ":" (a drive or stream name on Windows)';
  if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES)
    return `a part of it is longer than ${MAX_SEGMENT_BYTES} bytes`;
  return undefined;
}

/**
 * Why a `/`-separated relative path cannot be used below a folder, or undefined when it can:
 * absolute paths, drive letters, backslashes and every segment {@link segmentProblem} refuses.
 */
export function relativePathProblem(rel: string): string | undefined {
  if (rel.includes('\u0000')) return 'it contains a NUL character';
  if (rel.startsWith('/') || path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return 'it is an absolute path';
  if (rel.includes('\\')) return 'it contains a backslash (a Windows path separator)';
  for (const segment of rel.split('/')) {
    const problem = segmentProblem(segment);
    if (problem) return problem;
  }
  return undefined;
}

/** True when `target` is `root` or below it (both absolute and resolved). */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return (
    relative === '' ||
    (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
  );
}

/**
 * The absolute path of `rel` below `root`, or the reason it is refused: a bad name, or a path that
 * resolves outside the root. With `forWriting`, what already exists on the way is checked too: a
 * symbolic link (a write would follow it out of the folder), a file where a folder is needed, or
 * a folder where the file goes.
 */
export function resolveBelow(
  root: string,
  rel: string,
  options: { forWriting?: boolean } = {},
): { path: string } | { problem: string } {
  const problem = relativePathProblem(rel);
  if (problem) return { problem };
  const base = path.resolve(root);
  const segments = rel.split('/');
  const target = path.resolve(base, ...segments);
  if (!isInside(base, target) || target === base) return { problem: 'it resolves outside the folder' };
  if (options.forWriting) {
    let current = base;
    for (const [index, segment] of segments.entries()) {
      current = path.join(current, segment);
      const stat = lstatOrUndefined(current);
      if (!stat) break;
      const shown = segments.slice(0, index + 1).join('/');
      if (stat.isSymbolicLink()) return { problem: `${shown} is a symbolic link` };
      const last = index === segments.length - 1;
      if (!last && !stat.isDirectory()) return { problem: `${shown} is a file, not a folder` };
      if (last && !stat.isFile()) return { problem: `${shown} is already there and is not a file` };
    }
  }
  return { path: target };
}

/** The real path of a folder, or the folder itself when it does not exist yet. */
export function realFolder(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}

function lstatOrUndefined(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
