/**
 * In a real browser: a customer's contact opens a ticket in the portal, and it appears in a
 * second agent's queue within 2 seconds, without a reload (the event stream; the test waits
 * for data-live="open" before it starts). The agent's open ticket follows too: a customer's
 * reply shows in the workspace's conversation. axe on the portal's new-ticket form; its
 * screenshots at 1280 and 375 px.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { DESKTOP, describeBrowser, expectAccessible, launchChromium, newContext, screenshot, type Chromium } from './support/browser';
import { invite, signInThroughUi, type Person } from './support/people';
import { WebApp, seedCustomer, seedTicket, startWebApp } from './support/web-app';

// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

jest.setTimeout(150_000);

describeBrowser('console: live updates', () => {
  let web: WebApp;
  let chromium: Chromium;
  let customerId: string;
  let beto: Person;
  let carla: Person;
  const contexts: BrowserContext[] = [];

  const open = async (who: Person, path: string): Promise<Page> => {
    const context = await newContext(chromium.browser, { viewport: DESKTOP });
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughUi(page, web, who.email, path);
    await page.waitForURL(`**${path}`);
    return page;
  };
  const liveOpen = (page: Page) => page.locator('#app[data-live="open"]').waitFor({ timeout: 15_000 });

  beforeAll(async () => {
    web = await startWebApp();
    chromium = await launchChromium();
    ({ customerId } = await seedCustomer(web, 'Grupo Hotelero del Pacífico'));
    await seedTicket(web, customerId, 'La facturación electrónica rechaza los RFC genéricos', { reportedPriority: 'low' });
    beto = await invite(web, { email: 'beto@impera.test', name: 'Beto Ramírez', kind: 'staff', roles: ['agent'] });
    carla = await invite(web, { email: 'carla@pacifico.test', name: 'Carla Ruiz', kind: 'contact', customerId, approver: true });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await chromium?.close();
    await web?.close();
  });

  it('a ticket opened in the portal appears in a second agent’s queue within 2 seconds, without reload', async () => {
    const agent = await open(beto, '/queue');
    await agent.locator('[data-testid="queue-table"] tbody tr[data-ticket-id]').first().waitFor();
    await liveOpen(agent);
    expect(await agent.locator('[data-testid="queue-table"] tbody tr[data-ticket-id]').count()).toBe(1);
    // no reload may happen: a marker on the agent's window would be lost by one
    await agent.evaluate(() => ((window as any).__sameDocument = true));

    const portal = await open(carla, '/portal/new');
    await portal.getByRole('heading', { name: 'Abrir un ticket' }).waitFor();
    await expectAccessible(portal, 'the new-ticket form');
    await portal.getByRole('textbox', { name: 'Asunto' }).fill('El sitio web no carga desde dos dispositivos');
    await portal.getByRole('textbox', { name: 'Descripción' }).fill('Desde las 9:00 el sitio no abre ni en la oficina ni en el celular.');
    await portal.getByRole('combobox', { name: /Prioridad que usted percibe/ }).click();
    await portal.getByRole('option', { name: 'Alta' }).click();
    await screenshot(portal, 'open-ticket');
    await portal.getByRole('button', { name: 'Enviar ticket' }).click();
    await portal.waitForURL(/\/portal\/tickets\//);
    const submittedAt = Date.now();
    const ticketId = portal.url().split('/').pop()!;

    await agent.locator(`tr[data-ticket-id="${ticketId}"]`).waitFor({ timeout: 2_000 });
    const seenAfter = Date.now() - submittedAt;
    expect(seenAfter).toBeLessThan(2_000);
    expect(await agent.evaluate(() => (window as any).__sameDocument)).toBe(true);
    // a high-priority ticket goes first: the earliest response deadline
    expect(await agent.locator('[data-testid="queue-table"] tbody tr[data-ticket-id]').first().getAttribute('data-ticket-id')).toBe(ticketId);

    // the agent opens it; the customer's reply shows in the conversation without reload
    await agent.locator(`tr[data-ticket-id="${ticketId}"]`).click();
    await agent.getByRole('heading', { name: 'El sitio web no carga desde dos dispositivos' }).waitFor();
    await portal.getByRole('textbox', { name: 'Mensaje' }).fill('Adjunto: también falla desde la red del hotel.');
    await portal.locator('input[type="file"]').setInputFiles({ name: 'traceroute.txt', mimeType: 'text/plain', buffer: Buffer.from('1  10.0.0.1  0.4 ms\n2  * * *\n') });
    await portal.getByText('traceroute.txt').waitFor();
    await portal.getByRole('button', { name: 'Enviar' }).click();
    await agent.locator('[data-testid="conversation"]').getByText('también falla desde la red del hotel', { exact: false }).waitFor({ timeout: 5_000 });
    // the attachment travels with the message and downloads through the ticket
    const link = agent.locator('[data-testid="conversation"]').getByRole('link', { name: 'traceroute.txt' });
    await link.waitFor();
    const href = await link.getAttribute('href');
    expect(href).toMatch(new RegExp(`^/api/tickets/${ticketId}/attachments/[0-9a-f]{64}$`));
    const body = await agent.evaluate(async (url: string) => (await fetch(url)).text(), href!);
    expect(body).toContain('10.0.0.1');
    expect(await agent.evaluate(() => (window as any).__sameDocument)).toBe(true);

    // an internal note with an attachment: the staff see it marked as such, with its file; the
    // customer never sees the note, and the file is not found for them (404, like any other ticket's)
    await agent.getByRole('radiogroup', { name: 'Tipo de mensaje' }).getByText('Nota interna', { exact: true }).click();
    await agent.getByRole('textbox', { name: 'Nota interna (el cliente no la ve)' }).fill('Nota interna: el DNS del hotel apunta al servidor anterior.');
    await agent.locator('input[type="file"]').setInputFiles({ name: 'dns-anterior.txt', mimeType: 'text/plain', buffer: Buffer.from('hotel.example. 300 IN A 203.0.113.7\n') });
    await agent.getByText('dns-anterior.txt').waitFor();
    await agent.getByRole('button', { name: 'Guardar nota' }).click();
    const note = agent.locator('[data-testid="conversation"] [data-visibility="internal"]');
    await note.getByText('el DNS del hotel apunta al servidor anterior', { exact: false }).waitFor({ timeout: 5_000 });
    expect(await note.innerText()).toContain('Nota interna');
    const noteLink = note.getByRole('link', { name: 'dns-anterior.txt' });
    const noteHref = (await noteLink.getAttribute('href'))!;
    expect(noteHref).toMatch(new RegExp(`^/api/tickets/${ticketId}/attachments/[0-9a-f]{64}$`));
    expect(await agent.evaluate(async (url: string) => (await fetch(url)).text(), noteHref)).toContain('203.0.113.7');
    // the customer: a later public reply arrives live, the note never does, and its file is not theirs
    await agent.getByRole('radiogroup', { name: 'Tipo de mensaje' }).getByText('Respuesta pública', { exact: true }).click();
    await agent.getByRole('textbox', { name: 'Mensaje' }).fill('Estamos corrigiendo el registro DNS del sitio.');
    await agent.getByRole('button', { name: 'Enviar', exact: true }).click();
    await portal.getByText('Estamos corrigiendo el registro DNS del sitio.').waitFor({ timeout: 5_000 });
    expect(await portal.locator('[data-visibility="internal"]').count()).toBe(0);
    expect(await portal.getByText('el DNS del hotel apunta', { exact: false }).count()).toBe(0);
    expect(await portal.getByText('dns-anterior.txt').count()).toBe(0);
    expect(await portal.evaluate(async (url: string) => (await fetch(url)).status, noteHref)).toBe(404);
    await expectAccessible(agent, 'the conversation with an internal note');
  });
});
