import type { PortalOpsError } from '../../src/domain/errors.ts';

/** The error a promise rejects with; fails the test when it resolves instead. */
export async function failureOf(promise: Promise<unknown>): Promise<PortalOpsError> {
  try {
    await promise;
  } catch (error) {
    return error as PortalOpsError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
