/**
 * Admission of chat turns: at most `limit` turns are worked on at once and the others wait,
 * first come first served. When many messages arrive together, the event loop otherwise
 * interleaves every turn with every other, so each waits for all of them at each of its steps
 * and all finish together at the end of the burst; admitted in order, the first ones are
 * answered at once and the last no later than before. A turn still running after
 * `releaseAfterMs` (waiting on a slow platform call, say) gives its place up, so slow turns never
 * hold the quick ones back.
 */
export class TurnGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly releaseAfterMs: number,
  ) {}

  /** Runs `work` once admitted. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((admit) => this.waiting.push(admit));
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
    const timer = setTimeout(leave, this.releaseAfterMs);
    timer.unref?.();
    try {
      return await work();
    } finally {
      clearTimeout(timer);
      leave();
    }
  }

  /** Turns being worked on and turns waiting, for metrics and tests. */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }
}
