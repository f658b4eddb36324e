/**
 * Understanding benchmark: the parser's accuracy on the held-out phrasings
 * (test/understanding/held-out.json, per batch), and what it costs a cold process: the parser
 * compiled the way the CLI ships it (esbuild, ES module), imported and asked once in a fresh
 * `node`, minus an empty `node` start, median of 9 runs. Prints one JSON object last.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parseIntent } from '../src/intents/parser.ts';
import { contextOf, mismatch, readHeldOut } from '../test/understanding/held-out-score.ts';
import { percentile } from './lib/shared.ts';

const RUNS = 9;
const here = path.dirname(fileURLToPath(import.meta.url));

const set = readHeldOut();
const context = contextOf(set);
const byBatch = new Map<number, { ok: number; total: number }>();
const misses: string[] = [];
for (const c of set.cases) {
  const batch = Number(c.batch ?? 1);
  const tally = byBatch.get(batch) ?? { ok: 0, total: 0 };
  const why = mismatch(
    parseIntent(c.text, context),
    c,
    set.environments.map((e) => e.alias),
  );
  tally.total++;
  if (why) misses.push(`${c.text} → ${why}`);
  else tally.ok++;
  byBatch.set(batch, tally);
}
const ok = [...byBatch.values()].reduce((a, b) => a + b.ok, 0);

const dir = mkdtempSync(path.join(tmpdir(), 'portalops-understanding-'));
try {
  const outfile = path.join(dir, 'parser.mjs');
  await build({
    entryPoints: [path.join(here, '../src/intents/parser.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    logLevel: 'silent',
  });
  const probe = path.join(dir, 'probe.mjs');
  writeFileSync(
    probe,
    `const t = performance.now();
const { parseIntent } = await import(${JSON.stringify(outfile)});
parseIntent('restart contoso-dev in dev', { environments: [{ alias: 'dev', displayName: 'Contoso Dev' }] });
process.stdout.write(String(performance.now() - t));`,
  );
  const timed = (args: string[]) => {
    const start = performance.now();
    const inner = execFileSync(process.execPath, args, { encoding: 'utf8' });
    return { wall: performance.now() - start, inner: Number(inner || 0) };
  };
  const empty: number[] = [];
  const loaded: number[] = [];
  const inside: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    empty.push(timed(['-e', '0']).wall);
    const run = timed([probe]);
    loaded.push(run.wall);
    inside.push(run.inner);
  }
  for (const miss of misses) console.log(`miss: ${miss}`);
  console.log(
    JSON.stringify({
      phrasings: set.cases.length,
      accuracy: Math.round((ok / set.cases.length) * 1000) / 10,
      batches: Object.fromEntries(
        [...byBatch].map(([batch, t]) => [
          batch,
          { ...t, accuracy: Math.round((t.ok / t.total) * 1000) / 10 },
        ]),
      ),
      parserLoadAndFirstParseMs: Math.round(percentile(inside, 50) * 10) / 10,
      coldProcessOverEmptyNodeMs: Math.round(percentile(loaded, 50) - percentile(empty, 50)),
      runs: RUNS,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
