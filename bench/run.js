#!/usr/bin/env node
// Runs one benchmark: `npm run bench -- <name>` loads bench/<name>.ts, which prints one JSON object last.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const name = process.argv[2];
const here = path.dirname(fileURLToPath(import.meta.url));
const file = name ? path.join(here, `${name}.ts`) : undefined;
if (!file || !existsSync(file)) {
  const available = (await import('node:fs'))
    .readdirSync(here)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.replace(/\.ts$/, ''));
  console.error(`Usage: npm run bench -- <name>. Available: ${available.join(', ') || '(none yet)'}`);
  process.exit(2);
}
await import(pathToFileURL(file).href);
