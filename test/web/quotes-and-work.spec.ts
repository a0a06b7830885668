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
import { invite, signInThroughUi, type Person } from './support/people';
import { randomUUID } from 'crypto';
import { WebApp, seedCustomer, seedTicket, startWebApp, todayInMexico } from './support/web-app';

jest.setTimeout(180_000);

describeBrowser('console: quotes, authorization and work against a policy', () => {
  let web: WebApp;
  let chromium: Chromium;
  let customerId: string;
  let ticketId: string;
  const contexts: BrowserContext[] = [];

  let ana: Person;
  let carla: Person;
  let rene: Person;

  /** a new browser context signed in as `who` through the sign-in screen, on `path` */
  const open = async (who: Person, path: string, viewport = DESKTOP): Promise<Page> => {
    const context = await newContext(chromium.browser, { viewport });
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughUi(page, web, who.email, path);
    await page.waitForURL(`**${path}`);
    return page;
  };

  beforeAll(async () => {
    web = await startWebApp();
    chromium = await launchChromium();
    ({ customerId } = await seedCustomer(web, 'Hoteles del Bajío', { plan: 'basic' }));
    ana = await invite(web, { email: 'ana@impera.test', name: 'Ana López', kind: 'staff', roles: ['agent'] });
    carla = await invite(web, { email: 'carla@hoteles.test', name: 'Carla Ruiz', kind: 'contact', customerId, approver: true });
    rene = await invite(web, { email: 'rene@hoteles.test', name: 'René Soto', kind: 'contact', customerId, approver: false });
    ({ ticketId } = await seedTicket(web, customerId, 'Migrar los buzones de correo al nuevo dominio', { reportedPriority: 'medium' }));
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await chromium?.close();
    await web?.close();
  });

  const agentToken = () => web.token('ana', ['agent']);
  const renesToken = () => web.token(rene.userId, ['customer'], customerId);

  it('the agent issues a policy estimate', async () => {
    const page = await open(ana, `/tickets/${ticketId}`);
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
    const viewer = await open(rene, `/portal/tickets/${ticketId}`);
    await viewer.locator('[data-quote-status="pending"]').waitFor();
    await viewer.getByTestId('quote-needs-approver').waitFor();
    expect(await viewer.getByTestId('quote-accept').count()).toBe(0);
    await expectAccessible(viewer, 'the portal ticket (requester)');
    // a follow-up (seed 002) is not possible before 40 minutes since the opening: the button says
    // from when, and the server refuses earlier with 422 follow-up-too-early naming that instant
    const opened = await web.call(agentToken(), 'GET', `/api/tickets/${ticketId}`);
    const availableAt = new Date(Date.parse(opened.body.openedAt ?? opened.body.receivedAt) + 40 * 60_000);
    const hour = new Intl.DateTimeFormat('es-MX', { timeZone: 'America/Mexico_City', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(availableAt);
    const followUp = viewer.getByTestId('follow-up');
    expect(await followUp.isDisabled()).toBe(true);
    expect(await followUp.innerText()).toMatch(new RegExp(`Podrá pedir seguimiento desde .*${hour}`));
    const early = await web.call(renesToken(), 'POST', `/api/tickets/${ticketId}/follow-ups`, {}, 422);
    expect(early.body.code).toBe('follow-up-too-early');
    expect(Date.parse(early.body.availableAt)).toBe(availableAt.getTime());
    // the server refuses it too (403 forbidden), whatever the screen shows
    const detail = await web.call(agentToken(), 'GET', `/api/tickets/${ticketId}`);
    const quoteId = detail.body.quotes[0].quoteId as string;
    // a token naming René (a known user without approver rights) is refused like his session
    const refused = await web.call(renesToken(), 'POST', `/api/tickets/${ticketId}/quotes/${quoteId}/authorization`, { decision: 'accept' }, 403);
    expect(refused.body.code).toBe('forbidden');

    const page = await open(carla, `/portal/tickets/${ticketId}`);
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
    const customer = await open(carla, '/portal/policies');
    const balance = customer.getByTestId('policy-balance').first();
    await balance.waitFor();
    expect(await balance.getAttribute('data-minutes-left')).toBe('300');
    await expectAccessible(customer, 'the policies');

    const page = await open(ana, `/tickets/${ticketId}`);
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
    const api = await web.call(agentToken(), 'POST', `/api/tickets/${ticketId}/work-logs`, { minutes: 15, workedOn: new Date().toISOString().slice(0, 10), description: 'Un poco más' }, 422);
    expect(api.body.code).toBe('exceeds-authorization');
    expect(await page.getByTestId('work-log-list').locator('tbody tr').count()).toBe(2);
    await screenshot(page, 'ticket-work');

    // the customer's open policies screen shows the drop (live, or on its periodic refresh)
    await customer.waitForFunction(() => document.querySelector('[data-testid="policy-balance"]')?.getAttribute('data-minutes-left') === '240', undefined, { timeout: 20_000 });
    expect(await balance.innerText()).toBe('Quedan 4 h de 5 h');
    await customer.locator('table').first().waitFor();
    await screenshot(customer, 'policies');
  });

  it('below a fifth of the policy left, the portal warns in words (not by colour alone)', async () => {
    const { customerId: clinic } = await seedCustomer(web, 'Clínica San Ángel', { plan: 'basic', minutes: 100 });
    const lucia = await invite(web, { email: 'lucia@clinica.test', name: 'Lucía Campos', kind: 'contact', customerId: clinic, approver: true });
    const { ticketId: visit } = await seedTicket(web, clinic, 'Configurar la impresora de recepción');
    const quoteId = randomUUID();
    await web.call(agentToken(), 'POST', `/api/tickets/${visit}/quotes`, { quoteId, kind: 'policy-estimate', minutes: 90, description: 'Instalación y pruebas de la impresora' });
    await web.call(web.token(lucia.userId, ['customer'], clinic, { approver: true }), 'POST', `/api/tickets/${visit}/quotes/${quoteId}/authorization`, { decision: 'accept' });
    // 75 of 100 minutes used: 25% left, no warning yet
    await web.call(agentToken(), 'POST', `/api/tickets/${visit}/work-logs`, { minutes: 75, workedOn: todayInMexico(), description: 'Instalación' }, 201);
    const page = await open(lucia, '/portal/policies');
    const balance = page.getByTestId('policy-balance').first();
    await page.waitForFunction(() => document.querySelector('[data-testid="policy-balance"]')?.getAttribute('data-minutes-left') === '25');
    expect(await page.getByTestId('policy-low').count()).toBe(0);
    // 90 used: 10% left, the warning says how much is left and what to do
    await web.call(agentToken(), 'POST', `/api/tickets/${visit}/work-logs`, { minutes: 15, workedOn: todayInMexico(), description: 'Pruebas' }, 201);
    const warning = page.getByTestId('policy-low');
    await warning.waitFor({ timeout: 20_000 });
    expect(await balance.getAttribute('data-minutes-left')).toBe('10');
    expect(await warning.innerText()).toMatch(/Saldo bajo[\s\S]*Quedan 10 min \(10% de la póliza\)/);
    expect(await warning.locator('svg').count()).toBe(1);
    await expectAccessible(page, 'the policies with a low balance');
    await screenshot(page, 'policies-low');
    // the portal's home says it too
    await page.goto(`${web.baseUrl}/portal`);
    await page.getByTestId('policy-low').waitFor();
  });

  it('the portal screens fit a 375-pixel-wide phone', async () => {
    for (const [path, name] of [
      ['/portal', 'portal'],
      [`/portal/tickets/${ticketId}`, 'portal-ticket'],
      ['/portal/policies', 'policies'],
      ['/portal/new', 'open-ticket'],
    ] as const) {
      const page = await open(carla, path, PHONE);
      await page.locator('main h1').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await expectAccessible(page, `${path} on a phone`);
      await screenshot(page, name);
    }
    const page = await open(carla, '/portal');
    await page.locator('[data-testid="portal-tickets"] li').first().waitFor();
    await expectAccessible(page, 'the portal home');
    await screenshot(page, 'portal');
  });
});
