#!/usr/bin/env node
// Compiles src/ to plain JavaScript in dist/ with esbuild, one output file per source file in the
// same layout (src/x/y.ts → dist/x/y.js), so paths a module finds relative to itself (cards/,
// manifest/, the simulator's scenarios) still hold; copies the files src/ reads at run time;
// writes the CLI's command index and the fingerprint of the sources it was compiled from.
// Type checking is `npm run typecheck`'s job, not the build's.
//   --if-stale   do nothing when dist/ already matches the sources
//   --tolerant   a failed build warns and exits 0 (the CLI then runs from sources), for `prepare`
import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, isDistFresh, ROOT, STAMP, sourceFingerprint } from '../bin/dist-state.js';

const tolerant = process.argv.includes('--tolerant');
if (process.argv.includes('--if-stale') && isDistFresh()) process.exit(0);

const started = performance.now();
// Taken before compiling: a source edited while the build runs leaves dist/ stale, never wrongly fresh.
const fingerprint = sourceFingerprint();
const src = path.join(ROOT, 'src');
const out = `${DIST}.building-${process.pid}`;
const sources = readdirSync(src, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));

/** Stops the build, leaving dist/ as it was. */
function fail(reason) {
  rmSync(out, { recursive: true, force: true });
  console.error(`portalops build: ${reason}; dist/ was left as it was, so the CLI runs from sources.`);
  process.exit(tolerant ? 0 : 1);
}

/**
 * Packages the CLI loads for most commands, bundled into one file each under dist/vendor/: each
 * is a tree of a hundred small modules (zod, the MSAL client, axios), and resolving and reading
 * them one by one cost a command more than running it.
 */
const VENDORED = ['zod', 'axios', '@azure/msal-node'];
const vendorFile = (name) => path.join(out, 'vendor', `${name.replace(/[@/]/g, '_')}.js`);
/** `src/x/y.ts` → its output, `dist/x/y.js`. */
const outputOf = (source) => path.join(out, path.relative(src, source)).replace(/\.ts$/, '.js');

try {
  const { build } = await import('esbuild');
  for (const name of VENDORED)
    await build({
      stdin: {
        contents: `export * from '${name}'; import * as all from '${name}'; export default all.default;`,
        resolveDir: ROOT,
        loader: 'js',
      },
      outfile: vendorFile(name),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // CommonJS inside a package requires Node's own modules.
      banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
      logLevel: 'error',
    });
  await build({
    entryPoints: sources.filter((file) => file.endsWith('.ts')),
    outbase: src,
    outdir: out,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Each file stays a module of its own: relative imports are kept, pointing at the compiled file.
    bundle: true,
    plugins: [
      {
        name: 'keep-modules',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.kind === 'entry-point' || !VENDORED.includes(args.path)) return undefined;
            const relative = path.relative(path.dirname(outputOf(args.importer)), vendorFile(args.path));
            return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true };
          });
          build.onResolve({ filter: /^\.\.?\// }, (args) =>
            args.kind === 'entry-point'
              ? undefined
              : { path: args.path.replace(/\.ts$/, '.js'), external: true },
          );
        },
      },
    ],
    packages: 'external',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'error',
  });
} catch (error) {
  fail(`esbuild failed (${error.message.split('\n')[0]})`);
}

for (const from of sources.filter((file) => !file.endsWith('.ts'))) {
  const to = path.join(out, path.relative(src, from));
  mkdirSync(path.dirname(to), { recursive: true });
  cpSync(from, to);
}

try {
  const { buildCommandIndex } = await import(pathToFileURL(path.join(out, 'cli', 'main.js')).href);
  writeFileSync(
    path.join(out, 'cli', 'command-index.json'),
    `${JSON.stringify(await buildCommandIndex(), null, 2)}\n`,
  );
} catch (error) {
  fail(`the compiled CLI does not load (${error.message.split('\n')[0]})`);
}
writeFileSync(path.join(out, path.relative(DIST, STAMP)), `${fingerprint}\n`);

// Swap the new build in whole, so a command starting meanwhile runs the old build or the new one.
const old = `${DIST}.old-${process.pid}`;
try {
  renameSync(DIST, old);
} catch {}
renameSync(out, DIST);
rmSync(old, { recursive: true, force: true });
console.error(`portalops build: dist/ compiled in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
process.exit(0);
