/**
 * Tells whoever is interested (the `/metrics` endpoint) about every attempt of a platform HTTP
 * call: which service, its method, the status (or the transport error) and how long it took.
 * Listeners run synchronously on the response path, so they must stay cheap (a counter bump).
 */

/** One attempt of a platform call (each retry is an attempt of its own). */
export interface PlatformCall {
  /** `power-platform`, `bap` or `dataverse`. */
  service: string;
  /** Upper-case HTTP method. */
  method: string;
  /** The HTTP status, or 0 when no answer came (timeout, connection refused). */
  status: number;
  durationMs: number;
}

/** A listener of {@link PlatformCall}s. */
export type PlatformCallListener = (call: PlatformCall) => void;

const listeners = new Set<PlatformCallListener>();

/**
 * Adds a listener of every platform call made in this process; returns the function that removes
 * it. Process-wide because every client builds its own HTTP client from the same options.
 */
export function onPlatformCall(listener: PlatformCallListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether anyone listens (lets the HTTP client skip the timing when nobody does). */
export function platformCallsObserved(): boolean {
  return listeners.size > 0;
}

/** Reports one attempt to every listener; a failing listener never fails the call. */
export function reportPlatformCall(call: PlatformCall): void {
  for (const listener of listeners) {
    try {
      listener(call);
    } catch {
      // Metrics never break platform calls.
    }
  }
}

/**
 * The service a token scope belongs to, as a metric label with few values.
 * @example serviceOfScope('https://api.powerplatform.com/.default') // 'power-platform'
 */
export function serviceOfScope(scope: string): string {
  if (scope.includes('api.powerplatform.com')) return 'power-platform';
  if (scope.includes('service.powerapps.com') || scope.includes('api.bap.microsoft.com')) return 'bap';
  return 'dataverse';
}
