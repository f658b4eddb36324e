/**
 * Views as plain text for the terminal: buttons become numbered choices.
 */
import { terminalSafe } from './escape.ts';
import type { Button, JobSummary, PageInfo, View } from './view.ts';
import { pageSummary } from './view-pages.ts';

/** Rendered text and the buttons, in the order they are numbered. */
export interface TextRendering {
  text: string;
  buttons: Button[];
}

function bar(percent: number): string {
  const filled = Math.round(percent / 5);
  return `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${percent}%`;
}

function job(j: JobSummary): string {
  const step = j.step ? ` — ${j.step}${j.detail ? ` (${j.detail})` : ''}` : '';
  return `${j.id} ${j.title}: ${j.state.replace('_', ' ')} ${bar(j.percent)}${step}`;
}

/** "Showing sites 21–40 of 200." for one page of a longer list. */
function pageLine(page: PageInfo | undefined, noun: string): string[] {
  const summary = pageSummary(page, noun);
  return summary ? [`  ${summary}`] : [];
}

/** The view with control characters out of every text it shows (button data is sent back as it is). */
function printable<T>(node: T): T {
  if (typeof node === 'string') return terminalSafe(node) as T;
  if (Array.isArray(node)) return node.map(printable) as T;
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === 'data' || key === 'verb' ? value : printable(value),
    ]),
  ) as T;
}

/** Renders a view. */
export function renderText(shown: View): TextRendering {
  const view = printable(shown);
  const lines: string[] = [];
  let buttons: Button[] = [];
  switch (view.type) {
    case 'message':
      lines.push(
        `${view.tone === 'error' ? '✖ ' : view.tone === 'warning' ? '! ' : ''}${view.title ? `${view.title}: ` : ''}${view.text}`,
      );
      if (view.suggestions?.length) lines.push(`  Try: ${view.suggestions.join(' · ')}`);
      break;
    case 'help':
      lines.push(`${view.title}:`, `  ${view.intro}`);
      for (const g of view.groups) {
        lines.push(`  ${g.title}`);
        for (const c of g.commands)
          lines.push(`    ${c.title} — ${c.summary}\n        e.g. ${c.examples.join(' | ')}`);
      }
      for (const n of view.notes) lines.push(`  ! ${n}`);
      buttons = view.buttons;
      break;
    case 'site-list':
      lines.push(`Sites in ${view.environment}:`);
      if (view.sites.length === 0) lines.push('  (none)');
      for (const s of view.sites)
        lines.push(
          `  ${s.name} (${s.subdomain}) — ${s.status}, ${s.type}${s.note ? `, ${s.note}` : ''}  ${s.url}`,
        );
      lines.push(...pageLine(view.page, 'sites'));
      buttons = view.page?.buttons ?? [];
      break;
    case 'site-status':
      lines.push(view.title, ...view.facts.map((f) => `  ${f.label}: ${f.value}`));
      buttons = view.buttons;
      break;
    case 'form':
      lines.push(view.title, view.intro, ...(view.errors ?? []).map((e) => `  ✖ ${e}`));
      for (const input of view.inputs) {
        const choices = input.choices ? ` (${input.choices.map((c) => c.value).join(', ')})` : '';
        lines.push(
          `  ${input.label}${input.required ? '*' : ''}: ${input.value ?? ''}${choices}${input.error ? `  ✖ ${input.error}` : ''}`,
        );
      }
      buttons = [view.submit];
      break;
    case 'confirmation':
      lines.push(view.title, ...view.plan.map((p) => `  • ${p}`), view.note);
      buttons = [view.confirm, view.cancel];
      break;
    case 'approval-request':
      lines.push(
        `${view.title} — ${view.status}`,
        `  requested by ${view.requester}, expires ${view.expiresAt}`,
        ...view.plan.map((p) => `  • ${p}`),
      );
      buttons = view.buttons;
      break;
    case 'job-progress':
      lines.push(job(view.job));
      buttons = view.buttons;
      break;
    case 'job-result':
      lines.push(`✔ ${job(view.job)}`, ...view.result.map((r) => `  ${r.label}: ${r.value}`));
      break;
    case 'failure':
      lines.push(`✖ ${view.title}`, `  ${view.explanation}`);
      if (view.job) lines.push(`  ${job(view.job)}`);
      for (const p of view.problems ?? []) lines.push(`  • ${p.field}: ${p.message}\n    → ${p.fix}`);
      for (const s of view.steps) lines.push(`  → ${s}`);
      buttons = view.buttons;
      break;
    case 'alert':
      lines.push(
        `${view.tone === 'resolved' ? '✔' : view.tone === 'error' ? '✖' : '!'} ${view.title}`,
        `  ${view.status}`,
        `  ${view.explanation}`,
      );
      for (const f of view.facts) lines.push(`  ${f.label}: ${f.value}`);
      if (view.job) lines.push(`  ${job(view.job)}`);
      for (const s of view.steps) lines.push(`  → ${s}`);
      buttons = view.buttons;
      break;
    case 'migration-plan':
      lines.push(`${view.title} (${view.source} → ${view.target})`);
      for (const t of view.tables) lines.push(`  ${t.table}: +${t.creates} ~${t.updates} -${t.deletes}`);
      lines.push(...pageLine(view.page, 'tables'));
      for (const w of view.warnings) lines.push(`  ! ${w}`);
      buttons = [...view.buttons, ...(view.page?.buttons ?? [])];
      break;
    case 'templates':
      for (const t of view.templates)
        lines.push(
          `${t.name} (${t.audiences})${t.requires ? `, needs ${t.requires}` : ''}${t.features ? `\n  ${t.features}` : ''}${t.note ? `\n  ${t.note}` : ''}`,
        );
      lines.push(...pageLine(view.page, 'templates'));
      buttons = view.page?.buttons ?? [];
      break;
    case 'job-list':
      lines.push(view.jobs.length === 0 ? 'No jobs yet.' : 'Jobs:', ...view.jobs.map((j) => `  ${job(j)}`));
      lines.push(...pageLine(view.page, 'jobs'));
      buttons = view.page?.buttons ?? [];
      break;
  }
  if (buttons.length > 0) lines.push(buttons.map((b, i) => `[${i + 1}] ${b.label}`).join('   '));
  return { text: lines.join('\n'), buttons };
}
