/**
 * In a real browser: a desk on the Colombian preset (soporte-niveles: es-CO, COP,
 * America/Bogota) speaks Colombian Spanish to a contact who never chose a language ("Radicar
 * ticket"), shows instants in the company's zone (Bogotá) even though the browser is in Mexico
 * City, and names the preset's products in Spanish. axe on each screen; screenshots.
 */
// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
import { DESKTOP, PHONE, describeBrowser, expectAccessible, launchChromium, screenshot, type Chromium } from './support/browser';
import { browserSession, invitePerson, openAs, type Person } from './support/accounts';
import { WebApp, seedCustomer, seedTicket, startWebApp } from './support/web-app';

jest.setTimeout(120_000);

/** "14:05" in a zone, as the console writes hours (h23) */
const hourIn = (iso: string, zone: string): string => new Intl.DateTimeFormat('es-CO', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

describeBrowser('console: the Colombian preset', () => {
  let web: WebApp;
  let chromium: Chromium;
  let contact: Person;
  let ticketId: string;
  let openedAt: string;

  beforeAll(async () => {
    web = await startWebApp({ preset: 'soporte-niveles' });
    chromium = await launchChromium();
    const { customerId } = await seedCustomer(web, 'Hoteles del Caribe');
    contact = await invitePerson(web, { email: 'lucia@caribe.test', name: 'Lucía Restrepo', kind: 'contact', customerId });
    ticketId = (await seedTicket(web, customerId, 'El correo corporativo no envía adjuntos')).ticketId;
    const ticket = await web.call(web.token('root', ['admin']), 'GET', `/api/tickets/${ticketId}`);
    openedAt = (ticket.body.openedAt ?? ticket.body.receivedAt) as string;
  });

  afterAll(async () => {
    await chromium?.close();
    await web?.close();
  });

  it('speaks es-CO with the company zone and the preset words', async () => {
    const settings = await web.call(web.token('root', ['admin']), 'GET', '/api/settings');
    expect(settings.body).toMatchObject({ locale: 'es-CO', currency: 'COP', timeZone: 'America/Bogota' });

    const context = await browserSession(chromium.browser, web, contact, DESKTOP);
    const page = await openAs(context, web, '/portal');
    // the Colombian catalog loads when chosen (not part of the first screen)
    await page.waitForFunction(() => document.documentElement.lang === 'es-CO', undefined, { timeout: 10_000 });
    const me = await page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { language: string }).language);
    expect(me).toBe('es-CO');
    await page.getByRole('link', { name: 'Radicar ticket' }).first().waitFor();
    // the ticket's opening hour in Bogotá (the browser itself is in Mexico City, an hour behind)
    const row = page.locator(`[data-ticket-id="${ticketId}"]`);
    await row.waitFor();
    expect(hourIn(openedAt, 'America/Bogota')).not.toBe(hourIn(openedAt, 'America/Mexico_City'));
    expect(await row.innerText()).toContain(hourIn(openedAt, 'America/Bogota'));
    await expectAccessible(page, 'the Colombian portal');

    await page.goto(`${web.baseUrl}/portal/new`);
    await page.getByRole('heading', { name: 'Radicar un ticket' }).waitFor();
    await page.getByRole('combobox', { name: /Producto/ }).click();
    await page.getByRole('option', { name: 'Hospedaje compartido' }).waitFor();
    await page.keyboard.press('Escape');
    await expectAccessible(page, 'opening a ticket on the Colombian desk');
    await context.close();
  });

  it('the contact asks to reopen a closed ticket from the portal', async () => {
    await web.call(web.token('agente-co', ['agent']), 'POST', `/api/tickets/${ticketId}/close`, { reason: 'resolved', resolution: 'Se amplió el límite de adjuntos del buzón' });
    const context = await browserSession(chromium.browser, web, contact, DESKTOP);
    const page = await openAs(context, web, `/portal/tickets/${ticketId}`);
    await page.getByText('Se amplió el límite de adjuntos del buzón').waitFor();
    await page.getByRole('button', { name: 'Pedir que se reabra' }).click();
    await page.getByLabel('Motivo para reabrir').fill('Volvió a fallar con archivos de 15 MB');
    await expectAccessible(page, 'reopening from the portal');
    await page.getByRole('button', { name: 'Reabrir ticket' }).click();
    await page.getByRole('button', { name: 'Pedir que se reabra' }).waitFor({ state: 'detached' });
    const reopened = await web.call(web.token('root', ['admin']), 'GET', `/api/tickets/${ticketId}`);
    expect(reopened.body.status).toBe('open');
    await context.close();
  });

  it('fits a phone', async () => {
    const context = await browserSession(chromium.browser, web, contact, PHONE);
    const page = await openAs(context, web, `/portal/tickets/${ticketId}`);
    await page.getByRole('heading', { name: 'El correo corporativo no envía adjuntos' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expectAccessible(page, 'a ticket on the Colombian portal');
    await screenshot(page, 'portal-ticket-co');
    await context.close();
  });
});
