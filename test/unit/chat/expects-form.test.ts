import { describe, expect, it } from 'vitest';
import { formExpectedFor } from '../../../src/chat/core/expects-form.ts';
import { buttonData, withoutLeadingMentions } from '../../../src/chat/slack/slack-payloads.ts';
import { parseIntent } from '../../../src/intents/parser.ts';

const ENVIRONMENTS = ['dev', 'test', 'prod'];

describe('what a Slack request will be answered with', () => {
  it.each([
    ['provision', true],
    ['provision in dev', true],
    ['provision name="Hub" subdomain=hub in dev', true],
    ['provision name="Hub" subdomain=hub template=CustomerSelfServicePortal in dev', false],
    ['change values and restart contoso-broken in dev', true],
    ['change values and restart contoso-broken language=1036 in dev', false],
    ['sites in dev', false],
    ['reset contoso-dev in dev', false],
  ])('"%s" expects a form: %s', (text, form) => {
    expect(formExpectedFor(parseIntent(text, { environments: ENVIRONMENTS }))).toBe(form);
  });

  it('reads only PortalOps button values', () => {
    expect(buttonData('{"verb":"job.retry","jobId":"J-1"}')).toEqual({ verb: 'job.retry', jobId: 'J-1' });
    expect(buttonData('click_me_123')).toBeUndefined();
    expect(buttonData('{"jobId":"J-1"}')).toBeUndefined();
    expect(buttonData(undefined)).toBeUndefined();
  });

  it('takes the bot’s mention off the start of a mention only', () => {
    expect(withoutLeadingMentions('<@W111> Hi there!')).toBe('Hi there!');
    expect(withoutLeadingMentions('<@U1|portalops> approve for <@U2>')).toBe('approve for <@U2>');
  });
});
