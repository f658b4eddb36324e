import { isPortalOpsError } from '../../domain/errors.ts';
import type { Store } from '../../storage/store.ts';

/**
 * Runs `work` for an inbound event not handled before, and `repeat` for a redelivery or a
 * double click. The event counts as handled once `work` finished, not before: when the store
 * could not save its effect (a full disk), the event is given up, so the platform's redelivery
 * (or the person's second try) is taken instead of being ignored. Any other failure still
 * counts as handled, since the effect may already have happened and must not happen twice.
 */
export async function handleOnce<T>(
  store: Store,
  eventId: string,
  ttlMs: number | undefined,
  work: () => Promise<T>,
  repeat: () => T | Promise<T>,
): Promise<T> {
  const claim = await store.claimEvent(eventId, ttlMs);
  if (!claim) return repeat();
  let result: T;
  try {
    result = await work();
  } catch (error) {
    if (isPortalOpsError(error) && error.code === 'store_write_failed') claim.release();
    else await claim.done().catch(() => claim.release());
    throw error;
  }
  await claim.done();
  return result;
}
