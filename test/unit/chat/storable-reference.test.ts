import { Activity } from '@microsoft/agents-activity';
import { describe, expect, it } from 'vitest';
import { storableReference } from '../../../src/chat/teams/teams-activity.ts';

describe('a stored conversation reference', () => {
  const activity = Activity.fromObject({
    type: 'message',
    id: 'act-9',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    from: { id: '29:alice', name: 'Alice Admin', aadObjectId: undefined },
    recipient: { id: '28:portalops', name: 'PortalOps' },
    conversation: { id: 'a:1', conversationType: 'personal', tenantId: 't-1', isGroup: undefined },
    locale: 'en-GB',
  });

  it('is the reference as JSON keeps it, without the message it came from', () => {
    const reference = activity.getConversationReference();
    const stored = storableReference(reference);

    const { activityId: _id, ...rest } = reference;
    expect(stored).toEqual(JSON.parse(JSON.stringify(rest)));
    expect(JSON.stringify(stored)).toBe(JSON.stringify(rest));
    expect(stored).not.toHaveProperty('activityId');
  });

  it('shares no object with the activity, so a later change to one leaves the other', () => {
    const reference = activity.getConversationReference();
    const stored = storableReference(reference) as { conversation: { id: string } };

    stored.conversation.id = 'changed';
    expect(activity.conversation?.id).toBe('a:1');
  });
});
