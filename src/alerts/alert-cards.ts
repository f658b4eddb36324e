/**
 * One card per failure: which alerts are about the same failure (so a later one takes over the
 * earlier one's cards instead of posting another), and what a card a later one took over from
 * shows when it cannot be reused (its final state, without buttons). Pure.
 */
import type { AlertRecord } from '../domain/alert.ts';
import type { View } from '../views/view.ts';

/** Conditions that are a site's (or its job's) failure: one card shows them, whichever came first. */
const FAILURES: ReadonlySet<AlertRecord['condition']> = new Set([
  'provisioning_failed',
  'package_install_failed',
  'job_failed',
]);

/** Whether an alert is open in any way (not resolved). */
export function isUnresolved(alert: AlertRecord): boolean {
  return alert.state !== 'resolved';
}

/**
 * Whether `earlier` is about the same failure as `later`: a job's earlier attempt, or a failure of
 * the same site (a failed job on the site, the site's failed provisioning or package install).
 */
export function sameFailure(earlier: AlertRecord, later: AlertRecord): boolean {
  if (earlier.id === later.id || !isUnresolved(earlier)) return false;
  if (earlier.key === later.key) return true;
  if (!FAILURES.has(earlier.condition) || !FAILURES.has(later.condition)) return false;
  return (
    Boolean(earlier.subdomain && later.subdomain) &&
    earlier.environment === later.environment &&
    earlier.subdomain!.toLowerCase() === later.subdomain!.toLowerCase()
  );
}

/** A card another card now shows in its place: its last state, pointing on, with no buttons. */
export function supersededView(view: View): View {
  if (view.type !== 'alert') return view;
  return { ...view, status: `${view.status} · continued in a newer card`, buttons: [] };
}

/** Whether two messages are the same card. */
export function sameCard(
  a: { surface: string; conversationId: string; messageId: string },
  b: { surface: string; conversationId: string; messageId: string },
): boolean {
  return a.surface === b.surface && a.conversationId === b.conversationId && a.messageId === b.messageId;
}
