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

describe('a stored reference of a conversation of several people', () => {
  const from = (id: string, conversationType: string) =>
    Activity.fromObject({
      type: 'message',
      id: `act-${id}`,
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      from: { id, name: id },
      recipient: { id: '28:portalops', name: 'PortalOps' },
      conversation: { id: '19:ops@thread.v2', conversationType, tenantId: 't-1' },
    }).getConversationReference();

  it('stays the same whoever speaks in a group chat or a channel', () => {
    for (const type of ['groupChat', 'channel']) {
      const alice = storableReference(from('29:alice', type));
      const bob = storableReference(from('29:bob', type));
      expect(JSON.stringify(bob)).toBe(JSON.stringify(alice));
      expect(alice).not.toHaveProperty('user');
      expect(alice).toMatchObject({
        conversation: { id: '19:ops@thread.v2' },
        agent: { id: '28:portalops' },
      });
    }
  });

  it('keeps the person of a personal chat', () => {
    expect(storableReference(from('29:alice', 'personal'))).toMatchObject({ user: { id: '29:alice' } });
  });
});
