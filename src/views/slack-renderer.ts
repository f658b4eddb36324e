/**
 * Views as Slack Block Kit, typed with `@slack/types` and kept inside Slack's limits. Labels and
 * single texts are shortened with an ellipsis; lists are never cut: long lists come here a page at
 * a time (see view-pages.ts), long joined texts are spread over several sections, more than 100
 * choices go into option groups, and a button value is never truncated (the Slack surface keeps
 * oversized button data server side and sends a short reference instead).
 */
import type {
  ActionsBlock,
  InputBlock,
  KnownBlock,
  PlainTextOption,
  Button as SlackButton,
} from '@slack/types';
import { escapeSlack as escapeText, slackLink } from './escape.ts';
import type { Button, Input, JobSummary, PageInfo, View } from './view.ts';
import { pageSummary } from './view-pages.ts';

/** A Slack message: fallback text plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/**
 * Slack's limits. Blocks per message and per modal: docs.slack.dev/reference/block-kit/blocks
 * ("up to 50 blocks in each message, and 100 blocks in modals"); the field limits are those in
 * the JSDoc of `@slack/types` 3.2 (block-elements.d.ts, blocks.d.ts, composition-objects.d.ts,
 * views.d.ts): button text 75, button value 2,000, action_id and block_id 255, section text 3,000,
 * header text 150, option text 75 and value 75 (the web docs now say 150; the stricter holds),
 * 100 options or 100 option groups of 100 per select, 25 elements per actions block, 10 per
 * context block, placeholder 150, input label 2,000, modal title/submit/close 24, private
 * metadata 3,000.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  modalBlocks: 100,
  text: 3_000,
  buttonText: 75,
  header: 150,
  value: 2_000,
  actionId: 255,
  blockId: 255,
  optionText: 75,
  optionValue: 75,
  options: 100,
  optionGroups: 100,
  actionsElements: 25,
  contextElements: 10,
  placeholder: 150,
  label: 2_000,
  modalTitle: 24,
  privateMetadata: 3_000,
};

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const header = (text: string): KnownBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: clip(text, SLACK_LIMITS.header), emoji: true },
});
const section = (markdown: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(markdown, SLACK_LIMITS.text) },
});
const context = (markdown: string): KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: clip(markdown, SLACK_LIMITS.text) }],
});

/**
 * Sections holding `lines`, as few as fit: a section takes 3,000 characters, so a long joined
 * list goes on in the next section instead of being cut. Only a single line longer than a whole
 * section is shortened.
 */
function sections(lines: string[], separator = '\n'): KnownBlock[] {
  const out: KnownBlock[] = [];
  let current = '';
  for (const line of lines) {
    const next = current ? `${current}${separator}${line}` : line;
    if (next.length <= SLACK_LIMITS.text) {
      current = next;
      continue;
    }
    if (current) out.push(section(current));
    current = line;
  }
  if (current) out.push(section(current));
  return out;
}

/** The value a button sends back: its verb and data as JSON. */
export function buttonValue(b: Pick<Button, 'verb' | 'data'>): string {
  return JSON.stringify({ verb: b.verb, ...b.data });
}

/** Whether a button's value fits Slack's value field as it is. */
export function buttonValueFits(b: Pick<Button, 'verb' | 'data'>): boolean {
  return buttonValue(b).length <= SLACK_LIMITS.value;
}

function buttons(list: Button[]): ActionsBlock[] {
  const blocks: ActionsBlock[] = [];
  for (let start = 0; start < list.length; start += SLACK_LIMITS.actionsElements) {
    const elements: SlackButton[] = list.slice(start, start + SLACK_LIMITS.actionsElements).map((b, j) => {
      const value = buttonValue(b);
      // A cut JSON value would come back unreadable: the surface must have made it short.
      if (value.length > SLACK_LIMITS.value)
        throw new Error(
          `The value of button "${b.label}" is ${value.length} characters; Slack takes ${SLACK_LIMITS.value}.`,
        );
      return {
        type: 'button',
        text: { type: 'plain_text', text: clip(b.label, SLACK_LIMITS.buttonText) },
        action_id: `${b.verb}:${start + j}`,
        value,
        ...(b.style === 'positive'
          ? { style: 'primary' as const }
          : b.style === 'destructive'
            ? { style: 'danger' as const }
            : {}),
      };
    });
    blocks.push({ type: 'actions', elements });
  }
  return blocks;
}

