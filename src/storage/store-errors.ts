/** Refusals both stores give in the same words. */
import { PortalOpsError } from '../domain/errors.ts';
import type { CollectionName } from './store.ts';

/** The refusal of `Collection.insert` for an id in use (details `{ collection, id }`). */
export function idTaken(collection: CollectionName, id: string): PortalOpsError {
  return new PortalOpsError('conflict', `There is already a record ${id} in ${collection}.`, {
    details: { collection, id },
  });
}
