/**
 * Child processes of the tests (a job runner killed with SIGKILL, a second store writer) run as
 * one JavaScript file compiled once per test process, not through tsx: a child starting through
 * tsx's loader takes a second or more, so a test forking sixty of them spent its time starting
 * node. Each module keeps its own `import.meta.url`, so files a module finds next to itself
 * (cards, the default scenario) are found as when it runs from sources.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Inside node_modules, so the compiled file finds the packages it imports as the sources do. */
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'portalops-test-children');
const compiled = new Map<string, Promise<string>>();

/**
 * The path of the entry compiled to one ESM file (packages stay imports), for `fork(path)`.
 * @example fork(await compiledChild(CHILD), [], { stdio: 'ignore' })
 */
export function compiledChild(entry: string): Promise<string> {
  let file = compiled.get(entry);
  if (!file) {
    file = compile(entry);
    compiled.set(entry, file);
  }
  return file;
}

async function compile(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    sourcemap: 'inline',
    logLevel: 'error',
    plugins: [
      {
        name: 'own-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => {
            const { readFile } = await import('node:fs/promises');
            const source = await readFile(args.path, 'utf8');
            const url = JSON.stringify(pathToFileURL(args.path).href);
            return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0]!.text;
  const name = `${path.basename(entry, '.ts')}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`;
  const target = path.join(CACHE, name);
  mkdirSync(CACHE, { recursive: true });
  // Written whole under a name of its own, then renamed: test processes compiling at once never
  // see half a file.
  const partial = `${target}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, target);
  return target;
}
