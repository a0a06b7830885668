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
import { invite, signInThroughUi, type Person } from './support/people';
import { WebApp, seedCustomer, seedTicket, startWebApp } from './support/web-app';

jest.setTimeout(120_000);

describeBrowser('console: an agent triages the queue', () => {
  let web: WebApp;
  let chromium: Chromium;
  let ana: Person;
  const tickets: string[] = [];

  beforeAll(async () => {
    web = await startWebApp();
    chromium = await launchChromium();
    ana = await invite(web, { email: 'ana@impera.test', name: 'Ana López', kind: 'staff', roles: ['agent'] });
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
    const context = await newContext(chromium.browser, { viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${web.baseUrl}/`);
    await page.waitForURL(/\/sign-in/);
    await expectAccessible(page, 'the sign-in screen');
    await screenshot(page, 'sign-in');
    await signInThroughUi(page, web, ana.email);
    await page.waitForURL('**/queue');
    await page.locator('#app[data-live="open"], #app[data-live="unavailable"]').waitFor();
    await rows(page).first().waitFor();
    expect(await rows(page).count()).toBe(3);
    // response-deadline order: high (24 h) first, then medium (48 h), then low (72 h)
    expect(await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ticket-id')))).toEqual(tickets);
    // graded state: colour AND icon AND word
    const badge = rows(page).first().locator('[data-sla-state]').filter({ visible: true });
    expect(await badge.getAttribute('data-sla-state')).toBe('on-track');
    expect(await badge.innerText()).toBe('En tiempo');
    expect(await badge.locator('svg').count()).toBe(1);
    // business time left ("23 h 59 min hábiles") with the due instant beside it
    await expect(rows(page).first().innerText()).resolves.toMatch(/\d+ h( \d+ min)? hábiles[\s\S]*vence /);
    expect(await rows(page).first().innerText()).toContain('Hoteles del Bajío');

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
    await page.keyboard.press('Home');
    await focusedTicket(page, tickets[0]);
    await page.keyboard.press('End');
    await focusedTicket(page, tickets[2]);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/tickets/${tickets[1]}`);
    await page.getByRole('heading', { name: 'Restaurar el respaldo de la base de datos' }).waitFor();
    await expectAccessible(page, 'the ticket workspace');
    await screenshot(page, 'ticket');

    // every decision's form passes axe
    for (const action of ['Asignar', 'Escalar', 'Pedir información', 'Intento de contacto', 'Cerrar']) {
      await page.getByRole('toolbar').getByRole('button', { name: action, exact: true }).click();
      await page.getByRole('dialog').waitFor();
      await expectAccessible(page, `the ${action} form`);
      await page.getByRole('dialog').getByRole('button', { name: 'Cancelar' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
    }

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

    // the SLA timeline: the clock started at opening, then a new target on classification
    await page.getByRole('tab', { name: 'Cronología SLA' }).click();
    await page.locator('[data-testid="sla-timeline"] [data-kind="retargeted"]').waitFor();
    expect(await page.locator('[data-testid="sla-timeline"] [data-kind="started"]').count()).toBe(1);
    await expectAccessible(page, 'the SLA timeline');
    await screenshot(page, 'ticket-sla');
    await page.getByRole('tab', { name: 'Conversación' }).click();

    // assign to herself
    await page.getByRole('button', { name: 'Asignar' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Asignar' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.locator('[data-testid="ticket-facts"]').getByText('Ana López', { exact: true }).waitFor();

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

  /** waits until the queue lists exactly these tickets, in this order */
  const queueShows = (page: Page, ids: string[]) =>
    page.waitForFunction(
      (expected) => JSON.stringify([...document.querySelectorAll('[data-testid="queue-table"] tbody tr[data-ticket-id]')].map((tr: any) => tr.getAttribute('data-ticket-id'))) === JSON.stringify(expected), // eslint-disable-line @typescript-eslint/no-explicit-any
      ids,
      { timeout: 10_000 },
    );

  /** a filter chip of the queue (its checkbox is visually hidden: people click its label) */
  const chip = (page: Page, name: string) => page.getByRole('search').locator('label', { hasText: name });

  it('asking the customer pauses the clock: the queue says so with an icon and words; every filter narrows the queue', async () => {
    const context = await newContext(chromium.browser, { viewport: DESKTOP });
    const page = await context.newPage();
    await signInThroughUi(page, web, ana.email, `/tickets/${tickets[2]}`);
    await page.getByRole('heading', { name: 'Cómo cambio la contraseña del correo' }).waitFor();
    await page.getByRole('toolbar').getByRole('button', { name: 'Pedir información', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Pregunta para el cliente').fill('¿Qué programa de correo usa?');
    await dialog.getByRole('button', { name: 'Enviar pregunta' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('ticket-screen').getByText('Esperando al cliente').first().waitFor();

    await page.getByRole('link', { name: 'Volver a la cola' }).click();
    await page.waitForURL('**/queue');
    const paused = page.locator(`tr[data-ticket-id="${tickets[2]}"]`);
    const badge = paused.locator('[data-sla-state="paused"]').filter({ visible: true });
    await badge.waitFor();
    // the state's word and icon, and the reason in words beside it (never colour alone)
    expect(await badge.innerText()).toBe('En pausa');
    expect(await badge.locator('svg').count()).toBe(1);
    expect(await paused.locator('[data-paused-reason="awaiting-customer"]').filter({ visible: true }).first().innerText()).toBe('esperando al cliente');

    // waiting on customer
    await chip(page, 'Esperando al cliente').click();
    await page.waitForURL(/waiting=1/);
    await queueShows(page, [tickets[2]]);
    await chip(page, 'Esperando al cliente').click();
    await queueShows(page, [tickets[0], tickets[1], tickets[2]]);
    // classification
    await page.getByRole('combobox', { name: 'Clasificación' }).click();
    await page.getByRole('option', { name: 'Baja', exact: true }).click();
    await page.waitForURL(/classification=low/);
    await queueShows(page, [tickets[2]]);
    await page.getByRole('combobox', { name: 'Clasificación' }).click();
    await page.getByRole('option', { name: 'Todas', exact: true }).click();
    await queueShows(page, [tickets[0], tickets[1], tickets[2]]);
    // department: nothing in billing
    await page.getByRole('combobox', { name: 'Departamento' }).click();
    await page.getByRole('option', { name: 'Facturación', exact: true }).click();
    await page.waitForURL(/department=billing/);
    await page.getByTestId('queue-empty').waitFor();
    await queueShows(page, []);
    await page.getByRole('combobox', { name: 'Departamento' }).click();
    await page.getByRole('option', { name: 'Soporte técnico', exact: true }).click();
    await queueShows(page, [tickets[0], tickets[1], tickets[2]]);
    // breached only: none is late
    await chip(page, 'Solo vencidos').click();
    await page.waitForURL(/breached=1/);
    await page.getByTestId('queue-empty').waitFor();
    await queueShows(page, []);
    // the filters live in the address: a reload keeps them
    await page.reload();
    await page.getByTestId('queue-empty').waitFor();
    expect(await page.getByRole('checkbox', { name: 'Solo vencidos' }).isChecked()).toBe(true);
    await chip(page, 'Solo vencidos').click();
    await queueShows(page, [tickets[0], tickets[1], tickets[2]]);
    await expectAccessible(page, 'the queue with a paused ticket');

    // while waiting, a contact attempt is recorded and listed with its channel
    await page.goto(`${web.baseUrl}/tickets/${tickets[2]}`);
    await page.getByRole('toolbar').getByRole('button', { name: 'Intento de contacto', exact: true }).click();
    const contact = page.getByRole('dialog');
    await contact.getByLabel(/^Nota/).fill('Llamé al conmutador; se cerrará el viernes si no hay respuesta');
    await contact.getByRole('button', { name: 'Registrar intento' }).click();
    await contact.waitFor({ state: 'detached' });
    await page.getByText(/^Intento 1 por Teléfono, .*Llamé al conmutador/).waitFor();
    await context.close();
  });

  it('escalates with a reason to the next level (named in Spanish), closes with a reason and reopens', async () => {
    const context = await newContext(chromium.browser, { viewport: DESKTOP });
    const page = await context.newPage();
    await signInThroughUi(page, web, ana.email, `/tickets/${tickets[0]}`);
    await page.getByRole('heading', { name: 'El sitio web no carga desde dos dispositivos' }).waitFor();
    const facts = page.getByTestId('ticket-facts');
    await facts.getByText('1 · Ingeniero asignado', { exact: true }).waitFor();
    const dialog = page.getByRole('dialog');

    await page.getByRole('toolbar').getByRole('button', { name: 'Escalar', exact: true }).click();
    await dialog.getByText('Pasa al nivel 2: Supervisor de soporte.').waitFor();
    await dialog.getByLabel('Motivo del escalamiento').fill('Sigue sin cargar tras el cambio de DNS');
    await dialog.getByRole('button', { name: 'Escalar', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await facts.getByText('2 · Supervisor de soporte', { exact: true }).waitFor();

    await page.getByRole('toolbar').getByRole('button', { name: 'Cerrar', exact: true }).click();
    await dialog.getByLabel('Solución entregada').fill('Se corrigió el registro A del dominio');
    await dialog.getByRole('button', { name: 'Cerrar ticket' }).click();
    await dialog.waitFor({ state: 'detached' });
    await facts.getByText('Resuelto', { exact: true }).waitFor();

    await page.getByRole('toolbar').getByRole('button', { name: 'Reabrir', exact: true }).click();
    await dialog.getByLabel('Motivo para reabrir').fill('El cliente dice que volvió a fallar');
    await expectAccessible(page, 'the reopen form');
    await dialog.getByRole('button', { name: 'Reabrir ticket' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('toolbar').getByRole('button', { name: 'Cerrar', exact: true }).waitFor();
    expect(await facts.getByText('Resuelto', { exact: true }).count()).toBe(0);
    await context.close();
  });

  it('speaks English when the agent chooses it, and remembers it (PATCH /api/me/preferences)', async () => {
    const context = await newContext(chromium.browser, { viewport: DESKTOP });
    const page = await context.newPage();
    await signInThroughUi(page, web, ana.email, '/queue');
    await page.getByRole('heading', { name: 'Cola de trabajo' }).waitFor();
    await page.getByRole('button', { name: /^Idioma/ }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Work queue' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await rows(page).first().getByText(/business time left/).filter({ visible: true }).first().waitFor();
    await expectAccessible(page, 'the queue in English');
    // another browser, same person: the server kept the choice
    const other = await newContext(chromium.browser, { viewport: DESKTOP });
    const second = await other.newPage();
    await signInThroughUi(second, web, ana.email, '/queue');
    await second.getByRole('heading', { name: 'Work queue' }).waitFor();
    // back to Spanish for the other tests
    await second.getByRole('button', { name: /^Language/ }).click();
    await second.getByRole('menuitem', { name: 'Español (México)' }).click();
    await second.getByRole('heading', { name: 'Cola de trabajo' }).waitFor();
    await other.close();
    await context.close();
  });

  it('fits a 375-pixel-wide phone', async () => {
    const context = await newContext(chromium.browser, { viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${web.baseUrl}/sign-in`);
    await expectAccessible(page, 'the sign-in screen on a phone');
    await screenshot(page, 'sign-in');
    await signInThroughUi(page, web, ana.email, '/queue');
    await rows(page).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await page.evaluate(() => { const s = document.querySelector('[data-testid="queue-scroll"]'); return s.scrollWidth - s.clientWidth; })).toBeLessThanOrEqual(0);
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
