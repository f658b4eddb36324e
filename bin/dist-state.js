// Whether dist/ was compiled from the sources as they are now. The build stores a fingerprint of
// every source file (path, size, modification time); any edit, new file or deleted file changes it,
// so a compiled CLI older than its sources is never run.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the build writes the compiled sources (`src/x/y.ts` → `dist/x/y.js`). */
export const DIST = path.join(ROOT, 'dist');
/** The fingerprint of the sources dist/ was compiled from. */
export const STAMP = path.join(DIST, '.source-fingerprint');
/** Files outside src/ that change what the build writes. */
const BUILD_INPUTS = ['scripts/build.js'];

/** A hash of the path, size and modification time of every source file and build input. */
export function sourceFingerprint(root = ROOT) {
  const hash = createHash('sha256');
  const src = path.join(root, 'src');
  const files = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .concat(BUILD_INPUTS.map((file) => path.join(root, file)))
    .sort();
  for (const file of files) {
    const stat = statSync(file, { throwIfNoEntry: false });
    hash.update(`${path.relative(root, file)}\0${stat?.size ?? -1}\0${stat?.mtimeMs ?? -1}\n`);
  }
  return hash.digest('hex');
}

/**
 * True when dist/ holds a build of the sources exactly as they are, or holds a build and there
 * are no sources beside it (an image or package that ships dist/ alone).
 */
export function isDistFresh(root = ROOT) {
  if (!existsSync(path.join(root, 'src'))) return existsSync(path.join(root, 'dist', '.source-fingerprint'));
  let stamp;
  try {
    stamp = readFileSync(path.join(root, 'dist', '.source-fingerprint'), 'utf8').trim();
  } catch {
    return false;
  }
  return stamp === sourceFingerprint(root);
}
