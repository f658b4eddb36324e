/** The drain's bound: a stage that hangs does not keep the process alive, a failing one does not stop the rest. */
import { describe, expect, it } from 'vitest';
import { drain } from '../../../src/ops/drain.ts';

describe('drain', () => {
  it('runs every stage in order, past a failing one', async () => {
    const ran: string[] = [];
    const outcome = await drain(
      [
        { name: 'jobs', run: async () => ran.push('jobs') },
        {
          name: 'teams',
          run: async () => {
            ran.push('teams');
            throw new Error('socket already closed');
          },
        },
        { name: 'store', run: async () => ran.push('store') },
      ],
      { boundMs: 5_000 },
    );
    expect(ran).toEqual(['jobs', 'teams', 'store']);
    expect(outcome).toMatchObject({ completed: true, failed: ['teams'] });
  });

  it('stops waiting once the bound has passed and names the stage that hangs', async () => {
    const ran: string[] = [];
    const outcome = await drain(
      [
        { name: 'jobs', run: async () => ran.push('jobs') },
        { name: 'a step that ignores its abort', run: () => new Promise(() => {}) },
        { name: 'store', run: async () => ran.push('store') },
      ],
      { boundMs: 100 },
    );
    expect(outcome).toMatchObject({ completed: false, unfinished: 'a step that ignores its abort' });
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(99);
    expect(ran).toEqual(['jobs']);
  });
});
