/**
 * The modals of the Slack surface: the loading modal opened at the acknowledgement (a trigger
 * lasts 3 seconds, a form's choices may take longer to gather), the provision form it becomes,
 * a notice when the answer was no form, and reading a submission back into card inputs.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { renderSlack, SLACK_LIMITS } from '../../views/slack-renderer.ts';
import type { View } from '../../views/view.ts';

/** Callback id of the provision form modal. */
export const FORM_CALLBACK_ID = 'portalops_form';
/** Callback id of modals that only show something. */
export const NOTICE_CALLBACK_ID = 'portalops_notice';

/** What a form modal carries to its submission (Slack's `private_metadata`). */
export interface FormMetadata {
  channel: string;
  data: Record<string, string>;
  /** The request's `response_url`, so the answer reaches a channel the bot is not in. */
  responseUrl?: string;
}

const plain = (text: string, max: number) => ({
  type: 'plain_text' as const,
  text: text.length <= max ? text : `${text.slice(0, max - 1)}…`,
});

/** Private metadata for a form; `keep` stores what would not fit in 3,000 characters and gives its id. */
export function formMetadata(meta: FormMetadata, keep: (meta: FormMetadata) => string): string {
  const text = JSON.stringify(meta);
  return text.length <= SLACK_LIMITS.privateMetadata ? text : JSON.stringify({ ref: keep(meta) });
}

/**
 * The metadata of a submitted form. Anything that is not ours (another app's modal, an old
 * format) reads as an empty form for no channel rather than failing the submission.
 */
export function readFormMetadata(
  text: string | undefined,
  kept: (ref: string) => FormMetadata | undefined,
): FormMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text || '{}');
  } catch {
    return { channel: '', data: {} };
  }
  const record = (parsed ?? {}) as Partial<FormMetadata> & { ref?: unknown };
  if (typeof record.ref === 'string') return kept(record.ref) ?? { channel: '', data: {} };
  return {
    channel: typeof record.channel === 'string' ? record.channel : '',
    data: record.data && typeof record.data === 'object' ? (record.data as Record<string, string>) : {},
    ...(typeof record.responseUrl === 'string' ? { responseUrl: record.responseUrl } : {}),
  };
}

/** A form view as a modal; the channel and the submit button's data ride in private metadata. */
export function formModal(view: Extract<View, { type: 'form' }>, metadata: string): ModalView {
  const blocks = renderSlack(view)
    .blocks.filter((b) => b.type !== 'actions' && b.type !== 'header')
    .slice(0, SLACK_LIMITS.modalBlocks);
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    title: plain(view.title, SLACK_LIMITS.modalTitle),
    submit: plain(view.submit.label, SLACK_LIMITS.modalTitle),
    close: plain('Cancel', SLACK_LIMITS.modalTitle),
    private_metadata: metadata,
    blocks,
  };
}

/** What opens within the 3 seconds of a trigger, before the form's data is ready. */
export function loadingModal(): ModalView {
  return {
    type: 'modal',
    callback_id: NOTICE_CALLBACK_ID,
    title: plain('PortalOps', SLACK_LIMITS.modalTitle),
    close: plain('Cancel', SLACK_LIMITS.modalTitle),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: ':hourglass_flowing_sand: Getting the form ready…' } },
    ],
  };
}

/**
 * A modal that shows an answer that was no form (a refusal, a question, a job card). `posted`
 * says the answer is also in the channel, where its buttons work.
 */
export function noticeModal(view: View, posted: string | undefined): ModalView {
  const blocks: KnownBlock[] = renderSlack(view).blocks.filter(
    (b) => b.type !== 'actions' && b.type !== 'input',
  );
  if (posted) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: posted }] });
  return {
    type: 'modal',
    callback_id: NOTICE_CALLBACK_ID,
    title: plain('PortalOps', SLACK_LIMITS.modalTitle),
    close: plain('Close', SLACK_LIMITS.modalTitle),
    blocks: blocks.slice(0, SLACK_LIMITS.modalBlocks),
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
