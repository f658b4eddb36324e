import { describe, expect, it } from 'vitest';
import { IntentMemo, LONGEST_REMEMBERED_TEXT, type Reading } from '../../../src/chat/core/intent-memo.ts';
import type { ParseContext } from '../../../src/intents/intent.ts';
import { parseIntent } from '../../../src/intents/parser.ts';

const ENVIRONMENTS: ParseContext = { environments: ['dev', 'test', 'prod'] };

/** parseIntent, counting its calls. */
function countingParser() {
  let calls = 0;
  const parse = (text: string, context: ParseContext): Reading => {
    calls++;
    return parseIntent(text, context);
  };
  return { parse, calls: () => calls };
}

describe('remembered readings of messages', () => {
  it('read a repeated message as parsing it does, parsing it once', () => {
    const { parse, calls } = countingParser();
    const memo = new IntentMemo(parse);
    const first = memo.read('sites in dev', ENVIRONMENTS);
    const second = memo.read('sites in dev', ENVIRONMENTS);
    expect(first).toEqual(parseIntent('sites in dev', ENVIRONMENTS));
    expect(second).toEqual(first);
    expect(calls()).toBe(1);
  });

  it('never hand back an intent a caller changed', () => {
    const memo = new IntentMemo();
    const pristine = parseIntent('reset contoso-dev in dev', ENVIRONMENTS);
    const first = memo.read('reset contoso-dev in dev', ENVIRONMENTS) as Record<string, unknown>;
    first.environment = 'prod';
    first.site = 'someone-else';
    const second = memo.read('reset contoso-dev in dev', ENVIRONMENTS) as Record<string, unknown>;
    expect(second).toEqual(pristine);
    second.environment = 'test';
    expect(memo.read('reset contoso-dev in dev', ENVIRONMENTS)).toEqual(pristine);
  });

  it('never hand back a failure whose suggestions a caller changed', () => {
    const memo = new IntentMemo();
    const pristine = parseIntent('blorp', ENVIRONMENTS);
    const first = memo.read('blorp', ENVIRONMENTS);
    if (first.kind === 'unknown') first.suggestions?.push('something else');
    expect(memo.read('blorp', ENVIRONMENTS)).toEqual(pristine);
  });

  it('read the same text again for other registered environments', () => {
    const { parse, calls } = countingParser();
    const memo = new IntentMemo(parse);
    memo.read('sites in staging', ENVIRONMENTS);
    const other: ParseContext = { environments: [{ alias: 'stage', displayName: 'Contoso Staging' }] };
    expect(memo.read('sites in staging', other)).toEqual(parseIntent('sites in staging', other));
    expect(calls()).toBe(2);
  });

  it('parse long texts each time', () => {
    const { parse, calls } = countingParser();
    const memo = new IntentMemo(parse);
    const long = `sites in dev ${'please '.repeat(LONGEST_REMEMBERED_TEXT)}`;
    memo.read(long, ENVIRONMENTS);
    memo.read(long, ENVIRONMENTS);
    expect(calls()).toBe(2);
  });

  it('parse each time when the context carries more than the environments', () => {
    const { parse, calls } = countingParser();
    const memo = new IntentMemo(parse);
    const context = { ...ENVIRONMENTS, sites: ['contoso-dev'] } as ParseContext;
    memo.read('sites in dev', context);
    memo.read('sites in dev', context);
    expect(calls()).toBe(2);
  });
});
