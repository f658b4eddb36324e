/**
 * Views as Adaptive Cards 1.5: each view type has a template in `cards/<type>.json`, expanded
 * with `adaptivecards-templating` from data prepared here (defaults filled, so no binding is
 * left unresolved).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cardLink, neutraliseCardMarkdown } from './escape.ts';
import type { Button, JobSummary, PageInfo, View, ViewType } from './view.ts';
import { pageSummary } from './view-pages.ts';

/** Folder of the card templates. */
export const CARDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cards');

/** The part of `adaptivecards-templating` used here (its own typings pull in the SDK's sources). */
interface Template {
  expand(context: { $root: unknown }): unknown;
}
const { Template: TemplateClass } = createRequire(import.meta.url)('adaptivecards-templating') as {
  Template: new (payload: unknown) => Template;
};

const templates = new Map<ViewType, Template>();

function template(type: ViewType): Template {
  let t = templates.get(type);
  if (!t) {
    t = new TemplateClass(JSON.parse(readFileSync(path.join(CARDS_DIR, `${type}.json`), 'utf8')));
    templates.set(type, t);
  }
  return t;
}

/** An Adaptive Card as JSON. */
export type AdaptiveCardJson = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

const button = (b: Button) => ({ label: b.label, verb: b.verb, data: b.data, style: b.style ?? 'default' });

/** "Showing sites 21–40 of 200." when a view is one page of a longer list. */
const pageText = (page: PageInfo | undefined, noun: string) => pageSummary(page, noun) ?? '';

const pageButtons = (page: PageInfo | undefined) => (page ? page.buttons.map(button) : []);

function jobText(j: JobSummary | undefined): string {
  if (!j) return '';
  return `${j.id} · ${j.state.replace('_', ' ')} · ${j.percent}%${j.step ? ` · ${j.step}` : ''}`;
}

function dataOf(view: View): Record<string, unknown> {
  switch (view.type) {
    case 'message':
      return {
        title: view.title ?? (view.tone === 'error' ? 'Something needs your attention' : 'PortalOps'),
        text: view.text,
        color: view.tone === 'error' ? 'Attention' : view.tone === 'warning' ? 'Warning' : 'Default',
        suggestions: (view.suggestions ?? []).join(' · '),
      };
    case 'help':
      return {
        title: view.title,
        intro: view.intro,
        groups: view.groups.map((g) => ({
          title: g.title,
          commands: g.commands.map((c) => ({ ...c, examples: c.examples.map((e) => `“${e}”`).join('  ') })),
        })),
        notes: view.notes.map((text) => ({ text })),
        buttons: view.buttons.map(button),
      };
    case 'site-list':
      return {
        environment: view.environment,
        sites: view.sites.map(({ url, ...s }) => ({ ...s, note: s.note ?? '', link: cardLink(url) })),
        pageText: pageText(view.page, 'sites'),
        buttons: pageButtons(view.page),
      };
    case 'site-status':
      return { title: view.title, facts: view.facts, buttons: view.buttons.map(button) };
    case 'form':
      return {
        title: view.title,
        intro: view.intro,
        errors: (view.errors ?? []).join(' '),
        inputs: view.inputs.map((i) => ({
          id: i.id,
          label: i.label,
          value: i.value ?? '',
          placeholder: i.placeholder ?? '',
          required: i.required === true,
          error: i.error ?? `${i.label} is needed`,
          choices: i.choices ?? null,
        })),
        submit: button(view.submit),
      };
    case 'confirmation':
      return {
        title: view.title,
        plan: view.plan.map((text) => ({ text })),
        note: view.note,
        input: {
          id: view.confirmInput.id,
          label: view.confirmInput.label,
          placeholder: view.confirmInput.placeholder ?? '',
        },
        confirm: button(view.confirm),
        cancel: button(view.cancel),
      };
    case 'approval-request': {
      const refresh = view.buttons[0]?.data ?? {};
      return {
        title: view.title,
        requester: view.requester,
        expiresAt: view.expiresAt,
        status: view.status,
        plan: view.plan.map((text) => ({ text })),
        buttons: view.buttons.map(button),
        approverIds: view.approverIds,
        refreshData: { approvalId: refresh.approvalId ?? '', nonce: refresh.nonce ?? '' },
      };
    }
    case 'job-progress':
      return {
        title: view.job.title,
        state: view.job.state.replace('_', ' '),
        percent: view.job.percent,
        stepText: view.job.step ? ` · ${view.job.step}${view.job.detail ? ` (${view.job.detail})` : ''}` : '',
        buttons: view.buttons.map(button),
      };
    case 'job-result':
      return { title: view.job.title, result: [{ label: 'Job', value: view.job.id }, ...view.result] };
    case 'failure':
      return {
        title: view.title,
        explanation: view.explanation,
        jobText: jobText(view.job),
        problems: view.problems ?? [],
        steps: view.steps.map((text) => ({ text })),
        buttons: view.buttons.map(button),
      };
    case 'alert':
      return {
        title: view.title,
        icon: view.tone === 'resolved' ? '✔' : view.tone === 'error' ? '✖' : '⚠',
        color: view.tone === 'resolved' ? 'Good' : view.tone === 'error' ? 'Attention' : 'Warning',
        status: view.status,
        explanation: view.explanation,
        facts: view.facts,
        jobText: jobText(view.job),
        steps: view.steps.map((text) => ({ text })),
        buttons: view.buttons.map(button),
      };
    case 'migration-plan':
      return {
        title: view.title,
        route: `${view.source} → ${view.target}`,
        facts: view.tables.map((t) => ({
          label: t.table,
          value: `${t.creates} new, ${t.updates} changed, ${t.deletes} removed`,
        })),
        warnings: view.warnings.map((text) => ({ text })),
        pageText: pageText(view.page, 'tables'),
        buttons: [...view.buttons.map(button), ...pageButtons(view.page)],
      };
    case 'templates':
      return {
        templates: view.templates,
        pageText: pageText(view.page, 'templates'),
        buttons: pageButtons(view.page),
      };
    case 'job-list':
      return {
        jobs: view.jobs.map((j) => ({ ...j, state: j.state.replace('_', ' ') })),
        pageText: pageText(view.page, 'jobs'),
        buttons: pageButtons(view.page),
      };
  }
}

