import { describe, expect, it } from 'vitest';
import { CardActions, type CardClick, defineCardAction } from '../../../src/commands/card-action.ts';

const click = (verb: CardClick['verb'], data: Record<string, string> = {}) => ({ verb, data }) as CardClick;

describe('card actions registry', () => {
  const approve = defineCardAction({
    verbs: ['thing.approve', 'thing.reject'],
    handle: async () => ({ replies: [] }),
    current: (c) => (c.data.thingId ? { type: 'message', text: `thing ${c.data.thingId}` } : undefined),
  });

  it('finds a handler by any of its verbs and refuses a verb registered twice', () => {
    const actions = new CardActions();
    actions.register(approve);
    expect(actions.handlerFor('thing.reject')).toBe(approve);
    expect(actions.handlerFor('thing.other')).toBeUndefined();
    expect(() =>
      actions.register(defineCardAction({ verbs: ['thing.approve'], handle: async () => undefined })),
    ).toThrow(/registered twice/);
  });

  it('answers a refresh with the first handler that recognises the card', () => {
    const actions = new CardActions();
    actions.register(defineCardAction({ verbs: ['job.cancel'], handle: async () => undefined }), approve);
    expect(actions.current(click('refresh', { thingId: '7' }))).toEqual({ type: 'message', text: 'thing 7' });
    expect(actions.current(click('refresh'))).toBeUndefined();
  });
});
