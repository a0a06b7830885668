/**
 * In a real browser against the real server, signed in as a supervisor: the dashboard's
 * figures (breached now and at risk, workload per agent, response targets met and missed per
 * month and per classification, escalations per level) each open the tickets behind them, and
 * every count equals the tickets listed on its drill-down. Bars open the same lists. axe on the
 * dashboard and on a drill-down; screenshots at 1280 and 375 pixels.
 */
import { randomUUID } from 'crypto';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { DESKTOP, PHONE, describeBrowser, expectAccessible, launchChromium, screenshot, settled, type Chromium } from './support/browser';
import { browserSession, invitePerson, openAs, signInApi, type Person } from './support/accounts';
import { horizontalOverflow } from './support/layout';
import { WebApp, startWebApp } from './support/web-app';

// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

jest.setTimeout(300_000);

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

describeBrowser('console: supervisor dashboard', () => {
  let web: WebApp;
  let chromium: Chromium;
  const contexts: BrowserContext[] = [];
  let supervisor: Person;
  const tickets: Record<string, string> = {};

  const as = async (person: Person, urlPath: string, viewport = DESKTOP): Promise<Page> => {
    const context = await browserSession(chromium.browser, web, person, viewport);
    contexts.push(context);
    return openAs(context, web, urlPath);
  };

  beforeAll(async () => {
    web = await startWebApp({ env: { PASSWORD_SCRYPT_LN: '10' } });
    chromium = await launchChromium();
    const admin = web.token('root', ['admin']);
    const customerId = randomUUID();
    await web.call(admin, 'POST', '/api/customers', { customerId, name: 'Hoteles del Bajío' });
    const ana = await signInApi(web, await invitePerson(web, { email: 'ana.robles@mesa.example.mx', name: 'Ana Robles', kind: 'staff', roles: ['agent'] }));
    const beto = await signInApi(web, await invitePerson(web, { email: 'beto.garza@mesa.example.mx', name: 'Beto Garza', kind: 'staff', roles: ['agent'] }));
    supervisor = await invitePerson(web, { email: 'sofia.trevino@mesa.example.mx', name: 'Sofía Treviño', kind: 'staff', roles: ['supervisor'] });
    const sofia = await signInApi(web, supervisor);

    const open = async (key: string, priority: 'low' | 'medium' | 'high', receivedDaysAgo: number | null, subject: string) => {
      const ticketId = randomUUID();
      tickets[key] = ticketId;
      await ana.call('POST', '/api/tickets', {
        ticketId,
        customerId,
        department: 'support',
        subject,
        description: `${subject}: recibido por correo.`,
        channel: 'email',
        reportedPriority: priority,
        ...(receivedDaysAgo !== null ? { receivedAt: daysAgo(receivedDaysAgo) } : {}),
      });
      return ticketId;
    };
    const answer = (who: typeof ana, ticketId: string) => who.call('POST', `/api/tickets/${ticketId}/messages`, { body: 'Estamos revisando su caso.', visibility: 'public' });
    const assign = (ticketId: string, userId: string) => sofia.call('POST', `/api/tickets/${ticketId}/assignment`, { assigneeId: userId });

    // answered late (received a month ago): a missed target
    const late = await open('late', 'high', 30, 'El sitio web no carga desde dos dispositivos');
    await assign(late, ana.person.userId);
    await answer(ana, late);
    // answered in time: met targets in two classifications
    const met1 = await open('met1', 'medium', null, 'Restaurar un respaldo de la base de datos');
    await assign(met1, ana.person.userId);
    await answer(ana, met1);
    const met2 = await open('met2', 'low', null, 'Cambio de contraseña del correo');
    await assign(met2, beto.person.userId);
    await answer(beto, met2);
    // not answered and long overdue: breached now, escalated by the supervisor
    const overdue = await open('overdue', 'high', 20, 'Caída intermitente del servidor de correo');
    await assign(overdue, beto.person.userId);
    await sofia.call('POST', `/api/tickets/${overdue}/escalations`, { reason: 'Cliente estratégico sin respuesta' });
    // waiting for the customer
    const waiting = await open('waiting', 'medium', null, 'Licencias de antivirus por renovar');
    await assign(waiting, ana.person.userId);
    await ana.call('POST', `/api/tickets/${waiting}/awaiting-customer`, { question: '¿Cuántos equipos tienen el antivirus instalado?' });
    // new and unassigned
    await open('fresh', 'low', null, 'Alta de un usuario en el dominio');
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await chromium?.close();
    await web?.close();
  });

  /** opens the drill-down of a count and checks it lists exactly that many tickets; returns their ids */
  async function drill(page: Page, trigger: Locator): Promise<string[]> {
    const expected = Number(await trigger.getAttribute('data-count'));
    await trigger.click();
    const drawer = page.getByTestId('drilldown');
    await page.waitForFunction(() => {
      const d = document.querySelector('[data-testid="drilldown"]');
      return d && d.getAttribute('data-total') !== '' && d.querySelectorAll('[data-loading="true"]').length === 0;
    });
    expect(Number(await drawer.getAttribute('data-total'))).toBe(expected);
    const ids = await drawer.locator('[data-testid="drill-list"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ticket-id')));
    expect(ids).toHaveLength(expected);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    return ids as string[];
  }

  async function tableView(page: Page, figure: string): Promise<Locator> {
    await page.getByTestId(figure).getByText('Tabla', { exact: true }).click();
    const table = page.getByTestId(`${figure}-table`);
    await table.waitFor();
    return table;
  }

  it('every figure opens the tickets behind it, and the counts match', async () => {
    const page = await as(supervisor, '/dashboard');
    await page.getByTestId('dashboard-screen').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="now-breached"]')?.getAttribute('data-count') !== '');
    await settled(page);
    await expectAccessible(page, 'the dashboard');
    await screenshot(page, 'dashboard');

    // now: breached, at risk, on track, paused, answered
    expect(Number(await page.getByTestId('now-breached').getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
    const breached = await drill(page, page.getByTestId('now-breached'));
    expect(breached).toContain(tickets.overdue);
    expect(await drill(page, page.getByTestId('now-paused'))).toEqual([tickets.waiting]);
    const answered = await drill(page, page.getByTestId('now-responded'));
    expect(answered.sort()).toEqual([tickets.late, tickets.met1, tickets.met2].sort());
    for (const state of ['at-risk', 'on-track']) {
      const card = page.getByTestId(`now-${state}`);
      if (Number(await card.getAttribute('data-count')) > 0) await drill(page, card);
    }

    // workload per agent: every cell of its table
    const workload = await tableView(page, 'workload');
    const cells = workload.locator('[data-testid="drill-cell"]');
    const n = await cells.count();
    expect(n).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < n; i++) await drill(page, cells.nth(i));
    expect(await workload.innerText()).toContain('Ana Robles');
    expect(await workload.innerText()).toContain('Beto Garza');
    expect(await workload.innerText()).toContain('Sin asignar');

    // response targets per month: met and missed
    const byMonth = await tableView(page, 'response-by-month');
    const monthCells = byMonth.locator('[data-testid="drill-cell"]');
    const ids: string[][] = [];
    for (let i = 0; i < (await monthCells.count()); i++) ids.push(await drill(page, monthCells.nth(i)));
    expect(ids.flat()).toEqual(expect.arrayContaining([tickets.late, tickets.met1, tickets.met2]));
    expect(await byMonth.innerText()).toMatch(/66[.,]7\s*%/);

    // per classification, and per month and classification
    const byClass = await tableView(page, 'response-by-class');
    for (let i = 0; i < (await byClass.locator('[data-testid="drill-cell"]').count()); i++) await drill(page, byClass.locator('[data-testid="drill-cell"]').nth(i));
    const matrix = page.getByTestId('response-matrix');
    const missedHigh = await drill(page, matrix.locator('[data-testid="drill-cell"]').filter({ hasText: '1' }).first());
    expect(missedHigh.length).toBeGreaterThan(0);

    // escalations per level
    const escalations = await tableView(page, 'escalations');
    const escalated = await drill(page, escalations.locator('[data-testid="drill-cell"]').first());
    expect(escalated).toEqual([tickets.overdue]);
    await expectAccessible(page, 'the dashboard (tables)');
  });

  it('a bar of a chart opens the same tickets as its figure', async () => {
    const page = await as(supervisor, '/dashboard');
    await page.getByTestId('dashboard-screen').waitFor();
    await settled(page);
    const bars = page.locator('[data-testid="response-by-month"] .recharts-bar-rectangle path');
    await bars.first().waitFor();
    await bars.first().click({ force: true });
    const drawer = page.getByTestId('drilldown');
    await page.waitForFunction(() => (document.querySelector('[data-testid="drilldown"]')?.getAttribute('data-total') ?? '') !== '');
    const total = Number(await drawer.getAttribute('data-total'));
    expect(total).toBeGreaterThan(0);
    expect(await drawer.locator('[data-testid="drill-list"] tbody tr').count()).toBe(total);
    await expectAccessible(page, 'a drill-down');
    await screenshot(page, 'dashboard-drilldown');
    // the tickets open from the list
    await drawer.getByTestId('drill-ticket').first().click();
    await page.waitForURL(/\/tickets\//);
  });

  it('the dashboard fits a 375-pixel-wide phone', async () => {
    const page = await as(supervisor, '/dashboard', PHONE);
    await page.getByTestId('dashboard-screen').waitFor();
    await settled(page);
    expect(await horizontalOverflow(page)).toEqual({ overflow: 0, offenders: [] });
    await expectAccessible(page, 'the dashboard on a phone');
    await screenshot(page, 'dashboard');
  });
});
