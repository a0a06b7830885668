/**
 * In a real browser against the real server: an auditor replays a case step by step. Before
 * the quote's acceptance the case shows it pending; one step later it is accepted by the named
 * approver, with the approver's rights at that moment. The timeline carries the policy
 * deduction made for the case and the links between events; the NDJSON export verifies with
 * the offline script. An edit of one event's data in the SQLite log turns the chain verdict red
 * with the first broken version. A customer's contact replays the public part of their own
 * case. axe on every screen; screenshots at 1280 and 375 pixels.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomUUID } from 'crypto';
import Database from 'better-sqlite3';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT } from './support/console-build';
import { DESKTOP, PHONE, describeBrowser, expectAccessible, launchChromium, screenshot, settled, type Chromium } from './support/browser';
import { browserSession, invitePerson, openAs, signInApi, type ApiSession, type Person } from './support/accounts';
import { horizontalOverflow } from './support/layout';
import { WebApp, startWebApp, todayInMexico } from './support/web-app';

// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

jest.setTimeout(240_000);

const VERIFY = path.join(ROOT, 'tools/verify-case-export.mjs');

describeBrowser('console: case replay', () => {
  let web: WebApp;
  let chromium: Chromium;
  let tmp: string;
  const contexts: BrowserContext[] = [];
  let auditor: Person;
  let carla: Person;
  let ana: ApiSession;
  let ticketId: string;
  let quoteId: string;
  const subject = 'Migrar los buzones de correo al nuevo dominio';

  const as = async (person: Person, urlPath: string, viewport = DESKTOP): Promise<Page> => {
    const context = await browserSession(chromium.browser, web, person, viewport);
    contexts.push(context);
    return openAs(context, web, urlPath);
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-replay-'));
    web = await startWebApp({ env: { PASSWORD_SCRYPT_LN: '10' } });
    chromium = await launchChromium();
    const admin = web.token('root', ['admin']);
    const customerId = randomUUID();
    await web.call(admin, 'POST', '/api/customers', { customerId, name: 'Hoteles del Bajío' });
    await web.call(admin, 'POST', '/api/policies', { policyId: randomUUID(), customerId, plan: 'basic', startsOn: todayInMexico() });
    const agent = await invitePerson(web, { email: 'ana.robles@mesa.example.mx', name: 'Ana Robles', kind: 'staff', roles: ['agent'] });
    auditor = await invitePerson(web, { email: 'aurelio.mendez@mesa.example.mx', name: 'Aurelio Méndez', kind: 'staff', roles: ['auditor'] });
    carla = await invitePerson(web, { email: 'carla.nunez@hoteles.example.mx', name: 'Carla Núñez', kind: 'contact', customerId, approver: true });
    ana = await signInApi(web, agent);
    const customer = await signInApi(web, carla);

    // the case: opened by the customer, assigned, answered, a policy estimate accepted, work logged against the policy
    ticketId = randomUUID();
    await customer.call('POST', '/api/tickets', { ticketId, department: 'support', subject, description: 'Doce buzones deben pasar al dominio hotelesbajio.mx sin perder correo.' });
    await ana.call('POST', `/api/tickets/${ticketId}/assignment`, { assigneeId: agent.userId });
    await ana.call('POST', `/api/tickets/${ticketId}/messages`, { body: 'Revisamos los registros MX y le enviamos una estimación.', visibility: 'public' });
    await ana.call('POST', `/api/tickets/${ticketId}/messages`, { body: 'Nota interna: el proveedor anterior tarda en liberar el dominio.', visibility: 'internal' });
    quoteId = randomUUID();
    await ana.call('POST', `/api/tickets/${ticketId}/quotes`, { quoteId, kind: 'policy-estimate', minutes: 60, description: 'Migración de 12 buzones y ajuste de registros MX' });
    await customer.call('POST', `/api/tickets/${ticketId}/quotes/${quoteId}/authorization`, { decision: 'accept', comment: 'Adelante' });
    await ana.call('POST', `/api/tickets/${ticketId}/work-logs`, { minutes: 30, workedOn: todayInMexico(), description: 'Migración de los primeros 6 buzones' });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await chromium?.close();
    await web?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const quoteCard = (page: Page) => page.locator(`[data-testid="replay-state"] [data-quote-id="${quoteId}"]`);

  it('the auditor finds the case and replays it: pending before the acceptance, accepted by the named approver after', async () => {
    const page = await as(auditor, '/');
    await page.waitForURL(/\/cases$/);
    await page.locator('[data-testid="cases-list"]').waitFor();
    await expectAccessible(page, 'the case list');
    await screenshot(page, 'cases');
    await page.getByRole('link', { name: subject }).click();
    await page.locator('[data-testid="replay-screen"]').waitFor();
    await settled(page);

    // the whole case: the ticket's events and the policy deduction made for it, in global order
    const types = await page.locator('[data-testid="replay-timeline"] > li').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));
    expect(types).toEqual(expect.arrayContaining(['TicketOpened', 'TicketAssigned', 'MessagePosted', 'ResponseRecorded', 'QuoteIssued', 'ServiceAuthorized', 'MinutesDeducted', 'WorkLogged']));
    expect(types.indexOf('MinutesDeducted')).toBeLessThan(types.indexOf('WorkLogged'));
    const deduction = page.locator('[data-testid="replay-timeline"] > li[data-type="MinutesDeducted"]');
    expect(await deduction.getAttribute('data-stream')).toMatch(/^policy-/);
    expect(await deduction.innerText()).toContain('Se descontaron 30 min de la póliza POL-');
    // the deduction and its work log were made by one request: linked both ways, and drawn
    expect(await deduction.locator('[data-link="same"]').innerText()).toMatch(/Misma solicitud que #\d+/);
    expect(await page.locator('[data-testid="timeline-links"] [data-correlation]').count()).toBeGreaterThan(0);
    // who and in which role, by name
    expect(await page.locator('[data-testid="replay-timeline"] > li[data-type="TicketOpened"]').innerText()).toContain('Por Carla Núñez (Cliente)');
    expect(await page.locator('[data-testid="replay-timeline"] > li[data-type="QuoteIssued"]').innerText()).toContain('Por Ana Robles (Agente)');
    // the record is intact
    expect(await page.getByTestId('chain-verdict').getAttribute('data-intact')).toBe('true');

    // the moment before the acceptance: the quote is pending
    await page.locator('[data-testid="replay-timeline"] > li[data-type="QuoteIssued"] [data-testid="replay-go"]').click();
    await page.locator('[data-testid="replay-timeline"] > li[data-type="QuoteIssued"][data-current="true"]').waitFor();
    await quoteCard(page).waitFor();
    expect(await quoteCard(page).locator('[data-quote-status]').getAttribute('data-quote-status')).toBe('pending');
    expect(await quoteCard(page).getByTestId('replay-quote-decision').innerText()).toContain('Pendiente');
    expect(await page.getByTestId('replay-changes').innerText()).toContain('cotizaciones');
    // later events are not known yet at this step
    expect(await page.locator('[data-testid="replay-timeline"] > li[data-type="ServiceAuthorized"]').innerText()).toContain('aún no ocurre');
    await expectAccessible(page, 'the case replay');
    // the README's picture starts at the step control (the timeline, the changes and the state below it)
    await page.getByTestId('replay-step').evaluate((el: any) => {
      el.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -72);
    });
    await screenshot(page, 'case-replay');

    // one step on: accepted, by the approver named, with the rights recorded then
    await page.getByTestId('replay-next').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="replay-step-label"]')?.textContent?.includes('Cotización autorizada'));
    expect(await quoteCard(page).locator('[data-quote-status]').getAttribute('data-quote-status')).toBe('accepted');
    expect(await quoteCard(page).getByTestId('replay-quote-decision').innerText()).toMatch(/Autorizada .* por Carla Núñez/);
    const approval = quoteCard(page).getByTestId('approval');
    expect(await approval.getAttribute('data-approver')).toBe('true');
    expect(await approval.innerText()).toContain('En ese momento era aprobador');
    // what the step changed, before and after
    const change = page.locator(`[data-testid="replay-changes"] tr[data-path="/billing/quotes/${quoteId}/status"]`);
    expect(await change.innerText()).toMatch(/Pendiente de autorización\s+Autorizada/);
    // the slider moves the same steps
    const step = Number(await page.getByTestId('replay-step').getAttribute('data-step'));
    await page.getByRole('slider', { name: 'Paso de la reproducción' }).press('ArrowLeft');
    await page.waitForFunction((n) => document.querySelector('[data-testid="replay-step"]')?.getAttribute('data-step') === String(n), step - 1);
    expect(await quoteCard(page).locator('[data-quote-status]').getAttribute('data-quote-status')).toBe('pending');

    // the quote authorizations of the whole case
    const row = page.locator(`[data-testid="quote-authorizations"] tr[data-quote-id="${quoteId}"]`);
    expect(await row.innerText()).toMatch(/Autorizada .* por Carla Núñez/);
    expect(await row.getByTestId('approval').getAttribute('data-approver')).toBe('true');
  });

  it('the export downloads as NDJSON and verifies offline', async () => {
    const page = await as(auditor, `/cases/${ticketId}`);
    await page.locator('[data-testid="replay-screen"]').waitFor();
    await settled(page);
    expect(await page.getByText('node verify-case-export.mjs').count()).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('replay-export').click()]);
    expect(download.suggestedFilename()).toBe(`case-${ticketId}.ndjson`);
    const file = path.join(tmp, download.suggestedFilename());
    await download.saveAs(file);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({ kind: 'case-export', ticketId });
    const verified = spawnSync(process.execPath, [VERIFY, file], { encoding: 'utf8' });
    expect(verified.stdout).toMatch(new RegExp(`^OK: \\d+ events of ticket ${ticketId}`));
    expect(verified.status).toBe(0);
  });

  it('a customer replays the public part of their own case (no internal note, no export)', async () => {
    const page = await as(carla, `/cases/${ticketId}`);
    await page.locator('[data-testid="replay-screen"]').waitFor();
    await settled(page);
    const messages = await page.locator('[data-testid="replay-timeline"] > li[data-type="MessagePosted"]').allInnerTexts();
    expect(messages).toHaveLength(1);
    expect(messages.join()).not.toContain('Nota interna');
    expect(await page.getByTestId('replay-export').count()).toBe(0);
    await expectAccessible(page, 'the customer’s replay');
  });

  it('the replay fits a 375-pixel-wide phone', async () => {
    for (const [urlPath, name] of [
      ['/cases', 'cases'],
      [`/cases/${ticketId}`, 'case-replay'],
    ] as const) {
      const page = await as(auditor, urlPath, PHONE);
      await settled(page);
      const layout = await horizontalOverflow(page);
      expect(layout).toEqual({ overflow: 0, offenders: [] });
      await expectAccessible(page, `${name} on a phone`);
      await screenshot(page, name);
    }
  });
  it('an edit of one event in the SQLite log turns the verdict red with the first broken version', async () => {
    const db = new Database(path.join(web.dataDir, 'events.db'));
    let version: number;
    try {
      const row = db.prepare("SELECT position, version, data FROM events WHERE stream_id = ? AND type = 'QuoteIssued'").get(`ticket-${ticketId}`) as { position: number; version: number; data: string };
      version = row.version;
      const data = JSON.parse(row.data);
      data.terms.minutes = 600; // ten hours instead of one
      expect(db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), row.position).changes).toBe(1);
    } finally {
      db.close();
    }
    const page = await as(auditor, `/cases/${ticketId}`);
    await page.locator('[data-testid="replay-screen"]').waitFor();
    await settled(page);
    const verdict = page.getByTestId('chain-verdict');
    expect(await verdict.getAttribute('data-intact')).toBe('false');
    expect(await verdict.getAttribute('data-first-broken-stream')).toBe(`ticket-${ticketId}`);
    expect(await verdict.getAttribute('data-first-broken-version')).toBe(String(version!));
    expect(await verdict.innerText()).toContain(`versión ${version!}`);
    // the altered event is marked in the timeline
    expect(await page.locator(`[data-testid="replay-timeline"] > li[data-version="${version!}"][data-stream="ticket-${ticketId}"] [data-testid="timeline-break"]`).count()).toBe(1);
    await expectAccessible(page, 'the replay of an altered case');
    await screenshot(page, 'case-replay-broken');
  });

});
