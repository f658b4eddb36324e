/**
 * Shows long lists a page at a time instead of failing on a platform's message limit or cutting
 * the list short: the whole list is kept server side under a short id, the message shows the
 * largest page the surface can take, and "Show more" / "Previous page" turn to the other pages.
 */

import type { View } from '../../views/view.ts';
import {
  isPagedView,
  MAX_ITEMS_PER_PAGE,
  type PagedView,
  pagedItems,
  pageOf,
} from '../../views/view-pages.ts';
import type { CardStates } from './card-state.ts';
import type { ConversationRef } from './surface.ts';

/** Whether a surface can show a view in one message. */
export type Fits = (view: View) => boolean;

const conversationKey = (c: ConversationRef) => `${c.surface}:${c.conversationId}`;

/** Pages long list views. */
export class ViewPager {
  constructor(private readonly states: CardStates) {}

  /**
   * The view to post: unchanged when it is no list or its list fits on one page; otherwise its
   * first page, with the whole list kept for the page buttons.
   */
  async show(view: View, conversation: ConversationRef, fits: Fits): Promise<View> {
    if (!isPagedView(view)) return view;
    if (pagedItems(view)!.length <= MAX_ITEMS_PER_PAGE && fits(view)) return view;
    const ref = await this.states.keep('pages', view, { conversation: conversationKey(conversation) });
    return this.fit(view, 0, ref, fits);
  }

  /** The page at `offset` of a kept list, or undefined when it is no longer kept. */
  page(ref: string, offset: number, conversation: ConversationRef, fits: Fits): View | undefined {
    const view = this.states.get<PagedView>(ref, 'pages', conversationKey(conversation));
    if (!view) return undefined;
    return this.fit(view, Number.isFinite(offset) ? offset : 0, ref, fits);
  }

  /** The largest page from `offset` (up to the readability cap) that the surface can show. */
  private fit(view: PagedView, offset: number, ref: string, fits: Fits): View {
    let size = MAX_ITEMS_PER_PAGE;
    for (;;) {
      const page = pageOf(view, offset, size, ref);
      if (size === 1 || fits(page)) return page;
      size = Math.max(1, Math.floor(size * 0.7));
    }
  }
}
