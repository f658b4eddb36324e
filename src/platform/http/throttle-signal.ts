/**
 * Tells whoever is interested that the platform throttled a request (429 with Retry-After),
 * so bulk work can slow down while the HTTP client waits out the request itself.
 */

/** A listener gets the wait the platform asked for. */
export type ThrottleListener = (retryAfterMs: number | undefined) => void;

/** A small fan-out of throttling events. */
export class ThrottleSignal {
  private readonly listeners = new Set<ThrottleListener>();

  /** Adds a listener; returns the function that removes it. */
  on(listener: ThrottleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(retryAfterMs: number | undefined): void {
    for (const listener of this.listeners) listener(retryAfterMs);
  }
}
