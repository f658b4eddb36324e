import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isDistFresh, sourceFingerprint } from '../../../bin/dist-state.js';
import { makeTempDir } from '../../support/temp-dir.ts';

describe('the compiled CLI runs only when it matches the sources', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  function project() {
    const root = path.join(temp.dir, `p${Math.random().toString(36).slice(2)}`);
    mkdirSync(path.join(root, 'src', 'cli'), { recursive: true });
    mkdirSync(path.join(root, 'scripts'));
    writeFileSync(path.join(root, 'src', 'cli', 'main.ts'), 'export const a = 1;\n');
    writeFileSync(path.join(root, 'scripts', 'build.js'), '// build\n');
    const built = () => {
      mkdirSync(path.join(root, 'dist'), { recursive: true });
      writeFileSync(path.join(root, 'dist', '.source-fingerprint'), `${sourceFingerprint(root)}\n`);
    };
    return { root, built };
  }

  it('is stale when missing, fresh once built, stale again after any edit, new file or deletion', () => {
    const { root, built } = project();
    const main = path.join(root, 'src', 'cli', 'main.ts');
    expect(isDistFresh(root)).toBe(false);
    built();
    expect(isDistFresh(root)).toBe(true);

    writeFileSync(main, 'export const a = 2;\n');
    // Same size: the modification time tells (set apart explicitly, file clocks are coarse).
    utimesSync(main, new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect(isDistFresh(root)).toBe(false);
    built();
    // An older file put back (an undo, a copy keeping its time) is a change too.
    utimesSync(main, new Date(2000, 0, 1), new Date(2000, 0, 1));
    expect(isDistFresh(root)).toBe(false);
    built();

    writeFileSync(path.join(root, 'src', 'cli', 'new.ts'), '');
    expect(isDistFresh(root)).toBe(false);
    built();
    rmSync(path.join(root, 'src', 'cli', 'new.ts'));
    expect(isDistFresh(root)).toBe(false);
    built();
    writeFileSync(path.join(root, 'scripts', 'build.js'), '// build, changed\n');
    expect(isDistFresh(root)).toBe(false);
  });

  it('runs a build shipped without its sources (a container image), but never a missing one', () => {
    const { root, built } = project();
    built();
    rmSync(path.join(root, 'src'), { recursive: true });
    expect(isDistFresh(root)).toBe(true);
    rmSync(path.join(root, 'dist'), { recursive: true });
    expect(isDistFresh(root)).toBe(false);
  });
});
