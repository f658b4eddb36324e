import { describe, expect, it } from 'vitest';
import { activityJson, SerializedCard } from '../../../src/chat/teams/activity-json.ts';
import { cardActivity, teamsCardContent } from '../../../src/chat/teams/teams-activity.ts';
import { renderAdaptiveCard } from '../../../src/views/adaptive-renderer.ts';
import type { View } from '../../../src/views/view.ts';

const view: View = {
  type: 'message',
  title: 'Sites in "dev"',
  text: 'contoso-dev is ready — “Starter layout” </script>',
  tone: 'warning',
  suggestions: ['status contoso-dev'],
};

describe('a reply written once', () => {
  it('writes a message with a kept card as the same JSON as the message with the card as an object', () => {
    const message = {
      ...cardActivity(teamsCardContent(view), 'summary'),
      replyToId: 'a-1',
      locale: undefined,
    };
    const asObjects = {
      ...message,
      attachments: message.attachments?.map((a) => ({ ...a, content: renderAdaptiveCard(view) })),
    };

    expect(message.attachments?.[0]?.content).toBeInstanceOf(SerializedCard);
    expect(JSON.parse(activityJson(message))).toEqual(JSON.parse(JSON.stringify(asObjects)));
    expect(activityJson(message)).not.toContain('undefined');
  });

  it('gives the card itself to anything that serializes it the ordinary way', () => {
    const message = cardActivity(teamsCardContent(view));

    expect(JSON.parse(JSON.stringify(message)).attachments[0].content).toEqual(renderAdaptiveCard(view));
  });

  it('writes activities without kept cards, and attachments beside them, unchanged', () => {
    const plain = { type: 'message', text: 'hi', attachments: [{ contentType: 'text/plain', content: 'x' }] };
    const mixed = {
      type: 'message',
      attachments: [{ contentType: 'text/plain', content: 'x' }, { content: new SerializedCard('{"a":1}') }],
    };

    expect(activityJson(plain)).toBe(JSON.stringify(plain));
    expect(JSON.parse(activityJson(mixed))).toEqual({
      type: 'message',
      attachments: [{ contentType: 'text/plain', content: 'x' }, { content: { a: 1 } }],
    });
  });

  it('keeps an approval request as an object, since its card is made per approver', () => {
    const approval = teamsCardContent({
      type: 'approval-request',
      title: 'Reset contoso-dev',
      plan: ['Reset contoso-dev in dev'],
      requester: 'alice@contoso.com',
      expiresAt: '2026-12-01T16:00:00.000Z',
      status: 'Waiting for an approver',
      approverIds: ['bob@contoso.com'],
      buttons: [],
    });

    expect(approval).not.toBeInstanceOf(SerializedCard);
  });
});
