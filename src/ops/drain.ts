/**
 * Shutting down within a bound (SIGTERM from the orchestrator, Ctrl-C): the replica stops
 * answering ready, stops claiming jobs, interrupts running steps so their leases are released
 * (another replica resumes them at the saved step), closes its listeners and connections, and
 * exits. Whatever is still running when the bound passes is cut off: the leases it holds expire
 * and other replicas take its jobs over, as after a crash.
 */
import type { Logger } from '../logging/logger.ts';

/** One stage of the drain, in order. */
export interface DrainStage {
  name: string;
  run(): Promise<unknown>;
}

/** How the drain went. */
export interface DrainOutcome {
  /** Every stage finished within the bound. */
  completed: boolean;
  elapsedMs: number;
  /** The stage still running when the bound passed. */
  unfinished?: string;
  /** Stages that failed (they do not stop the drain). */
  failed: string[];
}

/**
 * Runs the stages in order, each one even when an earlier one failed, and stops waiting once
 * `boundMs` has passed.
 */
export async function drain(
  stages: DrainStage[],
  options: { boundMs: number; logger?: Logger },
): Promise<DrainOutcome> {
  const started = performance.now();
  const failed: string[] = [];
  let current: string | undefined;
  const run = (async () => {
    for (const stage of stages) {
      current = stage.name;
      try {
        await stage.run();
      } catch (error) {
        failed.push(stage.name);
        options.logger?.warn({ err: error, stage: stage.name }, 'shutdown stage failed');
      }
    }
    current = undefined;
  })();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'bound'>((resolve) => {
    timer = setTimeout(() => resolve('bound'), options.boundMs);
  });
  const result = await Promise.race([run.then(() => 'done' as const), bound]);
  clearTimeout(timer);
  const elapsedMs = Math.round(performance.now() - started);
  if (result === 'bound')
    return { completed: false, elapsedMs, failed, ...(current ? { unfinished: current } : {}) };
  return { completed: true, elapsedMs, failed };
}
