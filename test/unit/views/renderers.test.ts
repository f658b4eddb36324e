import { describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../../src/views/adaptive-renderer.ts';
import { validateAdaptiveCard } from '../../../src/views/adaptive-validation.ts';
import { renderSlack, SLACK_LIMITS } from '../../../src/views/slack-renderer.ts';
import { renderText } from '../../../src/views/text-renderer.ts';
import type { ViewType } from '../../../src/views/view.ts';
import { SAMPLE_VIEWS } from '../../support/sample-views.ts';

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
      const message = renderSlack(view);
      expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
      for (const block of message.blocks)
        expect(JSON.stringify(block).length).toBeLessThan(SLACK_LIMITS.text + 500);
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
});