/**
 * Template data keys that are not shown as markdown: what buttons send back, ids, settings of the
 * card. Everything else is text a person reads and is neutralised.
 */
const RAW_KEYS = new Set([
  'data',
  'verb',
  'style',
  'color',
  'id',
  'required',
  'approverIds',
  'refreshData',
  'percent',
  'link',
]);
/** Lists whose items' `value` is an input's value or a choice's value (sent back as typed). */
const VALUE_LISTS = new Set(['inputs', 'choices']);

/** The template data with every shown text neutralised (see {@link neutraliseCardMarkdown}). */
function shownSafely(node: unknown, list?: string): unknown {
  if (typeof node === 'string') return neutraliseCardMarkdown(node);
  if (Array.isArray(node)) return node.map((item) => shownSafely(item, list));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const raw = RAW_KEYS.has(key) || (key === 'value' && list !== undefined && VALUE_LISTS.has(list));
    out[key] = raw ? value : shownSafely(value, Array.isArray(value) ? key : undefined);
  }
  return out;
}

/**
 * Recently rendered cards, as JSON: the same view (help, templates, an unchanged job) is expanded
 * once. Kept as text because a card is plain JSON and parsing it again is the cheapest copy.
 */
const rendered = new Map<string, string>();
const RENDERED_MAX = 256;

/** Renders a view as an Adaptive Card 1.5. The caller owns the returned object. */
export function renderAdaptiveCard(view: View): AdaptiveCardJson {
  return JSON.parse(renderAdaptiveCardJson(view)) as AdaptiveCardJson;
}

/**
 * A view's Adaptive Card 1.5 as JSON text, for a caller that only sends it on: the text is what
 * goes on the wire, so nothing has to copy or serialize the card again.
 */
export function renderAdaptiveCardJson(view: View): string {
  const key = JSON.stringify(view);
  const kept = rendered.get(key);
  if (kept !== undefined) {
    rendered.delete(key);
    rendered.set(key, kept);
    return kept;
  }
  const card = template(view.type).expand({ $root: shownSafely(dataOf(view)) }) as AdaptiveCardJson;
  if (view.type === 'approval-request' && view.approverIds.length === 0) delete card.refresh;
  const json = JSON.stringify(card);
  rendered.set(key, json);
  if (rendered.size > RENDERED_MAX) rendered.delete(rendered.keys().next().value as string);
  return json;
}
