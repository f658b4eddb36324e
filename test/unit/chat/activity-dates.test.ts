import { Activity } from '@microsoft/agents-activity';
import { describe, expect, it } from 'vitest';
import { withDates } from '../../../src/chat/teams/activity-endpoint.ts';

describe("an incoming activity's dates", () => {
  const body = () => ({
    type: 'message',
    id: 'act-1',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    conversation: { id: 'a:1' },
    from: { id: '29:alice' },
    recipient: { id: '28:portalops' },
    timestamp: '2026-12-01T15:02:03.456Z',
    localTimestamp: '2026-12-01T16:02:03.456+01:00',
    text: 'status contoso-dev',
  });

  it('become the activity the SDK makes of the raw body', () => {
    expect(Activity.fromObject(withDates(body()))).toEqual(Activity.fromObject(body()));
    expect(withDates(body()).timestamp).toEqual(new Date('2026-12-01T15:02:03.456Z'));
  });

  it('leaves members that are not date text as they are', () => {
    const odd = { ...body(), timestamp: '', localTimestamp: 17 };
    expect(withDates(odd)).toMatchObject({ timestamp: '', localTimestamp: 17 });
  });
});
