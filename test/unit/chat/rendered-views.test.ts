import { describe, expect, it } from 'vitest';
import { RenderedViews } from '../../../src/chat/teams/rendered-views.ts';
import type { View } from '../../../src/views/view.ts';

/** A renderer that counts its renderings and stamps each with its number. */
function counting() {
  let count = 0;
  const render = (view: View) => () => ({ n: ++count, text: view.type === 'message' ? view.text : '' });
  return { render, count: () => count };
}

describe('a view rendered to measure it', () => {
  it('is posted with the same rendering, not rendered again', () => {
    const cache = new RenderedViews<{ n: number; text: string }>();
    const { render, count } = counting();
    const view: View = { type: 'message', text: 'hello' };
    const measured = cache.measure(view, '', render(view));
    expect(cache.take(view, '', render(view))).toBe(measured);
    expect(count()).toBe(1);
  });

  it('is rendered afresh when the view changed (a changed view is another object)', () => {
    const cache = new RenderedViews<{ n: number; text: string }>();
    const { render } = counting();
    const view: View = { type: 'message', text: 'hello' };
    cache.measure(view, '', render(view));
    const changed: View = { ...view, text: 'hello again' };
    const posted = cache.take(changed, '', render(changed));
    expect(posted).toEqual({ n: 2, text: 'hello again' });
  });

  it('is rendered afresh when what else the card depends on changed (who sees the buttons)', () => {
    const cache = new RenderedViews<{ n: number; text: string }>();
    const { render } = counting();
    const view: View = { type: 'message', text: 'hello' };
    const measured = cache.measure(view, '29:a', render(view));
    const posted = cache.take(view, '29:a 29:b', render(view));
    expect(posted).not.toBe(measured);
    expect(posted.n).toBe(2);
  });

  it('hands a rendering out once: the same view posted again is rendered again', () => {
    const cache = new RenderedViews<{ n: number; text: string }>();
    const { render } = counting();
    const view: View = { type: 'message', text: 'hello' };
    const measured = cache.measure(view, '', render(view));
    expect(cache.take(view, '', render(view))).toBe(measured);
    expect(cache.take(view, '', render(view)).n).toBe(2);
  });

  it('renders a view never measured', () => {
    const cache = new RenderedViews<{ n: number; text: string }>();
    const { render } = counting();
    const view: View = { type: 'message', text: 'hello' };
    expect(cache.take(view, '', render(view))).toEqual({ n: 1, text: 'hello' });
  });
});
