import { afterEach, describe, expect, it, vi } from 'vitest';
import { TurnGate } from '../../../src/chat/core/turn-gate.ts';

/** A turn the test ends when it wants. */
function heldTurn(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    work: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
    finish: () => finish(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('admitting chat turns', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('works on at most the limit at once and starts the others in the order they came', async () => {
    const gate = new TurnGate(2, 60_000);
    const log: string[] = [];
    const turns = ['a', 'b', 'c', 'd'].map((n) => heldTurn(log, n));
    const results = turns.map((t) => gate.run(t.work));
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    expect(gate.load).toEqual({ active: 2, waiting: 2 });

    turns[1]!.finish();
    await settle();
    expect(log).toEqual(['start a', 'start b', 'end b', 'start c']);

    for (const t of turns) t.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect(gate.load).toEqual({ active: 0, waiting: 0 });
  });

  it('lets the next turn in when a turn fails', async () => {
    const gate = new TurnGate(1, 60_000);
    const failing = gate.run(async () => {
      throw new Error('platform down');
    });
    const next = gate.run(async () => 'answered');
    await expect(failing).rejects.toThrow('platform down');
    expect(await next).toBe('answered');
  });

  it('does not let a slow turn hold its place: after the release time the next one starts', async () => {
    vi.useFakeTimers();
    const gate = new TurnGate(1, 250);
    const log: string[] = [];
    const slow = heldTurn(log, 'slow');
    const quick = heldTurn(log, 'quick');
    const slowDone = gate.run(slow.work);
    const quickDone = gate.run(quick.work);
    await vi.advanceTimersByTimeAsync(249);
    expect(log).toEqual(['start slow']);

    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['start slow', 'start quick']);
    quick.finish();
    slow.finish();
    await Promise.all([slowDone, quickDone]);
    expect(gate.load).toEqual({ active: 0, waiting: 0 });
  });
});
