/**
 * A view's rendering kept from the size check to the post that follows it. The chat core asks
 * whether a view fits (which renders its card to measure it) and then posts the same view, which
 * would render it again; the second time takes the first rendering instead.
 */
import type { View } from '../../views/view.ts';

/**
 * Renderings of views awaiting their post, by view. Views are values: a changed view is a new
 * object, so it is rendered afresh. `key` names whatever else the rendering depends on (who
 * sees the buttons); a rendering made for another key is not reused. A kept rendering is handed
 * out once, so a view posted again later is rendered again.
 */
export class RenderedViews<T> {
  private readonly kept = new WeakMap<View, { key: string; rendered: T }>();

  /** Renders `view` and keeps the result for the next {@link take} of the same view and key. */
  measure(view: View, key: string, render: () => T): T {
    const rendered = render();
    this.kept.set(view, { key, rendered });
    return rendered;
  }

  /** The rendering kept for `view` and `key` (then forgotten), or `render()`. */
  take(view: View, key: string, render: () => T): T {
    const kept = this.kept.get(view);
    if (kept) {
      this.kept.delete(view);
      if (kept.key === key) return kept.rendered;
    }
    return render();
  }
}
