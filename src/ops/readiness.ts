/**
 * Readiness (`GET /readyz`): whether this replica should get traffic. It is ready when the store
 * answers, its schema is up to date, and a platform token can be had without asking anyone;
 * it stops being ready the moment it starts draining, so the load balancer moves on first.
 */
import { PortalOpsError } from '../domain/errors.ts';
import type { TokenProvider } from '../platform/ports.ts';

/** One thing readiness depends on. `run` resolves (optionally with a detail) or throws why not. */
export interface ReadinessCheck {
  name: string;
  run(): Promise<string | undefined>;
}

/** The outcome of one check, as `/readyz` shows it. */
export interface CheckOutcome {
  ok: boolean;
  detail?: string;
  ms: number;
}

/** What `/readyz` answers. */
export interface ReadinessReport {
  ready: boolean;
  draining: boolean;
  checks: Record<string, CheckOutcome>;
}

/** Longest a check may take before it counts as failed (a hung database is not ready). */
const CHECK_TIMEOUT_MS = 3_000;

/** Runs the checks on demand; `startDraining()` makes it not ready from then on. */
export class Readiness {
  private drainingSince: number | undefined;

  constructor(
    private readonly checks: ReadinessCheck[],
    private readonly timeoutMs = CHECK_TIMEOUT_MS,
  ) {}

  /** From now on the replica answers not ready (SIGTERM received). */
  startDraining(): void {
    this.drainingSince ??= Date.now();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Runs every check at once, each bounded by the timeout. */
  async report(): Promise<ReadinessReport> {
    const outcomes = await Promise.all(this.checks.map((check) => this.runOne(check)));
    const checks = Object.fromEntries(this.checks.map((c, i) => [c.name, outcomes[i] as CheckOutcome]));
    return {
      ready: !this.draining && outcomes.every((o) => o.ok),
      draining: this.draining,
      checks,
    };
  }

  private async runOne(check: ReadinessCheck): Promise<CheckOutcome> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const detail = await Promise.race([check.run(), timeout]);
      return { ok: true, ...(detail ? { detail } : {}), ms: Math.round(performance.now() - started) };
    } catch (error) {
      return { ok: false, detail: reasonOf(error), ms: Math.round(performance.now() - started) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A failure as one line for an operator: a PortalOps error's message, else the error's. */
function reasonOf(error: unknown): string {
  if (error instanceof PortalOpsError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** The store answers (`ping` is a round trip to the database; without it, an open store is reachable). */
export function storeReachable(ping?: () => Promise<unknown>): ReadinessCheck {
  return {
    name: 'store',
    run: async () => {
      if (!ping) return 'embedded';
      await ping();
      return undefined;
    },
  };
}

/** Every schema migration in the repository is applied (`pending` names those that are not). */
export function migrationsApplied(pending: () => Promise<string[]>): ReadinessCheck {
  return {
    name: 'migrations',
    run: async () => {
      const missing = await pending();
      if (missing.length > 0) throw new Error(`not applied yet: ${missing.join(', ')}`);
      return undefined;
    },
  };
}

/**
 * A platform token comes silently (from the cache or by renewal, never by asking a person):
 * without one no job can call the platform.
 */
export function platformSignInUsable(tokens: TokenProvider, scope: string): ReadinessCheck {
  return {
    name: 'signIn',
    run: async () => {
      await tokens.getToken(scope);
      return undefined;
    },
  };
}
