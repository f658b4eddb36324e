/**
 * A clock for the simulator that runs with the wall clock until a test holds it still, then moves
 * only when the test says so. The simulator's sites, operations and tokens follow it, so a test
 * can look at a site in a phase without racing the phase's end on a busy machine.
 * @example const clock = testClock(); await startSimulator({ now: clock.now }); clock.hold(); … clock.advance(20_000);
 */
export interface TestClock {
  /** The clock's time, epoch ms (pass as the simulator's `now`). */
  now: () => number;
  /** Stops the clock where it is. */
  hold(): void;
  /** Moves a held clock forward. */
  advance(ms: number): void;
  /** Lets the clock run again from where it stands. */
  release(): void;
}

/** A clock that starts at the wall clock's time and running. */
export function testClock(): TestClock {
  let offset = 0;
  let heldAt: number | undefined;
  return {
    now: () => heldAt ?? Date.now() + offset,
    hold() {
      heldAt ??= Date.now() + offset;
    },
    advance(ms) {
      if (heldAt === undefined) throw new Error('Hold the clock before advancing it.');
      heldAt += ms;
    },
    release() {
      if (heldAt === undefined) return;
      offset = heldAt - Date.now();
      heldAt = undefined;
    },
  };
}
