/**
 * Layout checks for phones: how far the page scrolls sideways, and which elements stick out
 * (the failure message names them). Elements inside a horizontal scroller (wide tables) are
 * allowed to be wider than the screen: the scroller is not.
 */
import type { Page } from 'playwright-core';

// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const getComputedStyle: any; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function horizontalOverflow(page: Page): Promise<{ overflow: number; offenders: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const overflow = document.documentElement.scrollWidth - width;
    const offenders: string[] = [];
    if (overflow > 0) {
      // inside a scroller (or a clipper) that itself fits the screen: not an offender
      const scrolls = (el: any) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const s = getComputedStyle(p);
          if ((s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden' || s.overflowX === 'clip') && p.getBoundingClientRect().right <= width + 1) return true;
        }
        return false;
      };
      for (const el of Array.from(document.querySelectorAll('body *')) as any[]) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && r.width > 0 && !scrolls(el)) {
          const id = el.getAttribute('data-testid') ?? el.className?.toString().slice(0, 60) ?? '';
          offenders.push(`${el.tagName.toLowerCase()}[${id}] right=${Math.round(r.right)} text=${(el.textContent ?? '').slice(0, 40)}`);
          if (offenders.length >= 8) break;
        }
      }
    }
    return { overflow, offenders };
  });
}
