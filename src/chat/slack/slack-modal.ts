/**
 * The provision form as a Slack modal, and reading a modal submission back into card inputs.
 */
import type { ModalView } from '@slack/types';
import { renderSlack } from '../../views/slack-renderer.ts';
import type { View } from '../../views/view.ts';

/** Callback id of the provision form modal. */
export const FORM_CALLBACK_ID = 'portalops_form';

/** A form view as a modal; the channel and the submit button's data ride in private metadata. */
export function formModal(view: Extract<View, { type: 'form' }>, channel: string): ModalView {
  const blocks = renderSlack(view).blocks.filter((b) => b.type !== 'actions' && b.type !== 'header');
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    title: { type: 'plain_text', text: view.title.slice(0, 24) },
    submit: { type: 'plain_text', text: view.submit.label.slice(0, 24) },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify({ channel, data: view.submit.data }),
    blocks,
  };
}

/** Input values from Slack's `state.values` (block id → action id → value). */
export function inputValues(state: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  const blocks =
    (state as { values?: Record<string, Record<string, Record<string, unknown>>> } | undefined)?.values ?? {};
  for (const [blockId, actions] of Object.entries(blocks)) {
    for (const element of Object.values(actions)) {
      const selected = (element.selected_option as { value?: string } | undefined)?.value;
      const value = (element.value as string | undefined) ?? selected;
      if (typeof value === 'string' && value !== '') values[blockId] = value;
    }
  }
  return values;
}
