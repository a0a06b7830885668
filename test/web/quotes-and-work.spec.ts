/**
 * In a real browser: an agent issues a policy estimate; a contact without approver rights
 * cannot accept it (the portal shows it pending, the API refuses) while an approver can; the
 * agent logs work until the form refuses (with the API's reason); the customer sees the
 * policy balance drop. axe on every screen; screenshots of the portal screens at 1280 and 375.
 */
import type { BrowserContext, Page } from 'playwright-core';

// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
import { DESKTOP, PHONE, describeBrowser, expectAccessible, launchChromium, newContext, screenshot, type Chromium } from './support/browser';
import { WebApp, seedCustomer, seedTicket, startWebApp } from './support/web-app';

jest.setTimeout(180_000);

describeBrowser('console: quotes, authorization and work against a policy', () => {
  let web: WebApp;
  let chromium: Chromium;
  let customerId: string;
  let ticketId: string;
  const contexts: BrowserContext[] = [];

  const open = async (token: string, path: string, viewport = DESKTOP): Promise<Page> => {
    const context = await newContext(chromium.browser, { viewport, token });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${web.baseUrl}${path}`);
    return page;
  };

  beforeAll(async () => {
    web = await startWebApp();
    chromium = await launchChromium();
    ({ customerId } = await seedCustomer(web, 'Hoteles del Bajío', { plan: 'basic' }));
    ({ ticketId } = await seedTicket(web, customerId, 'Migrar los buzones de correo al nuevo dominio', { reportedPriority: 'medium' }));
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await chromium?.close();
    await web?.close();
  });

  const agent = () => web.token('ana', ['agent']);
  const approver = () => web.token('carla', ['customer'], customerId);
  const requester = () => web.token('rene', ['customer'], customerId, { approver: false });

  it('the agent issues a policy estimate', async () => {
    const page = await open(agent(), `/tickets/${ticketId}`);
    await page.getByRole('tab', { name: /Cotizaciones/ }).click();
    await page.getByTestId('quote-issue').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Minutos' }).fill('60');
    await dialog.getByRole('textbox', { name: 'Descripción del trabajo' }).fill('Migración de 12 buzones y ajuste de registros MX');
    await expectAccessible(page, 'the quote form');
    await dialog.getByRole('button', { name: 'Emitir' }).click();
    await dialog.waitFor({ state: 'detached' });
    const card = page.locator('[data-quote-id]').first();
    await card.locator('[data-quote-status="pending"]').waitFor();
    expect(await card.innerText()).toContain('Estimación con cargo a póliza');
    expect(await card.innerText()).toContain('1 h');
    await expectAccessible(page, 'the quotes tab');
    await screenshot(page, 'ticket-quotes');
  });

  it('a contact without approver rights sees it pending and cannot accept it; an approver accepts it', async () => {
    const viewer = await open(requester(), `/portal/tickets/${ticketId}`);
    await viewer.locator('[data-quote-status="pending"]').waitFor();
    await viewer.getByTestId('quote-needs-approver').waitFor();
    expect(await viewer.getByTestId('quote-accept').count()).toBe(0);
    await expectAccessible(viewer, 'the portal ticket (requester)');
    // the server refuses it too (403 forbidden), whatever the screen shows
    const detail = await web.call(agent(), 'GET', `/api/tickets/${ticketId}`);
    const quoteId = detail.body.quotes[0].quoteId as string;
    const refused = await web.call(requester(), 'POST', `/api/tickets/${ticketId}/quotes/${quoteId}/authorization`, { decision: 'accept' }, 403);
    expect(refused.body.code).toBe('forbidden');

    const page = await open(approver(), `/portal/tickets/${ticketId}`);
    await page.getByTestId('quote-accept').waitFor();
    await expectAccessible(page, 'the portal ticket (approver)');
    await screenshot(page, 'portal-ticket');
    await page.getByTestId('quote-accept').click();
    await page.locator('[data-quote-status="accepted"]').waitFor();
    expect(await page.getByTestId('quote-decision').innerText()).toContain('Autorizada');
    // the requester's screen follows
    await viewer.locator('[data-quote-status="accepted"]').waitFor({ timeout: 20_000 });
  });

  it('the agent logs work until the form refuses; the customer sees the balance drop', async () => {
    const customer = await open(approver(), '/portal/policies');
    const balance = customer.getByTestId('policy-balance').first();
    await balance.waitFor();
    expect(await balance.getAttribute('data-minutes-left')).toBe('300');
    await expectAccessible(customer, 'the policies');
    await screenshot(customer, 'policies');

    const page = await open(agent(), `/tickets/${ticketId}`);
    await page.getByTestId('tab-work').click();
    const form = page.getByTestId('work-log-form');
    await form.waitFor();
    expect(await page.getByTestId('authorization-left').getAttribute('data-minutes-left')).toBe('60');
    expect(await page.getByTestId('policy-left').getAttribute('data-minutes-left')).toBe('300');
    await expectAccessible(page, 'the work log');

    for (const [n, left] of [
      [1, 30],
      [2, 0],
    ] as const) {
      await form.getByRole('textbox', { name: 'Minutos' }).fill('30');
      await form.getByRole('textbox', { name: 'Descripción del trabajo' }).fill(`Migración, parte ${n}`);
      await page.getByTestId('work-log-submit').click();
      await page.waitForFunction((expected) => document.querySelector('[data-testid="authorization-left"]')?.getAttribute('data-minutes-left') === String(expected), left, { timeout: 10_000 });
    }
    await page.waitForFunction(() => document.querySelector('[data-testid="policy-left"]')?.getAttribute('data-minutes-left') === '240');
    // nothing left on the authorization: the form refuses with the API's reason and will not submit
    await form.getByRole('textbox', { name: 'Minutos' }).fill('15');
    await form.getByRole('textbox', { name: 'Descripción del trabajo' }).fill('Un poco más');
    const refusal = form.locator('[data-problem-code="exceeds-authorization"]');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('Excede lo autorizado');
    expect(await page.getByTestId('work-log-submit').isDisabled()).toBe(true);
    // the API gives the same reason
    const api = await web.call(agent(), 'POST', `/api/tickets/${ticketId}/work-logs`, { minutes: 15, workedOn: new Date().toISOString().slice(0, 10), description: 'Un poco más' }, 422);
    expect(api.body.code).toBe('exceeds-authorization');
    expect(await page.getByTestId('work-log-list').locator('tbody tr').count()).toBe(2);
    await screenshot(page, 'ticket-work');

    // the customer's open policies screen shows the drop (live, or on its periodic refresh)
    await customer.waitForFunction(() => document.querySelector('[data-testid="policy-balance"]')?.getAttribute('data-minutes-left') === '240', undefined, { timeout: 20_000 });
    expect(await balance.innerText()).toBe('Quedan 4 h de 5 h');
  });

  it('the portal screens fit a 375-pixel-wide phone', async () => {
    for (const [path, name] of [
      ['/portal', 'portal'],
      [`/portal/tickets/${ticketId}`, 'portal-ticket'],
      ['/portal/policies', 'policies'],
      ['/portal/new', 'open-ticket'],
    ] as const) {
      const page = await open(approver(), path, PHONE);
      await page.locator('main h1').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await expectAccessible(page, `${path} on a phone`);
      await screenshot(page, name);
    }
    const page = await open(approver(), '/portal');
    await page.locator('[data-testid="portal-tickets"] li').first().waitFor();
    await expectAccessible(page, 'the portal home');
    await screenshot(page, 'portal');
  });
});
