import { describe, expect, it } from 'vitest';
import type { ExampleSites } from '../../../src/commands/help-examples.ts';
import { EXAMPLE_SITES_FRESH_MS, RecentExampleSites } from '../../../src/commands/recent-example-sites.ts';

/** A reader of example sites that counts its reads. */
function counting(answer: () => Promise<ExampleSites>) {
  let reads = 0;
  return {
    read: () => {
      reads++;
      return answer();
    },
    reads: () => reads,
  };
}

describe('recent example sites', () => {
  it('share one reading among askers within a few seconds, and read again after', async () => {
    const recent = new RecentExampleSites();
    const source = counting(async () => ({ any: 'contoso-dev' }));
    const [a, b] = await Promise.all([
      recent.get('env-1', 0, source.read),
      recent.get('env-1', 10, source.read),
    ]);
    expect(a).toEqual({ any: 'contoso-dev' });
    expect(b).toBe(a);
    expect(source.reads()).toBe(1);
    await recent.get('env-1', EXAMPLE_SITES_FRESH_MS - 1, source.read);
    expect(source.reads()).toBe(1);
    await recent.get('env-1', EXAMPLE_SITES_FRESH_MS, source.read);
    expect(source.reads()).toBe(2);
  });

  it('keep each environment apart', async () => {
    const recent = new RecentExampleSites();
    const source = counting(async () => ({}));
    await recent.get('env-1', 0, source.read);
    await recent.get('env-2', 0, source.read);
    expect(source.reads()).toBe(2);
  });

  it('do not keep a failed reading: the next asker reads again', async () => {
    const recent = new RecentExampleSites();
    let fail = true;
    const source = counting(async () => {
      if (fail) throw new Error('connect ECONNREFUSED');
      return { any: 'contoso-dev' };
    });
    await expect(recent.get('env-1', 0, source.read)).rejects.toThrow('ECONNREFUSED');
    fail = false;
    await expect(recent.get('env-1', 1, source.read)).resolves.toEqual({ any: 'contoso-dev' });
    expect(source.reads()).toBe(2);
  });

  it('read again when the clock went back', async () => {
    const recent = new RecentExampleSites();
    const source = counting(async () => ({}));
    await recent.get('env-1', 1_000, source.read);
    await recent.get('env-1', 0, source.read);
    expect(source.reads()).toBe(2);
  });
});
