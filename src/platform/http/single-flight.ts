/**
 * Joins identical reads while one is in flight: callers asking for the same key share the
 * answer of the request already on its way instead of sending another. A write calls
 * {@link SingleFlight.forget} so that reads asked for after it never join a read sent before it.
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>();

  /** The in-flight answer for `key`, or a new one from `read`. */
  run(key: string, read: () => Promise<T>): Promise<T> {
    const pending = this.flights.get(key);
    if (pending) return pending;
    const flight = read().finally(() => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    });
    this.flights.set(key, flight);
    return flight;
  }

  /** Later reads of `key` start a request of their own. */
  forget(key: string): void {
    this.flights.delete(key);
  }
}
