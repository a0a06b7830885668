/**
 * In a real browser (Debian's chromium): an agent triages the queue. The queue shows open
 * tickets in response-deadline order with their graded SLA state in words; the keyboard moves
 * through it (j/k, arrows) and Enter opens a ticket; the agent classifies and assigns it and
 * the queue shows it. Every screen passes axe (no serious or critical violation); screenshots
 * at 1280 and 375 px go to docs/screenshots.
 */
import type { Page } from 'playwright-core';

// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
import { DESKTOP, PHONE, describeBrowser, expectAccessible, launchChromium, newContext, screenshot, type Chromium } from './support/browser';
import { WebApp, seedCustomer, seedTicket, startWebApp } from './support/web-app';

jest.setTimeout(120_000);

describeBrowser('console: an agent triages the queue', () => {
  let web: WebApp;
  let chromium: Chromium;
  const tickets: string[] = [];

  beforeAll(async () => {
    web = await startWebApp();
    chromium = await launchChromium();
    const { customerId } = await seedCustomer(web, 'Hoteles del Bajío');
    tickets.push((await seedTicket(web, customerId, 'El sitio web no carga desde dos dispositivos', { reportedPriority: 'high' })).ticketId);
    tickets.push((await seedTicket(web, customerId, 'Restaurar el respaldo de la base de datos', { reportedPriority: 'medium' })).ticketId);
    tickets.push((await seedTicket(web, customerId, 'Cómo cambio la contraseña del correo', { reportedPriority: 'low' })).ticketId);
  });

  afterAll(async () => {
    await chromium?.close();
    await web?.close();
  });

  const focusedTicket = (page: Page, id: string) => page.waitForFunction((expected) => document.activeElement?.getAttribute('data-ticket-id') === expected, id, { timeout: 5000 });
  const rows = (page: Page) => page.locator('[data-testid="queue-table"] tbody tr[data-ticket-id]');

  it('shows the queue by response deadline with graded SLA words, navigable by keyboard; classify and assign from the ticket', async () => {
    const context = await newContext(chromium.browser, { viewport: DESKTOP, token: web.token('ana', ['agent']) });
    const page = await context.newPage();
    await page.goto(`${web.baseUrl}/`);
    await page.waitForURL('**/queue');
    await page.locator('#app[data-live="open"], #app[data-live="unavailable"]').waitFor();
    await rows(page).first().waitFor();
    expect(await rows(page).count()).toBe(3);
    // response-deadline order: high (24 h) first, then medium (48 h), then low (72 h)
    expect(await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ticket-id')))).toEqual(tickets);
    // graded state: colour AND icon AND word
    const badge = rows(page).first().locator('[data-sla-state]');
    expect(await badge.getAttribute('data-sla-state')).toBe('on-track');
    expect(await badge.innerText()).toBe('En tiempo');
    expect(await badge.locator('svg').count()).toBe(1);
    await expect(rows(page).first().innerText()).resolves.toMatch(/vence /);

    await expectAccessible(page, 'the queue');
    await screenshot(page, 'queue');

    // keyboard: focus the first row, j moves down, k up, ArrowDown down, Enter opens
    await rows(page).first().focus();
    await page.keyboard.press('j');
    await focusedTicket(page, tickets[1]);
    await page.keyboard.press('k');
    await focusedTicket(page, tickets[0]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await focusedTicket(page, tickets[2]);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/tickets/${tickets[1]}`);
    await page.getByRole('heading', { name: 'Restaurar el respaldo de la base de datos' }).waitFor();
    await expectAccessible(page, 'the ticket workspace');
    await screenshot(page, 'ticket');

    // classify: raise to high
    await page.getByRole('button', { name: 'Clasificar' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: 'Prioridad' }).click();
    await page.getByRole('option', { name: 'Alta' }).click();
    await dialog.getByLabel('Motivo (opcional)').fill('El cliente no puede facturar');
    await expectAccessible(page, 'the classify form');
    await dialog.getByRole('button', { name: 'Guardar clasificación' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-testid="ticket-facts"]').getByText('Alta', { exact: true }).waitFor();

    // assign to herself
    await page.getByRole('button', { name: 'Asignar' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Asignar' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.locator('[data-testid="ticket-facts"]').getByText('ana', { exact: true }).waitFor();

    // back in the queue: the classification and the assignee show; "A mí" keeps only hers
    await page.getByRole('link', { name: 'Volver a la cola' }).click();
    await page.waitForURL('**/queue');
    const triaged = page.locator(`tr[data-ticket-id="${tickets[1]}"]`);
    await triaged.getByText('Usted', { exact: true }).waitFor();
    await triaged.getByText('Alta', { exact: true }).waitFor();
    await page.getByRole('combobox', { name: 'Asignado a' }).click();
    await page.getByRole('option', { name: 'A mí' }).click();
    await page.waitForURL('**/queue?assignee=me');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="queue-table"] tbody tr[data-ticket-id]').length === 1);
    expect(await rows(page).first().getAttribute('data-ticket-id')).toBe(tickets[1]);
    await context.close();
  });

  it('fits a 375-pixel-wide phone', async () => {
    const context = await newContext(chromium.browser, { viewport: PHONE, token: web.token('ana', ['agent']) });
    const page = await context.newPage();
    await page.goto(`${web.baseUrl}/queue`);
    await rows(page).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expectAccessible(page, 'the queue on a phone');
    await screenshot(page, 'queue');
    await page.goto(`${web.baseUrl}/tickets/${tickets[0]}`);
    await page.getByRole('heading', { name: 'El sitio web no carga desde dos dispositivos' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expectAccessible(page, 'the ticket workspace on a phone');
    await screenshot(page, 'ticket');
    await context.close();
  });
});
