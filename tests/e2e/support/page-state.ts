// What a spec reads of the page itself (the specs compile without the DOM's types): the location's
// hash as the operator would read it, and the elements that scroll sideways.
import type { Page } from '@playwright/test';

/** The page's hash, percent-escapes decoded (`#/tenants?sel=eu1/acme`). */
export function pageHash(page: Page): Promise<string> {
  return page.evaluate(() =>
    decodeURIComponent((globalThis as unknown as { location: { hash: string } }).location.hash),
  );
}

/**
 * The page, the screen and every box that scrolls sideways now (a table's box, a dialog, a panel),
 * each named by its label, caption or heading, with its scroll and client widths.
 */
export function sidewaysScrollers(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const out = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) out.push('the page (' + root.scrollWidth + ' > ' + root.clientWidth + ')');
    for (const el of document.querySelectorAll('main, .table-scroll, .vtable-body, .dialog, .panel')) {
      if (el.scrollWidth <= el.clientWidth + 1 || getComputedStyle(el).overflowX === 'hidden') continue;
      const label = el.getAttribute('aria-label') || (el.querySelector('caption, h2') || {}).textContent || '';
      out.push(el.tagName.toLowerCase() + '.' + el.className + ' "' + label.trim() + '" (' + el.scrollWidth + ' > ' + el.clientWidth + ')');
    }
    return out;
  })()`) as Promise<string[]>;
}
