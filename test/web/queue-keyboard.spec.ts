/**
 * In a real browser: the queue is worked from the keyboard over more tickets than one page
 * holds. PageDown and PageUp move ten rows; End goes to the last row loaded, which loads the
 * next page, until the whole queue is there; Home goes back to the top. The focus stays on a row
 * throughout, even when the row it was on leaves the rendered window (virtual scrolling), and
 * the keys keep working if the focus falls to the page's body. With every page held, a live
 * change asks for the changed ticket alone and puts it in place (no page is fetched again).
 */
import type { Page } from 'playwright-core';
import { DESKTOP, describeBrowser, expectAccessible, launchChromium, newContext, type Chromium } from './support/browser';
import { WebApp, seedCustomer, seedTicket, startWebApp } from './support/web-app';

// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

jest.setTimeout(180_000);

/** more than the first page (50) and one more page (200) */
const TICKETS = 320;

describeBrowser('console: the queue from the keyboard, page after page', () => {
  let web: WebApp;
  let chromium: Chromium;

  beforeAll(async () => {
    web = await startWebApp();
    chromium = await launchChromium();
    const { customerId } = await seedCustomer(web, 'Distribuidora del Norte');
    let next = 0;
    const worker = async () => {
      while (next < TICKETS) {
        const n = ++next;
        await seedTicket(web, customerId, `Incidencia ${String(n).padStart(3, '0')}: la terminal no imprime`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  });

  afterAll(async () => {
    await chromium?.close();
    await web?.close();
  });

  /** the focused row's index, or null when no row has the focus */
  const focusedIndex = (page: Page) => page.evaluate(() => (document.activeElement?.matches('tr[data-ticket-id]') ? Number(document.activeElement.getAttribute('data-index')) : null));
  const waitFocused = (page: Page, index: number) =>
    page.waitForFunction((i) => document.activeElement?.matches(`tr[data-ticket-id][data-index="${i}"]`), index, { timeout: 10_000 });
  const loaded = (page: Page) => page.evaluate(() => Number(document.querySelector('[data-testid="queue-count"]')?.getAttribute('data-count') ?? 0));

  it('PageDown/PageUp move ten rows, End loads page after page to the last ticket, Home returns; the focus is never lost', async () => {
    const context = await newContext(chromium.browser, { viewport: DESKTOP, token: web.token('kbd-agent', ['agent']) });
    const page = await context.newPage();
    await page.goto(`${web.baseUrl}/queue`);
    const rows = page.locator('[data-testid="queue-table"] tbody tr[data-ticket-id]');
    await rows.first().waitFor();
    expect(await loaded(page)).toBe(50); // the first page is small
    expect(await page.getByTestId('queue-count').innerText()).toMatch(/50/);

    await rows.first().focus();
    await page.keyboard.press('PageDown');
    await waitFocused(page, 10);
    await page.keyboard.press('PageDown');
    await waitFocused(page, 20);
    await page.keyboard.press('PageUp');
    await waitFocused(page, 10);
    await page.keyboard.press('PageUp');
    await page.keyboard.press('PageUp'); // not above the first row
    await waitFocused(page, 0);

    // End, again and again: each time the last row loaded, and the next page behind it
    const seen: number[] = [];
    for (let i = 0; i < 40 && !(seen.length && seen[seen.length - 1] === TICKETS - 1 && (await loaded(page)) === TICKETS); i++) {
      // the next page may arrive between the key and the check: the focus lands on the last row
      // loaded when End was pressed, or on a later one
      const before = await loaded(page);
      await page.keyboard.press('End');
      await page.waitForFunction((least) => document.activeElement?.matches('tr[data-ticket-id]') && Number(document.activeElement.getAttribute('data-index')) >= least, before - 1, { timeout: 10_000 });
      seen.push((await focusedIndex(page))!);
      await page.waitForTimeout(100);
    }
    expect(await loaded(page)).toBe(TICKETS);
    expect(seen[seen.length - 1]).toBe(TICKETS - 1);
    expect(seen.length).toBeGreaterThanOrEqual(3); // 50, 250, 320: every page came by the keyboard
    expect(await page.getByTestId('queue-count').innerText()).toMatch(new RegExp(`${TICKETS}`));

    // live, with every page held: a change to one ticket asks for that ticket alone, not for every page again
    await page.locator('#app[data-live="open"]').waitFor({ timeout: 15_000 });
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/queue')) asked.push(new URL(r.url()).search);
    });
    const last = (await rows.last().getAttribute('data-ticket-id'))!;
    await web.call(web.token('kbd-agent', ['agent']), 'POST', `/api/tickets/${last}/assignment`, { assigneeId: 'ingeniero-en-vivo' });
    await page.locator(`tr[data-ticket-id="${last}"]`).getByText('ingeniero-en-vivo').waitFor({ timeout: 5_000 });
    // a ticket that leaves the queue leaves the screen
    await web.call(web.token('kbd-agent', ['agent']), 'POST', `/api/tickets/${last}/close`, { reason: 'resolved', resolution: 'Se cambió el cartucho' });
    await page.locator(`tr[data-ticket-id="${last}"]`).waitFor({ state: 'detached', timeout: 5_000 });
    expect(await loaded(page)).toBe(TICKETS - 1);
    expect(asked.length).toBeGreaterThanOrEqual(1);
    for (const search of asked) expect(search).toMatch(new RegExp(`ticketIds=${last}`));

    // the rows are virtual: the last one is on screen, the first ones are not in the page at all
    expect(await page.locator('tr[data-ticket-id][data-index="0"]').count()).toBe(0);
    await page.keyboard.press('Home');
    await waitFocused(page, 0);
    expect(await page.getByTestId('queue-scroll').evaluate((el: any) => el.scrollTop)).toBe(0); // eslint-disable-line @typescript-eslint/no-explicit-any

    // the focus falls to the body (the row it was on scrolled away): the keys still work from there
    await page.keyboard.press('PageDown');
    await waitFocused(page, 10);
    await page.evaluate(() => document.activeElement.blur());
    expect(await focusedIndex(page)).toBeNull();
    await page.keyboard.press('j');
    await waitFocused(page, 11);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/tickets\//);
    await page.goBack();
    await rows.first().waitFor();
    await expectAccessible(page, 'the queue after keyboard work');
    await context.close();
  });
});
