/**
 * Whether a message will be answered with a form: a provision that lacks values, or a
 * change-and-restart without changes (the rule of those commands, see src/commands/provision.ts
 * and change-and-restart.ts). Pure and cheap, so a surface can ask while acknowledging, e.g. to
 * open a modal before its trigger expires; a wrong guess only costs a modal that shows the
 * answer instead of a form, or a form posted as a message.
 */
import type { Reading } from './intent-memo.ts';

/** The rule for a message as the parser read it. */
export function formExpectedFor(intent: Reading): boolean {
  if (intent.kind === 'provision')
    return !intent.environment || !intent.name || !intent.subdomain || !intent.templateId;
  if (intent.kind === 'change-and-restart')
    return Boolean(intent.site && intent.environment && Object.keys(intent.changes).length === 0);
  return false;
}