/** Where a page sits in its list, and the buttons to the other pages. */
function pageBlocks(page: PageInfo | undefined, noun: string): KnownBlock[] {
  const summary = pageSummary(page, noun);
  return page && summary ? [context(summary), ...buttons(page.buttons)] : [];
}

function input(i: Input): InputBlock {
  const label = { type: 'plain_text' as const, text: clip(i.label, SLACK_LIMITS.label) };
  if (i.choices) {
    const options: PlainTextOption[] = i.choices.map((c) => ({
      text: { type: 'plain_text' as const, text: clip(c.title, SLACK_LIMITS.optionText) },
      value: c.value,
    }));
    const initial = options.find((o) => o.value === i.value);
    // More than 100 choices go into groups of 100 (a select takes 100 groups of 100), not cut.
    const grouped =
      options.length > SLACK_LIMITS.options
        ? {
            option_groups: Array.from(
              {
                length: Math.min(SLACK_LIMITS.optionGroups, Math.ceil(options.length / SLACK_LIMITS.options)),
              },
              (_, g) => ({
                label: {
                  type: 'plain_text' as const,
                  text: `${g * SLACK_LIMITS.options + 1}–${Math.min(options.length, (g + 1) * SLACK_LIMITS.options)}`,
                },
                options: options.slice(g * SLACK_LIMITS.options, (g + 1) * SLACK_LIMITS.options),
              }),
            ),
          }
        : { options };
    return {
      type: 'input',
      block_id: i.id,
      label,
      optional: !i.required,
      element: {
        type: 'static_select',
        action_id: i.id,
        ...grouped,
        ...(initial ? { initial_option: initial } : {}),
      },
    };
  }
  return {
    type: 'input',
    block_id: i.id,
    label,
    optional: !i.required,
    element: {
      type: 'plain_text_input',
      action_id: i.id,
      ...(i.value ? { initial_value: i.value } : {}),
      ...(i.placeholder
        ? { placeholder: { type: 'plain_text', text: clip(i.placeholder, SLACK_LIMITS.placeholder) } }
        : {}),
    },
  };
}

function job(j: JobSummary): string {
  return `*${escapeText(j.title)}* (${escapeText(j.id)}) — ${escapeText(j.state.replace('_', ' '))}, ${j.percent}%${j.step ? ` · ${escapeText(j.step)}` : ''}${j.detail ? ` (${escapeText(j.detail)})` : ''}`;
}

