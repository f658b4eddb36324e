import { describe, expect, it } from 'vitest';
import { describePlanChange, type PlanBasis, summarizePlan } from '../../../src/policy/plan-basis.ts';

const page = (id: string, checksum = `c-${id}`) => ({ table: 'adx_webpage', id, checksum });
const basis = (pages: string[], edited: string[] = []): PlanBasis => ({
  facts: { websiteRecordId: 'w-1' },
  operations: pages.map((id) => ({
    op: 'create',
    table: 'adx_webpage',
    id,
    checksum: edited.includes(id) ? 'changed' : `c-${id}`,
  })),
  inputs: {
    source: pages.map((id) => (edited.includes(id) ? page(id, 'changed') : page(id))),
    target: [],
  },
});
const params = { source: 'dev', target: 'prod', site: 'contoso' };

describe('plan summaries', () => {
  it('hash the same plan the same way, whatever the order of its records', () => {
    const a = summarizePlan('migrate', params, basis(['1', '2', '3']));
    const b = summarizePlan(
      'migrate',
      { site: 'contoso', target: 'prod', source: 'dev' },
      basis(['3', '1', '2']),
    );
    expect(a.hash).toBe(b.hash);
  });

  it('say how many records were added and which operations that adds', () => {
    const approved = summarizePlan('migrate', params, basis(['1', '2']));
    const now = summarizePlan('migrate', params, basis(['1', '2', '3', '4']));
    expect(describePlanChange(approved, now, 'approved')).toBe(
      '2 records were added to the source since the plan was approved: 2 more creates in adx_webpage.',
    );
  });

  it('notice an edited record even when every count stays the same', () => {
    const approved = summarizePlan('migrate', params, basis(['1', '2']));
    const now = summarizePlan('migrate', params, basis(['1', '2'], ['2']));
    expect(now.hash).not.toBe(approved.hash);
    expect(describePlanChange(approved, now, 'requested')).toBe(
      'Records of adx_webpage were edited in the source since the plan was requested: 2 creates in adx_webpage now touch other records or content.',
    );
  });

  it('name a changed fact', () => {
    const approved = summarizePlan('reset', params, basis(['1']));
    const moved = basis(['1']);
    moved.facts.websiteRecordId = 'w-2';
    expect(describePlanChange(approved, summarizePlan('reset', params, moved), 'approved')).toBe(
      'The website record changed (was w-1, now w-2) since the plan was approved.',
    );
  });
});
