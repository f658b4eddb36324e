/**
 * Views as Slack Block Kit, typed with `@slack/types` and kept inside Slack's limits (50 blocks
 * per message, 3,000 characters per text, 75 per button label).
 */
import type { ActionsBlock, InputBlock, KnownBlock, Button as SlackButton } from '@slack/types';
import type { Button, Input, JobSummary, View } from './view.ts';

/** A Slack message: fallback text plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's limits the renderer respects. */
export const SLACK_LIMITS = { blocks: 50, text: 3_000, buttonText: 75, header: 150, value: 2_000 };

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

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

function buttons(list: Button[]): ActionsBlock[] {
  if (list.length === 0) return [];
  const elements: SlackButton[] = list.slice(0, 25).map((b, i) => ({
    type: 'button',
    text: { type: 'plain_text', text: clip(b.label, SLACK_LIMITS.buttonText) },
    action_id: `${b.verb}:${i}`,
    value: clip(JSON.stringify({ verb: b.verb, ...b.data }), SLACK_LIMITS.value),
    ...(b.style === 'positive'
      ? { style: 'primary' as const }
      : b.style === 'destructive'
        ? { style: 'danger' as const }
        : {}),
  }));
  return [{ type: 'actions', elements }];
}

function input(i: Input): InputBlock {
  const label = { type: 'plain_text' as const, text: clip(i.label, 2_000) };
  if (i.choices) {
    const options = i.choices
      .slice(0, 100)
      .map((c) => ({ text: { type: 'plain_text' as const, text: clip(c.title, 75) }, value: c.value }));
    const initial = options.find((o) => o.value === i.value);
    return {
      type: 'input',
      block_id: i.id,
      label,
      optional: !i.required,
      element: {
        type: 'static_select',
        action_id: i.id,
        options,
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
      ...(i.placeholder ? { placeholder: { type: 'plain_text', text: clip(i.placeholder, 150) } } : {}),
    },
  };
}

function job(j: JobSummary): string {
  return `*${escapeText(j.title)}* (${j.id}) — ${j.state.replace('_', ' ')}, ${j.percent}%${j.step ? ` · ${escapeText(j.step)}` : ''}${j.detail ? ` (${escapeText(j.detail)})` : ''}`;
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
      text = 'What I can do';
      blocks = [
        header(text),
        ...view.commands.map((c) =>
          section(
            `*${escapeText(c.title)}* — ${escapeText(c.summary)}\n_${c.examples.map(escapeText).join('  ·  ')}_`,
          ),
        ),
      ];
      break;
    case 'site-list':
      text = `Sites in ${view.environment}`;
      blocks = [
        header(text),
        ...(view.sites.length === 0 ? [section('No sites yet.')] : []),
        ...view.sites.map((s) =>
          section(
            `*${escapeText(s.name)}* (${escapeText(s.subdomain)}) — ${escapeText(s.status)}, ${escapeText(s.type)}${s.note ? `, ${escapeText(s.note)}` : ''}\n<${s.url}>`,
          ),
        ),
      ];
      break;
    case 'site-status':
      text = view.title;
      blocks = [
        header(view.title),
        section(view.facts.map((f) => `*${escapeText(f.label)}:* ${escapeText(f.value)}`).join('\n')),
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
        section(view.plan.map((p) => `• ${escapeText(p)}`).join('\n')),
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
        section(`*${escapeText(view.status)}*\n${view.plan.map((p) => `• ${escapeText(p)}`).join('\n')}`),
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
          ? [section(view.result.map((r) => `*${escapeText(r.label)}:* ${escapeText(r.value)}`).join('\n'))]
          : []),
      ];
      break;
    case 'failure':
      text = view.title;
      blocks = [
        section(`:x: *${escapeText(view.title)}*\n${escapeText(view.explanation)}`),
        ...(view.job ? [context(job(view.job))] : []),
        ...(view.problems ?? [])
          .slice(0, 20)
          .map((p) => section(`*${escapeText(p.field)}*: ${escapeText(p.message)}\n→ ${escapeText(p.fix)}`)),
        ...(view.steps.length ? [section(view.steps.map((s) => `→ ${escapeText(s)}`).join('\n'))] : []),
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
        ...(view.facts.length
          ? [section(view.facts.map((f) => `*${escapeText(f.label)}*: ${escapeText(f.value)}`).join('\n'))]
          : []),
        ...(view.job ? [context(job(view.job))] : []),
        ...(view.steps.length ? [section(view.steps.map((s) => `→ ${escapeText(s)}`).join('\n'))] : []),
        ...buttons(view.buttons),
      ];
      break;
    }
    case 'migration-plan':
      text = view.title;
      blocks = [
        header(view.title),
        context(`${escapeText(view.source)} → ${escapeText(view.target)}`),
        section(
          view.tables
            .map(
              (t) => `*${escapeText(t.table)}*: ${t.creates} new, ${t.updates} changed, ${t.deletes} removed`,
            )
            .join('\n') || 'Nothing to change.',
        ),
        ...(view.warnings.length
          ? [section(view.warnings.map((w) => `:warning: ${escapeText(w)}`).join('\n'))]
          : []),
        ...buttons(view.buttons),
      ];
      break;
    case 'templates':
      text = 'Portal templates';
      blocks = [
        header(text),
        ...view.templates.map((t) =>
          section(
            `*${escapeText(t.name)}* (${escapeText(t.audiences)})${t.requires ? ` — needs ${escapeText(t.requires)}` : ''}\n${escapeText(t.features)}`,
          ),
        ),
      ];
      break;
    case 'job-list':
      text = 'Jobs';
      blocks = [
        header(text),
        ...(view.jobs.length === 0 ? [section('No jobs yet.')] : view.jobs.map((j) => section(job(j)))),
      ];
      break;
  }
  if (blocks.length > SLACK_LIMITS.blocks) {
    blocks = [
      ...blocks.slice(0, SLACK_LIMITS.blocks - 1),
      context(`…and ${blocks.length - SLACK_LIMITS.blocks + 1} more.`),
    ];
  }
  return { text: clip(text, SLACK_LIMITS.text), blocks };
}