/** Renders a view as a Slack message. */
export function renderSlack(view: View): SlackMessage {
  let text: string;
  let blocks: KnownBlock[];
  switch (view.type) {
    case 'message':
      text = view.text;
      blocks = [
        section(
          `${view.tone === 'error' ? ':x: ' : view.tone === 'warning' ? ':warning: ' : ''}${escapeText(view.text)}`,
        ),
      ];
      if (view.suggestions?.length)
        blocks.push(context(`Try: ${view.suggestions.map(escapeText).join(' · ')}`));
      break;
    case 'help':
      text = view.title;
      // One section per task keeps help far below Slack's 50 blocks.
      blocks = [
        header(view.title),
        section(escapeText(view.intro)),
        ...view.groups.map((g) =>
          section(
            [
              `*${escapeText(g.title)}*`,
              ...g.commands.map(
                (c) =>
                  `• *${escapeText(c.title)}* — ${escapeText(c.summary)}\n   _${c.examples.map(escapeText).join('  ·  ')}_`,
              ),
            ].join('\n'),
          ),
        ),
        ...(view.notes.length ? [context(view.notes.map(escapeText).join(' '))] : []),
        ...buttons(view.buttons),
      ];
      break;
    case 'site-list':
      text = `Sites in ${view.environment}`;
      blocks = [
        header(text),
        ...(view.sites.length === 0 ? [section('No sites yet.')] : []),
        ...view.sites.map((s) =>
          section(
            `*${escapeText(s.name)}* (${escapeText(s.subdomain)}) — ${escapeText(s.status)}, ${escapeText(s.type)}${s.note ? `, ${escapeText(s.note)}` : ''}\n${slackLink(s.url)}`,
          ),
        ),
        ...pageBlocks(view.page, 'sites'),
      ];
      break;
    case 'site-status':
      text = view.title;
      blocks = [
        header(view.title),
        ...sections(view.facts.map((f) => `*${escapeText(f.label)}:* ${escapeText(f.value)}`)),
        ...buttons(view.buttons),
      ];
      break;
    case 'form':
      text = view.title;
      blocks = [
        header(view.title),
        section(escapeText(view.intro)),
        ...(view.errors?.length ? [section(`:x: ${view.errors.map(escapeText).join(' ')}`)] : []),
        ...view.inputs.map(input),
        ...buttons([view.submit]),
      ];
      break;
    case 'confirmation':
      text = view.title;
      blocks = [
        header(view.title),
        ...sections(view.plan.map((p) => `• ${escapeText(p)}`)),
        context(escapeText(view.note)),
        input(view.confirmInput),
        ...buttons([view.confirm, view.cancel]),
      ];
      break;
    case 'approval-request':
      text = `${view.title} — ${view.status}`;
      blocks = [
        header(view.title),
        context(`Requested by ${escapeText(view.requester)} · expires ${escapeText(view.expiresAt)}`),
        ...sections([`*${escapeText(view.status)}*`, ...view.plan.map((p) => `• ${escapeText(p)}`)]),
        ...buttons(view.buttons),
      ];
      break;
    case 'job-progress':
      text = `${view.job.title}: ${view.job.percent}%`;
      blocks = [section(job(view.job)), ...buttons(view.buttons)];
      break;
    case 'job-result':
      text = `${view.job.title}: done`;
      blocks = [
        section(`:white_check_mark: ${job(view.job)}`),
        ...(view.result.length
          ? sections(view.result.map((r) => `*${escapeText(r.label)}:* ${escapeText(r.value)}`))
          : []),
      ];
      break;
    case 'failure':
      text = view.title;
      blocks = [
        section(`:x: *${escapeText(view.title)}*\n${escapeText(view.explanation)}`),
        ...(view.job ? [context(job(view.job))] : []),
        ...sections(
          (view.problems ?? []).map(
            (p) => `*${escapeText(p.field)}*: ${escapeText(p.message)}\n→ ${escapeText(p.fix)}`,
          ),
          '\n\n',
        ),
        ...sections(view.steps.map((s) => `→ ${escapeText(s)}`)),
        ...buttons(view.buttons),
      ];
      break;
    case 'alert': {
      const icon =
        view.tone === 'resolved'
          ? ':white_check_mark:'
          : view.tone === 'error'
            ? ':rotating_light:'
            : ':warning:';
      text = view.title;
      blocks = [
        section(`${icon} *${escapeText(view.title)}*\n${escapeText(view.explanation)}`),
        context(escapeText(view.status)),
        ...sections(view.facts.map((f) => `*${escapeText(f.label)}*: ${escapeText(f.value)}`)),
        ...(view.job ? [context(job(view.job))] : []),
        ...sections(view.steps.map((s) => `→ ${escapeText(s)}`)),
        ...buttons(view.buttons),
      ];
      break;
    }
    case 'migration-plan':
      text = view.title;
      blocks = [
        header(view.title),
        context(`${escapeText(view.source)} → ${escapeText(view.target)}`),
        ...(view.tables.length
          ? sections(
              view.tables.map(
                (t) =>
                  `*${escapeText(t.table)}*: ${t.creates} new, ${t.updates} changed, ${t.deletes} removed`,
              ),
            )
          : [section('Nothing to change.')]),
        ...pageBlocks(view.page, 'tables'),
        ...sections(view.warnings.map((w) => `:warning: ${escapeText(w)}`)),
        ...buttons(view.buttons),
      ];
      break;
    case 'templates':
      text = 'Portal templates';
      blocks = [
        header(text),
        ...view.templates.map((t) =>
          section(
            `*${escapeText(t.name)}* (${escapeText(t.audiences)})${t.requires ? ` — needs ${escapeText(t.requires)}` : ''}${t.features ? `\n${escapeText(t.features)}` : ''}${t.note ? `\n_${escapeText(t.note)}_` : ''}`,
          ),
        ),
        ...pageBlocks(view.page, 'templates'),
      ];
      break;
    case 'job-list':
      text = 'Jobs';
      blocks = [
        header(text),
        ...(view.jobs.length === 0 ? [section('No jobs yet.')] : view.jobs.map((j) => section(job(j)))),
        ...pageBlocks(view.page, 'jobs'),
      ];
      break;
  }
  // The fallback is what notifications show, and Slack parses it as mrkdwn too.
  return { text: clip(escapeText(text), SLACK_LIMITS.text), blocks };
}
