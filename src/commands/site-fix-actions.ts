/**
 * Site-level fix buttons (on status cards, failed job cards and alerts): restart provisioning
 * and retry the package install. Each does exactly what typing the command does. Registered by
 * those commands.
 */
import type { IntentKind } from '../intents/intent.ts';
import type { ActionVerb } from '../views/view.ts';
import { confirmationInPlace, fixOutcome, siteOfClick } from './alert-fix.ts';
import { type CardAction, defineCardAction } from './card-action.ts';

function siteFix(
  verb: ActionVerb,
  kind: Extract<IntentKind, 'restart-provisioning' | 'retry-package-install'>,
  what: string,
): CardAction {
  return defineCardAction({
    verbs: [verb],
    async handle(click) {
      const where = siteOfClick(click);
      const replies = await click.run({ kind, ...where.site });
      const asked = await confirmationInPlace(click, replies, where.alertId);
      if (asked) return asked;
      return fixOutcome(click, what, replies, where.alertId ? { alertId: where.alertId } : {});
    },
  });
}

/** "Restart provisioning" on a site whose provisioning failed. */
export const restartProvisioningAction = siteFix(
  'site.restart-provisioning',
  'restart-provisioning',
  'Restarted provisioning',
);

/** "Retry the package install" on a site whose package install failed. */
export const retryInstallAction = siteFix(
  'site.retry-install',
  'retry-package-install',
  'Retried the package install',
);
