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
      // an absolutely positioned element is clipped only by a scroller that holds its containing
      // block (the nearest positioned ancestor); a fixed one by none
      const containingBlock = (el: any) => {
        const position = getComputedStyle(el).position;
        if (position === 'fixed') return null;
        if (position !== 'absolute') return el.parentElement;
        for (let p = el.parentElement; p; p = p.parentElement) if (getComputedStyle(p).position !== 'static') return p;
        return document.documentElement;
      };
      const scrolls = (el: any) => {
        const block = containingBlock(el);
        if (!block) return false;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const s = getComputedStyle(p);
          if ((s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden' || s.overflowX === 'clip') && p.getBoundingClientRect().right <= width + 1 && (p === block || p.contains(block))) return true;
        }
        return false;
      };
      for (const el of Array.from(document.querySelectorAll('body *')) as any[]) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && !scrolls(el)) {
          const id = el.getAttribute('data-testid') ?? el.className?.toString().slice(0, 60) ?? '';
          offenders.push(`${el.tagName.toLowerCase()}[${id}] right=${Math.round(r.right)} width=${Math.round(r.width)} position=${getComputedStyle(el).position} text=${(el.textContent ?? '').slice(0, 40)}`);
          if (offenders.length >= 8) break;
        }
      }
      if (offenders.length === 0) {
        // nothing sticks out by itself: name the elements reaching furthest right (one escapes its scroller)
        const far = (Array.from(document.querySelectorAll('body *')) as any[])
          .map((el) => ({ el, right: el.getBoundingClientRect().right }))
          .filter((x) => x.right > width + 1)
          .sort((a, b) => b.right - a.right)
          .slice(0, 8);
        for (const { el, right } of far) {
          const id = el.getAttribute('data-testid') ?? el.className?.toString().slice(0, 60) ?? '';
          offenders.push(`(inside a scroller) ${el.tagName.toLowerCase()}[${id}] right=${Math.round(right)} position=${getComputedStyle(el).position} text=${(el.textContent ?? '').slice(0, 40)}`);
        }
      }
    }
    return { overflow, offenders };
  });
}
