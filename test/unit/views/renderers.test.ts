import { describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../../src/views/adaptive-renderer.ts';
import { validateAdaptiveCard } from '../../../src/views/adaptive-validation.ts';
import { renderSlack, SLACK_LIMITS } from '../../../src/views/slack-renderer.ts';
import { renderText } from '../../../src/views/text-renderer.ts';
import type { View, ViewType } from '../../../src/views/view.ts';
import { isPagedView, MAX_ITEMS_PER_PAGE, pagedItems, pageOf } from '../../../src/views/view-pages.ts';
import { SAMPLE_VIEWS } from '../../support/sample-views.ts';

/** A view as the chat core shows it: a long list as its first page. */
const shown = (view: View): View =>
  isPagedView(view) && pagedItems(view)!.length > MAX_ITEMS_PER_PAGE
    ? pageOf(view, 0, MAX_ITEMS_PER_PAGE, 'cs-test')
    : view;

const sites = (n: number): Extract<View, { type: 'site-list' }> => ({
  type: 'site-list',
  environment: 'prod',
  sites: Array.from({ length: n }, (_, i) => ({
    name: `Site ${i}`,
    subdomain: `site-${i}`,
    status: 'Configured',
    type: 'Production',
    url: `https://site-${i}.powerappsportals.com`,
    note: 'trial ends in 5 days',
  })),
});

type SlackBlock = {
  type: string;
  text?: { text: string };
  elements?: { text?: { text: string } | string; value?: string; action_id?: string }[];
  element?: { options?: { value: string }[]; option_groups?: { options: { value: string }[] }[] };
};

const ALL_TYPES: ViewType[] = [
  'message',
  'help',
  'site-list',
  'site-status',
  'form',
  'confirmation',
  'approval-request',
  'job-progress',
  'job-result',
  'failure',
  'templates',
  'job-list',
  'migration-plan',
  'alert',
];

describe('renderers', () => {
  it('cover every view type', () => {
    expect(new Set(SAMPLE_VIEWS.map((v) => v.type))).toEqual(new Set(ALL_TYPES));
  });

  it.each(SAMPLE_VIEWS.map((v, i) => [`${i} ${v.type}`, v] as const))(
    '%s is a valid Adaptive Card 1.5',
    (_name, view) => {
      const card = renderAdaptiveCard(view);
      expect(validateAdaptiveCard(card)).toEqual([]);
    },
  );

  it.each(SAMPLE_VIEWS.map((v, i) => [`${i} ${v.type}`, v] as const))(
    '%s stays inside Slack limits',
    (_name, view) => {
      const message = renderSlack(shown(view));
      expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
      for (const block of message.blocks)
        expect(JSON.stringify(block).length).toBeLessThan(SLACK_LIMITS.text + 500);
    },
  );

  it.each(SAMPLE_VIEWS.map((v, i) => [`${i} ${v.type}`, v] as const))(
    '%s as shown stays under Teams’ 28 KB message limit',
    (_name, view) => {
      expect(JSON.stringify(renderAdaptiveCard(shown(view))).length * 2).toBeLessThanOrEqual(28 * 1024);
    },
  );

  it('puts only ids and a nonce in card actions, and shows approvers their buttons', () => {
    const approval = SAMPLE_VIEWS.find((v) => v.type === 'approval-request')!;
    const card = renderAdaptiveCard(approval) as unknown as {
      actions: { data: Record<string, string> }[];
      refresh: { userIds: string[] };
    };
    expect(card.actions.map((a) => Object.keys(a.data).sort())).toEqual([
      ['approvalId', 'nonce'],
      ['approvalId', 'nonce'],
    ]);
    expect(card.refresh.userIds).toEqual(['bob@contoso.com']);
  });

  it('turns buttons into numbered choices on the terminal', () => {
    const confirmation = SAMPLE_VIEWS.find((v) => v.type === 'confirmation')!;
    const text = renderText(confirmation);
    expect(text.text).toContain('[1] Reset   [2] Cancel');
    expect(text.buttons.map((b) => b.verb)).toEqual(['request.confirm', 'request.cancel']);
  });

  it('detects what the SDK alone would let through', () => {
    expect(validateAdaptiveCard({ type: 'Container', version: '1.5', body: [] })).toContain(
      'root type is Container, not AdaptiveCard',
    );
    expect(validateAdaptiveCard({ type: 'AdaptiveCard', version: '1.6', body: [] })).toContain(
      'version is 1.6, not 1.5',
    );
    expect(
      validateAdaptiveCard({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: `$${'{x}'}` }],
      })[0],
    ).toMatch(/unresolved/);
    expect(
      validateAdaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Nope' }] }).length,
    ).toBeGreaterThan(0);
  });

  it('pages a 200-site list: every page fits Slack and Teams, and "Show more" reaches every site once', () => {
    const all = sites(200);
    const seen: string[] = [];
    let offset: number | undefined = 0;
    let pages = 0;
    while (offset !== undefined) {
      const page = pageOf(all, offset, MAX_ITEMS_PER_PAGE, 'cs-sites') as Extract<
        View,
        { type: 'site-list' }
      >;
      pages++;
      seen.push(...page.sites.map((s) => s.subdomain));
      const slack = renderSlack(page);
      expect(slack.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      expect(JSON.stringify(slack.blocks)).toContain(
        `Showing sites ${page.page!.first}–${page.page!.last} of 200`,
      );
      const card = renderAdaptiveCard(page);
      expect(validateAdaptiveCard(card)).toEqual([]);
      expect(JSON.stringify(card).length * 2).toBeLessThanOrEqual(28 * 1024);
      const more = page.page!.buttons.find((b) => b.label === 'Show more');
      offset = more ? Number(more.data.offset) : undefined;
    }
    expect(pages).toBe(10);
    expect(seen).toEqual(all.sites.map((s) => s.subdomain));
    // The whole list in one card would be far past Teams' message limit.
    expect(JSON.stringify(renderAdaptiveCard(all)).length * 2).toBeGreaterThan(28 * 1024);
  });

  it('puts more than 100 choices into option groups instead of dropping any', () => {
    const choices = Array.from({ length: 230 }, (_, i) => ({ value: `v${i}`, title: `Choice ${i}` }));
    const message = renderSlack({
      type: 'form',
      title: 'Pick',
      intro: 'Pick one.',
      inputs: [{ id: 'pick', label: 'Pick', choices, value: 'v150' }],
      submit: { verb: 'provision.submit', label: 'Go', data: {} },
    });
    const select = (message.blocks as unknown as SlackBlock[]).find((b) => b.type === 'input')!.element!;
    expect(select.options).toBeUndefined();
    expect(select.option_groups!.length).toBe(3);
    for (const group of select.option_groups!) expect(group.options.length).toBeLessThanOrEqual(100);
    expect(select.option_groups!.flatMap((g) => g.options.map((o) => o.value))).toEqual(
      choices.map((c) => c.value),
    );
  });

  it('spreads a long joined list over several sections instead of cutting it', () => {
    const tables = Array.from({ length: 150 }, (_, i) => ({
      table: `adx_table_with_a_long_name_${i}`,
      creates: i,
      updates: 1,
      deletes: 0,
    }));
    const message = renderSlack({
      type: 'migration-plan',
      title: 'Migrate',
      source: 'dev',
      target: 'prod',
      tables,
      warnings: [],
      buttons: [],
    });
    const texts = (message.blocks as unknown as SlackBlock[])
      .filter((b) => b.type === 'section')
      .map((b) => b.text!.text);
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
    for (const t of tables) expect(texts.join('\n')).toContain(`*${t.table}*: ${t.creates} new`);
  });

  it('never cuts a button value: one too long for Slack is refused, not truncated', () => {
    const view: View = {
      type: 'site-status',
      environment: 'dev',
      title: 'Contoso',
      facts: [],
      buttons: [{ verb: 'job.retry', label: 'Retry', data: { jobId: 'x'.repeat(2_100) } }],
    };
    expect(() => renderSlack(view)).toThrow(/2,000|2000/);
  });

  it('spreads more than 25 buttons over several actions blocks', () => {
    const message = renderSlack({
      type: 'site-status',
      environment: 'dev',
      title: 'Many',
      facts: [],
      buttons: Array.from({ length: 30 }, (_, i) => ({ verb: 'refresh' as const, label: `B${i}`, data: {} })),
    });
    const actions = (message.blocks as unknown as SlackBlock[]).filter((b) => b.type === 'actions');
    expect(actions.map((a) => a.elements!.length)).toEqual([25, 5]);
    const ids = actions.flatMap((a) => a.elements!.map((e) => e.action_id!));
    expect(new Set(ids).size).toBe(30);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(SLACK_LIMITS.actionId);
  });

  const many = (n: number): View[] => [
    sites(n),
    {
      type: 'job-list',
      jobs: Array.from({ length: n }, (_, i) => ({
        id: `J-${i}`,
        title: `Provision site-${i} in dev`,
        state: 'running',
        percent: 10,
        requester: 'Alice Admin',
      })),
    },
    {
      type: 'templates',
      templates: Array.from({ length: n }, (_, i) => ({
        name: `Template ${i}`,
        audiences: 'customer',
        requires: '',
        features: 'Knowledge Management',
        note: '',
      })),
    },
    {
      type: 'migration-plan',
      title: 'Migrate contoso-dev',
      source: 'dev',
      target: 'prod',
      tables: Array.from({ length: n }, (_, i) => ({
        table: `adx_t${i}`,
        creates: i,
        updates: 0,
        deletes: 0,
      })),
      warnings: [],
      buttons: [{ verb: 'request.confirm', label: 'Migrate', data: { approvalId: 'A-1', nonce: 'N-1' } }],
    },
  ];

  it.each(many(45).map((v) => [v.type, v] as const))(
    'shows the middle page of a 45-item %s with its place and both page buttons on every surface',
    (_type, view) => {
      const page = pageOf(view as Parameters<typeof pageOf>[0], 20, MAX_ITEMS_PER_PAGE, 'cs-list');
      expect(pagedItems(page)).toHaveLength(20);
      const slack = renderSlack(page);
      expect(slack.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      expect(JSON.stringify(slack.blocks)).toMatch(/Showing \w+ 21–40 of 45/);
      const card = renderAdaptiveCard(page);
      expect(validateAdaptiveCard(card)).toEqual([]);
      const verbs = (card.actions as { title: string; data: { offset?: string } }[])
        .filter((a) => a.data.offset !== undefined)
        .map((a) => `${a.title}@${a.data.offset}`);
      expect(verbs).toEqual(['Previous page@0', 'Show more@40']);
      const text = renderText(page);
      expect(text.text).toMatch(/Showing \w+ 21–40 of 45/);
      expect(text.buttons.map((b) => b.label)).toContain('Show more');
    },
  );
});
