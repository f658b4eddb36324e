import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CommandIndex, stubCommands } from '../../../src/cli/command-index.ts';
import { buildCommandIndex, buildProgram, type CliIo } from '../../../src/cli/main.ts';

const quietIo = (): CliIo & { text: string[] } => {
  const text: string[] = [];
  return { text, out: (t) => text.push(t), err: (t) => text.push(t), env: {} };
};

describe('the compiled CLI answers help and typos from its command index', () => {
  let index: CommandIndex;
  // Loads every command's code once (the index is built from it), which takes a while on a busy machine.
  beforeAll(async () => {
    index = await buildCommandIndex();
  }, 120_000);

  it('lists every command exactly as the full program does', async () => {
    const full = await buildProgram(quietIo());
    const stubs = stubCommands(await buildProgram(quietIo(), []), index);
    expect(stubs.helpInformation()).toBe(full.helpInformation());
    expect(index.groupOf.sites).toBe('platform');
    expect(index.groupOf.parse).toBe('parse');
  });

  it('suggests the command a typo meant, without loading any command', async () => {
    const io = quietIo();
    const program = stubCommands(await buildProgram(io, []), index);
    await expect(program.parseAsync(['sitez'], { from: 'user' })).rejects.toThrow(/unknown command/);
    expect(io.text.join('\n')).toContain('Did you mean sites?');
  });

  it('loads no command code, chat SDK or platform client just to start', () => {
    expect(staticPackagesOf('src/cli/main.ts')).toEqual(['commander']);
  });
});

/** Packages reachable from a source file through static, non-type imports (dynamic ones load later). */
function staticPackagesOf(entry: string): string[] {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const seen = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)';/gms)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) walk(path.resolve(path.dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec.split('/')[0]!);
    }
  };
  walk(path.join(root, entry));
  return [...packages].sort();
}
