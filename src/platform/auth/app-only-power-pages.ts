import { PortalOpsError } from '../../domain/errors.ts';
import type { PowerPagesApi } from '../ports.ts';

/**
 * Microsoft's "Use Power Pages admin APIs" page (learn.microsoft.com/power-pages/admin/admin-api)
 * lists, for getting the token: "Username and password flow is supported. Service Principal flow
 * support is not currently available."
 */
export function appOnlyPowerPagesError(): PortalOpsError {
  return new PortalOpsError(
    'app_only_not_supported',
    'The Power Pages admin API does not accept app-only sign-in: Microsoft documents that service principal (client credentials) support is not available for it. Set PORTALOPS_AUTH_MODE=device_code and run `portalops login` to sign in as a person with a device code.',
  );
}

/**
 * The Power Pages admin API under client credentials: every call fails at once with
 * `app_only_not_supported`, before any request (a token request included) is sent.
 * Dataverse and the environment lookup accept the app's service principal and are unaffected.
 */
export function appOnlyPowerPages(): PowerPagesApi {
  const refuse = async (): Promise<never> => {
    throw appOnlyPowerPagesError();
  };
  // Every method, including ones the port gains later, refuses; `then` stays undefined so the
  // object is not mistaken for a promise.
  return new Proxy({} as PowerPagesApi, {
    get: (_target, property) => (property === 'then' || typeof property === 'symbol' ? undefined : refuse),
  });
}
