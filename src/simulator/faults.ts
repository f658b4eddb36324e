/**
 * Scriptable faults: HTTP-level (an error answer, a slow answer, a dropped connection) and
 * lifecycle-level (a provisioning, package install or delete that fails).
 */
import type { NextFunction, Request, Response } from 'express';
import type { DataModelMigrationFailure } from './power-pages/data-model-migration.ts';
import type { DeleteFailure, ProvisioningFailure, SimulatorWorld } from './world.ts';

/** Which simulated service a request is for. */
export type SimService = 'powerpages' | 'bap' | 'dataverse' | 'identity' | 'sites';

/** What a matching request gets instead of (or before) its normal answer. */
export type FaultEffect =
  | { status: number; code?: string; message?: string; retryAfterSeconds?: number }
  | { delayMs: number }
  | { drop: true };

/** One HTTP fault rule. */
export interface FaultRule {
  service?: SimService;
  method?: string;
  /** Substring of, or pattern for, the request path. */
  path?: string | RegExp;
  /** How many requests it affects; default 1. `Infinity` until removed. */
  times?: number;
  effect: FaultEffect;
}

/** The service a path belongs to. */
export function serviceOf(path: string): SimService {
  if (path.startsWith('/powerpages/')) return 'powerpages';
  if (path.startsWith('/providers/')) return 'bap';
  if (path.startsWith('/orgs/')) return 'dataverse';
  if (path.startsWith('/sites/')) return 'sites';
  return 'identity';
}

/** The fault controls of one simulator. */
export class Faults {
  private rules: (FaultRule & { remaining: number })[] = [];

  constructor(private readonly world: SimulatorWorld) {}

  /** Adds an HTTP fault rule; returns a function that removes it. */
  add(rule: FaultRule): () => void {
    const entry = { ...rule, remaining: rule.times ?? 1 };
    this.rules.push(entry);
    return () => {
      this.rules = this.rules.filter((r) => r !== entry);
    };
  }

  /** Removes every HTTP rule and every scripted lifecycle failure. */
  clear(): void {
    this.rules = [];
    this.world.provisioningFailures.length = 0;
    this.world.deleteFailures.length = 0;
    this.world.dataModel.failures.length = 0;
  }

  /** The next matching provisioning fails (at provisioning or at package install). */
  failNextProvisioning(failure: ProvisioningFailure): void {
    this.world.provisioningFailures.push(failure);
  }

  /** The next matching delete fails in the given way. */
  failNextDelete(failure: DeleteFailure): void {
    this.world.deleteFailures.push(failure);
  }

  /** The next matching data-model migration fails when it ends (its operation says Failed). */
  failNextDataModelMigration(failure: DataModelMigrationFailure = {}): void {
    this.world.dataModel.failures.push(failure);
  }

  /** Takes the first rule matching the request, counting it down. */
  take(method: string, path: string): FaultEffect | undefined {
    const service = serviceOf(path);
    const rule = this.rules.find(
      (r) =>
        r.remaining > 0 &&
        (!r.service || r.service === service) &&
        (!r.method || r.method.toUpperCase() === method.toUpperCase()) &&
        (!r.path || (typeof r.path === 'string' ? path.includes(r.path) : r.path.test(path))),
    );
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.effect;
  }

  /** Express middleware applying HTTP faults before the routes. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const effect = this.take(req.method, req.path);
      if (!effect) return next();
      if ('drop' in effect) {
        req.socket.destroy();
        return;
      }
      if ('delayMs' in effect) {
        setTimeout(next, effect.delayMs);
        return;
      }
      if (effect.retryAfterSeconds !== undefined)
        res.setHeader('Retry-After', String(effect.retryAfterSeconds));
      res.status(effect.status).json({
        error: {
          code: effect.code ?? defaultCode(effect.status),
          message: effect.message ?? defaultMessage(effect.status),
        },
      });
    };
  }
}

function defaultCode(status: number): string {
  if (status === 429) return 'TooManyRequests';
  if (status === 503) return 'ServiceUnavailable';
  if (status === 403) return 'Forbidden';
  return status >= 500 ? 'InternalServerError' : 'BadRequest';
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Rate limit is exceeded. Try again later.';
  if (status === 503) return 'The service is temporarily unavailable.';
  return `Simulated failure (${status}).`;
}
