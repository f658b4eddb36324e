import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src');

describe('environment variables', () => {
  it('are read only by src/config/, so every setting is validated and documented in one place', () => {
    const readers = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.startsWith(`config${path.sep}`))
      .filter((file) => /\bprocess\.env\b/.test(readFileSync(path.join(SRC, file), 'utf8')));
    expect(readers).toEqual([]);
  });
});
