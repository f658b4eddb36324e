#!/usr/bin/env node
// `npm test`: the type check, the linter and the test suite at the same time (each alone leaves
// the machine idle part of the time), then a one-line verdict per part. vitest's output streams
// as it runs; the type checker's and linter's are printed at the end. Extra arguments go to vitest.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resolve = createRequire(import.meta.url).resolve;
const started = performance.now();

/** Runs one part; resolves with its exit code, its buffered output and how long it took. */
function run(name, args, { stream = false } = {}) {
  return new Promise((done) => {
    const t = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const s of [child.stdout, child.stderr])
      s.on('data', (chunk) => {
        if (stream) process.stdout.write(chunk);
        else output += chunk;
      });
    child.on('close', (code) =>
      done({ name, code: code ?? 1, output, seconds: (performance.now() - t) / 1000 }),
    );
  });
}

const tsc = resolve('typescript/bin/tsc');
const biome = path.join(path.dirname(resolve('@biomejs/biome/package.json')), 'bin', 'biome');
const vitest = path.join(path.dirname(resolve('vitest/package.json')), 'vitest.mjs');
const parts = await Promise.all([
  // Incremental: a second run re-checks only what changed (its state is kept in node_modules/.cache).
  run('typecheck', [
    tsc,
    '-p',
    'tsconfig.json',
    '--noEmit',
    '--incremental',
    '--tsBuildInfoFile',
    'node_modules/.cache/tsc/tsconfig.tsbuildinfo',
  ]),
  run('lint', [biome, 'check', '.']),
  run('tests', [vitest, 'run', ...process.argv.slice(2)], { stream: true }),
]);
for (const part of parts)
  if (part.code !== 0 && part.output) process.stdout.write(`\n── ${part.name} ──\n${part.output}`);
for (const part of parts)
  console.log(`${part.code === 0 ? '✓' : '✗'} ${part.name.padEnd(9)} ${part.seconds.toFixed(1)} s`);
console.log(`npm test: ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(parts.some((part) => part.code !== 0) ? 1 : 0);
