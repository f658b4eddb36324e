/**
 * Long lists a page at a time: which views hold a list that can grow without bound, and the
 * view of one page of it. Pure; where the whole list is kept is the chat core's business.
 */
import type { Button, PageInfo, View } from './view.ts';

/** Views that show a list which can outgrow one message. */
export type PagedView = Extract<View, { type: 'site-list' | 'job-list' | 'templates' | 'migration-plan' }>;

/** At most this many items on a page, even where a platform would take more (readability). */
export const MAX_ITEMS_PER_PAGE = 20;

/** "Showing sites 21–40 of 200." when `page` is one page of a longer list, undefined otherwise. */
export function pageSummary(page: PageInfo | undefined, noun: string): string | undefined {
  if (!page || page.total <= page.last - page.first + 1) return undefined;
  return `Showing ${noun} ${page.first}–${page.last} of ${page.total}.`;
}

/** The list a view pages through, or undefined when the view has none. */
export function pagedItems(view: View): unknown[] | undefined {
  switch (view.type) {
    case 'site-list':
      return view.sites;
    case 'job-list':
      return view.jobs;
    case 'templates':
      return view.templates;
    case 'migration-plan':
      return view.tables;
    default:
      return undefined;
  }
}

/** Whether a view is one whose list can be paged. */
export function isPagedView(view: View): view is PagedView {
  return pagedItems(view) !== undefined;
}

/**
 * One page of a list view: items `offset`..`offset + size - 1` and the page's place in the whole,
 * with the buttons that lead to the previous and next pages (`pageRef` names the kept list).
 */
export function pageOf(view: PagedView, offset: number, size: number, pageRef: string): PagedView {
  const items = pagedItems(view)!;
  const total = items.length;
  const start = Math.max(0, Math.min(offset, Math.max(0, total - 1)));
  const end = Math.min(total, start + Math.max(1, size));
  const buttons: Button[] = [];
  if (start > 0)
    buttons.push({
      verb: 'view.page',
      label: 'Previous page',
      data: { pageRef, offset: String(Math.max(0, start - size)) },
    });
  if (end < total)
    buttons.push({ verb: 'view.page', label: 'Show more', data: { pageRef, offset: String(end) } });
  const page = { first: total === 0 ? 0 : start + 1, last: end, total, buttons };
  switch (view.type) {
    case 'site-list':
      return { ...view, sites: view.sites.slice(start, end), page };
    case 'job-list':
      return { ...view, jobs: view.jobs.slice(start, end), page };
    case 'templates':
      return { ...view, templates: view.templates.slice(start, end), page };
    case 'migration-plan':
      return { ...view, tables: view.tables.slice(start, end), page };
  }
}
