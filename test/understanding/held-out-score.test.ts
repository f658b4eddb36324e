/**
 * The held-out scoring rules: kind and listed fields, `null` for a field that must be absent, and
 * an expected environment suggestion met by a request kept with the name that is no environment.
 */
import { describe, expect, it } from 'vitest';
import type { Intent, ParseFailure } from '../../src/intents/intent.ts';
import { mismatch } from './held-out-score.ts';

const failure = (message: string, suggestions: string[]): ParseFailure => ({
  kind: 'unknown',
  message,
  suggestions,
});

describe('held-out scoring', () => {
  it('needs the kind and every listed field, and absence where the case says null', () => {
    const reset: Intent = { kind: 'reset', site: 'contoso-dev', reprovision: false };
    expect(mismatch(reset, { text: '', kind: 'reset', site: 'contoso-dev' })).toBeUndefined();
    expect(mismatch(reset, { text: '', kind: 'reset', site: null })).toMatch(/site/);
    expect(mismatch(reset, { text: '', kind: 'restart-site' })).toMatch(/kind reset/);
  });

  it('takes a request kept with an unregistered environment for the suggestion it leads to', () => {
    const kept: Intent = { kind: 'restart-site', site: 'partner-portal', unknownEnvironment: 'prdo' };
    expect(mismatch(kept, { text: '', kind: 'unknown', suggests: 'prod' })).toBeUndefined();
    // only when the name is close to the suggested environment, and none was taken
    expect(mismatch(kept, { text: '', kind: 'unknown', suggests: 'dev' })).toMatch(/kind/);
    expect(
      mismatch({ ...kept, environment: 'prod' }, { text: '', kind: 'unknown', suggests: 'prod' }),
    ).toMatch(/kind/);
    // a suggested command is never met that way
    expect(mismatch(kept, { text: '', kind: 'unknown', suggests: 'restart-site' })).toMatch(/kind/);
    expect(
      mismatch(failure('Did you mean reset?', ['reset']), { text: '', kind: 'unknown', suggests: 'reset' }),
    ).toBeUndefined();
  });
});
