/**
 * Polls `check` (sync or async) until it returns a truthy value or the time runs out. The default
 * wait is long (15 s, under the 20 s test timeout): a loaded machine is slow, not wrong; it costs
 * time only when the state never comes.
 */
export async function waitUntil<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
